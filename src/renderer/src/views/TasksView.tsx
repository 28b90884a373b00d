/**
 * Tasks: the escalations that wait for a person, filtered by status and kind, most urgent first
 * (callbacks, then unhappy customers and cancellations). Each card opens its full context; a hash
 * such as "#/tasks/12" (a notification's click) opens that task.
 */
import { useEffect, useId, useState } from 'react';
import { EmptyState } from '../components/EmptyState';
import { ErrorNote } from '../components/Notice';
import { TaskCard } from '../components/TaskCard';
import { taskKindLabel } from '../labels';
import { useCommand } from '../hooks/useCommand';
import { taskFromHash } from '../routes';
import { ViewHeading } from './ViewHeading';

const KINDS = [
  'callback_requested',
  'negative_reply',
  'cancel_requested',
  'ftc_no_consent',
  'ftc_consent_unclear',
  'high_value_cancellation',
  'vip_personal_outreach',
  'eta_beyond_limit',
  'partial_shipment',
  'swap_item',
  'address_change',
  'no_contact',
  'sender_not_customer',
] as const;

/** `timezone`: the store's IANA zone, for the dates in each task's details. */
export function TasksView({ now, timezone }: { now: string; timezone: string | undefined }): React.JSX.Element {
  const uid = useId();
  const [status, setStatus] = useState<'open' | 'resolved' | 'all'>('open');
  const [kind, setKind] = useState<string>('all');
  const [focus, setFocus] = useState<number | null>(() => taskFromHash(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setFocus(taskFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const input = { ...(status === 'all' ? {} : { status }), ...(kind === 'all' ? {} : { kind: [kind] }) };
  const { data, error, loading, reload } = useCommand('tasks.list', input, ['tasks']);
  return (
    <section aria-labelledby="tasks-heading">
      <ViewHeading id="tasks-heading">Tasks</ViewHeading>
      <div className="filters" role="group" aria-label="Filter tasks">
        <label htmlFor={`${uid}-status`}>Status</label>
        <select id={`${uid}-status`} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
          <option value="all">All</option>
        </select>
        <label htmlFor={`${uid}-kind`}>Kind</label>
        <select id={`${uid}-kind`} value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="all">All kinds</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {taskKindLabel(k)}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote message={error} />
      {data === undefined ? (
        loading && <p className="muted">Loading tasks…</p>
      ) : data.length === 0 ? (
        <EmptyState title={status === 'open' && kind === 'all' ? 'Nothing needs you right now' : 'No tasks match'}>
          Tasks appear when something needs a person: an upset customer or a call request, a cancellation, a
          high-value order before a cancellation offer, an ETA too far out, or stock to share between waiting orders.
        </EmptyState>
      ) : (
        <div className="cards">
          {data.map((task) => (
            <TaskCard key={task.id} task={task} now={now} timezone={timezone} initiallyOpen={task.id === focus} onChanged={() => void reload()} />
          ))}
        </div>
      )}
    </section>
  );
}
