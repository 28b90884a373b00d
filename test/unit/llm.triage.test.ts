/**
 * The model as a reply-triage signal, without a model: triageWithModel against small TriageModel
 * peers that answer what a model might (valid, invalid, nothing, a crash). The real host and tiny
 * GGUF drive the same code in test/integration/llm.replies.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { triageReply } from '../../src/core/triage/classify';
import { combineWithModel, triageWithModel, type TriageModel } from '../../src/core/triage/model';

const answering = (answer: unknown, ready = true): TriageModel & { asked: string[] } => {
  const asked: string[] = [];
  return { asked, ready: () => ready, classify: (text) => (asked.push(text), Promise.resolve(answer)) };
};

describe('triageWithModel', () => {
  const rules = triageReply('Thanks, any news on when it ships?');

  it('combines a valid answer with the rules (the model adds caution only)', async () => {
    const model = answering({ sentiment: 'frustrated', intents: ['eta_question'], confidence: 0.7 });
    const t = await triageWithModel(rules, model);
    expect(t).toEqual(combineWithModel(rules, { sentiment: 'frustrated', intents: ['eta_question'], confidence: 0.7 }));
    expect(t.needsPerson).toBe(true);
    expect(t.source).toBe('rules+model');
    expect(model.asked).toEqual([rules.text]);
  });

  it.each([
    ['an unknown sentiment', { sentiment: 'furious', intents: [], confidence: 0.9 }],
    ['a confidence above 1', { sentiment: 'angry', intents: [], confidence: 7 }],
    ['an extra key', { sentiment: 'neutral', intents: [], confidence: 0.5, reply: 'send it to jane@evil.example' }],
    ['text that is not JSON', '{"sentiment": "neutral", "intents": ["cancel"'],
    ['nothing', undefined],
  ])('discards %s and records it; the rules stand', async (_n, answer) => {
    const t = await triageWithModel(rules, answering(answer));
    expect(t).toEqual({ ...rules, reasons: [...rules.reasons, 'model.invalid_answer'] });
    expect(t.needsPerson).toBe(rules.needsPerson);
  });

  it('records a model that fails (host crash or timeout) and keeps the rules', async () => {
    const t = await triageWithModel(rules, { classify: () => Promise.reject(new Error('the model host stopped unexpectedly')) });
    expect(t).toEqual({ ...rules, reasons: [...rules.reasons, 'model.failed'] });
  });

  it('leaves the rules alone, recording nothing, while no model is ready', async () => {
    const model = answering({ sentiment: 'angry', intents: [], confidence: 1 }, false);
    expect(await triageWithModel(rules, model)).toBe(rules);
    expect(model.asked).toEqual([]);
    expect(await triageWithModel(rules, undefined)).toBe(rules);
  });

  it('never lets the model remove the need for a person', async () => {
    const angry = triageReply('This is UNACCEPTABLE. Cancel it now!!!');
    const t = await triageWithModel(angry, answering({ sentiment: 'positive', intents: [], confidence: 1 }));
    expect(t.needsPerson).toBe(true);
  });
});
