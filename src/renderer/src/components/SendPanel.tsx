/**
 * "Send all approved (N)": starts one send batch and reports its progress in a live region. The
 * batch state lives in sendBatch.ts, which also refuses a second start while one runs — two clicks
 * can land before React re-renders the button as disabled.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { SendProgress } from '../../../shared/contract';
import { getSendBatch, markRefreshed, startSendBatch, subscribeSendBatch } from '../sendBatch';
import { ErrorNote, Hint } from './Notice';

export interface SendPanelProps {
  approvedCount: number;
  /**
   * The queue's loaded list (any value that changes identity with every successful load): the
   * button stays disabled after a batch until it changes, so `approvedCount` is never stale.
   */
  listVersion: unknown;
  emailConfigured: boolean;
  /** Called when a batch ended (either way), so the queue reloads. */
  onFinished: () => void;
}

export function SendPanel({ approvedCount, listVersion, emailConfigured, onFinished }: SendPanelProps): React.JSX.Element {
  const { sending, progress, finished, error, awaitingRefresh } = useSyncExternalStore(subscribeSendBatch, getSendBatch);
  const seenList = useRef(listVersion);
  useEffect(() => {
    // Runs after a render with a newly loaded list; only loads after the batch ended clear the flag,
    // because the flag is set when the batch ends and earlier changes were already seen.
    if (listVersion === seenList.current) return;
    seenList.current = listVersion;
    if (listVersion !== undefined) markRefreshed();
  }, [listVersion]);

  async function sendAll(): Promise<void> {
    await startSendBatch(approvedCount);
    onFinished();
  }

  return (
    <div className="send-panel">
      <div className="send-row">
        <button
          type="button"
          className="button button-primary button-large"
          onClick={sendAll}
          disabled={sending || awaitingRefresh || approvedCount === 0}
          aria-describedby="send-progress"
        >
          {sending
            ? 'Sending…'
            : awaitingRefresh // the count from before the batch would be wrong; the reload brings the new one
              ? 'Send all approved'
              : `Send all approved (${approvedCount})`}
        </button>
        {progress && progress.total > 0 && (sending || finished) && (
          <progress className="send-meter" value={progress.done} max={progress.total} aria-hidden="true" />
        )}
      </div>
      <p id="send-progress" className="send-progress" role="status" aria-live="polite">
        {progressText(progress, sending, finished) || 'Only approved messages are sent, one at a time.'}
      </p>
      {!emailConfigured && (
        <Hint>
          Email is not set up yet, so nothing can be sent. Add the mail server and From address under{' '}
          <a href="#/settings">Settings</a>.
        </Hint>
      )}
      <ErrorNote message={error} />
    </div>
  );
}

function progressText(p: SendProgress | null, sending: boolean, finished: boolean): string {
  if (!p) return '';
  const tally = `${p.sent} sent, ${p.failed} failed, ${p.unknown} unknown`;
  if (sending) return `Sending ${p.done} of ${p.total}… ${tally}.`;
  if (finished) return p.total === 0 ? 'Nothing was waiting to be sent.' : `Finished: ${tally}.`;
  return '';
}
