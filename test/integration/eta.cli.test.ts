/**
 * The ETA commands of the CLI as a merchant runs them: a real process, --json printing only JSON,
 * exit 2 naming the option or the file, line and field.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const corpus = path.resolve(root, '../shared/corpus');

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/main/cli/index.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'bd-home-')) },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const tmp = (name: string): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-eta-cli-')), name);

describe('backorder-desk eta / suppliers', () => {
  it('eta extract --json prints exactly the documented object', () => {
    const r = cli(['eta', 'extract', '--text', 'Sorry — PO 77 is delayed 2-3 weeks.', '--sent', '2026-02-01', '--prior-eta', '2026-03-01', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'range', start: '2026-03-15', end: '2026-03-22', isShipDate: false, confidence: 0.8, sentence: 'Sorry — PO 77 is delayed 2-3 weeks.' });
    const gb = JSON.parse(cli(['eta', 'extract', '--text', 'ETA 03/04/2026', '--sent', '2026-02-01', '--locale', 'en-GB', '--json']).stdout);
    expect(gb.start).toBe('2026-04-03');
  });

  it('eta extract refuses a bad --sent with exit 2', () => {
    const r = cli(['eta', 'extract', '--text', 'x', '--sent', '01/02/2026', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--sent/);
  });

  it('eta backtest on a small history, and exit 2 naming file, line and field', () => {
    const good = tmp('h.csv');
    const lines = ['supplier,ordered_at,quoted_date,received_at'];
    for (let i = 0; i < 60; i++) {
      const d = new Date(Date.UTC(2025, 0, 1 + 4 * i));
      const iso = (x: Date) => x.toISOString().slice(0, 10);
      const q = new Date(d.getTime() + 20 * 86_400_000);
      lines.push(`Acme,${iso(d)},${iso(q)},${iso(new Date(q.getTime() + (i % 5) * 86_400_000))}`);
    }
    fs.writeFileSync(good, lines.join('\n') + '\n');
    const r = cli(['eta', 'backtest', '--history', good, '--interval', '0.8', '--evaluate-from', '2025-04-01', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { methods: { method: string; n: number; chosen: boolean }[] };
    expect(out.methods.map((m) => m.method)).toEqual(['quote', 'supplier_quantiles', 'shrunk_quantiles', 'feature_model']);
    expect(out.methods.filter((m) => m.chosen)).toHaveLength(1);
    for (const m of out.methods) expect(Object.keys(m).sort()).toEqual(['biasDays', 'chosen', 'coverage', 'maeDays', 'maeDaysQuote', 'meanWidthDays', 'method', 'n', 'skill'].sort());

    const bad = tmp('bad.csv');
    fs.writeFileSync(bad, 'supplier,ordered_at,quoted_date,received_at\nAcme,2025-01-01,2025-01-20,2025-01-21\nAcme,2025-01-02,next week,2025-01-21\n');
    const e = cli(['eta', 'backtest', '--history', bad, '--json']);
    expect(e.code).toBe(2);
    expect(e.stdout).toBe('');
    expect(e.stderr).toMatch(/bad\.csv line 3, field "quoted_date"/);
  });

  it('suppliers set / list and eta import-edi on a real SQLite file', () => {
    const db = tmp('s.db');
    const set = cli(['suppliers', 'set', 'Kiln Works', '--email', 'orders@kiln.example', '--domain', 'kiln.example', '--lead-time-days', '21', '--transit-days', '4', '--locale', 'en-GB', '--db', db, '--json']);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ name: 'Kiln Works', leadTimeDays: 21, transitDays: 4, dateLocale: 'en-GB', emails: ['orders@kiln.example'] });
    const list = JSON.parse(cli(['suppliers', 'list', '--db', db, '--json']).stdout) as { name: string }[];
    expect(list.map((s) => s.name)).toEqual(['Kiln Works']);
    const badLocale = cli(['suppliers', 'set', 'X', '--locale', 'fr', '--db', db]);
    expect(badLocale.code).toBe(2);
  });

  it.skipIf(!fs.existsSync(path.join(corpus, 'edi_x12')))('eta import-edi reports items it cannot match to a SKU (exit 1)', () => {
    const r = cli(['eta', 'import-edi', path.join(corpus, 'edi_x12/OopFactory_856/Example4.txt'), '--db', tmp('e.db'), '--json']);
    expect(r.code).toBe(1);
    const [rep] = JSON.parse(r.stdout) as { transactionSets: string[]; lines: number; unmatched: unknown[] }[];
    expect(rep).toMatchObject({ transactionSets: ['856'], lines: 7 });
    expect(rep!.unmatched).toHaveLength(7);
  });
});
