/**
 * The watched EDI folder on a real temp folder and a real SQLite store: a file still being written
 * is left alone until its size and time stay the same for the stable wait, then imported once (by
 * content hash) and moved to processed/; the same bytes under another name are not imported again;
 * a file that is no X12 moves to failed/ with its error listed; a missing folder is reported. Through
 * the core, the setting starts the watch and a dropped 855 moves the backorder's ETA.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../src/main/app/core';
import { EdiFolderWatcher, listEdiFiles } from '../../src/main/eta/edi-watch';
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

  it('moves a file that is no X12 to failed/ and lists it with the reason; ignores other files; reports a missing folder', () => {
    let ms = 0;
    const w = new EdiFolderWatcher({ db: core.db, folder: () => folder, now: () => clock, nowMs: () => ms, stableMs: 10 });
    fs.writeFileSync(path.join(folder, 'notes.edi'), 'Hello, this is not an interchange.');
    fs.writeFileSync(path.join(folder, 'photo.jpg'), 'x');
    w.scan();
    ms += 20;
    const [e] = w.scan();
    expect(e).toMatchObject({ file: 'notes.edi', ok: false });
    expect(e!.error).toMatch(/notes\.edi/);
    expect(fs.existsSync(path.join(folder, 'failed', 'notes.edi'))).toBe(true);
    expect(fs.existsSync(path.join(folder, 'photo.jpg'))).toBe(true);
    expect(listEdiFiles(core.db)).toEqual([expect.objectContaining({ file: 'notes.edi', status: 'failed', movedTo: path.join(folder, 'failed', 'notes.edi') })]);
    // The same refused bytes again: straight to failed/, not tried a second time.
    fs.writeFileSync(path.join(folder, 'notes-again.edi'), 'Hello, this is not an interchange.');
    w.scan();
    ms += 20;
    expect(w.scan()).toEqual([expect.objectContaining({ file: 'notes-again.edi', ok: false, error: expect.stringMatching(/already handled as notes\.edi \(failed\)/) })]);
    expect(fs.existsSync(path.join(folder, 'failed', 'notes-again.edi'))).toBe(true);

    const gone = new EdiFolderWatcher({ db: core.db, folder: () => path.join(dir, 'nope'), now: () => clock });
    expect(gone.scan()).toEqual([]);
    expect(gone.folderProblem).toMatch(/nope: does not exist/);
  });
});

describe('EDI folder watch through the core', () => {
  it('the ediFolder setting starts the watch; a dropped 855 becomes a quote and the backorder ETA follows', async () => {
    core = createCore({ dbPath: path.join(dir, 'store.db'), now: () => clock, settings: { timezone: 'America/New_York' }, ediWatch: { pollMs: 20, stableMs: 60 } });
    await importMugStore(core);
    await call(core, 'suppliers.list', {});
    await call(core, 'scheduler.tick', {});
    expect(await call(core, 'eta.ediFiles', {})).toMatchObject({ folder: '', watching: false, files: [] });
    await call(core, 'settings.update', { ediFolder: folder });
    const seen: EdiFolderEvent[] = [];
    core.on('edi.imported', (e) => seen.push(e));
    fs.writeFileSync(path.join(folder, 'ack.855'), x855('20261125'));
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 5_000, interval: 20 });
    const status = await call(core, 'eta.ediFiles', {});
    expect(status).toMatchObject({ folder, watching: true, problem: null, files: [{ file: 'ack.855', status: 'imported', quotes: 1 }] });
    await vi.waitFor(() => expect(core.db.prepare('SELECT start_date FROM backorder_eta').pluck().get()).toBe('2026-11-25'), { timeout: 5_000, interval: 20 });
  });
});
