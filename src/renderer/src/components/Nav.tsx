/** Left navigation: one link per view, with counts that need attention as badges. */
import type { ViewId } from '../routes';
import { hrefOf, views } from '../routes';

export interface NavProps {
  current: ViewId;
  /** Badge counts by view; zero or absent shows no badge. */
  badges: Partial<Record<ViewId, { count: number; description: string }>>;
}

export function Nav({ current, badges }: NavProps): React.JSX.Element {
  return (
    <nav className="nav" aria-label="Main">
      <ul>
        {views.map((view) => {
          const badge = badges[view.id];
          const showBadge = badge !== undefined && badge.count > 0;
          return (
            <li key={view.id}>
              <a href={hrefOf(view.id)} aria-current={view.id === current ? 'page' : undefined}>
                <span>{view.label}</span>
                {showBadge && (
                  <>
                    <span className="badge" aria-hidden="true">
                      {badge.count}
                    </span>
                    <span className="visually-hidden">, {badge.description}</span>
                  </>
                )}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
