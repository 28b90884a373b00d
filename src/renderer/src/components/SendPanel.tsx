/**
 * "Send all approved (N)": starts one send batch and reports its progress in a live region.
 *
 * A ref guards the start as well as the disabled state, because two clicks can land before React
 * re-renders the button as disabled; only one `outbox.send` may ever be in flight from this page.
 */
import { useRef, useState } from 'react';
import type { SendProgress } from '../../../shared/contract';
import { call, errorText } from '../client';
import { useEvent } from '../hooks/useEvent';
import { ErrorNote, Hint } from './Notice';

export interface SendPanelProps {
  approvedCount: number;
  emailConfigured: boolean;
  /** Called when a batch ended (either way), so the queue reloads. */
  onFinished: () => void;
}

export function SendPanel({ approvedCount, emailConfigured, onFinished }: SendPanelProps): React.JSX.Element {
  const inFlight = useRef(false);
  const [sending, setSending] = useState(false);
  const [progress, setProgress] = useState<SendProgress | null>(null);
  const [finished, setFinished] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEvent('outbox.progress', (p) => {
    // Only while our batch runs: a late event must not overwrite the batch's final figures.
    if (inFlight.current) setProgress(p);
  });

  async function sendAll(): Promise<void> {
    if (inFlight.current) return;
    inFlight.current = true;
    setSending(true);
    setFinished(false);
    setError(null);
    setProgress({ total: approvedCount, done: 0, sent: 0, failed: 0, unknown: 0 });
    try {
      const result = await call('outbox.send', {});
      setProgress(result);
      setFinished(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      inFlight.current = false;
      setSending(false);
      onFinished();
    }
  }

  return (
    <div className="send-panel">
      <div className="send-row">
        <button
          type="button"
          className="button button-primary button-large"
          onClick={sendAll}
          disabled={sending || approvedCount === 0}
          aria-describedby="send-progress"
        >
          {sending ? 'Sending…' : `Send all approved (${approvedCount})`}
        </button>
        {progress && progress.total > 0 && (
          <progress className="send-meter" value={progress.done} max={progress.total} aria-hidden="true" />
        )}
      </div>
      <p id="send-progress" className="send-progress" role="status" aria-live="polite">
        {progressText(progress, sending, finished)}
      </p>
      {!emailConfigured && (
        <Hint>
          Email is not set up yet, so nothing can be sent. Add the mail server under <a href="#/settings">Settings</a>.
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
