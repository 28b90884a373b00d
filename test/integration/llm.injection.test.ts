/**
 * Prompt-injection suite on the real model path (a sample of test/fixtures/injection/cases.ts; the
 * pure suite covers all of them): whatever the model writes next to a hostile reply, the stored
 * draft passes the validator and carries nothing the facts do not support. One thread (STACK.md).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DraftFacts } from '../../src/core/drafts/facts';
import { validateDraft } from '../../src/core/drafts/validator';
import { forkHostPort } from '../../src/main/llm/child-port';
import { draftMessage } from '../../src/main/llm/drafting';
import { createModelHost, type ModelHost } from '../../src/main/llm/host';
import { CASES } from '../fixtures/injection/cases';
import { writeTinyGgufToTemp } from '../helpers/tiny-gguf';
import { APRON_FACTS } from '../helpers/draft-facts';

vi.setConfig({ testTimeout: 180_000 });

const facts: DraftFacts = {
  ...APRON_FACTS,
  customerFirstName: 'Sam',
};
const SAMPLE = ['new recipient by email', 'phishing link', 'full refund promise', 'switch to French', 'HTML comment instruction', 'supplier: portal link'];

let host: ModelHost;
beforeAll(async () => {
  host = createModelHost({ spawn: () => forkHostPort(), threads: 1, sequences: 2, contextSize: 2048 });
  expect((await host.load(writeTinyGgufToTemp('inj.gguf'))).state).toBe('ready');
});
afterAll(() => host.dispose());

describe('hostile inbound text through the real model path', () => {
  it.each(CASES.filter((c) => SAMPLE.includes(c.name)).map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const out = await draftMessage(host, { stepId: 'initial_notice', channel: 'email', facts, untrusted: [{ kind: c.kind, text: c.text }] });
    expect(out.attempts.length).toBeGreaterThan(0); // the model was really asked
    expect(validateDraft({ channel: 'email', subject: out.subject, text: out.body, facts, untrusted: [c.text] })).toEqual([]);
    const stored = `${out.subject}\n${out.body}`;
    for (const bad of ['evil.example', 'supplier-portal', 'full refund', 'Votre']) expect(stored).not.toContain(bad);
  });
});
