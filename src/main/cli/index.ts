/**
 * `backorder-desk` — the command-line front door over the same core as the app.
 * Run as `npm run -s cli -- <command>`. With `--json`, stdout holds only the JSON result and
 * logs go to stderr. Exit codes: 0 done, 1 the check found problems (`draft check`), 2 an error.
 */
import path from 'node:path';
import { DateTime } from 'luxon';
import { Command, Option } from 'commander';
import { AppError, toErrorShape } from '../../shared/result';
import type { SendProgress } from '../../shared/contract';
import type { ImportKind } from '../../shared/domain';
import { createCore } from '../app/core';
import { defaultDbPath } from '../paths';
import { draftCheck } from './draft-check';
import { call, dbOption, jsonOption, output, readInput, readInputBytes, withCore } from './io';
import { sandboxCommand } from './sandbox';
import { serveCommand } from './serve';
import { shopifyCommand } from './shopify';
import { registerMailCommands } from './mail';
import { registerEtaCommands } from '../eta/cli';
import { registerTriageCommands } from './triage';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Reads an ISO 8601 instant given as `option`. @throws AppError naming the option. */
export function parseInstant(value: string, option: string): string {
  const d = DateTime.fromISO(value, { setZone: true });
  if (!d.isValid) throw new AppError('BAD_INPUT', `${option} "${value}" is not an ISO 8601 date and time (e.g. 2026-11-30T14:00:00Z): ${d.invalidExplanation ?? d.invalidReason}`);
  return d.toUTC().toISO()!;
}

/** Parses a list of message or task ids. @throws AppError naming the bad one. */
function parseIds(ids: string[]): number[] {
  return ids.map((v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n <= 0) throw new AppError('BAD_INPUT', `"${v}" is not an id (a whole number above 0).`);
    return n;
  });
}


export function buildProgram(): Command {
  const program = new Command('backorder-desk')
    .description('Backorder Desk: keeps customers waiting on backordered items honestly informed.')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('import')
    .description("import Shopify CSV exports (orders, products, inventory, customers)")
    .option('--orders <file>', 'orders export (repeatable)', collect)
    .option('--products <file>', 'products export (repeatable)', collect)
    .option('--inventory <file>', 'inventory export (repeatable)', collect)
    .option('--customers <file>', 'customers export (repeatable)', collect)
    .option('--now <iso>', 'the clock for this run (ISO 8601)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { orders?: string[]; products?: string[]; inventory?: string[]; customers?: string[]; db?: string; json?: boolean; now?: string }) => {
      const files: { name: string; content: string; encoding: 'base64'; kind: ImportKind }[] = [];
      for (const kind of ['products', 'inventory', 'customers', 'orders'] as const) {
        for (const f of o[kind] ?? []) files.push({ name: path.basename(f), content: readInputBytes(f).toString('base64'), encoding: 'base64', kind });
      }
      if (!files.length) throw new AppError('BAD_INPUT', 'Nothing to import: give --orders, --products, --inventory or --customers.');
      const now = o.now ? parseInstant(o.now, '--now') : undefined;
      const core = createCore({ dbPath: o.db ?? defaultDbPath(), ...(now ? { now: () => now } : {}) });
      try {
        const report = await call(core.dispatch('import.files', { files }));
        output(o.json === true, report, () =>
          [
            ...report.files.map(
              (f) =>
                `${f.file} (${f.kind}, ${f.layout}): ${f.rowsRead} rows read, ${f.recordsStored} stored, ${f.recordsUnchanged} unchanged, ${f.refused.length} refused` +
                // Each message already names its file, line and column.
                f.refused.map((p) => `\n  refused: ${p.message}`).join('') +
                f.warnings.map((p) => `\n  warning: ${p.message}`).join(''),
            ),
            `backorders opened: ${report.backordersOpened}, closed: ${report.backordersClosed}, unmatched line items: ${report.unmatchedLineItems}`,
          ].join('\n'),
        );
        if (report.files.some((f) => f.refused.length)) process.exitCode = 1;
      } finally {
        core.close();
      }
    });

  program
    .command('backorders')
    .description('list open backorders')
    .option('--all', 'include closed backorders')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { db?: string; json?: boolean; all?: boolean }) => {
      const rows = await withCore(o.db, (core) => call(core.dispatch('backorders.list', { includeClosed: o.all === true })), true);
      const out = rows.map((r) => ({
        orderName: r.orderName,
        lineItemName: r.lineItemName,
        sku: r.sku,
        quantityOrdered: r.quantityOrdered,
        quantityBackordered: r.quantityBackordered,
        orderedAt: r.orderedAt,
        customerEmail: r.customerEmail,
      }));
      output(o.json === true, out, () =>
        rows.length
          ? rows.map((r) => `${r.orderName}\t${r.quantityBackordered} of ${r.quantityOrdered}\t${r.lineItemName}\t${r.customerEmail ?? ''}\t${r.daysWaiting} days\tnext: ${r.nextStep?.label ?? '—'}`).join('\n')
          : 'No open backorders.',
      );
    });

  program
    .command('run')
    .description('run one scheduler tick: detect backorders, draft due steps, open escalation tasks (sends nothing)')
    .option('--now <iso>', 'the clock for this tick (ISO 8601; default: now)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { db?: string; json?: boolean; now?: string }) => {
      const r = await withCore(o.db, (core) => call(core.dispatch('scheduler.tick', o.now ? { now: parseInstant(o.now, '--now') } : {})), true);
      output(o.json === true, r, () => `tick at ${r.now}: ${r.backordersOpened} backorders opened, ${r.backordersClosed} closed, ${r.drafted} drafts, ${r.escalated} escalations, ${r.superseded} superseded steps`);
    });

  const drafts = program.command('drafts').description('the review queue: list, approve, discard, send');
  drafts
    .command('list')
    .option('--status <list>', 'comma-separated statuses (draft,approved,sending,sent,failed,unknown,discarded)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { db?: string; json?: boolean; status?: string }) => {
      const status = o.status?.split(',').map((s) => s.trim()).filter(Boolean);
      const rows = await withCore(o.db, (core) => call(core.dispatch('drafts.list', status ? { status } : {})), true);
      output(o.json === true, rows, () =>
        rows.length ? rows.map((m) => `#${m.id}\t${m.status}\t${m.orderName}\t${m.stepLabel}\t${m.to}\t${m.subject}${m.violations.length ? `\t(${m.violations.length} problems)` : ''}`).join('\n') : 'No messages.',
      );
    });
  drafts
    .command('approve')
    .argument('[ids...]', 'message ids')
    .option('--all', 'approve every draft that passes the content rules')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (ids: string[], o: { db?: string; json?: boolean; all?: boolean }) => {
      if (!o.all && !ids.length) throw new AppError('BAD_INPUT', 'Give the ids of the drafts to approve, or --all.');
      // "approve --all 5" is ambiguous (all of them, or just #5?): refuse it rather than approve everything.
      if (o.all && ids.length) throw new AppError('BAD_INPUT', `Give either ids or --all, not both (got --all and ${ids.join(' ')}).`);
      const r = await withCore(o.db, async (core) => {
        let list = parseIds(ids);
        if (o.all) list = (await call(core.dispatch('drafts.list', { status: ['draft'] }))).filter((m) => !m.violations.length).map((m) => m.id);
        if (!list.length) return { changed: 0, refused: [] };
        return call(core.dispatch('drafts.approve', { ids: list }));
      }, true);
      output(o.json === true, r, () =>
        [`${r.changed} approved`, ...r.refused.map((x) => `#${x.id} not approved: ${x.reason}`)].join('\n'),
      );
      if (r.refused.length) process.exitCode = 1;
    });
  drafts
    .command('discard')
    .argument('<ids...>', 'message ids')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (ids: string[], o: { db?: string; json?: boolean }) => {
      const list = parseIds(ids);
      const r = await withCore(o.db, (core) => call(core.dispatch('drafts.discard', { ids: list })), true);
      output(o.json === true, r, () => `${r.changed} discarded${r.changed < list.length ? ` (${list.length - r.changed} not found or already sent)` : ''}`);
      if (r.changed < list.length) process.exitCode = 1;
    });
  drafts
    .command('send')
    .description('send every approved message through the outbox (SMTP from settings; password from BACKORDER_DESK_SMTP_PASSWORD)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { db?: string; json?: boolean }) => {
      const r = await withCore(o.db, async (core) => {
        const started = new Date().toISOString();
        let last: SendProgress = { total: 0, done: 0, sent: 0, failed: 0, unknown: 0 };
        core.on('outbox.progress', (p) => {
          last = p;
          process.stderr.write(`sending: ${p.done} of ${p.total} (sent ${p.sent}, failed ${p.failed}, unknown ${p.unknown})\n`);
        });
        const res = await core.dispatch('outbox.send', {});
        // The mail server going down mid-run is a failed send (exit 1, README), not an error: the
        // core reports it as UNAVAILABLE "Sending stopped: …" after recording the failed message, so
        // the figures come from the last progress report.
        const stopped = !res.ok && res.error.code === 'UNAVAILABLE' && res.error.message.startsWith('Sending stopped:') ? res.error.message : null;
        if (!res.ok && !stopped) throw new AppError(res.error.code, res.error.message);
        const figures = res.ok ? res.value : last;
        // The messages this run left failed or unknown, with the reason, so --json carries them.
        const failures = (await call(core.dispatch('drafts.list', { status: ['failed', 'unknown'] })))
          .filter((m) => m.updatedAt >= started)
          .map((m) => ({ id: m.id, to: m.to, status: m.status, error: m.lastError }));
        return { ...figures, stopped, failures };
      }, true);
      output(o.json === true, r, () =>
        [
          `${r.sent} sent, ${r.failed} failed, ${r.unknown} unknown`,
          ...r.failures.map((f) => `#${f.id} ${f.status} (${f.to}): ${f.error ?? ''}`),
          ...(r.stopped ? [r.stopped] : []),
        ].join('\n'),
      );
      if (r.failed || r.unknown || r.stopped) process.exitCode = 1;
    });

  drafts
    .command('retry')
    .description('send failed messages again; unknown ones only with --confirm-not-sent (you checked they did not arrive)')
    .argument('<ids...>', 'message ids')
    .option('--confirm-not-sent', 'for messages whose outcome is unknown: you checked the customer did not get them')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (ids: string[], o: { db?: string; json?: boolean; confirmNotSent?: boolean }) => {
      const list = parseIds(ids);
      const r = await withCore(o.db, (core) => call(core.dispatch('outbox.retry', { ids: list, confirmNotSent: o.confirmNotSent === true })), true);
      output(o.json === true, r, () => `${r.changed} approved again; run "drafts send" to send them`);
      if (r.changed < list.length) process.exitCode = 1;
    });
  drafts
    .command('confirm-sent')
    .description('mark messages whose outcome is unknown as sent (you found them delivered)')
    .argument('<ids...>', 'message ids')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (ids: string[], o: { db?: string; json?: boolean }) => {
      const list = parseIds(ids);
      const r = await withCore(o.db, (core) => call(core.dispatch('outbox.confirmSent', { ids: list })), true);
      output(o.json === true, r, () => `${r.changed} marked sent`);
      if (r.changed < list.length) process.exitCode = 1;
    });

  const settings = program.command('settings').description('show or change settings (SMTP password: BACKORDER_DESK_SMTP_PASSWORD)');
  settings
    .command('get')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { db?: string; json?: boolean }) => {
      const s = await withCore(o.db, (core) => call(core.dispatch('settings.get', {})), false);
      output(o.json === true, s, () => JSON.stringify(s, null, 2));
    });
  settings
    .command('set')
    .description('e.g. settings set storeName="Juniper & Pine" smtp.host=smtp.example.com smtp.port=587 ftcMailOrderRule=true')
    .argument('<assignments...>', 'KEY=VALUE pairs; dotted keys reach into smtp.*; numbers, true/false and JSON arrays are parsed')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (pairs: string[], o: { db?: string; json?: boolean }) => {
      const s = await withCore(o.db, async (core) => {
        const current = (await call(core.dispatch('settings.get', {}))) as unknown as Record<string, unknown>;
        const patch: Record<string, unknown> = {};
        for (const pair of pairs) {
          const eq = pair.indexOf('=');
          if (eq <= 0) throw new AppError('BAD_INPUT', `"${pair}" is not KEY=VALUE.`);
          const [key, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
          const parsed: unknown = /^(true|false|-?\d+(\.\d+)?)$/.test(value) || /^[[{]/.test(value) ? JSON.parse(value) : value;
          const [top, sub] = key.split('.', 2) as [string, string | undefined];
          if (!(top in current)) throw new AppError('BAD_INPUT', `Unknown setting "${top}". Known: ${Object.keys(current).join(', ')}.`);
          if (sub) patch[top] = { ...(current[top] as object), ...(patch[top] as object | undefined), [sub]: parsed };
          else patch[top] = parsed;
        }
        return call(core.dispatch('settings.update', patch));
      }, false);
      output(o.json === true, s, () => 'saved');
    });

  const tasks = program.command('tasks').description('escalation tasks: what needs a person');
  tasks
    .command('list')
    .option('--all', 'include resolved tasks')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { db?: string; json?: boolean; all?: boolean }) => {
      const rows = await withCore(o.db, (core) => call(core.dispatch('tasks.list', o.all ? {} : { status: 'open' })), true);
      output(o.json === true, rows, () =>
        rows.length ? rows.map((t) => `#${t.id}\t${t.status}\t${t.orderName ?? ''}\t${t.kind}\t${t.reason}\n\t→ ${t.recommendedAction}`).join('\n') : 'No open tasks.',
      );
    });
  tasks
    .command('resolve')
    .argument('<id>', 'task id')
    .option('--note <text>', 'what you did')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (id: string, o: { db?: string; json?: boolean; note?: string }) => {
      const [taskId] = parseIds([id]);
      const t = await withCore(o.db, (core) => call(core.dispatch('tasks.resolve', { id: taskId!, ...(o.note ? { note: o.note } : {}) })), true);
      output(o.json === true, t, () => `task #${t.id} ${t.status}`);
    });

  program
    .command('draft')
    .description('draft tools')
    .command('check')
    .description('check a draft against the content rules')
    .requiredOption('--facts <file>', 'FACTS.json: orderName, itemName, status, nextUpdate [, etaStart, etaEnd, allowedOffers, allowedUrls]')
    .addOption(new Option('--channel <channel>', 'email or sms').choices(['email', 'sms']).makeOptionMandatory())
    .requiredOption('--text <file>', 'the draft text')
    .option('--subject <text>', 'subject line (email)')
    .addOption(jsonOption())
    .action((o: { facts: string; channel: 'email' | 'sms'; text: string; subject?: string; json?: boolean }) => {
      const r = draftCheck(readInput(o.facts), o.facts, o.channel, readInput(o.text), o.subject);
      output(o.json === true, r, () => (r.ok ? 'ok' : r.violations.map((v) => `${v.rule}: ${v.detail}`).join('\n')));
      if (!r.ok) process.exitCode = 1;
    });

  program
    .command('sandbox')
    .description('replay exports on a simulated clock; sends nothing, stores nothing')
    .requiredOption('--orders <file>', 'orders export (repeatable)', collect)
    .option('--products <file>', 'products export (repeatable)', collect)
    .option('--inventory <file>', 'inventory export (repeatable)', collect)
    .option('--customers <file>', 'customers export (repeatable)', collect)
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD in the store time zone')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD in the store time zone')
    .option('--timezone <iana>', 'store time zone (default: the machine\'s)')
    .addOption(jsonOption())
    .action((o: Parameters<typeof sandboxCommand>[0]) => sandboxCommand(o));

  program
    .command('serve')
    .description('web mode: the app in your browser on 127.0.0.1, with a private token in the URL')
    .option('--port <n>', 'port (default: a free one)', (v) => Number(v))
    .option('--demo', 'load the bundled demo store into a fresh demo database, with a local mail catcher')
    .addOption(dbOption())
    .action((o: Parameters<typeof serveCommand>[0]) => serveCommand(o));

  registerEtaCommands(program);
  registerTriageCommands(program);
  registerMailCommands(program);
  shopifyCommand(program);
  return program;
}

/** Entry point: parses argv, runs, maps errors to a message on stderr and exit code 2. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = 2;
      return;
    }
    const e = toErrorShape(err);
    process.stderr.write(`backorder-desk: ${e.message}\n`);
    process.exitCode = 2;
  }
}

const isEntry = process.argv[1] && /cli[\\/]index\.(ts|js|mjs|cjs)$/.test(process.argv[1]);
if (isEntry) void main(process.argv);
