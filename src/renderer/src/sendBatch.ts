/**
 * The state of "Send all approved", kept outside React so it survives leaving the Review queue and
 * coming back: the guard against a second `outbox.send` and the progress figures stay with the
 * page, not with a component instance.
 */
import type { SendProgress } from '../../shared/contract';
import { call, errorText, subscribe } from './client';

export interface SendBatchState {
  sending: boolean;
  progress: SendProgress | null;
  /** True once a batch ended normally (its final figures are in `progress`). */
  finished: boolean;
  error: string | null;
}

let state: SendBatchState = { sending: false, progress: null, finished: false, error: null };
const listeners = new Set<() => void>();

function update(patch: Partial<SendBatchState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

/** For useSyncExternalStore. */
export function getSendBatch(): SendBatchState {
  return state;
}

/** For useSyncExternalStore; returns the unsubscribe function. */
export function subscribeSendBatch(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Starts one batch unless one is running (a second call while sending does nothing, whatever
 * clicked it). Resolves when the batch ended; failures land in `error`.
 */
export async function startSendBatch(approvedCount: number): Promise<void> {
  if (state.sending) return;
  update({
    sending: true,
    finished: false,
    error: null,
    progress: { total: approvedCount, done: 0, sent: 0, failed: 0, unknown: 0 },
  });
  // Events only while our batch runs, so a late one cannot overwrite the final figures.
  const off = subscribe('outbox.progress', (p) => update({ progress: p }));
  try {
    const result = await call('outbox.send', {});
    update({ progress: result, finished: true });
  } catch (err) {
    update({ error: errorText(err) });
  } finally {
    off();
    update({ sending: false });
  }
}
