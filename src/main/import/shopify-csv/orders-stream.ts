/**
 * The importer's side of the orders parse worker: starts a worker_threads Worker on
 * orders-worker.ts and gives its messages to the importer one at a time, blocking until the next one
 * arrives. Blocking, because the importer stores everything in one synchronous better-sqlite3
 * transaction, which cannot wait for an event: `receiveMessageOnPort` takes a message without the
 * event loop, and `Atomics.wait` on a counter the worker bumps after each message sleeps until there
 * is one. Meanwhile the worker reads the rest of the file on the other core.
 *
 * From TypeScript sources (CLI, web mode, tests, bench) the worker loads orders-worker.ts through
 * tsx's CommonJS hook; from a build, the built orders-worker.js next to the caller (electron-vite's
 * main build has it as an entry). Electron loads worker scripts from the asar archive (since
 * Electron 18, electron/electron#33216).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { OrderBatchDecoder } from './order-batches';
import type { OrderRecord } from './orders';
import type { OrdersPartMessage, OrdersPartsInput } from './orders-parts';
import type { OrdersWorkerData } from './orders-worker';

/** The worker stopped, failed, or went quiet: the importer reads the file itself instead. */
export class ParseStreamFallback extends Error {
  constructor(reason: string) {
    super(`orders parse worker: ${reason}`);
    this.name = 'ParseStreamFallback';
  }
}

/** A batch of orders, or the end of the file with what the readers found. */
export type OrdersStreamItem = { type: 'batch'; orders: OrderRecord[] } | Extract<OrdersPartMessage, { type: 'done' }>;

/** Longest silence from the worker before giving up on it, in ms. A batch takes it a few ms. */
const QUIET_LIMIT_MS = 60_000;

/** A worker's script: a file path, or (eval) the code to run. */
interface WorkerStart {
  file: string;
  eval: boolean;
}

/** How to start the worker here: the built script, or the sources through tsx; null when neither is found. */
function workerStart(): WorkerStart | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const ts = path.join(here, 'orders-worker.ts');
  if (fs.existsSync(ts)) {
    let tsx: string;
    try {
      tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
    } catch {
      return null;
    }
    // CommonJS hook rather than tsx's ESM one: the ESM hooks start a loader thread of their own, which
    // cost the worker ~150 ms more to start.
    return { file: `require(${JSON.stringify(tsx)}).register();\nrequire(${JSON.stringify(ts)});`, eval: true };
  }
  // The main build bundles this module into index.js or into a chunk one folder below it.
  for (const file of [path.join(here, 'orders-worker.js'), path.join(here, '..', 'orders-worker.js')]) {
    if (fs.existsSync(file)) return { file, eval: false };
  }
  return null;
}

/**
 * Whether this thread may block in Atomics.wait. Node's main thread may; an embedder can forbid it
 * (Chromium does on a page's main thread), and then the importer reads files itself.
 */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); // 'not-equal' at once where allowed
    return true;
  } catch {
    return false;
  }
}

/** One file's parse worker. Call {@link close} when done with it, also after an error. */
export class OrdersParseStream {
  private readonly decoder = new OrderBatchDecoder();
  private finished = false;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly posted: Int32Array,
  ) {}

  /**
   * Starts reading `input` in a worker.
   * @returns null when no worker script is found or this thread may not block (the caller reads
   *   the file itself).
   */
  static start(input: OrdersPartsInput): OrdersParseStream | null {
    if (!canBlock()) return null;
    const how = workerStart();
    if (!how) return null;
    const { port1, port2 } = new MessageChannel();
    const posted = new Int32Array(new SharedArrayBuffer(4));
    const data: OrdersWorkerData = { input, port: port2, posted };
    let worker: Worker;
    try {
      worker = new Worker(how.file, { eval: how.eval, execArgv: [], workerData: data, transferList: [port2] });
    } catch {
      port1.close();
      return null;
    }
    worker.unref();
    // A worker that fails to start reports it as an event, which cannot arrive while the importer
    // blocks; it shows as silence instead (see next). The listener keeps the error from being unhandled.
    worker.on('error', () => {});
    return new OrdersParseStream(worker, port1, posted);
  }

  /**
   * The next batch, or `done`; blocks until the worker sends it.
   * @throws ParseStreamFallback when the worker falls back, fails, sends something unexpected or is
   *   silent for {@link QUIET_LIMIT_MS}.
   */
  next(): OrdersStreamItem {
    if (this.finished) throw new ParseStreamFallback('read after the end');
    for (;;) {
      const seen = Atomics.load(this.posted, 0);
      const got = receiveMessageOnPort(this.port);
      if (got) {
        const m = got.message as OrdersPartMessage;
        if (m.type === 'batch') return { type: 'batch', orders: this.decoder.decode(m.batch) };
        this.finished = true;
        if (m.type === 'done') return m;
        throw new ParseStreamFallback(m.type === 'fallback' ? m.reason : 'unexpected message');
      }
      if (Atomics.wait(this.posted, 0, seen, QUIET_LIMIT_MS) === 'timed-out') {
        throw new ParseStreamFallback(`no answer within ${QUIET_LIMIT_MS / 1000} s`);
      }
    }
  }

  /** Stops the worker (if it is still reading) and closes the port. */
  close(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
