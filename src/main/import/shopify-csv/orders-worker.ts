/**
 * Entry of the orders parse worker (a worker_threads Worker started by orders-stream.ts): reads the
 * export given in `workerData` with readOrdersInParts and posts each message to the port it was
 * given, bumping the shared counter after each so that the importer, blocked in Atomics.wait inside
 * its transaction, wakes up. Any error becomes a `fallback` message: the importer then reads the file
 * itself, and reports whatever is wrong with it the usual way.
 */
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { batchTransferList } from './order-batches';
import { readOrdersInParts, type OrdersPartMessage, type OrdersPartsInput } from './orders-parts';

/** What the worker is started with. */
export interface OrdersWorkerData {
  input: OrdersPartsInput;
  port: MessagePort;
  /** Int32Array over a SharedArrayBuffer; element 0 counts the messages posted. */
  posted: Int32Array;
}

const { input, port, posted } = workerData as OrdersWorkerData;

function post(m: OrdersPartMessage): void {
  port.postMessage(m, m.type === 'batch' ? batchTransferList(m.batch) : []);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
}

try {
  readOrdersInParts(input, post);
} catch (err) {
  post({ type: 'fallback', reason: `the parse worker failed: ${err instanceof Error ? err.message : String(err)}` });
}
port.close();
