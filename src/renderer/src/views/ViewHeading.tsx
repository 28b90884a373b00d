/**
 * A view's heading. It takes focus when the view opens so keyboard and screen-reader users land on
 * the new content instead of staying in the navigation.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export interface ViewHeadingProps {
  /** Id for the section's aria-labelledby. */
  id: string;
  children: ReactNode;
  /** Buttons shown at the right of the heading. */
  actions?: ReactNode;
}

export function ViewHeading({ id, children, actions }: ViewHeadingProps): React.JSX.Element {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div className="view-heading">
      <h1 id={id} ref={ref} tabIndex={-1}>
        {children}
      </h1>
      {actions && <div className="view-actions">{actions}</div>}
    </div>
  );
}
