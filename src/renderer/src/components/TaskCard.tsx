/** One open escalation task: what happened, what we recommend, and a way to mark it resolved with a note. */
import { useId, useState } from 'react';
import type { TaskRow } from '../../../shared/domain';
import { call, errorText } from '../client';
import { humanize, relativeTime } from '../format';
import { ErrorNote } from './Notice';

export interface TaskCardProps {
  task: TaskRow;
  now: string;
  onChanged: () => void;
}

export function TaskCard({ task, now, onChanged }: TaskCardProps): React.JSX.Element {
  const uid = useId();
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
    <article className="card" aria-labelledby={headingId}>
      <div className="card-title">
        <h3 id={headingId}>
          {humanize(task.kind)}
          {task.orderName && <> · {task.orderName}</>}
        </h3>
        <p className="muted small">Opened {relativeTime(task.createdAt, now)}</p>
      </div>
      <dl className="facts">
        <dt>Why</dt>
        <dd>{task.reason}</dd>
        <dt>Recommended</dt>
        <dd>{task.recommendedAction}</dd>
      </dl>
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
    </article>
  );
}
