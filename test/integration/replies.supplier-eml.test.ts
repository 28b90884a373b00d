/**
 * Supplier mail dropped as .eml files (`replies.import`, for a shop not on Gmail), end to end through
 * the core on a real SQLite file: the files are written to disk and read back as the CLI reads them;
 * a supplier's mail is routed by its address or domain, stored, read for ETA quotes by the Gmail
 * sync's reader, and the tick that follows moves the backorder's ETA range. Customer replies keep
 * their behaviour, unrelated mail is ignored, re-drops change nothing, and files that are not mail
 * are refused with their name while the rest of the import goes on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/app/core';
import { call, importMugStore } from '../helpers/gmail-core';
import { eml } from '../helpers/gmail-db';

const root = path.resolve(__dirname, '../..');
let dir: string;
let dbPath: string;
let core: Core;
let clock = '2026-11-02T16:00:00.000Z';

beforeEach(async () => {
  clock = '2026-11-02T16:00:00.000Z';
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-supplier-eml-'));
  dbPath = path.join(dir, 'store.db');
  core = createCore({
    dbPath,
    now: () => clock,
    settings: { storeName: 'Test Shop', fromAddress: 'Test <shop@example.com>', timezone: 'America/New_York' },
  });
  await importMugStore(core);
  await call(core, 'suppliers.list', {}); // "Kiln Works" from the products' Vendor
  await call(core, 'suppliers.update', { name: 'Kiln Works', emails: ['orders@kiln.example'], domains: ['kilnworks.example'], transitDays: 3, dateLocale: 'en-US' });
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a mail file into the test folder and returns its path. */
function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** `replies.import` of files on disk, as the CLI and the UI hand them over (base64 of the bytes). */
async function drop(...files: string[]): Promise<Awaited<ReturnType<typeof call<'replies.import'>>>> {
  return call(core, 'replies.import', { files: files.map((f) => ({ name: path.basename(f), content: fs.readFileSync(f).toString('base64') })) });
}

const eta = (): { start_date: string | null; end_date: string | null } =>
  core.db.prepare('SELECT start_date, end_date FROM backorder_eta').get() as { start_date: string | null; end_date: string | null };
const count = (sql: string): number => core.db.prepare(sql).pluck().get() as number;

const firstQuote = (): string =>
  writeFile('k1.eml', eml({ from: 'Kiln Works <orders@kiln.example>', subject: 'PO 5512 confirmation', date: 'Mon, 2 Nov 2026 10:00:00 -0500', messageId: '<k1@kiln.example>', body: 'Hello,\r\n\r\nPO 5512: MUG-BLK ships on Nov 16.\r\n\r\nKiln Works' }));
const delay = (): string =>
  writeFile('k2.eml', eml({
    from: 'orders@kiln.example', subject: 'Re: PO 5512 confirmation', date: 'Wed, 4 Nov 2026 09:00:00 -0500', messageId: '<k2@kiln.example>',
    body: 'Hi,\r\n\r\nSorry, MUG-BLK has been pushed back 2 weeks.\r\n\r\nOn Mon, Nov 2, 2026 at 10:00 AM Kiln Works <orders@kiln.example> wrote:\r\n> PO 5512: MUG-BLK ships on Nov 16.\r\n> Kiln Works',
  }));

describe('supplier mail dropped as .eml', () => {
  it('a quote, then a delay: stored and linked to the supplier, read for quotes, reported, and the ETA range moves', async () => {
    const r1 = await drop(firstQuote());
    expect(r1.files[0]).toMatchObject({ file: 'k1.eml', error: null });
    expect(r1.files[0]!.messages[0]).toMatchObject({ route: 'supplier', supplierMail: { supplierName: 'Kiln Works', quotes: 1, needPerson: 0, problems: [] } });
    expect(r1.files[0]!.messages[0]!.reason).toMatch(/from supplier Kiln Works/);
    const supplierId = String((await call(core, 'suppliers.list', {})).find((s) => s.name === 'Kiln Works')!.id);
    expect(core.db.prepare("SELECT source, kind, supplier_id, message_id FROM inbound_mail").all()).toEqual([{ source: 'eml', kind: 'supplier', supplier_id: supplierId, message_id: '<k1@kiln.example>' }]);
    const [q1] = await call(core, 'eta.quotes', {});
    expect(q1).toMatchObject({ source: 'email', sourceRef: '<k1@kiln.example>', sku: 'MUG-BLK', start: '2026-11-16', isShipDate: true, arrivalStart: '2026-11-19', poNumber: '5512', status: 'active' });
    expect(q1!.sentence).toBe('PO 5512: MUG-BLK ships on Nov 16.');
    // The import ran the tick, as a Gmail sync does: the range is the quoted arrival.
    expect(eta()).toMatchObject({ start_date: '2026-11-19', end_date: '2026-11-19' });

    clock = '2026-11-04T16:00:00.000Z';
    const r2 = await drop(delay());
    expect(r2.files[0]!.messages[0]!.supplierMail).toEqual({ supplierName: 'Kiln Works', quotes: 1, needPerson: 0, problems: [] });
    const quotes = await call(core, 'eta.quotes', {});
    // Quoted history (the old Nov 16) is not read as a new quote; the delay counts from the prior quote.
    expect(quotes[0]).toMatchObject({ sourceRef: '<k2@kiln.example>', rule: 'delay-relative', start: '2026-11-30', isShipDate: true, arrivalStart: '2026-12-03', status: 'active' });
    expect(quotes[1]).toMatchObject({ sourceRef: '<k1@kiln.example>', status: 'superseded' });
    expect(eta()).toMatchObject({ start_date: '2026-12-03', end_date: '2026-12-03' });
    expect(count("SELECT count(*) FROM backorder_events WHERE kind = 'eta_changed'")).toBe(1);
    // A later scheduler tick keeps the moved range.
    await call(core, 'scheduler.tick', {});
    expect(eta()).toMatchObject({ start_date: '2026-12-03', end_date: '2026-12-03' });
  });

  it('several files dropped at once are read oldest first, whatever order they come in', async () => {
    clock = '2026-11-04T16:00:00.000Z';
    const r = await drop(delay(), firstQuote());
    expect(r.files.map((f) => f.messages[0]!.supplierMail?.quotes)).toEqual([1, 1]);
    const [latest, first] = await call(core, 'eta.quotes', {});
    expect(first).toMatchObject({ sourceRef: '<k1@kiln.example>', start: '2026-11-16', status: 'superseded' });
    expect(latest).toMatchObject({ sourceRef: '<k2@kiln.example>', rule: 'delay-relative', start: '2026-11-30', status: 'active' });
    expect(eta()).toMatchObject({ start_date: '2026-12-03' });
  });

  it('re-dropping the same files changes nothing, with or without a Message-ID, routed or ignored', async () => {
    const noId = writeFile('no-id.eml', eml({ from: 'ship@eu.kilnworks.example', subject: 'Backorder', date: 'Mon, 2 Nov 2026 11:00:00 -0500', body: 'MUG-BLK will arrive by Nov 25.' }));
    const unrelated = writeFile('news.eml', eml({ from: 'news@somewhere.example', subject: 'Our autumn newsletter', date: 'Mon, 2 Nov 2026 12:00:00 -0500', messageId: '<n1@somewhere.example>', body: 'Ten tips for a tidy inbox.' }));
    const first = await drop(firstQuote(), noId, unrelated);
    // A subdomain of a supplier's domain is that supplier's mail too (route.ts).
    expect(first.files.map((f) => f.messages[0]!.route)).toEqual(['supplier', 'supplier', 'ignored']);
    expect(first.files[1]!.messages[0]!.supplierMail).toMatchObject({ supplierName: 'Kiln Works', quotes: 1 });
    expect(first.files[2]!.messages[0]!.supplierMail).toBeUndefined();
    const snapshot = (): unknown => ({
      mail: core.db.prepare('SELECT * FROM inbound_mail ORDER BY id').all(),
      quotes: core.db.prepare('SELECT * FROM eta_quotes ORDER BY id').all(),
      tasks: core.db.prepare('SELECT * FROM tasks ORDER BY id').all(),
      events: core.db.prepare('SELECT * FROM backorder_events ORDER BY id').all(),
    });
    const before = snapshot();
    expect(count('SELECT count(*) FROM inbound_mail')).toBe(3);

    clock = '2026-11-03T16:00:00.000Z';
    const again = await drop(firstQuote(), noId, unrelated);
    expect(again.files.map((f) => f.messages[0]!.route)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(again.files.every((f) => f.messages[0]!.supplierMail === undefined && f.error === null)).toBe(true);
    expect(again.files[0]!.messages[0]!.reason).toMatch(/^already imported/);
    expect(snapshot()).toEqual(before);
  });

  it('a low-confidence date becomes a task for a person, counted in the report', async () => {
    await call(core, 'suppliers.update', { name: 'Kiln Works', dateLocale: null });
    const r = await drop(writeFile('vague.eml', eml({ from: 'orders@kiln.example', subject: 'MUG-BLK', date: 'Fri, 6 Nov 2026 09:00:00 -0500', messageId: '<k9@kiln.example>', body: 'MUG-BLK should go out 03/04, we think.' })));
    expect(r.files[0]!.messages[0]!.supplierMail).toMatchObject({ quotes: 1, needPerson: 1 });
    const tasks = (await call(core, 'tasks.list', { status: 'open' })).filter((t) => t.kind === 'eta_low_confidence');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.reason).toMatch(/03\/04/);
  });
});

describe('customer replies and bad files keep their behaviour', () => {
  it('a customer reply is triaged as before: no supplier reading, the ETA range untouched', async () => {
    await drop(firstQuote());
    await call(core, 'scheduler.tick', {});
    const notice = (await call(core, 'drafts.list', {})).find((m) => m.orderName === '#1001')!;
    const before = { eta: eta(), quotes: count('SELECT count(*) FROM eta_quotes') };
    const reply = writeFile('ada.eml', eml({ from: 'Ada Lovelace <ada@example.com>', subject: 'Re: Order #1001', date: 'Tue, 3 Nov 2026 10:00:00 -0500', messageId: '<a1@mail.example>', inReplyTo: notice.messageId!, body: 'This is UNACCEPTABLE. I paid weeks ago!!!' }));
    const r = await drop(reply);
    const m = r.files[0]!.messages[0]!;
    expect(m).toMatchObject({ route: 'customer_reply', orderName: '#1001', sentiment: 'angry', needsPerson: true });
    expect(m.tasks.map((t) => t.kind)).toEqual(['negative_reply']);
    expect(m.supplierMail).toBeUndefined();
    expect({ eta: eta(), quotes: count('SELECT count(*) FROM eta_quotes') }).toEqual(before);
    // Dropped again: recognised, no second task.
    const again = await drop(reply);
    expect(again.files[0]!.messages[0]!.route).toBe('duplicate');
    expect(count("SELECT count(*) FROM tasks WHERE kind = 'negative_reply'")).toBe(1);
  });

  it('files that are not mail are refused with their name; the other files of the import and what was stored are kept', async () => {
    await drop(firstQuote());
    const pdf = writeFile('invoice.eml', Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'));
    const json = writeFile('export.json', '{"not": "a gmail message"}');
    const empty = writeFile('empty.eml', '');
    const r = await drop(pdf, delay(), json, empty);
    expect(r.files.map((f) => f.file)).toEqual(['invoice.eml', 'k2.eml', 'export.json', 'empty.eml']);
    expect(r.files[0]!.error).toMatch(/^invoice\.eml: not an email message/);
    expect(r.files[2]!.error).toMatch(/^export\.json: JSON without any Gmail message resource/);
    expect(r.files[3]!.error).toMatch(/^empty\.eml: not an email message/);
    expect(r.files[1]).toMatchObject({ error: null, messages: [expect.objectContaining({ route: 'supplier', supplierMail: expect.objectContaining({ quotes: 1 }) })] });
    expect(core.db.prepare('SELECT message_id FROM inbound_mail ORDER BY id').pluck().all()).toEqual(['<k1@kiln.example>', '<k2@kiln.example>']);
    expect((await call(core, 'eta.quotes', {})).map((q) => q.sourceRef)).toEqual(['<k2@kiln.example>', '<k1@kiln.example>']);
  });

  it('every file of the shared email corpus imports without a crash: messages, or an error naming the file', async () => {
    const corpus = '/work/shared/corpus/email';
    if (!fs.existsSync(corpus)) return;
    const files = fs.readdirSync(corpus, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
    expect(files.length).toBeGreaterThan(50);
    for (let i = 0; i < files.length; i += 50) {
      const r = await drop(...files.slice(i, i + 50));
      for (const f of r.files) {
        if (f.error) expect(f.error.startsWith(`${f.file}: `)).toBe(true);
        else expect(f.messages.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('backorder-desk replies import (CLI)', () => {
  it('prints what supplier mail gave: quotes and how many need a person', () => {
    core.close();
    const file = firstQuote();
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/main/cli/index.ts'), 'replies', 'import', file, '--db', dbPath, '--now', '2026-11-02T16:00:00Z'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/k1\.eml: supplier \(from supplier Kiln Works \(orders@kiln\.example\)\); supplier mail from Kiln Works: 1 quote\(s\), 0 need a person/);
    core = createCore({ dbPath, now: () => clock });
  });
});
