/** Top bar: app and store name, and the few counts that tell the owner where things stand. */
import type { AppStatus } from '../../../shared/contract';
import { plural } from '../format';

export function Header({ status }: { status: AppStatus | undefined }): React.JSX.Element {
  return (
    <header className="header">
      <div className="brand">
        <span className="brand-name">Backorder Desk</span>
        {status && <span className="store-name">{status.storeName}</span>}
      </div>
      {status && (
        <ul className="header-counts" aria-label="Summary">
          <li>{plural(status.counts.openBackorders, 'open backorder')}</li>
          <li>{plural(status.counts.drafts, 'draft')} to review</li>
          <li>{status.counts.approved} approved</li>
          {status.counts.failed + status.counts.unknown > 0 && (
            <li className="attention">
              {plural(status.counts.failed + status.counts.unknown, 'message')}{' '}
              {status.counts.failed + status.counts.unknown === 1 ? 'needs' : 'need'} a look
            </li>
          )}
          <li className={status.counts.openTasks > 0 ? 'attention' : undefined}>
            {plural(status.counts.openTasks, 'open task')}
          </li>
        </ul>
      )}
    </header>
  );
}
