/**
 * Jump-forward generation of a draft's JSON object (src/main/llm/jump-forward.ts) on the real
 * node-llama-cpp path: the tiny GGUF the tests write, one thread (STACK.md), in this process.
 * The model's weights are random, so what is checked is the shape the grammar and the inserted text
 * guarantee whatever the model samples, and the bookkeeping the bench relies on.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getLlama, LlamaChatSession, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';
import { draftJsonSchema } from '../../src/core/llm/output';
import { buildDraftPrompt } from '../../src/core/llm/prompt';
import { fixedTextBefore, generatePlain, generateStringObject, stringField, StringValue, type StringField } from '../../src/main/llm/jump-forward';
import { APRON_FACTS } from '../helpers/draft-facts';
import { writeTinyGgufToTemp } from '../helpers/tiny-gguf';

vi.setConfig({ testTimeout: 120_000 });

let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;
let seq: LlamaContextSequence;
let prompt: Token[];

async function fields(schema: ReturnType<typeof draftJsonSchema>): Promise<StringField[]> {
  const out: StringField[] = [];
  for (const [key, property] of Object.entries(schema.properties)) {
    out.push(stringField(model, key, await llama.createGrammarForJsonSchema(property), property.maxLength));
  }
  return out;
}

beforeAll(async () => {
  llama = await getLlama({ gpu: false, maxThreads: 1, build: 'never' });
  model = await llama.loadModel({ modelPath: writeTinyGgufToTemp('jump.gguf') });
  context = await model.createContext({ sequences: 1, threads: 1, contextSize: 2048 });
  seq = context.getSequence();
  const p = buildDraftPrompt({ stepId: 'initial_notice', channel: 'email', facts: APRON_FACTS });
  const wrapper = new LlamaChatSession({ contextSequence: seq, autoDisposeSequence: false }).chatWrapper;
  prompt = wrapper
    .generateContextState({ chatHistory: [{ type: 'system', text: p.system }, { type: 'user', text: p.user }, { type: 'model', response: [] }] })
    .contextText.tokenize(model.tokenizer);
});

afterAll(async () => {
  await context?.dispose();
  await model?.dispose();
  await llama?.dispose();
});

describe('generateStringObject', () => {
  it('answers the schema’s object: fixed text inserted, each value sampled under its grammar and within its maxLength', async () => {
    const schema = draftJsonSchema('email');
    for (const seed of [1, 2, 3]) {
      const g = await generateStringObject(seq, await fields(schema), prompt, { maxTokens: 400, temperature: 0.3, seed });
      expect(g.stop).toBe('complete');
      const parsed = JSON.parse(g.text) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(['subject', 'body']);
      expect(typeof parsed['subject']).toBe('string');
      expect((parsed['subject'] as string).length).toBeGreaterThan(0);
      expect((parsed['subject'] as string).length).toBeLessThanOrEqual(schema.properties['subject']!.maxLength);
      expect((parsed['body'] as string).length).toBeLessThanOrEqual(schema.properties['body']!.maxLength);
      expect(g.text.startsWith('{"subject": "')).toBe(true);
      expect(g.text).toContain('", "body": "');
      // '{"subject": ', ', "body": ' and '}' were inserted, not sampled, and so was the closing quote
      // of a value that reached its maxLength (the grammar allows nothing else there).
      const fixed = [fixedTextBefore('subject', 0), fixedTextBefore('body', 1), '}'].reduce((n, t) => n + model.tokenize(t, false, 'trimLeadingSpace').length, 0);
      const atBound = (['subject', 'body'] as const).filter((k) => (parsed[k] as string).length === schema.properties[k]!.maxLength).length;
      expect(g.insertedTokens).toBe(fixed + atBound);
      expect(g.boundedFields).toHaveLength(atBound);
      expect(g.sampledPerField).toHaveLength(2);
      expect(g.sampledPerField.every((n) => n > 1)).toBe(true);
    }
  });

  it('holds a value to a tight maxLength: the grammar, not the model, ends it', async () => {
    const schema = draftJsonSchema('email');
    const tight = {
      ...schema,
      properties: { subject: { type: 'string' as const, minLength: 1, maxLength: 12 }, body: { type: 'string' as const, minLength: 1, maxLength: 30 } },
    };
    const g = await generateStringObject(seq, await fields(tight), prompt, { maxTokens: 400, temperature: 0.3, seed: 7 });
    const parsed = JSON.parse(g.text) as { subject: string; body: string };
    expect(parsed.subject.length).toBeLessThanOrEqual(12);
    expect(parsed.body.length).toBeLessThanOrEqual(30);
    // The random model writes whole words without end; only the bound closed the values.
    expect(parsed.body.length).toBeGreaterThan(20);
  });

  it('stops at maxTokens with an unfinished object, which the caller refuses as JSON', async () => {
    const g = await generateStringObject(seq, await fields(draftJsonSchema('email')), prompt, { maxTokens: 5, temperature: 0.3, seed: 3 });
    expect(g.stop).toBe('maxTokens');
    expect(g.sampledPerField.reduce((a, b) => a + b, 0)).toBe(5);
    expect(() => JSON.parse(g.text)).toThrow();
  });

  it('evaluates only what the sequence does not hold: the same prompt again costs one token', async () => {
    const f = await fields(draftJsonSchema('sms'));
    await seq.clearHistory();
    const first = await generateStringObject(seq, f, prompt, { maxTokens: 40, temperature: 0.3, seed: 1 });
    const again = await generateStringObject(seq, f, prompt, { maxTokens: 40, temperature: 0.3, seed: 1 });
    expect(first.promptTokens).toBe(prompt.length);
    expect(again.promptTokens).toBe(1);
    // Same seed, same state: the same answer.
    expect(again.text).toBe(first.text);
  });
});

describe('StringValue', () => {
  it('counts a value in the grammar’s units, an escape sequence as one, and finds its closing quote', () => {
    const v = new StringValue(5);
    expect(v.closes('"ab')).toBe(false);
    expect(v.full).toBe(false);
    expect(v.closes('\\')).toBe(false); // a backslash alone: inside an escape, not full
    expect(v.closes('n\\u00')).toBe(false);
    expect(v.full).toBe(false); // 'a', 'b', '\n' and half of '\u00e9'
    expect(v.closes('e9')).toBe(false);
    expect(v.full).toBe(false); // four units
    expect(v.closes('\\"c')).toBe(false); // an escaped quote does not close
    expect(v.full).toBe(true);
    expect(new StringValue(null).closes('"x\\\\"')).toBe(true); // '\\' then the closing quote
  });
});

describe('generatePlain (the bench baselines)', () => {
  it('samples exactly the tokens asked, one by one or on an answer’s own schedule', async () => {
    const g = await generateStringObject(seq, await fields(draftJsonSchema('email')), prompt, { maxTokens: 400, temperature: 0.3, seed: 5 });
    const total = g.sampledPerField.reduce((a, b) => a + b, 0) + g.insertedTokens;
    const same = await generatePlain(
      seq,
      { kind: 'same', keys: ['subject', 'body'], sampledPerField: g.sampledPerField, boundedFields: g.boundedFields },
      prompt,
      { temperature: 0.3, seed: 5 },
    );
    // All but what ends the answer (the last value's written quote, the closing brace): nothing is
    // generated after them, so the full path never evaluates them either.
    expect(same.insertedTokens).toBe(g.insertedTokens - 1 - (g.boundedFields.includes(1) ? 1 : 0));
    expect(same.sampledPerField[0]).toBe(g.sampledPerField.reduce((a, b) => a + b, 0));
    const sampled = await generatePlain(seq, { kind: 'sampled', tokens: total }, prompt, { temperature: 0.3, seed: 5 });
    expect(sampled.insertedTokens).toBe(0);
    expect(sampled.sampledPerField[0]).toBe(total);
  });
});
