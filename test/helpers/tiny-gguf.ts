/**
 * A dependency-free writer of a tiny GGUF v3 model for tests and the bench (../shared/STACK.md,
 * "A tiny GGUF for tests"): architecture `llama`, embedding 64, 2 layers, 1 attention head, context 2048,
 * seeded random F32 weights, a SentencePiece (`llama`) vocabulary with the 256 `<0xXX>` byte tokens
 * (llama.cpp aborts with std::out_of_range without them), ChatML special tokens and a ChatML
 * `tokenizer.chat_template` so node-llama-cpp picks its ChatML wrapper.
 *
 * The weights are random, so the model writes gibberish, but through the real llama.cpp path
 * (tokenizer, chat template, grammar sampling, context sequences). Deliberate biases keep that
 * gibberish printable and word-shaped: residual dimension 0 carries a constant that no layer writes
 * to; the output rows of byte and control tokens weigh it strongly negative, so those tokens are
 * never sampled unless a grammar leaves nothing else (the end token after `}`), and the rows of
 * whole-word tokens weigh it positive (WHOLE_WORD_WEIGHT). The vocabulary holds the prompts' words
 * (WORDS), so prompts take about as many tokens as with a real tokenizer. (A small positive weight
 * on the `"` token to end strings early had no visible effect: the strings run to the schema's
 * maxLength, as a long real draft would.)
 *
 * Format source: the GGUF specification (ggml-org/ggml docs/gguf.md): little-endian header "GGUF",
 * version 3, tensor count and metadata count as u64, metadata key/value pairs, tensor infos, then
 * tensor data aligned to `general.alignment` (32).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const enum T {
  U32 = 4,
  I32 = 5,
  F32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}

type Meta =
  | { t: T.U32 | T.I32 | T.F32; v: number }
  | { t: T.BOOL; v: boolean }
  | { t: T.STRING; v: string }
  | { t: T.ARRAY; of: T.STRING; v: string[] }
  | { t: T.ARRAY; of: T.F32 | T.I32; v: number[] };

class Writer {
  private chunks: Buffer[] = [];
  size = 0;
  private push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
  }
  u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  i32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    this.push(b);
  }
  u64(n: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  f32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    this.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  raw(b: Buffer): void {
    this.push(b);
  }
  pad(align: number): void {
    const n = (align - (this.size % align)) % align;
    if (n) this.push(Buffer.alloc(n));
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeMeta(w: Writer, key: string, m: Meta): void {
  w.str(key);
  w.u32(m.t);
  switch (m.t) {
    case T.U32:
      w.u32(m.v);
      break;
    case T.I32:
      w.i32(m.v);
      break;
    case T.F32:
      w.f32(m.v);
      break;
    case T.BOOL:
      w.raw(Buffer.from([m.v ? 1 : 0]));
      break;
    case T.STRING:
      w.str(m.v);
      break;
    case T.ARRAY:
      w.u32(m.of);
      w.u64(m.v.length);
      if (m.of === T.STRING) for (const s of m.v as string[]) w.str(s);
      else if (m.of === T.F32) for (const n of m.v as number[]) w.f32(n);
      else for (const n of m.v as number[]) w.i32(n);
      break;
  }
}

/** Seeded PRNG (mulberry32) so every run writes the same model. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

// Words (and, through their prefixes, the merges that reach them) so text is not one token per letter.
// The list covers the words of the drafting prompts, the composer's drafts and the triage and
// extraction prompts, in lower case and capitalised (sentence starts, names); capitalised also
// without the word-start mark (a word after a quote, a line break or an escaped one in JSON has none). With it the drafting
// prompt takes about as many tokens as a real model's tokenizer gives it (Llama 2's 32k vocabulary,
// ../shared/models/llama-2-tiny-random.gguf: 429 and 455 tokens for the bench's user message), not twice as
// many: prompt length is what the tiny model's generation time grows with, so the bench and the tests
// see a realistic prompt, not a letter-by-letter one.
const WORDS = (
  'the a an and or of to in on at by for from with as is are be was it its this that these those not no you your we our us ' +
  'they them their he she his her if when then than so but only never always each every any all more most less one two ' +
  'order orders item items stock status update updates next customer customers message messages draft write writes written ' +
  'email sms subject body facts fact rules rule words word date dates range ship ships shipping shipped estimate expected ' +
  'back backorder backordered supplier reply replies text quoted data instructions instruction follow link links url offer ' +
  'offers refund discount phone number numbers name names store thanks thank please hi there friendly direct short json ' +
  'string strings block label labelled language english first time vip loyal loyalty days week weeks between and confirmed ' +
  'cancel full right free way step notice initial restock tracking alternative reason changed still out will would can may ' +
  'must should do does say says said give tell keep use used what which who how why where about after before within ' +
  'address allow answer anything apologize arrives away being change changes checking comes company compensation copy ' +
  'correct costs credit current exactly expect faster firmer follows gift given good happens has have here know let ' +
  'letting lines loop moved new news none nothing now online option options ordered other otherwise outside patience person ' +
  'promised recipient rephrase replying revised segments send shipment shop single small someone something soon sooner stand ' +
  'state switch team things times title transparent true false want just yet window delayed delay arrive arrived ' +
  'until answer mention current quantity quantities month months today tomorrow again sorry help question questions ' +
  'also well get got see look looking forward wait waiting ready soon packing packed port sent receive received ' +
  'classify classification extract field fields sentiment intent intents confidence positive neutral frustrated angry ' +
  'call other eta unknown found value values mail written outside shop instructions never data ' +
  "we'll we're it's you've you'll here's don't can't won't " +
  'mug black white apron linen oat enamel ' +
  'monday tuesday wednesday thursday friday saturday sunday ' +
  'january february march april may june july august september october november december ' +
  'jan feb mar apr jun jul aug sep oct nov dec'
).split(' ');
/** Words that also start a sentence or follow a quote; names of days and months. */
const capitalised = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
/** Upper-case words of the prompts (block labels, abbreviations). */
const UPPER = ['BEGIN', 'END', 'CUSTOMER', "CUSTOMER'S", 'SUPPLIER', "SUPPLIER'S", 'REPLY', 'MAIL', 'JSON', 'SMS', 'ETA', 'UPS', 'FTC', 'URL'];

/**
 * Output weight of the constant residual dimension for whole-word tokens: the gibberish then comes in
 * words, about 5 characters a token as real English text does with a real tokenizer, not in word
 * fragments of 2 or 3 (which would make a draft cost twice the tokens a real model spends on it).
 * Smaller weights (3, 5) were tried and left the fragments winning.
 */
const WHOLE_WORD_WEIGHT = 10;

/** Token types of the llama vocabulary (llama.cpp `llama_token_type`). */
const NORMAL = 1;
const UNKNOWN = 2;
const CONTROL = 3;
const BYTE = 6;

function vocabulary(): { tokens: string[]; types: number[]; scores: number[]; whole: Set<number> } {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [UNKNOWN, CONTROL, CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(BYTE);
  }
  tokens.push('<|im_start|>', '<|im_end|>');
  types.push(CONTROL, CONTROL);
  const normal = new Set<string>(['\u2581']);
  for (let c = 0x21; c < 0x7f; c++) {
    normal.add(String.fromCharCode(c));
    normal.add(`\u2581${String.fromCharCode(c)}`);
  }
  const chain = (piece: string): void => {
    for (let i = 2; i <= piece.length; i++) normal.add(piece.slice(0, i));
  };
  for (const word of WORDS) {
    chain(`\u2581${word}`);
    chain(`\u2581${capitalised(word)}`);
    chain(capitalised(word));
  }
  for (const word of UPPER) {
    chain(`\u2581${word}`);
    chain(word);
  }
  for (const t of normal) {
    tokens.push(t);
    types.push(NORMAL);
  }
  // Longer pieces score higher so merges prefer them (SentencePiece BPE picks the best-scored pair).
  const scores = tokens.map((t, i) => (types[i] === NORMAL ? -100 + t.length : 0));
  const words = new Set(WORDS.flatMap((w) => [`\u2581${w}`, `\u2581${capitalised(w)}`]));
  const whole = new Set(tokens.flatMap((t, i) => (words.has(t) ? [i] : [])));
  return { tokens, types, scores, whole };
}

/** Options of the generated model; the defaults follow STACK.md. */
export interface TinyGgufOptions {
  seed?: number;
  embedding?: number;
  layers?: number;
  heads?: number;
  contextLength?: number;
  /**
   * Weight, on the constant dimension, of the output rows of the byte tokens of non-ASCII bytes
   * (`<0x80>` to `<0xFF>`): by default strongly negative, as for every token that is not a normal
   * one, so they are never sampled. A positive one makes the model write non-ASCII characters byte
   * by byte, each split over two to four tokens (as a real SentencePiece model writes a character
   * outside its vocabulary), so that splitting can be tested.
   */
  nonAsciiByteWeight?: number;
}

/**
 * Writes the tiny model to `file` and returns its path. Deterministic for equal options.
 * @throws whatever fs throws when the file cannot be written
 */
export function writeTinyGguf(file: string, opts: TinyGgufOptions = {}): string {
  const nEmbd = opts.embedding ?? 64;
  const nLayer = opts.layers ?? 2;
  // One head, not STACK.md's four: on the CPU backend a generated token's attention costs per head and
  // per position held (about 0.2 ms a head at 700 positions here, measured with llama_perf), which
  // with four heads made the tiny model's own compute the largest cost of a draft; the bench is meant
  // to show the drafting path's cost, and a faster raw generation only makes its overhead look larger.
  const nHead = opts.heads ?? 1;
  const nCtx = opts.contextLength ?? 2048;
  const nFf = nEmbd * 2;
  const rand = rng(opts.seed ?? 42);
  const { tokens, types, scores, whole } = vocabulary();
  const nVocab = tokens.length;
  const imEnd = tokens.indexOf('<|im_end|>');

  const gauss = (std: number): number => {
    const u = Math.max(rand(), 1e-9);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand()) * std;
  };
  const tensors: { name: string; dims: number[]; data: Float32Array }[] = [];
  // dims in ggml order: ne0 (contiguous, the input dimension of a matrix) first.
  const add = (name: string, dims: number[], fill: (i: number) => number): void => {
    const n = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = fill(i);
    tensors.push({ name, dims, data });
  };
  // Dimension 0 of the residual stream holds a constant 4 from the embedding on; rows writing to it are zero.
  add('token_embd.weight', [nEmbd, nVocab], (i) => (i % nEmbd === 0 ? 30 : gauss(0.5)));
  for (let l = 0; l < nLayer; l++) {
    add(`blk.${l}.attn_norm.weight`, [nEmbd], () => 1);
    add(`blk.${l}.attn_q.weight`, [nEmbd, nEmbd], () => gauss(0.3));
    add(`blk.${l}.attn_k.weight`, [nEmbd, nEmbd], () => gauss(0.3));
    add(`blk.${l}.attn_v.weight`, [nEmbd, nEmbd], () => gauss(0.3));
    add(`blk.${l}.attn_output.weight`, [nEmbd, nEmbd], (i) => (Math.floor(i / nEmbd) === 0 ? 0 : gauss(0.3)));
    add(`blk.${l}.ffn_norm.weight`, [nEmbd], () => 1);
    add(`blk.${l}.ffn_gate.weight`, [nEmbd, nFf], () => gauss(0.3));
    add(`blk.${l}.ffn_up.weight`, [nEmbd, nFf], () => gauss(0.3));
    add(`blk.${l}.ffn_down.weight`, [nFf, nEmbd], (i) => (Math.floor(i / nFf) === 0 ? 0 : gauss(0.3)));
  }
  add('output_norm.weight', [nEmbd], () => 1);
  add('output.weight', [nEmbd, nVocab], (i) => {
    const token = Math.floor(i / nEmbd);
    if (i % nEmbd !== 0) return gauss(1);
    if (opts.nonAsciiByteWeight !== undefined && types[token] === BYTE && tokens[token]! >= '<0x80>') return opts.nonAsciiByteWeight;
    if (types[token] !== NORMAL) return -8;
    return whole.has(token) ? WHOLE_WORD_WEIGHT : 0;
  });

  const meta: [string, Meta][] = [
    ['general.architecture', { t: T.STRING, v: 'llama' }],
    ['general.name', { t: T.STRING, v: 'backorder-desk-tiny-test' }],
    ['general.alignment', { t: T.U32, v: 32 }],
    ['llama.context_length', { t: T.U32, v: nCtx }],
    ['llama.embedding_length', { t: T.U32, v: nEmbd }],
    ['llama.block_count', { t: T.U32, v: nLayer }],
    ['llama.feed_forward_length', { t: T.U32, v: nFf }],
    ['llama.attention.head_count', { t: T.U32, v: nHead }],
    ['llama.attention.head_count_kv', { t: T.U32, v: nHead }],
    ['llama.rope.dimension_count', { t: T.U32, v: nEmbd / nHead }],
    ['llama.attention.layer_norm_rms_epsilon', { t: T.F32, v: 1e-5 }],
    ['llama.vocab_size', { t: T.U32, v: nVocab }],
    ['tokenizer.ggml.model', { t: T.STRING, v: 'llama' }],
    ['tokenizer.ggml.tokens', { t: T.ARRAY, of: T.STRING, v: tokens }],
    ['tokenizer.ggml.scores', { t: T.ARRAY, of: T.F32, v: scores }],
    ['tokenizer.ggml.token_type', { t: T.ARRAY, of: T.I32, v: types }],
    ['tokenizer.ggml.bos_token_id', { t: T.U32, v: 1 }],
    ['tokenizer.ggml.eos_token_id', { t: T.U32, v: imEnd }],
    ['tokenizer.ggml.unknown_token_id', { t: T.U32, v: 0 }],
    ['tokenizer.ggml.add_bos_token', { t: T.BOOL, v: true }],
    ['tokenizer.ggml.add_eos_token', { t: T.BOOL, v: false }],
    ['tokenizer.chat_template', { t: T.STRING, v: CHATML_TEMPLATE }],
  ];

  const w = new Writer();
  w.raw(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(meta.length);
  for (const [k, m] of meta) writeMeta(w, k, m);
  let offset = 0;
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(0); // GGML_TYPE_F32
    w.u64(offset);
    offset += Math.ceil((t.data.byteLength) / 32) * 32;
  }
  w.pad(32);
  for (const t of tensors) {
    w.raw(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    w.pad(32);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, w.buffer());
  return file;
}

/** Writes the tiny model into a fresh temporary folder (one per call) and returns its path. */
export function writeTinyGgufToTemp(name = 'tiny.gguf', opts: TinyGgufOptions = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-gguf-'));
  return writeTinyGguf(path.join(dir, name), opts);
}
