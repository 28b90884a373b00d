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
import { fixedTextBefore, generatePlain, generateStringObject, stringField, StringValue, ValueText, type StringField } from '../../src/main/llm/jump-forward';
import { APRON_FACTS } from '../helpers/draft-facts';
import { writeTinyGgufToTemp } from '../helpers/tiny-gguf';

vi.setConfig({ testTimeout: 120_000 });

let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;
let seq: LlamaContextSequence;
let prompt: Token[];

async function fields(schema: ReturnType<typeof draftJsonSchema>, on: LlamaModel = model): Promise<StringField[]> {
  const out: StringField[] = [];
  for (const [key, property] of Object.entries(schema.properties)) {
    out.push(stringField(on, key, await llama.createGrammarForJsonSchema(property), property.maxLength));
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
      expect(g.text.startsWith('{"subject":"')).toBe(true);
      expect(g.text).toContain('","body":"');
      // '{"subject":', ',"body":' and '}' were inserted, not sampled, and so was the closing quote
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

  it('samples no more than maxTokens when they run out as a value closes: the next value is not begun', async () => {
    const f = await fields(draftJsonSchema('email'));
    const whole = await generateStringObject(seq, f, prompt, { maxTokens: 400, temperature: 0.3, seed: 11 });
    const subjectTokens = whole.sampledPerField[0]!;
    // Same seed, same state: the same subject, which now spends every token allowed.
    const g = await generateStringObject(seq, f, prompt, { maxTokens: subjectTokens, temperature: 0.3, seed: 11 });
    expect(g.stop).toBe('maxTokens');
    expect(g.sampledPerField).toEqual([subjectTokens]);
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

describe('characters split over byte tokens', () => {
  // The tiny model made to write non-ASCII characters byte by byte (two to four byte tokens each), as
  // a real SentencePiece model writes a character outside its vocabulary. Same vocabulary, so the
  // same prompt tokens.
  let bytesModel: LlamaModel;
  let bytesContext: LlamaContext;
  beforeAll(async () => {
    bytesModel = await llama.loadModel({ modelPath: writeTinyGgufToTemp('bytes.gguf', { nonAsciiByteWeight: 12 }) });
    bytesContext = await bytesModel.createContext({ sequences: 1, threads: 1, contextSize: 2048 });
  });
  afterAll(async () => {
    await bytesContext?.dispose();
    await bytesModel?.dispose();
  });

  it('reads a character split over tokens once it is whole, and holds nothing else back', () => {
    const split = model.tokenize('\u2019', false, 'trimLeadingSpace');
    expect(split).toHaveLength(3); // E2 80 99: not in the vocabulary, so three byte tokens
    const text = new ValueText(model);
    expect(text.push(split[0]!)).toBeNull();
    expect(text.splitting).toBe(true);
    expect(text.push(split[1]!)).toBeNull();
    expect(text.push(split[2]!)).toBe('\u2019');
    expect(text.splitting).toBe(false);
    const [word] = model.tokenize(' order', false, 'trimLeadingSpace');
    expect(text.push(word!)).toBe(' order');
  });

  it('never writes a value’s closing quote inside a character; a value closed at its maxLength holds exactly maxLength characters', async () => {
    const seq = bytesContext.getSequence();
    let nonAscii = 0;
    let bounded = 0;
    try {
      for (const max of [3, 7, 12]) {
        const value = { type: 'string' as const, minLength: 1, maxLength: max };
        const f = await fields({ type: 'object', properties: { subject: value, body: value }, required: ['subject', 'body'] }, bytesModel);
        for (const seed of [1, 2, 3, 4, 5, 6]) {
          for (const temperature of [0.3, 1.5]) {
            const g = await generateStringObject(seq, f, prompt, { maxTokens: 200, temperature, seed });
            const at = `max ${max}, seed ${seed}, temperature ${temperature}: ${JSON.stringify(g.text)}`;
            expect(g.stop, at).toBe('complete');
            const values = Object.values(JSON.parse(g.text) as Record<string, string>);
            for (const i of g.boundedFields) {
              const v = values[i]!;
              // U+FFFD: bytes of a character cut by the written quote.
              expect(v.endsWith('\uFFFD'), at).toBe(false);
              // The grammar may let a 4-byte sequence outside Unicode through (one unit to it,
              // four U+FFFD here); only values without it are counted.
              if (!v.includes('\uFFFD')) expect([...v].length, at).toBe(max);
              bounded++;
            }
            nonAscii += [...values.join('')].filter((c) => c.codePointAt(0)! > 0x7f).length;
          }
        }
      }
    } finally {
      seq.dispose();
    }
    // The case is exercised: the model wrote split characters, and values met their bound.
    expect(nonAscii).toBeGreaterThan(50);
    expect(bounded).toBeGreaterThan(20);
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
