/**
 * The model through the contract, as the app uses it: download of the recommended model from a local
 * HTTP server (a generated tiny GGUF standing in, with its real hash), progress events, loading,
 * background redraft after a scheduler tick, `drafts.regenerate` with progress and cancel, and what
 * each stored draft records about its producer. One thread (STACK.md).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../src/main/app/core';
import type { DraftsProgress, ModelView } from '../../src/shared/llm';
import { ordersExport, productsExport, type VariantSpec } from '../helpers/shopify-csv';
import { writeTinyGgufToTemp } from '../helpers/tiny-gguf';
import { call } from '../helpers/core-calls';


const variants: VariantSpec[] = [
  // Available -3 with 3 units committed: none on hand, all three orders wait.
  { handle: 'enamel-mug', title: 'Enamel Mug', option: 'Black', sku: 'MUG-BLK', qty: -3, policy: 'continue', price: '18.00' },
];
const orders = ordersExport(
  Array.from({ length: 3 }, (_, i) => ({
    name: `#${1001 + i}`,
    id: 9001 + i,
    email: `c${i}@example.com`,
    billingName: `Customer ${i}`,
    createdAt: '2026-11-01 09:00:00 -0500',
    total: '18.00',
    lines: [{ qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }],
  })),
);

vi.setConfig({ testTimeout: 180_000 });

let server: http.Server;
let model: Buffer;
let core: Core;
let dir: string;

beforeAll(async () => {
  model = fs.readFileSync(writeTinyGgufToTemp('served.gguf'));
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': String(model.length) });
    res.end(model);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-llm-core-'));
  core = createCore({
    dbPath: path.join(dir, 'store.db'),
    now: () => '2026-11-02T16:00:00.000Z',
    settings: { storeName: 'Juniper Test Shop', fromAddress: 'Juniper Test Shop <hello@example.com>', timezone: 'America/New_York' },
    llm: {
      host: { threads: 1, sequences: 2, contextSize: 2048 },
      recommended: {
        name: 'tiny test model',
        file: 'tiny-recommended.gguf',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiny.gguf`,
        sha256: createHash('sha256').update(model).digest('hex'),
        sizeBytes: model.length,
      },
    },
  });
});
afterAll(async () => {
  core.close();
  await new Promise<void>((r) => server.close(() => r()));
});

function until<T>(core: Core, event: 'model.changed' | 'drafts.progress', done: (p: T) => boolean, seen: T[] = []): Promise<T[]> {
  return new Promise((resolve) => {
    const off = core.on(event, (p) => {
      seen.push(p as T);
      if (done(p as T)) {
        off();
        resolve(seen);
      }
    });
  });
}

describe('the local model through the contract', () => {
  it('starts with no model: status none, drafts by the composer', async () => {
    const v = await call(core, 'model.status', {});
    expect(v.state).toBe('none');
    expect(v.recommended.installed).toBe(false);
    expect(v.modelsDir).toBe(path.join(dir, 'models'));
    const r = await core.dispatch('drafts.regenerate', {});
    expect(r.ok ? null : r.error.code).toBe('UNAVAILABLE');
  });

  it('downloads the recommended model into the models folder with progress, then loads it', async () => {
    const events = until<ModelView>(core, 'model.changed', (v) => v.state === 'ready');
    const started = await call(core, 'model.download', {});
    expect(started.download.state).toBe('downloading');
    const seen = await events;
    expect(seen.some((v) => v.download.state === 'downloading')).toBe(true);
    expect(seen.some((v) => v.download.state === 'done')).toBe(true);
    const v = await call(core, 'model.status', {});
    expect(v.state).toBe('ready');
    expect(v.model?.path).toBe(path.join(dir, 'models', 'tiny-recommended.gguf'));
    expect(v.recommended.installed).toBe(true);
    expect(v.download).toMatchObject({ state: 'done', receivedBytes: model.length, totalBytes: model.length });
  });

  it('rewrites the drafts of a tick in the background and records the producer of each', async () => {
    await call(core, 'import.files', {
      files: [
        { name: 'orders_export.csv', content: orders },
        { name: 'products_export.csv', content: productsExport(variants) },
      ],
    });
    const progress = until<DraftsProgress>(core, 'drafts.progress', (p) => p.done === p.total && p.total > 0);
    const tick = await call(core, 'scheduler.tick', {});
    expect(tick.drafted).toBe(3);
    const seen = await progress;
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ total: 3, done: 3, cancelled: false });
    expect(last.fromModel + last.fallback + last.skipped).toBe(3);
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    const rows = core.db.prepare('SELECT produced_by AS p, model_sha256 AS h FROM messages').all() as { p: string; h: string | null }[];
    for (const r of rows) {
      // The random tiny model never writes a draft that passes the rules: each is the composer's, with the reason.
      expect(r.p).toMatch(/^composer \(model failed: /);
      expect(r.h).toBeNull();
    }
    const drafts = await call(core, 'drafts.list', { status: ['draft'] });
    for (const d of drafts) expect(d.violations).toEqual([]);
  }, 180_000);

  it('drafts.regenerate runs a batch with progress and stops on cancel', async () => {
    const ids = (await call(core, 'drafts.list', { status: ['draft'] })).map((d) => d.id);
    const off = core.on('drafts.progress', (p) => {
      if (p.done >= 1) void core.dispatch('drafts.cancelRegenerate', {});
    });
    const result = await call(core, 'drafts.regenerate', { ids });
    off();
    expect(result.cancelled).toBe(true);
    expect(result.done).toBeLessThan(ids.length);
    expect(result.done).toBeGreaterThanOrEqual(1);
    // and a full batch runs to the end
    const full = await call(core, 'drafts.regenerate', { ids });
    expect(full).toMatchObject({ total: ids.length, done: ids.length, cancelled: false });
  }, 180_000);

  it('keeps a person’s edit made while the batch ran', async () => {
    const [first] = await call(core, 'drafts.list', { status: ['draft'] });
    const batch = core.dispatch('drafts.regenerate', { ids: [first!.id] });
    await call(core, 'drafts.update', { id: first!.id, subject: 'My own subject', body: `${first!.body}\n\nP.S. written by a person.` });
    const r = await batch;
    expect(r.ok && r.value.skipped).toBe(1);
    const row = (await call(core, 'drafts.list', { status: ['draft'] })).find((d) => d.id === first!.id)!;
    expect(row.subject).toBe('My own subject');
  }, 60_000);

  it('loads a .gguf the owner picks, copying it into the models folder', async () => {
    const picked = writeTinyGgufToTemp('picked.gguf');
    const v = await call(core, 'model.load', { path: picked });
    expect(v.state).toBe('ready');
    expect(v.model?.path).toBe(path.join(dir, 'models', 'picked.gguf'));
    const missing = await call(core, 'model.load', { path: path.join(dir, 'nope.gguf') });
    expect(missing.state).toBe('failed');
    expect(missing.reason).toContain('does not exist');
  });
});
