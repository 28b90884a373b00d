/**
 * Generation of a flat JSON object of string fields (a draft's `{"subject":…,"body":…}`) on one
 * context sequence, with the object's fixed text written rather than sampled — "jump-forward"
 * decoding, as constrained-decoding engines do it (SGLang's compressed finite-state machine is the
 * known example).
 *
 * Why: under a grammar of the whole object, the braces, keys, colons and separators are the only text
 * the grammar allows at their place, so sampling them is wasted work, and costly work: node-llama-cpp
 * samples first without the grammar and, when that token is refused (as it mostly is where the
 * grammar forces a character), runs llama.cpp's grammar over the whole vocabulary and samples again.
 * On the tiny test model that made the grammar cost a third of the generation time.
 *
 * How: the fixed text before each value (`{"subject":`, `,"body":`) is tokenized and evaluated as
 * one batch; the value itself is sampled under the JSON-schema grammar of that property (its
 * `maxLength` included), from its opening quote to its closing one — written rather than sampled
 * when the value has reached its `maxLength`, where the grammar allows nothing else; the closing `}`
 * is appended.
 * Every sampled token passes the grammar, the fixed text is the schema's own, so the answer is the
 * schema's object — and the caller still parses and validates it as untrusted text.
 *
 * Public node-llama-cpp 3.21.1 API only: `LlamaContextSequence.evaluate` (its iterator yields each
 * sampled token before evaluating it) and `LlamaGrammarEvaluationState`.
 */
import { LlamaGrammarEvaluationState, type LlamaContextSequence, type LlamaGrammar, type LlamaModel, type Token } from 'node-llama-cpp';
import type { PlainSchedule } from './protocol';

/** One generation's answer and what it cost. */
export interface Generated {
  /** The answer's text (the JSON object, or what was generated before a stop). */
  text: string;
  /** Tokens sampled from the model, per value (one entry per field reached). */
  sampledPerField: number[];
  /** Indexes of the values that reached their maxLength, whose closing quote was written. */
  boundedFields: number[];
  /** Tokens of fixed text inserted without sampling (zero for {@link generatePlain}). */
  insertedTokens: number;
  /** Prompt tokens evaluated (those the sequence did not hold already). */
  promptTokens: number;
  /** Why generation ended: the object closed, `maxTokens` sampled, or the model's end token. */
  stop: 'complete' | 'maxTokens' | 'end';
}

/** Sampling options, as node-llama-cpp takes them. */
export interface SamplingOptions {
  /** Most tokens to sample in all (inserted ones do not count). */
  maxTokens: number;
  temperature: number;
  seed: number;
}

/**
 * A string property of the object: its key, and a pristine evaluation state of its JSON-schema
 * grammar (a quoted string), cloned for each answer — a clone copies the parsed grammar, where a new
 * state parses the GBNF again (0.7 ms for a 960-character bound).
 */
export interface StringField {
  key: string;
  start: LlamaGrammarEvaluationState;
  /** The schema's maxLength of the value, when it has one. */
  maxLength: number | null;
}

/** The {@link StringField} of `key` under `grammar`, made from the JSON schema of the value. */
export function stringField(model: LlamaModel, key: string, grammar: LlamaGrammar, maxLength: number | null): StringField {
  return { key, start: new LlamaGrammarEvaluationState({ model, grammar }), maxLength };
}

/**
 * The fixed text before field `i`: `{"subject":` or `,"body":` — compact JSON, with no space after
 * the colon. A trailing space would leave the evaluated text ending on a lone space token, which a
 * real model rarely sees before a quote (its tokenizer writes ` "` as one token, and the value's
 * grammar allows no space before the opening quote).
 */
export function fixedTextBefore(key: string, i: number): string {
  return `${i === 0 ? '{' : ','}${JSON.stringify(key)}:`;
}

/**
 * Makes the sequence hold a prefix of `prompt` (reusing what it already holds, so a shared system
 * message is evaluated once per sequence) and returns the tokens still to evaluate — at least the
 * last one, whose logits the first sample needs.
 */
async function tokensToEvaluate(seq: LlamaContextSequence, prompt: readonly Token[]): Promise<Token[]> {
  try {
    await seq.adaptStateToTokens([...prompt], false);
  } catch {
    // A model whose state cannot be partly erased (recurrent ones): start the sequence afresh.
    await seq.clearHistory();
  }
  let from = seq.nextTokenIndex;
  if (from >= prompt.length) {
    await seq.eraseContextTokenRanges([{ start: prompt.length - 1, end: seq.nextTokenIndex }]);
    from = prompt.length - 1;
  }
  return prompt.slice(from);
}

/**
 * Each token's text, per model, detokenized once per token id rather than once per generated token.
 * It is read after a quote (`lastTokens`), so a SentencePiece word token keeps its leading space,
 * which counts towards a value's length. A token that ends inside a character split over several
 * tokens (a byte token, a byte-level BPE piece) reads with a trailing U+FFFD alone: see
 * {@link ValueText}, which reads such runs together.
 */
const pieces = new WeakMap<LlamaModel, { after: Token[]; byToken: Map<Token, string> }>();

function piecesOf(model: LlamaModel): { after: Token[]; byToken: Map<Token, string> } {
  let perModel = pieces.get(model);
  if (!perModel) {
    perModel = { after: model.tokenize('"', false, 'trimLeadingSpace'), byToken: new Map() };
    pieces.set(model, perModel);
  }
  return perModel;
}

function pieceOf(model: LlamaModel, token: Token): string {
  const perModel = piecesOf(model);
  let piece = perModel.byToken.get(token);
  if (piece === undefined) {
    piece = model.detokenize([token], false, perModel.after);
    perModel.byToken.set(token, piece);
  }
  return piece;
}

/**
 * Tracks one JSON string value across tokens: whether it has opened, where its closing quote is,
 * and its length in the grammar's units — a character, or an escape sequence (`\n`, `\u00e9`) as
 * one, which is how node-llama-cpp's string rule counts `maxLength`.
 * @internal exported for its unit test
 */
export class StringValue {
  private open = false;
  /** 0: not in an escape; -1: just after the backslash; n > 0: hex digits of `\u` still to come. */
  private escape = 0;
  private units = 0;

  constructor(private readonly maxLength: number | null) {}

  /** True once the value holds `maxLength` units: the grammar then allows only its closing quote. */
  get full(): boolean {
    return this.maxLength !== null && this.open && this.escape === 0 && this.units >= this.maxLength;
  }

  /** Feeds `text`; true when it closes the value (text after the quote is the grammar's whitespace). */
  closes(text: string): boolean {
    for (const c of text) {
      if (!this.open) {
        if (c === '"') this.open = true;
      } else if (this.escape === -1) {
        this.escape = c === 'u' ? 4 : 0;
        if (this.escape === 0) this.units++;
      } else if (this.escape > 0) {
        if (--this.escape === 0) this.units++;
      } else if (c === '\\') this.escape = -1;
      else if (c === '"') return true;
      else this.units++;
    }
    return false;
  }
}

/** What a detokenizer writes for bytes that are not (yet) a whole UTF-8 character. */
const REPLACEMENT = '\uFFFD';

/**
 * The text of a value's tokens as the grammar sees it, one whole character at a time. A character
 * split over several tokens reads as U+FFFD in each token alone; counted that way it would count
 * several times, and a value that reached its maxLength on such a token would get its closing quote
 * written after half a character (bytes the grammar never lets a quote follow, and U+FFFD in the
 * answer). So a token whose text ends in U+FFFD is held with the tokens after it until their text,
 * read together, ends on a whole character. (The grammar also takes a 4-byte sequence above U+10FFFF
 * as one character, which reads as four U+FFFD however it is split: it stays held until a whole
 * character or the closing quote follows — at the bound the grammar samples that quote itself.)
 * @internal exported for its unit test
 */
export class ValueText {
  private held: Token[] = [];

  constructor(private readonly model: LlamaModel) {}

  /** True while held tokens end inside a character: the value cannot be closed there. */
  get splitting(): boolean {
    return this.held.length > 0;
  }

  /** The text that `token` completes (its own, or a held run's), or null while it ends mid-character. */
  push(token: Token): string | null {
    if (this.held.length === 0) {
      const piece = pieceOf(this.model, token);
      if (!piece.endsWith(REPLACEMENT)) return piece;
    }
    this.held.push(token);
    // Read after a quote, as pieceOf reads one token.
    const text = this.model.detokenize(this.held, false, piecesOf(this.model).after);
    if (text.endsWith(REPLACEMENT)) return null;
    this.held = [];
    return text;
  }
}

/** The tokens of `text`, which must detokenize back to it exactly. */
function exactTokens(seq: LlamaContextSequence, text: string): Token[] {
  const tokens = seq.model.tokenize(text, false, 'trimLeadingSpace');
  const back = seq.model.detokenize(tokens);
  if (back !== text) throw new Error(`the model's tokenizer turns ${JSON.stringify(text)} into ${JSON.stringify(back)}`);
  return tokens;
}

/**
 * Generates `{"k1": "…", "k2": "…"}` for `fields` in order after `prompt`, each value sampled under
 * its own grammar, the text between them inserted.
 * @param prompt the whole prompt (chat template applied), as tokens
 * @throws Error when the tokenizer cannot spell the fixed text exactly; whatever node-llama-cpp throws
 */
export async function generateStringObject(
  seq: LlamaContextSequence,
  fields: readonly StringField[],
  prompt: readonly Token[],
  o: SamplingOptions,
): Promise<Generated> {
  const model = seq.model;
  const out: Token[] = [];
  const sampledPerField: number[] = [];
  const boundedFields: number[] = [];
  let sampled = 0;
  let inserted = 0;
  let pending = await tokensToEvaluate(seq, prompt);
  const promptTokens = pending.length;

  for (const [i, field] of fields.entries()) {
    // Spent on the values before: the next one is not begun, as its opening quote would be one more.
    if (sampled >= o.maxTokens) return done('maxTokens');
    const fixed = exactTokens(seq, fixedTextBefore(field.key, i));
    out.push(...fixed);
    inserted += fixed.length;
    const state = field.start.clone();
    const value = new StringValue(field.maxLength);
    const text = new ValueText(model);
    let n = 0;
    let closed = false;
    sampledPerField.push(0);
    const it = seq.evaluate([...pending, ...fixed], { temperature: o.temperature, seed: o.seed + i, grammarEvaluationState: state, yieldEogToken: true });
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) {
        const token = r.value;
        if (model.isEogToken(token)) return done('end');
        out.push(token);
        n++;
        sampled++;
        sampledPerField[i] = n;
        const piece = text.push(token);
        if (piece !== null && value.closes(piece)) {
          // Not evaluated yet: the next field's batch starts with it.
          pending = [token];
          closed = true;
          break;
        }
        // Never inside a split character: its remaining bytes are the only text the grammar allows.
        if (value.full && !text.splitting) {
          // At maxLength the grammar allows nothing but the closing quote: write it, do not sample it.
          const quote = exactTokens(seq, '"');
          out.push(...quote);
          inserted += quote.length;
          boundedFields.push(i);
          pending = [token, ...quote];
          closed = true;
          break;
        }
        if (sampled >= o.maxTokens) return done('maxTokens');
      }
    } finally {
      await it.return();
    }
    // The evaluation ended without closing the value (node-llama-cpp stopped generating).
    if (!closed) return done('end');
  }
  const close = exactTokens(seq, '}');
  out.push(...close);
  inserted += close.length;
  return done('complete');

  function done(stop: Generated['stop']): Generated {
    return { text: model.detokenize(out), sampledPerField, boundedFields, insertedTokens: inserted, promptTokens, stop };
  }
}

/**
 * Plain generation for the bench's baselines: no grammar, no stop on a closing quote, no checks,
 * either every token sampled one by one or on a {@link generateStringObject} answer's schedule.
 * @throws whatever node-llama-cpp throws
 */
export async function generatePlain(
  seq: LlamaContextSequence,
  schedule: PlainSchedule,
  prompt: readonly Token[],
  o: Omit<SamplingOptions, 'maxTokens'>,
): Promise<Generated> {
  const model = seq.model;
  const out: Token[] = [];
  let inserted = 0;
  let pending = await tokensToEvaluate(seq, prompt);
  const promptTokens = pending.length;
  const steps =
    schedule.kind === 'sampled'
      ? [{ fixed: [] as Token[], sample: schedule.tokens }]
      : schedule.keys.map((key, i) => ({
          fixed: [...(schedule.boundedFields.includes(i - 1) ? exactTokens(seq, '"') : []), ...exactTokens(seq, fixedTextBefore(key, i))],
          sample: schedule.sampledPerField[i] ?? 0,
        }));
  for (const [i, step] of steps.entries()) {
    if (step.sample === 0) break;
    out.push(...step.fixed);
    inserted += step.fixed.length;
    let n = 0;
    const it = seq.evaluate([...pending, ...step.fixed], { temperature: o.temperature, seed: o.seed + i, yieldEogToken: true });
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) {
        out.push(r.value);
        pending = [r.value];
        if (++n >= step.sample) break;
      }
    } finally {
      await it.return();
    }
  }
  return { text: model.detokenize(out), sampledPerField: [out.length - inserted], boundedFields: [], insertedTokens: inserted, promptTokens, stop: 'maxTokens' };
}
