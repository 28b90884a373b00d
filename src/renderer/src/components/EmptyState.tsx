/** What a view shows when it has nothing to list, with the one next step that helps. */
import type { ReactNode } from 'react';

export interface EmptyStateProps {
  title: string;
  children?: ReactNode;
  action?: { label: string; href: string };
}

export function EmptyState({ title, children, action }: EmptyStateProps): React.JSX.Element {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      {children && <p>{children}</p>}
      {action && (
        <a className="button button-primary" href={action.href}>
          {action.label}
        </a>
      )}
    </div>
  );
}
