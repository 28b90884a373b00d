/** One escalation task: what happened, what we recommend, its full context on demand, and Resolve with a note. */
import { useEffect, useId, useRef, useState } from 'react';
import type { TaskRow } from '../../../shared/domain';
import { call, errorText } from '../client';
import { relativeTime } from '../format';
import { taskKindLabel } from '../labels';
import { ErrorNote } from './Notice';
import { TaskDetailPanel } from './TaskDetailPanel';

export interface TaskCardProps {
  task: TaskRow;
  now: string;
  /** The store's IANA time zone, for the dates in the details. */
  timezone: string | undefined;
  onChanged: () => void;
  /** Open the full context at once (the task a notification pointed to). */
  initiallyOpen?: boolean;
}

export function TaskCard({ task, now, timezone, onChanged, initiallyOpen = false }: TaskCardProps): React.JSX.Element {
  const uid = useId();
  const [open, setOpen] = useState(initiallyOpen);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (initiallyOpen) ref.current?.scrollIntoView({ block: 'start' });
  }, [initiallyOpen]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = `${uid}-heading`;

  async function resolve(): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const trimmed = note.trim();
      await call('tasks.resolve', trimmed ? { id: task.id, note: trimmed } : { id: task.id });
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card" aria-labelledby={headingId} ref={ref}>
      <div className="card-title">
        <h3 id={headingId}>
          {taskKindLabel(task.kind)}
          {task.orderName && <> · {task.orderName}</>}
        </h3>
        <p className="muted small">
          {task.priority === 2 ? 'Callback priority · ' : ''}
          {task.customerName ? `${task.customerName} · ` : ''}
          Opened {relativeTime(task.createdAt, now)}
          {task.status === 'resolved' && ' · resolved'}
        </p>
      </div>
      <dl className="facts">
        <dt>Why</dt>
        <dd>{task.reason}</dd>
        <dt>Recommended</dt>
        <dd>{task.recommendedAction}</dd>
      </dl>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>Full context</summary>
        {open && <TaskDetailPanel id={task.id} timezone={timezone} onChanged={onChanged} />}
      </details>
      {task.status === 'open' && (
      <>
      <div className="field">
        <label htmlFor={`${uid}-note`}>Note (optional)</label>
        <input
          id={`${uid}-note`}
          type="text"
          value={note}
          maxLength={2000}
          placeholder="What you did, for the record"
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      <ErrorNote message={error} />
      <div className="card-actions">
        <button type="button" className="button button-primary" onClick={resolve} disabled={busy}>
          Resolve
        </button>
      </div>
      </>
      )}
    </article>
  );
}
