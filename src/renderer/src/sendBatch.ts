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
  /**
   * True from the end of a batch until the queue shows data loaded after it (see `markRefreshed`):
   * until then the approved count on the button is the one from before the batch, and a click
   * would start an empty batch.
   */
  awaitingRefresh: boolean;
}

let state: SendBatchState = { sending: false, progress: null, finished: false, error: null, awaitingRefresh: false };
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

/** The queue rendered data loaded after the last batch ended: its approved count is fresh again. */
export function markRefreshed(): void {
  if (state.awaitingRefresh) update({ awaitingRefresh: false });
}

/**
 * Starts one batch unless one is running (a second call while sending does nothing, whatever
 * clicked it). Resolves when the batch ended; failures land in `error`. An empty batch (a click
 * with a stale count) does not replace the previous batch's figures.
 */
export async function startSendBatch(approvedCount: number): Promise<void> {
  if (state.sending) return;
  // The last batch's figures, kept in case this one turns out empty.
  const previous = state.finished ? state.progress : null;
  update({
    sending: true,
    finished: false,
    error: null,
    awaitingRefresh: false,
    progress: { total: approvedCount, done: 0, sent: 0, failed: 0, unknown: 0 },
  });
  // Events only while our batch runs, so a late one cannot overwrite the final figures.
  const off = subscribe('outbox.progress', (p) => update({ progress: p }));
  try {
    const result = await call('outbox.send', {});
    // "Nothing was waiting to be sent" must not replace what the previous batch actually did.
    const keepPrevious = result.total === 0 && previous !== null && previous.total > 0;
    update({ progress: keepPrevious ? previous : result, finished: true });
  } catch (err) {
    update({ error: errorText(err) });
  } finally {
    off();
    // One update, so no render shows the button enabled with the count from before the batch.
    update({ sending: false, awaitingRefresh: true });
  }
}
