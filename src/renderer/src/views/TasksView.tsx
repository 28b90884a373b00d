/** Tasks: the escalations that wait for a person, oldest first as the core lists them. */
import { EmptyState } from '../components/EmptyState';
import { ErrorNote } from '../components/Notice';
import { TaskCard } from '../components/TaskCard';
import { useCommand } from '../hooks/useCommand';
import { ViewHeading } from './ViewHeading';

export function TasksView({ now }: { now: string }): React.JSX.Element {
  const { data, error, loading, reload } = useCommand('tasks.list', { status: 'open' }, ['tasks']);
  return (
    <section aria-labelledby="tasks-heading">
      <ViewHeading id="tasks-heading">Tasks</ViewHeading>
      <ErrorNote message={error} />
      {data === undefined ? (
        loading && <p className="muted">Loading tasks…</p>
      ) : data.length === 0 ? (
        <EmptyState title="Nothing needs you right now">
          Tasks appear when something needs a person: a high-value order before a cancellation offer, an upset
          customer, an ETA too far out, or stock to share between waiting orders.
        </EmptyState>
      ) : (
        <div className="cards">
          {data.map((task) => (
            <TaskCard key={task.id} task={task} now={now} onChanged={() => void reload()} />
          ))}
        </div>
      )}
    </section>
  );
}
