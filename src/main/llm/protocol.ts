/**
 * The message protocol between the app and its model host process (a Node child process in CLI and
 * web mode, an Electron utilityProcess in the desktop app; both speak exactly this). Requests carry
 * an id; every request gets one reply with the same id. Plain JSON-compatible data only.
 */
import type { DraftRequest } from '../../core/llm/prompt';
import type { LoadedModel } from '../../shared/llm';


export type { LoadedModel };

/** How to load a model. */
export interface LoadOptions {
  /** Absolute path of the .gguf file. */
  path: string;
  /** CPU threads for generation. */
  threads: number;
  /** Parallel context sequences wanted; fewer are made when memory does not allow them. */
  sequences: number;
  /** Largest context per sequence, in tokens. */
  contextSize: number;
}

/** One generation of a draft: the prompt it answered, the raw answer, its tokens and wall time. */
export interface DraftAttempt {
  raw: string;
  /** The user message this answer was generated for (the first prompt, or the retry's). */
  user: string;
  /** Tokens of the answer: sampled, plus the JSON object's fixed text inserted (jump-forward.ts). */
  outputTokens: number;
  /** Of those, the tokens sampled for each value, in the answer's key order (subject, body). */
  sampledPerField: number[];
  /** Indexes of the values that reached their maxLength (their closing quote was written). */
  boundedFields: number[];
  /** Prompt tokens evaluated (those the sequence did not hold already). */
  inputTokens: number;
  /** Wall time of the generation, ms. */
  ms: number;
}

/** What a bench baseline generation replays (jump-forward.ts generatePlain). */
export type PlainSchedule =
  /** The answer's tokens sampled one by one, its fixed text included: plain autoregressive generation. */
  | { kind: 'sampled'; tokens: number }
  /**
   * The answer's own schedule: its fixed text evaluated as batches (with the closing quote of each
   * value in `boundedFields`), `sampledPerField[i]` tokens sampled per value.
   */
  | { kind: 'same'; keys: readonly string[]; sampledPerField: readonly number[]; boundedFields: readonly number[] };

/** Options of a draft request. */
export interface DraftOptions {
  maxTokens: number;
  temperature: number;
  seed: number;
}

export type HostRequest =
  | { id: number; op: 'load'; options: LoadOptions }
  | { id: number; op: 'unload' }
  | { id: number; op: 'draft'; request: DraftRequest; options: DraftOptions }
  | { id: number; op: 'json'; system: string; user: string; schema: JsonObjectSchema; maxTokens: number }
  | { id: number; op: 'raw'; system: string; user: string; schedule: PlainSchedule; seed: number };

/**
 * The JSON-schema subset passed to node-llama-cpp's grammar: strings (with lengths or an enum), bare
 * enums, numbers, arrays and objects. No `integer`: its grammar admits exponents (../shared/STACK.md).
 * Whatever the grammar allows, answers are validated in code.
 */
export type GrammarJsonSchema =
  | { type: 'string'; minLength?: number; maxLength?: number; enum?: readonly string[] }
  | { enum: readonly string[] }
  | { type: 'number'; minimum?: number; maximum?: number }
  | { type: 'array'; items: GrammarJsonSchema; minItems?: number; maxItems?: number }
  | JsonObjectSchema;

/** An object schema: the root of every answer. */
export interface JsonObjectSchema {
  type: 'object';
  properties: Readonly<Record<string, GrammarJsonSchema>>;
  required: readonly string[];
  additionalProperties?: false;
}

export type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** The transport to one host process, as seen from the app. */
export interface HostPort {
  send(message: HostRequest): void;
  onMessage(listener: (message: HostReply) => void): void;
  /** Called once when the process ends, for whatever reason. */
  onExit(listener: (info: { code: number | null; signal: string | null }) => void): void;
  /** Ends the process at once (SIGKILL where there are signals). */
  kill(): void;
  readonly pid: number | undefined;
}
