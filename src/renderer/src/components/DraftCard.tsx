/**
 * One draft in the review queue: recipient, editable subject and body, what the content validator
 * found, and the decisions (save, approve, discard). Approving unsaved edits saves them first, so
 * what gets approved is always what the person sees.
 *
 * Compact by default, so a batch of 30 drafts fits on a few screens: the card shows the order, the
 * step, the recipient, the message's first line and the validator's verdict, with Approve at hand;
 * "Show and edit" (a disclosure button: aria-expanded, Enter or Space) opens the subject, the body
 * and the rest. A draft that breaks a content rule starts open, because it needs work before it can
 * be approved. Edits survive collapsing: the card only hides them.
 */
import { useId, useState } from 'react';
import type { MessageRow } from '../../../shared/domain';
import { call, errorText } from '../client';
import { ruleLabel } from '../labels';
import { ErrorNote } from './Notice';
// The validator's own word count, so the number shown is the one the 150/50-word rule checks.
import { countWords } from '../../../core/drafts/text';

export interface DraftCardProps {
  message: MessageRow;
  selected: boolean;
  onSelectedChange: (selected: boolean) => void;
  /** Called after any change was stored, so the queue reloads. */
  onChanged: () => void;
}

interface EditState {
  subject: string;
  body: string;
  /** updatedAt of the stored row these fields started from. */
  base: string;
  dirty: boolean;
}

export function DraftCard({ message, selected, onSelectedChange, onChanged }: DraftCardProps): React.JSX.Element {
  const uid = useId();
  const [edit, setEdit] = useState<EditState>(() => fromRow(message));
  const [savedRow, setSavedRow] = useState<MessageRow | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [confirmingDiscard, setConfirmingDiscard] = useState(false);
  const [expanded, setExpanded] = useState(() => message.violations.length > 0);

  // The stored row changed (saved here or elsewhere): adopt it unless the person is mid-edit.
  if (edit.base !== message.updatedAt && !edit.dirty) {
    setEdit(fromRow(message));
    setSavedRow(null);
  }

  const violations = (savedRow ?? message).violations;
  // Unchanged content that breaks a rule cannot be approved; editing it lifts the block until the save says otherwise.
  const blocked = violations.length > 0 && !edit.dirty;
  const headingId = `${uid}-heading`;
  const detailsId = `${uid}-details`;
  const stateId = `${uid}-state`;

  /** Stores the edits; resolves with the stored row, or null when saving failed. */
  async function save(): Promise<MessageRow | null> {
    setError(null);
    try {
      const row = await call('drafts.update', { id: message.id, subject: edit.subject, body: edit.body });
      setSavedRow(row);
      setEdit(fromRow(row));
      setNote(row.violations.length > 0 ? 'Saved, but it breaks content rules — see above.' : 'Saved.');
      onChanged();
      return row;
    } catch (err) {
      setError(errorText(err));
      return null;
    }
  }

  async function run(action: () => Promise<void>): Promise<void> {
    if (busy) return;
    setBusy(true);
    setNote(null);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  }

  const onSave = (): Promise<void> =>
    run(async () => {
      await save();
    });

  const onApprove = (): Promise<void> =>
    run(async () => {
      if (edit.dirty) {
        const row = await save();
        // The core refuses drafts that break content rules; the list above says what to change.
        if (!row || row.violations.length > 0) return;
      }
      try {
        const result = await call('drafts.approve', { ids: [message.id] });
        const refusal = result.refused.find((r) => r.id === message.id);
        if (refusal) setError(`Not approved: ${refusal.reason}`);
        onChanged();
      } catch (err) {
        setError(errorText(err));
      }
    });

  const onDiscard = (): Promise<void> =>
    run(async () => {
      try {
        await call('drafts.discard', { ids: [message.id] });
        onChanged();
      } catch (err) {
        setError(errorText(err));
        setConfirmingDiscard(false);
      }
    });

  return (
    <article className={`card${selected ? ' card-selected' : ''}`} aria-labelledby={headingId}>
      <div className="card-head">
        <input
          type="checkbox"
          id={`${uid}-select`}
          checked={selected}
          onChange={(e) => onSelectedChange(e.target.checked)}
          aria-label={`Select draft for ${message.orderName}, ${message.stepLabel}`}
        />
        <div className="card-title">
          <h3 id={headingId}>
            {message.orderName} · {message.stepLabel}
          </h3>
          <p className="muted small">
            To <span className="recipient">{message.to}</span>
            {message.customerName && <> ({message.customerName})</>} · {message.channel === 'sms' ? 'SMS' : 'Email'}
          </p>
        </div>
      </div>

      <div className="card-summary">
        {!expanded && (
          <p className="draft-first-line" title={edit.subject}>
            {firstLine(edit.body)}
          </p>
        )}
        <p id={stateId} className={`small validator-state ${violations.length > 0 ? 'validator-bad' : 'validator-ok'}`}>
          {/* The verdict is the saved text's (the core checks on save; MessageRow carries no facts to
              check against here), so while edits are unsaved it must not vouch for them. */}
          {violations.length > 0
            ? `${edit.dirty ? 'Saved text breaks' : 'Breaks'} ${violations.length === 1 ? 'a content rule' : `${violations.length} content rules`}: ${[...new Set(violations.map((v) => ruleLabel(v.rule)))].join(', ')}${edit.dirty ? ' · unsaved changes — checked when saved' : ''}`
            : edit.dirty
              ? 'Unsaved changes — checked against the content rules when saved'
              : 'Follows the content rules'}
        </p>
      </div>

      <div id={detailsId} hidden={!expanded}>
        <div className="field">
          <label htmlFor={`${uid}-subject`}>Subject</label>
          <input
            id={`${uid}-subject`}
            type="text"
            value={edit.subject}
            maxLength={300}
            onChange={(e) => setEdit({ ...edit, subject: e.target.value, dirty: true })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-body`}>Message</label>
          <textarea
            id={`${uid}-body`}
            value={edit.body}
            rows={10}
            maxLength={5000}
            onChange={(e) => setEdit({ ...edit, body: e.target.value, dirty: true })}
          />
          <p className="muted small">{countWords(edit.body)} words</p>
        </div>

        {violations.length > 0 && (
          <div className="violations" role="group" aria-label="Content rules this draft breaks">
            <p className="strong">Content rules this draft breaks</p>
            <p id={`${uid}-blocked`} className="small">
              Edit the message and save; it can be approved once it follows every rule.
            </p>
            <ul>
              {violations.map((v, i) => (
                <li key={`${v.rule}-${i}`}>
                  <span className="violation-rule">{ruleLabel(v.rule)}</span>: {v.detail}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>

      <ErrorNote message={error} />

      <div className="card-actions">
        <button
          type="button"
          className="button button-quiet"
          aria-expanded={expanded}
          aria-controls={detailsId}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? 'Hide details' : 'Show and edit'}
        </button>
        {expanded && (
          <button type="button" className="button" onClick={onSave} disabled={busy || !edit.dirty}>
            Save changes
          </button>
        )}
        <button
          type="button"
          className="button button-primary"
          onClick={onApprove}
          disabled={busy || blocked}
          aria-describedby={blocked ? `${stateId} ${uid}-blocked` : undefined}
        >
          {edit.dirty ? 'Save and approve' : 'Approve'}
        </button>
        {!expanded ? null : confirmingDiscard ? (
          <>
            <button type="button" className="button button-danger" onClick={onDiscard} disabled={busy}>
              Yes, discard
            </button>
            <button type="button" className="button button-quiet" onClick={() => setConfirmingDiscard(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="button button-quiet" onClick={() => setConfirmingDiscard(true)} disabled={busy}>
            Discard
          </button>
        )}
        <span className="muted small" role="status">
          {note}
        </span>
      </div>
    </article>
  );
}

/** The first line of the message after the greeting ("Hi Sam,"), what a reader sees first. */
function firstLine(body: string): string {
  const lines = body.split('\n').map((l) => l.trim()).filter(Boolean);
  const start = lines.length > 1 && /^(?:hi|hello|dear|hey)\b.*,$/i.test(lines[0] ?? '') ? 1 : 0;
  return lines[start] ?? '';
}

function fromRow(row: MessageRow): EditState {
  return { subject: row.subject, body: row.body, base: row.updatedAt, dirty: false };
}

