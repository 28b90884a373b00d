/**
 * Supplier sheets through the core on a real SQLite file: a CSV with the supplier's date locale and
 * a saved column mapping, bad lines named by file, line and column, re-reads idempotent; a Google
 * Sheet read with the real googleapis Sheets v4 client pointed at a fake Sheets server, using the
 * Google connection's token (refreshed at the fake token endpoint), whose consent asks for
 * spreadsheets.readonly only once a sheet is linked; and the `eta sheet import` command.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHEETS_SCOPE } from '../../src/main/eta/google-sheets';
import { startFakeGmail, type FakeGmail } from '../helpers/fake-gmail';
import { FakeGoogleOAuth } from '../helpers/fake-google-oauth';
import { FakeSheets } from '../helpers/fake-sheets';
import { call, gmailCore, importMugStore, type GmailCoreFixture } from '../helpers/gmail-core';

let fake: FakeGmail;
let oauth: FakeGoogleOAuth;
let sheets: FakeSheets;
let fx: GmailCoreFixture;
let clock = '2026-11-02T16:00:00.000Z';

beforeEach(async () => {
  clock = '2026-11-02T16:00:00.000Z';
  fake = await startFakeGmail();
  oauth = await new FakeGoogleOAuth().start();
  sheets = await new FakeSheets().start();
  fx = gmailCore(fake, oauth, { now: () => clock, gmail: { sheetsRootUrl: sheets.rootUrl } });
  await importMugStore(fx.core);
  await call(fx.core, 'suppliers.list', {});
});
afterEach(async () => {
  fx.core.close();
  await Promise.all([fake.close(), oauth.close(), sheets.close()]);
});

const backorderEta = (): string | null => fx.core.db.prepare('SELECT start_date FROM backorder_eta').pluck().get() as string | null;

describe('supplier sheets (CSV)', () => {
  it('reads dates in the supplier locale, saves the mapping, names bad lines by file, line and column, and re-reads idempotently', async () => {
    await call(fx.core, 'suppliers.update', { name: 'Kiln Works', dateLocale: 'en-GB', transitDays: 2 });
    const content = 'PO;Article;Open qty;Ship date\n5512;MUG-BLK;24;03/12/2026\n5513;MUG-RED;4;04/12/2026\n5514;MUG-BLK;lots;05/12/2026\n5515;MUG-BLK;2;31/02/2026\n';
    const r = await call(fx.core, 'eta.importSheet', { supplier: 'Kiln Works', name: 'kiln-open.csv', content, mapping: { sku: 'Article', date: 'Ship date', quantity: 'Open qty', po: 'PO' } });
    expect(r).toMatchObject({ file: 'kiln-open.csv', rowsRead: 4, stored: 1, unchanged: 0 });
    expect(r.problems).toEqual([
      { file: 'kiln-open.csv', line: 3, column: 'Article', message: 'no product variant has the SKU "MUG-RED"' },
      { file: 'kiln-open.csv', line: 4, column: 'Open qty', message: '"lots" is not a whole number of units' },
      { file: 'kiln-open.csv', line: 5, column: 'Ship date', message: '"31/02/2026" is not a calendar day in the supplier\'s date order (day/month)' },
    ]);
    const [q] = await call(fx.core, 'eta.quotes', {});
    // 03/12 read day/month (en-GB); "Ship date" → a ship date, 2 transit days added for the arrival.
    expect(q).toMatchObject({ source: 'sheet', sku: 'MUG-BLK', poNumber: '5512', start: '2026-12-03', isShipDate: true, arrivalStart: '2026-12-05', confidence: 0.95 });
    expect(q!.sentence).toBe('kiln-open.csv line 2: MUG-BLK, 24 units, PO 5512, ships 2026-12-03');

    // The mapping is saved: the next sheet of this supplier needs none, and the same line stores nothing.
    const again = await call(fx.core, 'eta.importSheet', { supplier: 'Kiln Works', name: 'kiln-open.csv', content });
    expect(again).toMatchObject({ stored: 0, unchanged: 1, mapping: { sku: 'Article', date: 'Ship date', quantity: 'Open qty', po: 'PO' } });
    // A changed date is a new quote that supersedes the old one.
    const moved = await call(fx.core, 'eta.importSheet', { supplier: 'Kiln Works', name: 'kiln-open.csv', content: 'PO;Article;Open qty;Ship date\n5512;MUG-BLK;24;10/12/2026\n' });
    expect(moved.stored).toBe(1);
    const quotes = await call(fx.core, 'eta.quotes', {});
    expect(quotes.map((x) => [x.start, x.status])).toEqual([['2026-12-10', 'active'], ['2026-12-03', 'superseded']]);
  });

  it('refuses a day/month-ambiguous date when the supplier has no locale, naming the fix', async () => {
    const r = await call(fx.core, 'eta.importSheet', { supplier: 'Kiln Works', name: 'eta.csv', content: 'SKU,ETA\nMUG-BLK,03/04/2027\nMUG-BLK,13/04/2027\n' });
    expect(r.problems).toEqual([{ file: 'eta.csv', line: 2, column: 'ETA', message: expect.stringMatching(/month\/day or day\/month: set the supplier's date locale/) }]);
    expect(r.stored).toBe(1); // 13/04 can only be day/month
    expect((await call(fx.core, 'eta.quotes', {}))[0]).toMatchObject({ start: '2027-04-13', isShipDate: false });
  });
});

describe('supplier sheets (Google Sheets API v4 against a fake server)', () => {
  it('asks for spreadsheets.readonly only once a sheet is linked, reads the sheet with the connection token, and the ETA follows', async () => {
    const browser = async (url: string): Promise<void> => {
      const r = await fetch(url, { redirect: 'manual' });
      await fetch(r.headers.get('location')!);
    };
    const connect = async (): Promise<string> => {
      const r = await fx.core.dispatch('gmail.connect', {});
      expect(r.ok, JSON.stringify(r)).toBe(true);
      return oauth.authRequests.at(-1)!.scope!;
    };
    fx.core.close();
    fx = gmailCore(fake, oauth, { now: () => clock, connected: false, gmail: { sheetsRootUrl: sheets.rootUrl, openBrowser: browser } });
    await importMugStore(fx.core);
    await call(fx.core, 'suppliers.list', {});
    expect(await connect()).not.toContain(SHEETS_SCOPE);

    const id = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    sheets.sheets.set(id, [['SKU', 'Qty', 'ETA from', 'ETA to', 'PO'], ['MUG-BLK', '24', 'Dec 1, 2026', 'Dec 4, 2026', '5512'], ['', '', '', '', '']]);
    sheets.denyScope = true; // the grant made before linking has no Sheets scope
    const refused = await fx.core.dispatch('eta.linkSheet', { supplier: 'Kiln Works', sheet: `https://docs.google.com/spreadsheets/d/${id}/edit#gid=0` });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/Reconnect Google/) });
    // The link is kept, so the next consent asks for read-only sheet access.
    expect(await connect()).toContain(SHEETS_SCOPE);
    sheets.denyScope = false;

    const [r] = await call(fx.core, 'eta.syncSheets', {});
    expect(r).toMatchObject({ supplier: 'Kiln Works', stored: 1, problems: [], mapping: { sku: 'SKU', date: 'ETA from', dateEnd: 'ETA to', quantity: 'Qty', po: 'PO' } });
    const req = sheets.requests.at(-1)!;
    expect(req).toMatchObject({ id, range: 'A:Z', query: { valueRenderOption: 'FORMATTED_VALUE', majorDimension: 'ROWS' } });
    expect(req.auth).toMatch(/^Bearer access-/); // a token the fake Google token endpoint issued for the stored refresh token
    expect((await call(fx.core, 'eta.quotes', {}))[0]).toMatchObject({ source: 'sheet', kind: 'range', start: '2026-12-01', end: '2026-12-04', poNumber: '5512' });
    await call(fx.core, 'scheduler.tick', {});
    expect(backorderEta()).toBe('2026-12-01');
    const supplier = (await call(fx.core, 'suppliers.list', {})).find((s) => s.name === 'Kiln Works')!;
    expect(supplier.sheetMapping).toMatchObject({ googleSheetId: id, googleRange: 'A:Z', sku: 'SKU' });
  });
});

describe('linked Google Sheets are read again with the Gmail sync, at most hourly', () => {
  it('re-reads after an hour, stores a changed line, and reports a sheet it cannot read', async () => {
    let wallMs = Date.parse(clock);
    fx.core.close();
    fx = gmailCore(fake, oauth, { now: () => new Date(wallMs).toISOString(), gmail: { sheetsRootUrl: sheets.rootUrl, schedule: { nowMs: () => wallMs } } });
    await importMugStore(fx.core);
    await call(fx.core, 'suppliers.list', {});
    const id = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    sheets.sheets.set(id, [['SKU', 'ETA'], ['MUG-BLK', '2026-12-01']]);
    await call(fx.core, 'eta.linkSheet', { supplier: 'Kiln Works', sheet: id });
    expect(sheets.requests).toHaveLength(1);
    await call(fx.core, 'gmail.syncNow', {});
    expect(sheets.requests).toHaveLength(2); // the first sync of this session reads it
    wallMs += 30 * 60_000;
    await call(fx.core, 'gmail.syncNow', {});
    expect(sheets.requests).toHaveLength(2); // half an hour later: not again

    sheets.sheets.set(id, [['SKU', 'ETA'], ['MUG-BLK', '2026-12-15']]);
    wallMs += 31 * 60_000;
    const r = await call(fx.core, 'gmail.syncNow', {});
    expect(sheets.requests).toHaveLength(3);
    expect(r.quotes).toBe(1);
    expect((await call(fx.core, 'eta.quotes', {}))[0]).toMatchObject({ source: 'sheet', start: '2026-12-15', status: 'active' });
    expect(backorderEta()).toBe('2026-12-15'); // the tick after the sync moved the range

    sheets.denyScope = true;
    wallMs += 61 * 60_000;
    await call(fx.core, 'gmail.syncNow', {});
    expect((await call(fx.core, 'gmail.status', {})).lastError).toMatch(/linked supplier sheets could not be read.*Reconnect Google/);
  });
});

describe('eta sheet import (CLI)', () => {
  it('imports with --map and exits 1 naming the file, line and column of a bad line', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-sheet-cli-'));
    const db = path.join(dir, 'store.db');
    const run = (args: string[]): { code: number; stdout: string; stderr: string } => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/main/cli/index.ts'), ...args], {
        cwd: root, encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: dir },
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    expect(run(['suppliers', 'set', 'Kiln Works', '--locale', 'en-US', '--db', db, '--json']).code).toBe(0);
    const file = path.join(dir, 'kiln.csv');
    fs.writeFileSync(file, 'Item,When\nMUG-BLK,12/01/2026\nMUG-BLK,someday\n');
    const r = run(['eta', 'sheet', 'import', '--supplier', 'Kiln Works', '--file', file, '--map', 'sku=Item,date=When', '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { mapping: unknown; problems: { line: number; column: string; message: string }[] };
    expect(out.mapping).toEqual({ sku: 'Item', date: 'When' });
    // No products in this store: line 2 names an unknown SKU, line 3 an unreadable date.
    expect(out.problems.map((p) => [p.line, p.column])).toEqual([[2, 'Item'], [3, 'When']]);
    const bad = run(['eta', 'sheet', 'import', '--supplier', 'Kiln Works', '--file', file, '--map', 'sku', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--map/);
  });
});
