/**
 * The app shell: header with the store's counts, the left navigation, and the current view. Counts
 * come from `app.status` and refresh with every `data.changed` event.
 */
import { useEffect } from 'react';
import { isWebMode, hasWebToken } from './client';
import { AccessNeeded } from './components/AccessNeeded';
import { Header } from './components/Header';
import { Nav } from './components/Nav';
import { ErrorNote } from './components/Notice';
import { plural } from './format';
import { useCommand } from './hooks/useCommand';
import { useConnection } from './hooks/useConnection';
import { useHashView } from './hooks/useHashView';
import type { ViewId } from './routes';
import { BackordersView } from './views/BackordersView';
import { ImportView } from './views/ImportView';
import { ReviewQueueView } from './views/ReviewQueueView';
import { SettingsView } from './views/SettingsView';
import { SuppliersView } from './views/SuppliersView';
import { TasksView } from './views/TasksView';

export function App(): React.JSX.Element {
  const view = useHashView();
  const connected = useConnection();
  const status = useCommand('app.status', {}, ['status', 'backorders', 'drafts', 'tasks']);
  const counts = status.data?.counts;
  const openTasks = counts?.openTasks ?? 0;

  useEffect(() => {
    document.title = openTasks > 0 ? `Backorder Desk (${plural(openTasks, 'task')})` : 'Backorder Desk';
  }, [openTasks]);

  // The core's clock (faked in tests and sandbox runs) decides what "due" and "ago" mean.
  const now = status.data?.now ?? new Date().toISOString();

  if (isWebMode() && (!hasWebToken() || status.errorCode === 'UNAUTHORIZED')) return <AccessNeeded />;

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={skipToContent}>
        Skip to content
      </a>
      <Header status={status.data} />
      <div className="layout">
        <Nav
          current={view}
          badges={{
            review: { count: counts?.drafts ?? 0, description: `${plural(counts?.drafts ?? 0, 'draft')} to review` },
            tasks: { count: openTasks, description: `${plural(openTasks, 'open task')}` },
          }}
        />
        <main id="main" className="main" tabIndex={-1}>
          {!connected && (
            <ErrorNote message="Lost the connection to Backorder Desk. If the app restarted, open the new link it printed." />
          )}
          <ErrorNote message={status.error} />
          <CurrentView
            view={view}
            now={now}
            timezone={status.data?.timezone}
            emailConfigured={status.data?.emailConfigured ?? true}
          />
        </main>
      </div>
    </div>
  );
}

/** The URL hash names the view, so the skip link moves focus itself instead of navigating. */
function skipToContent(e: React.MouseEvent<HTMLAnchorElement>): void {
  e.preventDefault();
  document.getElementById('main')?.focus();
}

interface CurrentViewProps {
  view: ViewId;
  now: string;
  timezone: string | undefined;
  emailConfigured: boolean;
}

function CurrentView({ view, now, timezone, emailConfigured }: CurrentViewProps): React.JSX.Element {
  switch (view) {
    case 'backorders':
      return <BackordersView now={now} />;
    case 'review':
      return <ReviewQueueView timezone={timezone} emailConfigured={emailConfigured} />;
    case 'tasks':
      return <TasksView now={now} timezone={timezone} />;
    case 'import':
      return <ImportView />;
    case 'suppliers':
      return <SuppliersView />;
    case 'settings':
      return <SettingsView />;
  }
}
