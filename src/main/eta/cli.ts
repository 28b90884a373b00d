/**
 * CLI subcommands of the ETA issue, registered on the program by cli/index.ts:
 * - `eta extract --text TEXT --sent YYYY-MM-DD [--prior-eta D] [--locale en-US|en-GB] [--transit-days N] [--json]`
 * - `eta backtest --history FILE.csv [--interval 0.8] [--evaluate-from D] [--json]`
 * - `eta import-history FILE.csv` (stores delivery history in the database)
 * - `eta import-edi FILES… [--supplier NAME]` (X12 855/856 into quotes)
 * - `eta sheet import --supplier NAME --file F.csv [--map sku=…,date=…]` (a supplier sheet into quotes)
 * - `eta sheet link --supplier NAME --sheet URL|ID [--range A1] [--map …]`, `eta sheet sync [--supplier NAME]`
 *   (a supplier's Google Sheet through the Google connection)
 * - `eta edi-folder [PATH] [--off]` (the watched EDI folder: show it and its latest files, or set it)
 * - `suppliers list`, `suppliers set NAME [options]`
 * With `--json`, stdout holds only JSON. Errors name the option, or the file, line and field, and
 * exit 2 (cli/index.ts `main`).
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import { backtest } from '../../core/eta/backtest';
import { isIsoDate } from '../../core/eta/calendar';
import { extractEta } from '../../core/eta/extract/index';
import { AppError } from '../../shared/result';
import { call, dbOption, jsonOption, output, readInput, withCore } from '../cli/io';
import { importEdi } from './edi-import';
import { readHistoryCsv } from './history-import';
import { parseMappingSpec } from '../../core/eta/sheet';
import type { SheetImportReport, SheetMapping } from '../../shared/eta';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function isoOption(name: string, v: string | undefined): string | undefined {
  if (v !== undefined && !isIsoDate(v)) throw new AppError('BAD_INPUT', `${name}: "${v}" is not a date (YYYY-MM-DD)`);
  return v;
}



/** Adds `eta …` and `suppliers …` to `program`. */
export function registerEtaCommands(program: Command): void {
  const eta = program.command('eta').description('supplier ETAs: read quotes from text, backtest the prediction ladder');

  eta
    .command('extract')
    .description('read the ETA a supplier text gives')
    .requiredOption('--text <text>', 'the supplier text')
    .requiredOption('--sent <date>', 'day the text was sent, YYYY-MM-DD')
    .option('--prior-eta <date>', 'the ETA the supplier gave before (for "delayed 2 weeks")')
    .addOption(new Option('--locale <locale>', "supplier's numeric date order").choices(['en-US', 'en-GB']))
    .option('--transit-days <n>', 'days from the supplier shipping to arrival here', (v) => Number(v))
    .option('--verbose', 'with --json: also the arrival days, the rule and the notes')
    .addOption(jsonOption())
    .action((o: { text: string; sent: string; priorEta?: string; locale?: 'en-US' | 'en-GB'; transitDays?: number; verbose?: boolean; json?: boolean }) => {
      isoOption('--sent', o.sent);
      isoOption('--prior-eta', o.priorEta);
      if (o.transitDays !== undefined && !(Number.isInteger(o.transitDays) && o.transitDays >= 0)) throw new AppError('BAD_INPUT', '--transit-days: a whole number of days ≥ 0');
      const r = extractEta(o.text, { sent: o.sent, priorEta: o.priorEta ?? null, ...(o.locale ? { locale: o.locale } : {}), ...(o.transitDays !== undefined ? { transitDays: o.transitDays } : {}) });
      const core = { kind: r.kind, start: r.start, end: r.end, isShipDate: r.isShipDate, confidence: r.confidence, sentence: r.sentence };
      output(o.json === true, o.verbose ? r : core, () =>
        r.kind === 'unknown'
          ? `unknown (${r.rule === 'none' ? 'nothing readable' : 'the supplier gives no date'}), confidence ${r.confidence}${r.sentence ? `: "${r.sentence}"` : ''}`
          : `${r.kind} ${r.start}${r.end !== r.start ? ` to ${r.end}` : ''}${r.isShipDate ? ' (ship date)' : ''}, confidence ${r.confidence} [${r.rule}]: "${r.sentence}"${r.notes.map((n) => `\n  note: ${n}`).join('')}`,
      );
    });

  eta
    .command('backtest')
    .description('evaluate the ETA prediction ladder in time order on a delivery history CSV')
    .requiredOption('--history <file>', 'CSV: supplier,ordered_at,quoted_date,received_at (ISO dates), or the USAID SCMS delivery history')
    .option('--interval <p>', 'nominal coverage of the range', (v) => Number(v), 0.8)
    .option('--evaluate-from <date>', 'score only quotes made on or after this day (earlier rows still serve as history)')
    .addOption(jsonOption())
    .action((o: { history: string; interval: number; evaluateFrom?: string; json?: boolean }) => {
      isoOption('--evaluate-from', o.evaluateFrom);
      if (!(o.interval > 0 && o.interval < 1)) throw new AppError('BAD_INPUT', '--interval: a number between 0 and 1, e.g. 0.8');
      const { rows, problems } = readHistoryCsv(o.history, readInput(o.history));
      if (problems.length) {
        const shown = problems.slice(0, 5).map((p) => `${o.history} line ${p.line}, field "${p.field}": ${p.message}`).join('; ');
        throw new AppError('BAD_INPUT', `${shown}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
      }
      const r = backtest(rows, { interval: o.interval, evaluateFrom: o.evaluateFrom ?? null });
      output(o.json === true, r, () =>
        [
          `${path.basename(o.history)}: ${r.rows.history} rows, ${r.rows.quotes} quotes with an order date, ${r.rows.evaluated} scored; interval ${r.interval}`,
          'method                n     MAE   MAE(quote)  skill   coverage  width   bias',
          ...[...r.methods, { ...r.app, chosen: false }].map(
            (m) => `${(m.method + (m.chosen ? ' *' : '')).padEnd(20)} ${String(m.n).padStart(5)} ${m.maeDays.toFixed(2).padStart(7)} ${m.maeDaysQuote.toFixed(2).padStart(10)} ${m.skill.toFixed(3).padStart(7)} ${m.coverage.toFixed(3).padStart(9)} ${m.meanWidthDays.toFixed(1).padStart(6)} ${m.biasDays.toFixed(2).padStart(6)}`,
          ),
          '* = the method the app uses; ladder = the app day by day',
        ].join('\n'),
      );
    });

  eta
    .command('import-history')
    .description('store a delivery history CSV in the database (re-importing the same file changes nothing)')
    .argument('<file>', 'history CSV')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (file: string, o: { db?: string; json?: boolean }) => {
      const content = readInput(file);
      const r = await withCore(o.db, (core) => call(core.dispatch('eta.importHistory', { name: path.basename(file), content })));
      output(o.json === true, r, () =>
        `${file} (${r.mapping}): ${r.rowsRead} rows, ${r.stored} stored, ${r.unchanged} unchanged, ${r.refused.length} refused` +
        r.refused.slice(0, 20).map((p) => `\n  refused: ${file} line ${p.line}, field "${p.field}": ${p.message}`).join(''),
      );
      if (r.refused.length) process.exitCode = 1;
    });

  eta
    .command('import-edi')
    .description('read X12 855 acknowledgments and 856 ship notices into quotes')
    .argument('<files...>', 'X12 files')
    .option('--supplier <name>', 'the supplier that sent them (default: each item\'s own supplier)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (files: string[], o: { supplier?: string; db?: string; json?: boolean }) => {
      const reports = await withCore(o.db, async (core) => files.map((f) => importEdi(core.db, path.basename(f), readInput(f), new Date().toISOString(), o.supplier)));
      output(o.json === true, reports, () =>
        reports.map((r) => `${r.file} (${r.transactionSets.join(', ') || 'no 855/856'}): ${r.lines} lines, ${r.stored.length} quotes, ${r.unmatched.length} not matched to a SKU`).join('\n'),
      );
      if (reports.some((r) => r.unmatched.length)) process.exitCode = 1;
    });

  const mapOption = (spec: string | undefined): SheetMapping | undefined => {
    if (spec === undefined) return undefined;
    try {
      return parseMappingSpec(spec);
    } catch (err) {
      throw new AppError('BAD_INPUT', err instanceof Error ? err.message : String(err));
    }
  };
  const sheetText = (r: SheetImportReport): string =>
    `${r.file} (${r.supplier}): ${r.rowsRead} lines, ${r.stored} quotes stored, ${r.unchanged} unchanged, ${r.problems.length} problems` +
    (r.mapping ? `\n  columns: sku=${r.mapping.sku}, date=${r.mapping.date}${r.mapping.dateEnd ? `, end=${r.mapping.dateEnd}` : ''}${r.mapping.quantity ? `, qty=${r.mapping.quantity}` : ''}${r.mapping.po ? `, po=${r.mapping.po}` : ''}` : '') +
    r.problems.slice(0, 50).map((p) => `\n  ${p.file} line ${p.line}, column "${p.column}": ${p.message}`).join('');

  const sheet = eta.command('sheet').description("supplier sheets (CSV, or a Google Sheet): SKU, quantity, quoted date(s), PO");
  sheet
    .command('import')
    .description('read a supplier sheet (CSV) into quotes; the column mapping is saved on the supplier')
    .requiredOption('--supplier <name>', 'the supplier the sheet is from')
    .requiredOption('--file <file>', 'CSV (comma, semicolon or tab separated)')
    .option('--map <spec>', 'columns, e.g. sku=Item,date=ETA,end=ETA to,qty=Open,po=PO (default: the saved mapping, else guessed)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { supplier: string; file: string; map?: string; db?: string; json?: boolean }) => {
      const mapping = mapOption(o.map);
      const content = readInput(o.file);
      const r = await withCore(o.db, (core) => call(core.dispatch('eta.importSheet', { supplier: o.supplier, name: path.basename(o.file), content, ...(mapping ? { mapping } : {}) })));
      output(o.json === true, r, () => sheetText(r));
      if (r.problems.length) process.exitCode = 1;
    });
  sheet
    .command('link')
    .description("link a supplier's Google Sheet and read it (needs Gmail connected; asks Google for read-only sheet access at the next connect)")
    .requiredOption('--supplier <name>', 'the supplier')
    .requiredOption('--sheet <url-or-id>', 'the Google Sheets address or spreadsheet id')
    .option('--range <a1>', 'tab and cells to read, e.g. "Open POs!A1:F500" (default: first tab, A:Z)')
    .option('--map <spec>', 'columns, as for sheet import')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { supplier: string; sheet: string; range?: string; map?: string; db?: string; json?: boolean }) => {
      const mapping = mapOption(o.map);
      const r = await withCore(o.db, (core) => call(core.dispatch('eta.linkSheet', { supplier: o.supplier, sheet: o.sheet, ...(o.range ? { range: o.range } : {}), ...(mapping ? { mapping } : {}) })));
      output(o.json === true, r, () => sheetText(r.report));
      if (r.report.problems.length) process.exitCode = 1;
    });
  sheet
    .command('sync')
    .description('read the linked Google Sheets again')
    .option('--supplier <name>', 'only this supplier\'s sheet')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { supplier?: string; db?: string; json?: boolean }) => {
      const r = await withCore(o.db, (core) => call(core.dispatch('eta.syncSheets', o.supplier ? { supplier: o.supplier } : {})));
      output(o.json === true, r, () => (r.length ? r.map(sheetText).join('\n') : 'No Google Sheet is linked (eta sheet link).'));
      if (r.some((x) => x.problems.length)) process.exitCode = 1;
    });

  eta
    .command('edi-folder')
    .description('the folder watched for X12 855/856 files while the app or web mode runs: show it, set it, or --off')
    .argument('[folder]', 'folder to watch')
    .option('--off', 'stop watching')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (folder: string | undefined, o: { off?: boolean; db?: string; json?: boolean }) => {
      const r = await withCore(o.db, async (core) => {
        if (o.off || folder !== undefined) await call(core.dispatch('settings.update', { ediFolder: o.off ? '' : path.resolve(folder!) }));
        return call(core.dispatch('eta.ediFiles', {}));
      });
      output(o.json === true, r, () =>
        [
          r.folder ? `EDI folder: ${r.folder} (watched while the app or "serve" runs; handled files move to processed/ or failed/)` : 'No EDI folder set.',
          ...(r.skipped.length ? [`  left in place (not X12): ${r.skipped.join(', ')}`] : []),
          ...r.files.slice(0, 20).map((f) => `  ${f.handledAt} ${f.file}: ${f.status}${f.status === 'imported' ? `, ${f.quotes} quotes, ${f.unmatched} lines without a known SKU` : ''}${f.error ? ` — ${f.error}` : ''}`),
        ].join('\n'),
      );
    });

  const suppliers = program.command('suppliers').description('suppliers: who supplies what, lead and transit days, date locale');
  suppliers
    .command('list')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { db?: string; json?: boolean }) => {
      const rows = await withCore(o.db, (core) => call(core.dispatch('suppliers.list', {})));
      output(o.json === true, rows, () =>
        rows.length
          ? rows.map((s) => `${s.name}\t${s.variantCount} variants\tlead ${s.leadTimeDays ?? '—'} d\ttransit ${s.transitDays} d\t${s.dateLocale ?? 'locale unknown'}\t${[...s.emails, ...s.domains].join(', ')}`).join('\n')
          : 'No suppliers yet (they are made from the products\' Vendor after an import, or with `suppliers set`).',
      );
    });
  suppliers
    .command('set')
    .description('create or change a supplier')
    .argument('<name>', 'supplier name')
    .option('--vendor <vendor>', "the products' Vendor value it supplies")
    .option('--email <address>', 'contact address (repeatable; replaces the list)', collect)
    .option('--domain <domain>', 'mail domain (repeatable; replaces the list)', collect)
    .option('--lead-time-days <n>', 'default lead time in days', (v) => Number(v))
    .option('--transit-days <n>', 'days from shipping to arrival', (v) => Number(v))
    .addOption(new Option('--locale <locale>', 'numeric date order').choices(['en-US', 'en-GB', 'none']))
    .option('--variant <id>', 'variant id it supplies beyond its Vendor (repeatable; replaces the list)', collect)
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (name: string, o: { vendor?: string; email?: string[]; domain?: string[]; leadTimeDays?: number; transitDays?: number; locale?: 'en-US' | 'en-GB' | 'none'; variant?: string[]; db?: string; json?: boolean }) => {
      const patch = {
        name,
        ...(o.vendor !== undefined ? { vendor: o.vendor } : {}),
        ...(o.email ? { emails: o.email } : {}),
        ...(o.domain ? { domains: o.domain } : {}),
        ...(o.leadTimeDays !== undefined ? { leadTimeDays: o.leadTimeDays } : {}),
        ...(o.transitDays !== undefined ? { transitDays: o.transitDays } : {}),
        ...(o.locale ? { dateLocale: o.locale === 'none' ? null : o.locale } : {}),
        ...(o.variant ? { variantIds: o.variant } : {}),
      };
      const s = await withCore(o.db, (core) => call(core.dispatch('suppliers.update', patch)));
      output(o.json === true, s, () => `${s.name}: ${s.variantCount} variants, lead ${s.leadTimeDays ?? '—'} d, transit ${s.transitDays} d, ${s.dateLocale ?? 'locale unknown'}`);
    });
}
