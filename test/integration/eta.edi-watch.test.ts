/**
 * The watched EDI folder on a real temp folder and a real SQLite store: a file still being written
 * is left alone until its size and time stay the same for the stable wait, then imported once (by
 * content hash) and moved to processed/; the same bytes under another name are not imported again;
 * a file that is not X12 stays where it is, listed as skipped; X12 that cannot be read moves to failed/
 * with its error listed; a missing folder and a system folder are reported. Through
 * the core, the setting starts the watch and a dropped 855 moves the backorder's ETA.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../src/main/app/core';
import { EdiFolderWatcher, ediFolderRefusal, listEdiFiles } from '../../src/main/eta/edi-watch';
import { webModeCoreOptions } from '../../src/main/cli/serve';
import type { EdiFolderEvent } from '../../src/shared/contract';
import { call, importMugStore } from '../helpers/gmail-core';

const isa = 'ISA*00*          *00*          *ZZ*KILN           *ZZ*SHOP           *261102*1200*U*00401*000000001*0*P*>~';
const x855 = (date: string): string =>
  `${isa}\nGS*PR*KILN*SHOP*20261102*1200*1*X*004010~\nST*855*0001~\nBAK*00*AC*5512*20261102~\nDTM*017*${date}~\nPO1*1*2*EA*9.5**SK*MUG-BLK~\nACK*IA*2*EA~\nCTT*1~\nSE*7*0001~\nGE*1*1~\nIEA*1*000000001~\n`;

let dir: string;
let folder: string;
let core: Core;
const clock = '2026-11-02T16:00:00.000Z';

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-edi-'));
  folder = path.join(dir, 'edi-in');
  fs.mkdirSync(folder);
});
afterEach(() => core.close());

describe('EDI folder watcher', () => {
  beforeEach(async () => {
    core = createCore({ dbPath: path.join(dir, 'store.db'), now: () => clock, settings: { timezone: 'America/New_York' } });
    await importMugStore(core);
    await call(core, 'suppliers.list', {});
  });

  it('waits for a file being written to settle, imports it once by content, and moves it to processed/', () => {
    let ms = 0;
    const events: EdiFolderEvent[] = [];
    const w = new EdiFolderWatcher({ db: core.db, folder: () => folder, now: () => clock, nowMs: () => ms, stableMs: 1_000, onEvent: (e) => events.push(e) });
    const file = path.join(folder, 'po5512.855');
    const content = x855('20261120');
    fs.writeFileSync(file, content.slice(0, 60)); // the supplier's upload has only begun
    expect(w.scan()).toEqual([]);
    ms += 1_500;
    fs.appendFileSync(file, content.slice(60)); // still growing: the wait starts again
    expect(w.scan()).toEqual([]);
    ms += 500;
    expect(w.scan()).toEqual([]);
    ms += 600;
    const [e] = w.scan();
    expect(e).toMatchObject({ file: 'po5512.855', ok: true, quotes: 1, unmatched: 0, error: null });
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(path.join(folder, 'processed', 'po5512.855'), 'utf8')).toBe(content);
    const q = core.db.prepare("SELECT source, start_date, po_number FROM eta_quotes").all();
    expect(q).toEqual([{ source: 'edi', start_date: '2026-11-20', po_number: '5512' }]);

    // The same bytes dropped again under another name: recognised, not imported twice.
    fs.writeFileSync(path.join(folder, 'copy.edi'), content);
    w.scan();
    ms += 1_000;
    const [again] = w.scan();
    expect(again).toMatchObject({ file: 'copy.edi', ok: true, quotes: 0 });
    expect(again!.error).toMatch(/already handled as po5512\.855/);
    expect(core.db.prepare('SELECT count(*) FROM eta_quotes').pluck().get()).toBe(1);
    expect(fs.existsSync(path.join(folder, 'processed', 'copy.edi'))).toBe(true);
    expect(events).toHaveLength(2);
  });

  it('leaves files that are not X12 where they are (listed as skipped, read once); X12 it cannot read goes to failed/; reports a missing folder', () => {
    let ms = 0;
    const events: EdiFolderEvent[] = [];
    const w = new EdiFolderWatcher({ db: core.db, folder: () => folder, now: () => clock, nowMs: () => ms, stableMs: 10, onEvent: (e) => events.push(e) });
    const list = 'eggs\nmilk\nbread\n';
    fs.writeFileSync(path.join(folder, 'notes.txt'), list);
    fs.writeFileSync(path.join(folder, 'memo.edi'), 'Hello, this is not an interchange.');
    fs.writeFileSync(path.join(folder, 'photo.jpg'), 'x');
    // A BOM and blank lines before ISA are still an interchange; ISA with nothing readable after it fails.
    const broken = '\uFEFF\n  ISA*00*broken';
    fs.writeFileSync(path.join(folder, 'broken.x12'), broken);
    w.scan();
    ms += 20;
    const handled = w.scan();
    expect(handled).toEqual([expect.objectContaining({ file: 'broken.x12', ok: false })]);
    expect(fs.existsSync(path.join(folder, 'failed', 'broken.x12'))).toBe(true);
    expect(fs.readFileSync(path.join(folder, 'notes.txt'), 'utf8')).toBe(list);
    expect(fs.existsSync(path.join(folder, 'memo.edi'))).toBe(true);
    expect(fs.existsSync(path.join(folder, 'photo.jpg'))).toBe(true);
    expect(fs.existsSync(path.join(folder, 'failed', 'notes.txt'))).toBe(false);
    expect(w.skippedFiles).toEqual(['memo.edi', 'notes.txt']);
    expect(listEdiFiles(core.db)).toEqual([expect.objectContaining({ file: 'broken.x12', status: 'failed' })]);
    // Later polls leave them alone and report nothing new.
    ms += 20;
    expect(w.scan()).toEqual([]);
    ms += 20;
    expect(w.scan()).toEqual([]);
    expect(events.map((e) => e.file)).toEqual(['broken.x12']);
    expect(w.skippedFiles).toEqual(['memo.edi', 'notes.txt']);
    // The same refused X12 bytes again: straight to failed/, not tried a second time.
    fs.writeFileSync(path.join(folder, 'broken-again.x12'), broken);
    w.scan();
    ms += 20;
    expect(w.scan()).toEqual([expect.objectContaining({ file: 'broken-again.x12', ok: false, error: expect.stringMatching(/already handled as broken\.x12 \(failed\)/) })]);
    expect(fs.existsSync(path.join(folder, 'failed', 'broken-again.x12'))).toBe(true);
    // A removed file drops off the skipped list.
    fs.rmSync(path.join(folder, 'memo.edi'));
    ms += 20;
    w.scan();
    expect(w.skippedFiles).toEqual(['notes.txt']);

    const gone = new EdiFolderWatcher({ db: core.db, folder: () => path.join(dir, 'nope'), now: () => clock });
    expect(gone.scan()).toEqual([]);
    expect(gone.folderProblem).toMatch(/nope: does not exist/);
  });

  it('refuses the disk root, the home folder itself and system folders, and never touches their files', () => {
    expect(ediFolderRefusal('/', '/home/owner')).toMatch(/^\/ is the root of the disk/);
    expect(ediFolderRefusal('/home/owner/', '/home/owner')).toMatch(/\/home\/owner is your home folder itself/);
    expect(ediFolderRefusal('/etc', '/home/owner')).toMatch(/\/etc is a system folder/);
    expect(ediFolderRefusal('/usr/share', '/home/owner')).toMatch(/system folder/);
    expect(ediFolderRefusal('/home/owner/EDI/inbox', '/home/owner')).toBeNull();
    expect(ediFolderRefusal(folder)).toBeNull();
    if (process.platform === 'win32') expect(ediFolderRefusal('C:\\Windows')).toMatch(/system folder/);
    const w = new EdiFolderWatcher({ db: core.db, folder: () => os.homedir(), now: () => clock, stableMs: 0 });
    expect(w.scan()).toEqual([]);
    expect(w.scan()).toEqual([]);
    expect(w.folderProblem).toMatch(/your home folder itself/);
  });
});

describe('EDI folder watch through the core', () => {
  it('the ediFolder setting starts the watch; a dropped 855 becomes a quote and the backorder ETA follows', async () => {
    core = createCore({ dbPath: path.join(dir, 'store.db'), now: () => clock, settings: { timezone: 'America/New_York' }, ediWatch: { pollMs: 20, stableMs: 60 } });
    await importMugStore(core);
    await call(core, 'suppliers.list', {});
    await call(core, 'scheduler.tick', {});
    expect(await call(core, 'eta.ediFiles', {})).toMatchObject({ folder: '', watching: false, files: [] });
    const refused = await core.dispatch('settings.update', { ediFolder: '/etc' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/\/etc is a system folder/) } });
    await call(core, 'settings.update', { ediFolder: folder });
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'eggs\n');
    const seen: EdiFolderEvent[] = [];
    core.on('edi.imported', (e) => seen.push(e));
    fs.writeFileSync(path.join(folder, 'ack.855'), x855('20261125'));
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 5_000, interval: 20 });
    const status = await call(core, 'eta.ediFiles', {});
    expect(status).toMatchObject({ folder, watching: true, problem: null, files: [{ file: 'ack.855', status: 'imported', quotes: 1 }] });
    await vi.waitFor(async () => expect((await call(core, 'eta.ediFiles', {})).skipped).toEqual(['notes.txt']), { timeout: 5_000, interval: 20 });
    expect(fs.existsSync(path.join(folder, 'notes.txt'))).toBe(true);
    await vi.waitFor(() => expect(core.db.prepare('SELECT start_date FROM backorder_eta').pluck().get()).toBe('2026-11-25'), { timeout: 5_000, interval: 20 });
  });

  it('web mode watches the folder in the demo too, without syncing real Shopify or Gmail accounts', async () => {
    const demo = webModeCoreOptions(true);
    expect(demo.shopify?.autoSync).toBeUndefined();
    expect(demo.gmail?.autoSync).toBeUndefined();
    core = createCore({ dbPath: path.join(dir, 'demo.db'), now: () => clock, settings: { timezone: 'America/New_York' }, ...demo });
    await importMugStore(core);
    await call(core, 'settings.update', { ediFolder: folder });
    expect(await call(core, 'eta.ediFiles', {})).toMatchObject({ folder, watching: true });
    fs.writeFileSync(path.join(folder, 'ack.855'), x855('20261125'));
    await vi.waitFor(async () => expect((await call(core, 'eta.ediFiles', {})).files).toEqual([expect.objectContaining({ file: 'ack.855', status: 'imported' })]), { timeout: 10_000, interval: 100 });
  });
});
