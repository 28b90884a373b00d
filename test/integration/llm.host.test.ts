/**
 * The real model path: a child process running node-llama-cpp 3.21.1 on a tiny GGUF this test
 * writes (test/helpers/tiny-gguf.ts), with one thread (STACK.md). The tiny model's weights are
 * random, so its drafts break rules: these tests check the machinery around it — grammar-shaped
 * answers, the check in the app, the retry, the composer fallback with its reason, crash and timeout
 * handling, lifecycle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { composeDraft } from '../../src/core/drafts/composer';
import type { DraftFacts } from '../../src/core/drafts/facts';
import { validateDraft } from '../../src/core/drafts/validator';
import type { DraftRequest } from '../../src/core/llm/prompt';
import { forkHostPort } from '../../src/main/llm/child-port';
import { draftMessage } from '../../src/main/llm/drafting';
import { sha256File } from '../../src/main/llm/hash';
import { createModelHost, type ModelHost } from '../../src/main/llm/host';
import { writeTinyGgufToTemp } from '../helpers/tiny-gguf';
import { APRON_FACTS } from '../helpers/draft-facts';

const facts: DraftFacts = {
  ...APRON_FACTS,
  quantityBackordered: 1,
  quantityOrdered: 1,
  customerFirstName: 'Sam',
};
const req: DraftRequest = { stepId: 'initial_notice', channel: 'email', facts };

// Generation on one thread of a shared 2-core machine: minutes, not the default 30 s, in the worst case.
vi.setConfig({ testTimeout: 180_000 });

let modelPath: string;
const hosts: ModelHost[] = [];
function host(extra: Parameters<typeof createModelHost>[0] extends infer O ? Partial<O> : never = {}): ModelHost {
  const h = createModelHost({ spawn: () => forkHostPort(), threads: 1, sequences: 2, contextSize: 2048, ...extra });
  hosts.push(h);
  return h;
}

beforeAll(() => {
  modelPath = writeTinyGgufToTemp('tiny-test.gguf');
});
afterAll(async () => {
  for (const h of hosts) await h.dispose();
});

describe('model host on a generated tiny GGUF', () => {
  it('loads the model and reports file, hash, threads and sequences', async () => {
    const h = host();
    expect(h.status().state).toBe('none');
    const seen: string[] = [];
    h.onStatus((s) => seen.push(s.state));
    const s = await h.load(modelPath);
    expect(s.state).toBe('ready');
    expect(s.model?.file).toBe('tiny-test.gguf');
    expect(s.model?.sha256).toBe(await sha256File(modelPath));
    expect(s.model?.threads).toBe(1);
    expect(s.model?.sequences).toBe(2);
    expect(seen).toEqual(['loading', 'ready']);
  });

  it('drafts through the grammar, refuses the random model’s drafts after one retry and falls back to the composer', async () => {
    const h = host();
    await h.load(modelPath);
    const out = await draftMessage(h, req);
    expect(out.attempts).toHaveLength(2);
    for (const a of out.attempts) {
      expect(a.raw.trimStart().startsWith('{')).toBe(true); // shaped by the JSON-schema grammar
      expect(a.outputTokens).toBeGreaterThan(0);
    }
    expect(out.modelSha256).toBeNull();
    expect(out.producedBy).toMatch(/^composer \(model failed: 2 attempt\(s\) refused; last: /);
    expect({ subject: out.subject, body: out.body }).toEqual(composeDraft('initial_notice', 'email', facts));
    expect(validateDraft({ channel: 'email', subject: out.subject, text: out.body, facts })).toEqual([]);
  });

  it('runs drafts in parallel on its context sequences', async () => {
    const h = host();
    await h.load(modelPath);
    const outs = await Promise.all([1, 2, 3, 4].map((i) => draftMessage(h, { ...req, facts: { ...facts, orderName: `#100${i}` } })));
    for (const [i, o] of outs.entries()) expect(o.body).toContain(`#100${i + 1}`);
  });

  it('reports a file that is not a model as failed, and drafting carries on with the composer', async () => {
    const bad = path.join(path.dirname(modelPath), 'not-a-model.gguf');
    fs.writeFileSync(bad, 'this is not a gguf file');
    const h = host();
    const s = await h.load(bad);
    expect(s.state).toBe('failed');
    expect(s.reason).toContain('not-a-model.gguf');
    const out = await draftMessage(h, req);
    expect(out.producedBy).toMatch(/^composer \(model failed: could not load/);
    expect(out.body).toBe(composeDraft('initial_notice', 'email', facts).body);
    // and the same host loads a good model afterwards
    expect((await h.load(modelPath)).state).toBe('ready');
  });

  it('survives the host process crashing mid-draft: failed with the reason, composer draft, reload works', async () => {
    const h = host();
    await h.load(modelPath);
    const pid = h.pid;
    expect(pid).toBeTypeOf('number');
    const pending = draftMessage(h, req);
    process.kill(pid!, 'SIGKILL');
    const out = await pending;
    expect(out.producedBy).toContain('the model host stopped unexpectedly (signal SIGKILL)');
    expect(out.body).toBe(composeDraft('initial_notice', 'email', facts).body);
    expect(h.status()).toMatchObject({ state: 'failed', reason: expect.stringContaining('SIGKILL') });
    expect((await h.load(modelPath)).state).toBe('ready');
    expect(h.pid).not.toBe(pid);
  });

  it('kills a host that times out and falls back to the composer', async () => {
    const h = host({ timeouts: { draftMs: 5 } });
    await h.load(modelPath);
    const pid = h.pid!;
    const out = await draftMessage(h, req);
    expect(out.producedBy).toContain('timed out');
    expect(h.status().state).toBe('failed');
    await new Promise((r) => setTimeout(r, 200));
    expect(() => process.kill(pid, 0)).toThrow(); // the process is gone
  });

  it('classifies and extracts with a grammar-constrained answer from the fixed choices', async () => {
    const h = host();
    await h.load(modelPath);
    const label = await h.classify('Where is my order?? This is taking forever.', ['positive', 'neutral', 'angry'], 'How does the customer feel?');
    expect(['positive', 'neutral', 'angry']).toContain(label);
    const fields = await h.extract('We expect to ship the aprons between Dec 3 and Dec 10.', { eta: 'the shipping date or range' });
    expect(Object.keys(fields)).toEqual(['eta']);
    expect(typeof fields.eta).toBe('string');
  });

  it('without a model, drafts are the composer’s, labelled plainly', async () => {
    const out = await draftMessage(host(), req);
    expect(out.producedBy).toBe('composer');
    expect(out.attempts).toEqual([]);
  });
});
