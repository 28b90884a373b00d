/**
 * LLM drafting figures for `npm run bench` (issue "Drafts written by a local model"); run alone with
 * `npx tsx bench/llm.ts`. `BENCH_LLM_DRAFTS` sets the number of drafts (default 100).
 *
 * The tiny generated GGUF (test/helpers/tiny-gguf.ts) in a host child process on one thread, two
 * context sequences, as the app runs it. Figures measured in the same run:
 * - the wall time of the drafts through the full drafting path (prompt building, grammar-constrained
 *   generation with the JSON object's fixed text inserted (src/main/llm/jump-forward.ts), the host's
 *   and the app's checks, the one retry, the fallback, storage in SQLite), two at a time (target
 *   < 30 s for 100);
 * - raw generation of the same tokens: every attempt's exact user message (first prompt or retry)
 *   after the same system message, then as many tokens as the attempt's answer has, sampled one by
 *   one, with no grammar, no checks and no storage — what generating that answer costs with nothing
 *   around it. Overhead = (full − raw) / raw (target ≤ 10%);
 * - a stricter second baseline: the answer's own schedule, its fixed text evaluated as batches at
 *   the same places and only the values' tokens sampled, so the saving of not sampling the fixed
 *   text is left out and what remains is the grammar, the checks, the prompts and the storage.
 * In both baselines a draft's attempts run in order, two drafts at a time on the same host. The
 * three alternate in chunks of LLM_BENCH_CHUNK drafts (full, its baselines, the next full…), so
 * load from other work on the shared machine weighs on all alike; the overhead is the median of the
 * chunks' overheads (a spike of load in one chunk does not decide it), printed with their range and
 * with the whole run's. Two-draft chunks: with ten-draft ones the median still moved between −1% and
 * 15% from run to run here; with two it stayed within a few points.
 * The random model's answers never pass the validator, so every draft costs two generations (the
 * retry) and ends as the composer's draft: the worst case of the path, not a shortcut.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { buildDraftPrompt, type DraftRequest } from '../src/core/llm/prompt';
import { forkHostPort } from '../src/main/llm/child-port';
import { draftMessage } from '../src/main/llm/drafting';
import { createModelHost } from '../src/main/llm/host';
import { writeTinyGgufToTemp } from '../test/helpers/tiny-gguf';
import { median } from '../src/core/median';

/** Drafts per chunk of the alternation between the full path and the baseline. */
const LLM_BENCH_CHUNK = 2;

/** Figures of one run; times in ms. */
export interface LlmBench {
  drafts: number;
  generations: number;
  inputTokens: number;
  outputTokens: number;
  /** Of the output tokens, those sampled (the rest is the JSON object's fixed text, inserted). */
  sampledTokens: number;
  fullMs: number;
  rawMs: number;
  /** The stricter baseline (the answers' own schedule). */
  sameScheduleMs: number;
  /** Overhead against raw generation, the median of the chunks' (full − raw) / raw. */
  overhead: number;
  /** The same against the stricter baseline. */
  overheadSameSchedule: number;
  fromModel: number;
}

/** Runs `n` drafts and their raw baseline; prints one line and returns the figures. */
export async function benchLlm(n = Number(process.env.BENCH_LLM_DRAFTS ?? 100)): Promise<LlmBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-bench-llm-'));
  const host = createModelHost({ spawn: () => forkHostPort(), threads: 1, sequences: 2, contextSize: 2048, timeouts: { draftMs: 600_000 } });
  try {
    const loaded = await host.load(writeTinyGgufToTemp('bench.gguf'));
    if (loaded.state !== 'ready') throw new Error(`bench model failed: ${loaded.reason}`);
    const db = new Database(path.join(dir, 'drafts.db'));
    db.exec('CREATE TABLE drafts (id INTEGER PRIMARY KEY, subject TEXT, body TEXT, produced_by TEXT)');
    const store = db.prepare('INSERT INTO drafts (subject, body, produced_by) VALUES (?, ?, ?)');
    const reqFor = (i: number): DraftRequest => ({
      stepId: 'initial_notice',
      channel: 'email',
      facts: {
        orderName: `#${2000 + i}`,
        itemName: 'Enamel Mug - Black',
        status: 'backordered',
        nextUpdate: 'by Friday, November 6',
        segments: [],
        storeName: 'Juniper & Pine',
        customerFirstName: 'Ada',
        etaStart: '2026-11-10',
        etaEnd: '2026-11-17',
      },
    });

    // Per draft, its attempts in order: the raw baseline replays them the same way (one draft's
    // attempts one after the other, so a retry finds its first prompt evaluated, as in the full path).
    const drafts: { user: string; inputTokens: number; outputTokens: number; sampledPerField: number[]; boundedFields: number[] }[][] = [];
    const system = buildDraftPrompt(reqFor(0)).system;
    let fromModel = 0;
    let fullMs = 0;
    let rawMs = 0;
    let sameScheduleMs = 0;
    // Per chunk, the full path against its baselines run right after it on the same drafts.
    const chunkOverheads: number[] = [];
    const chunkSameOverheads: number[] = [];
    /** Runs `work` for the drafts from..to-1, two at a time; returns the wall time in ms. */
    const twoAtATime = async (from: number, to: number, work: (i: number) => Promise<void>): Promise<number> => {
      let next = from;
      const t = performance.now();
      const worker = async (): Promise<void> => {
        for (let i = next++; i < to; i = next++) await work(i);
      };
      await Promise.all([worker(), worker()]);
      return performance.now() - t;
    };
    // Full path and baseline alternate in chunks, so a change in the machine's load (it is shared)
    // falls on both alike instead of on whichever ran second.
    for (let from = 0; from < n; from += LLM_BENCH_CHUNK) {
      const to = Math.min(n, from + LLM_BENCH_CHUNK);
      const chunkFull = await twoAtATime(from, to, async (i) => {
        const out = await draftMessage(host, reqFor(i));
        store.run(out.subject, out.body, out.producedBy);
        if (out.modelSha256) fromModel++;
        drafts[i] = out.attempts.map((a) => ({
          user: a.user,
          inputTokens: a.inputTokens,
          outputTokens: a.outputTokens,
          sampledPerField: a.sampledPerField,
          boundedFields: a.boundedFields,
        }));
      });
      const chunkRaw = await twoAtATime(from, to, async (i) => {
        for (const [j, a] of drafts[i]!.entries()) await host.raw(system, a.user, { kind: 'sampled', tokens: a.outputTokens }, i * 2 + j);
      });
      const chunkSame = await twoAtATime(from, to, async (i) => {
        for (const [j, a] of drafts[i]!.entries()) {
          await host.raw(system, a.user, { kind: 'same', keys: ['subject', 'body'], sampledPerField: a.sampledPerField, boundedFields: a.boundedFields }, i * 2 + j);
        }
      });
      fullMs += chunkFull;
      rawMs += chunkRaw;
      sameScheduleMs += chunkSame;
      chunkOverheads.push((chunkFull - chunkRaw) / chunkRaw);
      chunkSameOverheads.push((chunkFull - chunkSame) / chunkSame);
    }
    db.close();

    const attempts = drafts.flat();
    const r: LlmBench = {
      drafts: n,
      generations: attempts.length,
      inputTokens: attempts.reduce((a, b) => a + b.inputTokens, 0),
      outputTokens: attempts.reduce((a, b) => a + b.outputTokens, 0),
      sampledTokens: attempts.reduce((a, b) => a + b.sampledPerField.reduce((x, y) => x + y, 0), 0),
      fullMs,
      rawMs,
      sameScheduleMs,
      overhead: median(chunkOverheads),
      overheadSameSchedule: median(chunkSameOverheads),
      fromModel,
    };
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    const spread = (xs: number[]): string => `${pct(Math.min(...xs))} to ${pct(Math.max(...xs))}`;
    console.log(
      `LLM drafting: ${r.drafts} drafts (${r.generations} generations, ${r.outputTokens} output tokens of which ${r.sampledTokens} sampled and the rest ` +
        `the JSON object's fixed text, ${r.inputTokens} prompt tokens evaluated, ${r.fromModel} passed the validator) in ${(fullMs / 1000).toFixed(1)} s ` +
        `(target < 30 s for 100); raw generation of the same tokens ${(rawMs / 1000).toFixed(1)} s; overhead ${pct(r.overhead)} ` +
        `(target ≤ 10%; median of ${chunkOverheads.length} chunks of ${LLM_BENCH_CHUNK} drafts, which range ${spread(chunkOverheads)}; ` +
        `over the whole run ${pct((fullMs - rawMs) / rawMs)}); against the stricter baseline (fixed text batched in it too) ` +
        `${(sameScheduleMs / 1000).toFixed(1)} s, overhead ${pct(r.overheadSameSchedule)} (chunks ${spread(chunkSameOverheads)})`,
    );
    return r;
  } finally {
    await host.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await benchLlm();
