/**
 * `npm run bench`: speed and memory figures for the issue's targets, printed, never asserted.
 * Each target is reported next to a baseline measured in the same run on the same machine.
 *
 * - import of a 100,000-line orders export vs the raw better-sqlite3 insert rate (target ≥ 50%)
 * - detection over 100,000 open lines (target < 1 s)
 * - a scheduler tick over 50,000 open backorders (target < 1 s)
 * - peak RSS (target < 400 MB)
 *
 * Each of these phases runs in a child process of its own (bench/phases.ts), one after the other on
 * the same files, so each peak RSS is that phase's: the baseline's rows, the synthetic export and
 * the synthetic open lines of one phase do not count against another.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { LINES, ordersExport, ordersFile, type Phase, type PhaseResult } from './phases';

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (n: number, ms: number): number => Math.round((n / ms) * 1000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-bench-'));

/** Runs one phase in a child process with this process's runtime flags (tsx's loader). */
function runPhase<P extends Phase>(phase: P): Extract<PhaseResult, { phase: P }> {
  const out = execFileSync(process.execPath, [...process.execArgv, path.join(import.meta.dirname, 'phases.ts'), phase, dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1024 * 1024,
  });
  const result = JSON.parse(out.trim().split('\n').pop() ?? '') as PhaseResult;
  if (result.phase !== phase) throw new Error(`bench phase ${phase} answered ${out}`);
  return result as Extract<PhaseResult, { phase: P }>;
}

{
  fs.writeFileSync(ordersFile(dir), ordersExport(LINES));
  const rss: [Phase, number][] = [];

  // 1. Raw insert baseline: the same number of rows of a line item's width, one transaction, WAL file.
  const raw = runPhase('raw');
  rss.push(['raw', raw.rssBytes]);
  const rawRate = rate(LINES, raw.ms);
  console.log(`raw better-sqlite3 insert: ${LINES} rows in ${raw.ms.toFixed(0)} ms = ${rawRate} rows/s (baseline)`);

  // 2. Import of a 100,000-line orders export.
  const imp = runPhase('import');
  rss.push(['import', imp.rssBytes]);
  const importRate = rate(LINES, imp.ms);
  console.log(
    `orders import: ${LINES} lines (${mb(imp.bytes)}) in ${imp.ms.toFixed(0)} ms = ${importRate} lines/s = ${((importRate / rawRate) * 100).toFixed(0)}% of raw insert (target ≥ 50%)`,
  );

  // 3. Detection over 100,000 open lines: the pure allocation, then the stored run.
  const alloc = runPhase('allocation');
  rss.push(['allocation', alloc.rssBytes]);
  console.log(`detection (pure allocation): ${LINES} open lines in ${alloc.ms.toFixed(0)} ms (target < 1000 ms), ${alloc.backordered} backordered`);
  const det = runPhase('detection');
  rss.push(['detection', det.rssBytes]);
  console.log(`detection (stored, first run): ${LINES} open lines in ${det.firstMs.toFixed(0)} ms, ${det.opened} backorders opened`);
  console.log(`detection (stored, unchanged re-run): ${det.rerunMs.toFixed(0)} ms (target < 1000 ms)`);

  // 4. A scheduler tick over the open backorders once every due step is recorded (the steady state).
  const tick = runPhase('tick');
  rss.push(['tick', tick.rssBytes]);
  console.log(`scheduler tick, first after detection (stores each backorder's ETA state): ${tick.open} open backorders in ${tick.firstMs.toFixed(0)} ms`);
  console.log(`scheduler tick, steady state: ${tick.open} open backorders in ${tick.ms.toFixed(0)} ms (target < 1000 ms for 50,000), ${tick.drafted} drafted`);

  const peak = Math.max(...rss.map(([, bytes]) => bytes));
  console.log(`peak RSS: ${mb(peak)} (target < 400 MB); per phase: ${rss.map(([p, bytes]) => `${p} ${mb(bytes)}`).join(', ')}`);
}
fs.rmSync(dir, { recursive: true, force: true });

// ==== LLM drafting (issue "Drafts written by a local model") — appended block, self-contained ====
// The tiny generated GGUF (test/helpers/tiny-gguf.ts) in a host child process on one thread, two
// context sequences. Figures: the full drafting path (prompt, grammar, generation, checks in the host
// and the app, storage in SQLite) against raw generation (same prompts, same output token counts, no
// grammar, no checks, no storage) measured in the same run; and the wall time of BENCH_LLM_DRAFTS
// drafts (default 100; target < 30 s) run two at a time. Target: overhead ≤ 10% of raw generation.
{
  const { writeTinyGgufToTemp } = await import('../test/helpers/tiny-gguf');
  const { createModelHost } = await import('../src/main/llm/host');
  const { forkHostPort } = await import('../src/main/llm/child-port');
  const { draftMessage } = await import('../src/main/llm/drafting');
  const { buildDraftPrompt } = await import('../src/core/llm/prompt');
  const n = Number(process.env.BENCH_LLM_DRAFTS ?? 100);
  const llmDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-bench-llm-'));
  const host = createModelHost({ spawn: () => forkHostPort(), threads: 1, sequences: 2, contextSize: 2048, timeouts: { draftMs: 600_000 } });
  const loaded = await host.load(writeTinyGgufToTemp('bench.gguf'));
  if (loaded.state !== 'ready') throw new Error(`bench model failed: ${loaded.reason}`);
  const ldb = new Database(path.join(llmDir, 'drafts.db'));
  ldb.exec('CREATE TABLE drafts (id INTEGER PRIMARY KEY, subject TEXT, body TEXT, produced_by TEXT)');
  const store = ldb.prepare('INSERT INTO drafts (subject, body, produced_by) VALUES (?, ?, ?)');
  const reqFor = (i: number) => ({
    stepId: 'initial_notice' as const,
    channel: 'email' as const,
    facts: { orderName: `#${2000 + i}`, itemName: 'Enamel Mug - Black', status: 'backordered', nextUpdate: 'by Friday, November 6', segments: [], storeName: 'Juniper & Pine', customerFirstName: 'Ada', etaStart: '2026-11-10', etaEnd: '2026-11-17' },
  });
  const t0 = performance.now();
  let next = 0;
  let generationMs = 0;
  const attempts: { user: string; outputTokens: number }[] = [];
  const worker = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) {
      const req = reqFor(i);
      const out = await draftMessage(host, req);
      store.run(out.subject, out.body, out.producedBy);
      for (const a of out.attempts) {
        generationMs += a.ms;
        attempts.push({ user: buildDraftPrompt(req).user, outputTokens: a.outputTokens });
      }
    }
  };
  await Promise.all([worker(), worker()]);
  const fullMs = performance.now() - t0;
  // Raw generation of the same token counts, two at a time like the drafts.
  const system = buildDraftPrompt(reqFor(0)).system;
  const t1 = performance.now();
  let k = 0;
  const rawWorker = async (): Promise<void> => {
    for (let i = k++; i < attempts.length; i = k++) await host.raw(system, attempts[i]!.user, Math.max(1, attempts[i]!.outputTokens), i);
  };
  await Promise.all([rawWorker(), rawWorker()]);
  const rawMs = performance.now() - t1;
  const tokens = attempts.reduce((a, b) => a + b.outputTokens, 0);
  console.log(
    `LLM drafting: ${n} drafts (${attempts.length} generations, ${tokens} output tokens) in ${(fullMs / 1000).toFixed(1)} s (target < 30 s for 100); ` +
      `raw generation of the same tokens ${(rawMs / 1000).toFixed(1)} s; overhead ${(((fullMs - rawMs) / rawMs) * 100).toFixed(1)}% (target ≤ 10%); ` +
      `generation inside the drafting path ${(generationMs / 1000).toFixed(1)} s (sequence-time, two in parallel)`,
  );
  ldb.close();
  await host.dispose();
  fs.rmSync(llmDir, { recursive: true, force: true });
}

// Gmail (issue "Gmail: supplier mail and customer replies in, customer messages out"): MIME parsing
// rate and a first sync of 5,000 messages from the fake Gmail at the quota's pace (bench/gmail.ts).
{
  const { benchGmail } = await import('./gmail');
  await benchGmail();
}

// --- Live Shopify sync (bench/shopify.ts): a 30,000-order store through the bulk path, from the fake Admin API ---
{
  const { benchShopifySync } = await import('./shopify');
  await benchShopifySync(30_000);
}
