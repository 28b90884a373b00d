/**
 * A message past the draft stage (approved, sending, failed, unknown, sent), read-only, with the
 * action its status allows: discard an approved message, retry a failed one, or — for `unknown` —
 * resend only after the person confirms it did not go out.
 */
import { useId, useState } from 'react';
import type { MessageRow } from '../../../shared/domain';
import { call, errorText } from '../client';
import { formatDateTime, plural } from '../format';
import { ErrorNote } from './Notice';

export interface MessageCardProps {
  message: MessageRow;
  timezone: string | undefined;
  onChanged: () => void;
}

export function MessageCard({ message, timezone, onChanged }: MessageCardProps): React.JSX.Element {
  const uid = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const headingId = `${uid}-heading`;

  async function run(action: () => Promise<unknown>): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  const status = message.status;
  return (
    <article className={`card card-${status}`} aria-labelledby={headingId}>
      <div className="card-head">
        <div className="card-title">
          <h3 id={headingId}>
            {message.orderName} · {message.stepLabel}
          </h3>
          <p className="muted small">
            To <span className="recipient">{message.to}</span>
            {message.customerName && <> ({message.customerName})</>}
            {message.sentAt && <> · sent {formatDateTime(message.sentAt, timezone)}</>}
            {message.attempts > 0 && status !== 'sent' && <> · {plural(message.attempts, 'attempt')}</>}
          </p>
        </div>
      </div>
      <p className="subject">{message.subject}</p>
      {status === 'sent' ? (
        <details>
          <summary>Message</summary>
          <div className="body-text">{message.body}</div>
        </details>
      ) : (
        <div className="body-text">{message.body}</div>
      )}

      {status === 'failed' && (
        <div className="status-explainer status-failed">
          <p className="strong">Not sent.</p>
          <p>{message.lastError ?? 'The mail server did not accept this message.'}</p>
        </div>
      )}
      {status === 'unknown' && (
        <div className="status-explainer status-unknown">
          <p className="strong">We can’t tell whether this message reached the customer.</p>
          <p>
            Sending was interrupted before the mail server confirmed it (the connection dropped, timed out, or the app
            stopped mid-send), so it may or may not have gone out. Mail sent through SMTP often does not appear in
            your Sent folder: the surest check is to ask the customer, or your mail provider’s delivery log. Send it
            again only if you know it did not arrive; it keeps the same Message-ID, so most mail programs will hide a
            duplicate.
          </p>
          {message.lastError && <p className="muted small">Details: {message.lastError}</p>}
        </div>
      )}
      {status === 'sending' && <p className="muted">Sending now…</p>}

      <ErrorNote message={error} />

      <div className="card-actions">
        {status === 'failed' && (
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() => run(() => call('outbox.retry', { ids: [message.id] }))}
          >
            Retry
          </button>
        )}
        {status === 'unknown' && (
          <>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => run(() => call('outbox.retry', { ids: [message.id], confirmNotSent: true }))}
            >
              Not sent, send again
            </button>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => run(() => call('outbox.confirmSent', { ids: [message.id] }))}
            >
              I know it arrived
            </button>
          </>
        )}
        {(status === 'approved' || status === 'failed') &&
          (confirming ? (
            <>
              <button
                type="button"
                className="button button-danger"
                disabled={busy}
                onClick={() => run(() => call('drafts.discard', { ids: [message.id] }))}
              >
                Yes, discard
              </button>
              <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </>
          ) : (
            <button type="button" className="button button-quiet" disabled={busy} onClick={() => setConfirming(true)}>
              Discard
            </button>
          ))}
      </div>
    </article>
  );
}
