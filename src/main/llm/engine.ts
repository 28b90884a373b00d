/**
 * The model engine inside the host process: node-llama-cpp (3.21.1) with one model, one context and
 * a pool of context sequences, so several drafts generate in parallel in the same batch. CPU only.
 *
 * Lifecycle: `load` and `unload` take the lifecycle lock exclusively and dispose the previous
 * model's sequences, context and model in that order; drafts hold it shared. Each draft borrows a
 * sequence: the first attempt, then at most one retry asked afresh (the first prompt with the
 * problems appended, buildRetryUser), each a chat exchange rendered by the model's chat wrapper and
 * answered by jump-forward.ts (the JSON object's fixed text inserted, each value sampled under its
 * property's JSON-schema grammar). The sequence is given back with its state: only where a new
 * prompt's tokens differ from what the sequence holds is anything evaluated, so the system message
 * (the rules every draft shares) is evaluated once per sequence, and a retry evaluates only its
 * appended problems. Classification and extraction answers run through node-llama-cpp's chat session
 * with the grammar of their whole schema.
 *
 * The engine checks each answer (checkModelAnswer) only to decide whether to retry; the app checks
 * again and decides what is stored — it never trusts this process's verdict.
 */
import path from 'node:path';
import fs from 'node:fs';
import {
  getLlama,
  LlamaChatSession,
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
  type ChatWrapper,
  type Token,
} from 'node-llama-cpp';
import { buildDraftPrompt, buildRetryUser, type DraftRequest } from '../../core/llm/prompt';
import { checkModelAnswer, draftJsonSchema, draftMaxTokens } from '../../core/llm/output';
import type { Channel } from '../../shared/domain';
import { generatePlain, generateStringObject, stringField, type Generated, type StringField } from './jump-forward';
import { sha256File } from './hash';
import { LifecycleLock } from './lock';
import type { DraftAttempt, DraftOptions, GrammarJsonSchema, JsonObjectSchema, LoadedModel, LoadOptions, PlainSchedule } from './protocol';

interface Loaded {
  info: LoadedModel;
  model: LlamaModel;
  context: LlamaContext;
  free: LlamaContextSequence[];
  waiting: ((s: LlamaContextSequence) => void)[];
  grammars: Map<string, LlamaGrammar>;
  /** Resolved once per model: resolving it reads and test-renders the model's Jinja template. */
  chatWrapper: ChatWrapper | null;
  /** Per channel, the draft's string properties in answer order, with their grammars' start states. */
  draftFields: Partial<Record<Channel, StringField[]>>;
}

/** Thrown when a request needs a model and none is loaded. */
export class NoModelError extends Error {
  constructor() {
    super('No model is loaded.');
  }
}

export class Engine {
  private llama: Llama | null = null;
  private llamaThreads = 0;
  private loaded: Loaded | null = null;
  private readonly lock = new LifecycleLock();

  /**
   * Loads `options.path`, replacing the current model once its running drafts end.
   * @throws when the file is missing or not a model llama.cpp can load
   */
  load(options: LoadOptions): Promise<LoadedModel> {
    return this.lock.exclusive(async () => {
      await this.disposeLoaded();
      const stat = fs.statSync(options.path);
      const sha256 = await sha256File(options.path);
      if (!this.llama || this.llamaThreads !== options.threads) {
        await this.llama?.dispose();
        this.llama = await getLlama({ gpu: false, maxThreads: options.threads, build: 'never', logLevel: LlamaLogLevel.error });
        this.llamaThreads = options.threads;
      }
      const model = await this.llama.loadModel({ modelPath: options.path });
      const { context, sequences } = await this.createContext(model, options);
      const free = Array.from({ length: sequences }, () => context.getSequence());
      this.loaded = {
        info: {
          path: options.path,
          file: path.basename(options.path),
          sha256,
          sizeBytes: stat.size,
          threads: options.threads,
          sequences,
          contextSize: context.contextSize,
        },
        model,
        context,
        free,
        waiting: [],
        grammars: new Map(),
        chatWrapper: null,
        draftFields: {},
      };
      await this.prepare(this.loaded);
      return this.loaded.info;
    });
  }

  // Parallel sequences only where memory allows: node-llama-cpp sizes the context to free memory and
  // throws when even the minimum does not fit, so ask for fewer until it does.
  private async createContext(model: LlamaModel, o: LoadOptions): Promise<{ context: LlamaContext; sequences: number }> {
    let lastError: unknown;
    for (let n = Math.max(1, o.sequences); n >= 1; n = Math.floor(n / 2)) {
      try {
        const context = await model.createContext({
          sequences: n,
          threads: o.threads,
          contextSize: { min: Math.min(1024, o.contextSize), max: o.contextSize },
        });
        return { context, sequences: n };
      } catch (err) {
        lastError = err;
        if (n === 1) break;
      }
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }

  /**
   * Work every draft needs once per model, done while loading rather than in the first drafts:
   * resolving the chat wrapper (node-llama-cpp reads and test-renders the model's Jinja template,
   * hundreds of ms) and compiling the grammars of the drafts' properties.
   */
  private async prepare(l: Loaded): Promise<void> {
    const seq = l.free[0]!;
    const session = new LlamaChatSession({ contextSequence: seq, autoDisposeSequence: false });
    l.chatWrapper = session.chatWrapper;
    session.dispose({ disposeSequence: false });
    for (const channel of ['email', 'sms'] as const) {
      const schema = draftJsonSchema(channel);
      const fields: StringField[] = [];
      for (const [key, property] of Object.entries(schema.properties)) {
        fields.push(stringField(l.model, key, await this.grammar(l, `draft:${channel}:${key}`, property), property.maxLength));
      }
      l.draftFields[channel] = fields;
    }
  }

  /** Disposes the model (after running drafts end). */
  unload(): Promise<void> {
    return this.lock.exclusive(() => this.disposeLoaded());
  }

  private async disposeLoaded(): Promise<void> {
    const l = this.loaded;
    this.loaded = null;
    if (!l) return;
    for (const s of l.free) s.dispose();
    await l.context.dispose();
    await l.model.dispose();
  }

  /** Frees everything, the llama.cpp backend included. */
  async dispose(): Promise<void> {
    await this.unload();
    await this.llama?.dispose();
    this.llama = null;
  }

  private async grammar(l: Loaded, key: string, schema: GrammarJsonSchema): Promise<LlamaGrammar> {
    let g = l.grammars.get(key);
    if (!g) {
      // The schema type of createGrammarForJsonSchema is a deep generic; ours is the object-of-strings subset.
      g = await this.llama!.createGrammarForJsonSchema(schema as Parameters<Llama['createGrammarForJsonSchema']>[0]);
      l.grammars.set(key, g);
    }
    return g;
  }

  private acquire(l: Loaded): Promise<LlamaContextSequence> {
    const s = l.free.pop();
    if (s) return Promise.resolve(s);
    return new Promise((resolve) => l.waiting.push(resolve));
  }

  private release(l: Loaded, s: LlamaContextSequence): void {
    const next = l.waiting.shift();
    if (next) next(s);
    else l.free.push(s);
  }

  /**
   * Runs `fn` on a borrowed sequence. The sequence keeps its evaluated tokens for the next request
   * (prefix reuse); a failed run clears it, as its state is then unknown.
   */
  private withSequence<T>(fn: (l: Loaded, seq: LlamaContextSequence) => Promise<T>): Promise<T> {
    return this.lock.shared(async () => {
      const l = this.loaded;
      if (!l) throw new NoModelError();
      const seq = await this.acquire(l);
      try {
        return await fn(l, seq);
      } catch (err) {
        await seq.clearHistory().catch(() => undefined);
        throw err;
      } finally {
        this.release(l, seq);
      }
    });
  }

  /** The prompt of one chat exchange (system message, user message, the model's turn), as tokens. */
  private promptTokens(l: Loaded, system: string, user: string): Token[] {
    // Set by prepare() under the exclusive lock, before any request can hold the shared one.
    if (!l.chatWrapper) throw new Error('the model is not prepared');
    const { contextText } = l.chatWrapper.generateContextState({
      chatHistory: [
        { type: 'system', text: system },
        { type: 'user', text: user },
        { type: 'model', response: [] },
      ],
    });
    return contextText.tokenize(l.model.tokenizer);
  }

  /** A JSON answer constrained by `schema` (classification, extraction), through a chat session. */
  json(system: string, user: string, schema: JsonObjectSchema, maxTokens: number): Promise<string> {
    return this.withSequence(async (l, seq) => {
      const grammar = await this.grammar(l, `json:${JSON.stringify(schema)}`, schema);
      const session = new LlamaChatSession({
        contextSequence: seq,
        systemPrompt: system,
        autoDisposeSequence: false,
        ...(l.chatWrapper ? { chatWrapper: l.chatWrapper } : {}),
      });
      try {
        return await session.prompt(user, { grammar, maxTokens, temperature: 0, seed: 0 });
      } finally {
        session.dispose({ disposeSequence: false });
      }
    });
  }

  /** One draft: a first attempt and, if it breaks a rule, one retry told what to fix. */
  draft(req: DraftRequest, o: DraftOptions): Promise<DraftAttempt[]> {
    const prompt = buildDraftPrompt(req);
    return this.withSequence(async (l, seq) => {
      const fields = l.draftFields[req.channel];
      if (!fields) throw new Error(`no grammar for ${req.channel} drafts`);
      const maxTokens = Math.min(o.maxTokens, draftMaxTokens(req.channel));
      const attempt = async (user: string, seed: number): Promise<DraftAttempt> => {
        const t0 = performance.now();
        const g = await generateStringObject(seq, fields, this.promptTokens(l, prompt.system, user), { maxTokens, temperature: o.temperature, seed });
        return attemptOf(g, user, t0);
      };
      const first = await attempt(prompt.user, o.seed);
      const check = checkModelAnswer(first.raw, req);
      if (check.ok) return [first];
      const retry = buildRetryUser(prompt, check.violations.length ? check.violations : check.reason);
      return [first, await attempt(retry, o.seed + 1)];
    });
  }

  /**
   * The bench's baselines for a draft attempt: the same exchange's prompt, then plain generation
   * (jump-forward.ts generatePlain) — no grammar, no checks — of `schedule`.
   */
  raw(system: string, user: string, schedule: PlainSchedule, seed: number): Promise<DraftAttempt> {
    return this.withSequence(async (l, seq) => {
      const t0 = performance.now();
      const g = await generatePlain(seq, schedule, this.promptTokens(l, system, user), { temperature: 0.3, seed });
      return attemptOf(g, user, t0);
    });
  }
}

/** A generation as the protocol reports it; `t0` is when it started (performance.now(), ms). */
function attemptOf(g: Generated, user: string, t0: number): DraftAttempt {
  return {
    raw: g.text,
    user,
    ms: performance.now() - t0,
    inputTokens: g.promptTokens,
    outputTokens: g.sampledPerField.reduce((a, b) => a + b, 0) + g.insertedTokens,
    sampledPerField: g.sampledPerField,
    boundedFields: g.boundedFields,
  };
}
