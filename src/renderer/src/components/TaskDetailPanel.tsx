/**
 * The full context of one task, loaded with `tasks.get`: customer, items, the message history sent
 * and received (with the triage of each reply), sentiment, ETA and its sources, the rule that fired,
 * the prepared draft, and the confirmed actions the task offers ("cancel and refund in full"). For a
 * US store's second delay it shows the FTC Mail Order Rule reason: the first notice's revised date,
 * the consent request and its deadline, and the customer's answers (16 CFR 435.2(b)(2)).
 * Customer text is shown as text (React escapes it): inbound mail is data, never markup.
 */
import { useState } from 'react';
import { call, errorText } from '../client';
import { formatDateTime, humanize, segmentLabels } from '../format';
import { taskKindLabel } from '../labels';
import { useCommand } from '../hooks/useCommand';
import { ErrorNote } from './Notice';
import type { FtcConsentState, FtcConsentView, TaskActionId } from '../../../shared/domain';

const FTC_STATE: Record<FtcConsentState, string> = {
  awaiting: 'waiting for the customer’s answer',
  consented: 'the customer agreed to wait',
  cancel_requested: 'the customer asked to cancel',
  overdue: 'no consent by the deadline: silence is not consent, the order is to be cancelled and refunded',
};

/** The FTC consent round in words a merchant can act on. */
function FtcReason({ ftc, timezone }: { ftc: FtcConsentView; timezone: string | undefined }): React.JSX.Element {
  const r = ftc.request;
  return (
    <>
      <dt>FTC Mail Order Rule</dt>
      <dd className="ftc-reason">
        <p>
          Second delay (16 CFR 435.2(b)(2)): {FTC_STATE[ftc.state]}.
        </p>
        <ul className="small">
          {ftc.firstNotice && (
            <li>
              First delay notice{ftc.firstNotice.sentAt ? ` sent ${formatDateTime(ftc.firstNotice.sentAt, timezone)}` : ''} gave shipping by {ftc.firstNotice.revisedEnd}.
            </li>
          )}
          <li>
            Consent request ({r.status}{r.sentAt ? ` ${formatDateTime(r.sentAt, timezone)}` : ''}):{' '}
            {r.etaStart && r.etaEnd ? `new range ${r.etaStart} to ${r.etaEnd}` : 'no new date'}; answer needed by {r.deadline} (store time zone).
          </li>
          {ftc.answers.map((a) => (
            <li key={`${a.at}-${a.mailId ?? a.by}`}>
              {a.by === 'person' ? 'Recorded by a person' : 'Reply'} {formatDateTime(a.at, timezone)}:{' '}
              {a.answer === 'consent' ? 'agreed to wait' : a.answer === 'cancel' ? 'asked to cancel' : 'unclear — a person decides'}
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}

/** `timezone`: the store's IANA zone, in which every date and time here is shown. */
export function TaskDetailPanel({
  id,
  timezone,
  onChanged,
}: {
  id: number;
  timezone: string | undefined;
  onChanged: () => void;
}): React.JSX.Element {
  const { data, error } = useCommand('tasks.get', { id }, ['tasks']);
  const [confirming, setConfirming] = useState<TaskActionId | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [actionDone, setActionDone] = useState<string | null>(null);

  async function act(action: TaskActionId): Promise<void> {
    if (busy) return;
    setBusy(true);
    setActionError(null);
    try {
      const r = await call('tasks.act', { id, action, confirm: true });
      setActionDone(r.outcome === 'done' ? 'Cancelled and refunded in the store.' : `Recorded. ${r.detail}`);
      onChanged();
    } catch (err) {
      setActionError(errorText(err));
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  }

  if (!data) return <ErrorNote message={error} />;
  const total = data.order ? `${(data.order.total.amountMinor / 100).toFixed(2)} ${data.order.total.currency}` : null;
  return (
    <div className="task-detail">
      <dl className="facts">
        <dt>Customer</dt>
        <dd>
          {[data.customer.name, data.customer.email, data.phone ?? data.customer.phone].filter(Boolean).join(' · ') || '—'}
          {data.customer.segments.length > 0 && <> ({data.customer.segments.map((s) => segmentLabels[s]).join(', ')})</>}
        </dd>
        {data.order && (
          <>
            <dt>Order</dt>
            <dd>
              {data.order.name} · {total}
              {data.order.cancelledAt && ' · cancelled'}
            </dd>
          </>
        )}
        <dt>Items</dt>
        <dd>
          {data.items.map((i) => `${i.quantity} × ${i.name}${i.quantityBackordered ? ` (${i.quantityBackordered} backordered)` : ''}`).join('; ') || '—'}
        </dd>
        <dt>Rule</dt>
        <dd>
          {taskKindLabel(data.rule.kind)}
        </dd>
        {data.sentiment && (
          <>
            <dt>Sentiment</dt>
            <dd>
              {data.sentiment.sentiment} ({Math.round(data.sentiment.confidence * 100)}%) — {data.sentiment.reasons.join(', ') || 'no rule'}
            </dd>
          </>
        )}
        {data.ftc && <FtcReason ftc={data.ftc} timezone={timezone} />}
        <dt>ETA</dt>
        <dd>
          {data.eta?.start && data.eta.end ? `${data.eta.start} to ${data.eta.end} (${data.eta.method ?? 'estimate'})` : 'No confirmed date'}
          {data.eta?.sources.map((s) => (
            <span key={`${s.source}-${s.ref}`} className="muted small">
              {' '}· {s.source} {s.quotedAt}: “{s.sentence}”
            </span>
          ))}
        </dd>
      </dl>

      <details>
        <summary>Messages ({data.history.length})</summary>
        <ol className="task-history">
          {data.history.map((h, i) => (
            <li key={i} className={h.direction === 'in' ? 'history-in' : 'history-out'}>
              <p className="muted small">
                {/* Not "Customer": a message linked by the order number in its subject may come from anyone. */}
                {h.direction === 'in' ? `From ${h.from || 'an unknown sender'}${h.notOrderEmail ? ' — not the order’s email' : ''}` : 'Us'} · {formatDateTime(h.at, timezone)}
                {h.status && ` · ${h.status}`}
                {h.sentiment && ` · ${h.sentiment}`}
                {h.intents.length > 0 && ` · ${h.intents.map(humanize).join(', ')}`}
              </p>
              <p>
                <strong>{h.subject}</strong>
              </p>
              <pre className="message-body">{h.body}</pre>
            </li>
          ))}
        </ol>
      </details>

      {data.draft && (
        <details open>
          <summary>Prepared draft</summary>
          <p>
            <strong>{data.draft.subject}</strong>
          </p>
          <pre className="message-body">{data.draft.body}</pre>
        </details>
      )}

      {data.actions.map((a) =>
        a.done ? (
          <p key={a.id} className="muted">
            {a.label}: {a.done.outcome} {formatDateTime(a.done.at, timezone)}. {a.done.detail}
          </p>
        ) : confirming === a.id ? (
          <div key={a.id} className="card-actions" role="group" aria-label={a.id === 'cancel_refund' ? 'Confirm cancellation' : 'Confirm consent'}>
            <span>
              {a.id === 'cancel_refund'
                ? `Cancel ${data.order?.name ?? 'the order'} and refund ${total ?? 'it'} in full?`
                : `Record that the customer agreed to wait for ${data.order?.name ?? 'the order'} (for example on the phone)?`}
            </span>
            <button type="button" className={`button ${a.id === 'cancel_refund' ? 'button-danger' : 'button-primary'}`} onClick={() => act(a.id)} disabled={busy}>
              {a.id === 'cancel_refund' ? 'Yes, cancel and refund' : 'Yes, record consent'}
            </button>
            <button type="button" className="button" onClick={() => setConfirming(null)} disabled={busy}>
              No
            </button>
          </div>
        ) : (
          <div key={a.id} className="card-actions">
            <button type="button" className="button" onClick={() => setConfirming(a.id)}>
              {a.label}…
            </button>
          </div>
        ),
      )}
      {actionDone && <p role="status">{actionDone}</p>}
      <ErrorNote message={actionError} />
    </div>
  );
}
