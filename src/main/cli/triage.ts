/**
 * CLI commands of reply triage:
 * - `triage eval --file F [--where COLUMN=VALUE] [--no-lexicon] [--json]`: reads a labelled CSV/TSV
 *   (columns `text` and `label`, or headerless `text<TAB>label` as in the UCI sentiment sentences;
 *   detection is documented in src/core/triage/eval.ts) and prints
 *   `{n, needsPersonPrecision, needsPersonRecall, accuracy}` where "needs a person" = negative.
 * - `triage text TEXT [--json]`: the triage of one reply, for a quick look.
 * - `replies import FILE.eml... [--json]`: imports dropped mail: customer replies are triaged, supplier
 *   mail is read for ETA quotes (see src/main/replies/ingest.ts).
 */
import path from 'node:path';
import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../shared/result';
import { triageReply } from '../../core/triage/classify';
import { evaluate, readLabelledFile, type LabelledFile, type LabelledRow } from '../../core/triage/eval';
import { defaultSentimentSignals } from '../replies/signals';
import { createCore } from '../app/core';
import { defaultDbPath } from '../paths';
import { call, output, readInput } from './io';

/**
 * The rows of `f` whose column matches `where` ("COLUMN=VALUE", the column name in any case).
 * @throws AppError('BAD_INPUT') naming the column or the file when the filter is malformed, the
 *   column does not exist (or the file has no header), or no row has the value.
 */
export function whereRows(f: LabelledFile, where: string, file: string): LabelledRow[] {
  const at = where.indexOf('=');
  if (at < 1) throw new AppError('BAD_INPUT', `--where wants COLUMN=VALUE, got "${where}"`);
  const [k, v] = [where.slice(0, at).toLowerCase(), where.slice(at + 1)];
  if (f.headerless) throw new AppError('BAD_INPUT', `--where ${where}: ${file} has no header row, so no column "${k}"`);
  const columns = new Set(f.rows.flatMap((r) => Object.keys(r.columns)));
  if (!columns.has(k)) throw new AppError('BAD_INPUT', `--where ${where}: ${file} has no column "${k}" (columns: ${[...columns].join(', ') || 'none'})`);
  const rows = f.rows.filter((r) => r.columns[k] === v);
  if (!rows.length) throw new AppError('BAD_INPUT', `--where ${where}: no row of ${file} has ${k} = "${v}"`);
  return rows;
}

export function registerTriageCommands(program: Command): void {
  const triage = program.command('triage').description('reply triage: evaluate the rules on labelled data, or read one reply');
  triage
    .command('eval')
    .description('precision and recall of "needs a person" (= negative) on a labelled CSV/TSV')
    .requiredOption('--file <file>', 'CSV or TSV with columns text,label (or headerless text<TAB>label)')
    .option('--where <column=value>', 'only rows whose column has this value (e.g. split=holdout)')
    .option('--no-lexicon', 'rules only, without the sentiment lexicon signals (built-in list and AFINN-165)')
    .option('--misses', 'also list the rows read wrongly (not with --json)')
    .option('--json', 'print JSON only on stdout')
    .action((o: { file: string; where?: string; lexicon: boolean; misses?: boolean; json?: boolean }) => {
      const f = readLabelledFile(readInput(o.file), o.file);
      // Figures over no rows are all null: that is a mistake in the input, not a result (exit 2).
      if (!f.rows.length) {
        const why = f.skipped.length ? `; ${f.skipped.length} skipped, first at line ${f.skipped[0]!.line}: ${f.skipped[0]!.reason}` : '';
        throw new AppError('BAD_INPUT', `${o.file}: no labelled rows to evaluate (columns text,label or text<TAB>label)${why}`);
      }
      const rows = o.where ? whereRows(f, o.where, o.file) : f.rows;
      const signals = o.lexicon ? defaultSentimentSignals() : [];
      const r = evaluate(rows, (text) => triageReply(text, { signals }));
      const figures = { n: r.n, needsPersonPrecision: r.needsPersonPrecision, needsPersonRecall: r.needsPersonRecall, accuracy: r.accuracy };
      output(o.json === true, figures, () =>
        [
          `${path.basename(o.file)}: ${r.n} rows${f.headerless ? ' (headerless text<TAB>label)' : ''}${f.skipped.length ? `, ${f.skipped.length} skipped` : ''}`,
          `needs a person: precision ${r.needsPersonPrecision ?? '—'}, recall ${r.needsPersonRecall ?? '—'} (tp ${r.tp}, fp ${r.fp}, fn ${r.fn}); accuracy ${r.accuracy ?? '—'}`,
          ...(o.misses ? r.misses.map((m) => `  line ${m.line}: ${m.label} read as ${m.predicted}: ${m.text.replace(/\s+/g, ' ').slice(0, 120)}`) : []),
        ].join('\n'),
      );
    });
  triage
    .command('text')
    .argument('<text>', 'the reply text')
    .option('--json', 'print JSON only on stdout')
    .action((text: string, o: { json?: boolean }) => {
      const t = triageReply(text, { signals: defaultSentimentSignals() });
      output(o.json === true, t, () => `${t.sentiment} (${t.confidence})${t.needsPerson ? ', needs a person' : ''}; intents: ${t.intents.map((i) => i.kind + (i.phone ? ` ${i.phone}` : '')).join(', ') || 'none'}; rules: ${t.reasons.join(', ') || 'none'}`);
    });

  program
    .command('replies')
    .description('customer replies and supplier mail dropped as files')
    .command('import')
    .description('import .eml files (or Gmail JSON): customer replies are linked, triaged and answered; supplier mail is read for ETA quotes')
    .argument('<files...>', '.eml files')
    .option('--now <iso>', 'the clock for this run (ISO 8601)')
    .option('--db <path>', 'SQLite database file (default: the app data folder)')
    .option('--json', 'print JSON only on stdout')
    .action(async (files: string[], o: { db?: string; json?: boolean; now?: string }) => {
      const input = files.map((f) => {
        try {
          return { name: path.basename(f), content: fs.readFileSync(f).toString('base64') };
        } catch (err) {
          throw new AppError('BAD_INPUT', `${f}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
        }
      });
      const core = createCore({ dbPath: o.db ?? defaultDbPath(), ...(o.now ? { now: () => new Date(o.now!).toISOString() } : {}) });
      try {
        const r = await call(core.dispatch('replies.import', { files: input }));
        output(o.json === true, r, () =>
          r.files
            .map((f) =>
              f.error
                ? f.error.startsWith(f.file) ? f.error : `${f.file}: ${f.error}` // the core's errors name the file already
                : f.messages
                    .map((m) =>
                      `${f.file}: ${m.route}${m.orderName ? ` ${m.orderName}` : ''} (${m.reason})` +
                      (m.sentiment ? `; ${m.sentiment}${m.needsPerson ? ', needs a person' : ''}` : '') +
                      (m.tasks.length ? `; tasks ${m.tasks.map((t) => `#${t.id} ${t.kind}`).join(', ')}` : '') +
                      (m.answerMessageId ? `; answer drafted #${m.answerMessageId}` : '') +
                      (m.supplierMail
                        ? `; supplier mail from ${m.supplierMail.supplierName}: ${m.supplierMail.quotes} quote(s), ${m.supplierMail.needPerson} need a person` +
                          m.supplierMail.problems.map((p) => `\n  problem: ${p}`).join('')
                        : ''),
                    )
                    .join('\n'),
            )
            .join('\n'),
        );
        if (r.files.some((f) => f.error)) process.exitCode = 1;
      } finally {
        core.close();
      }
    });
}
