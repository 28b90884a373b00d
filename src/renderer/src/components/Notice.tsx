/** Inline messages: errors (announced at once) and calm hints. */
import type { ReactNode } from 'react';

export function ErrorNote({ message }: { message: string | null | undefined }): React.JSX.Element | null {
  if (!message) return null;
  return (
    <p className="notice notice-error" role="alert">
      {message}
    </p>
  );
}

export function Hint({ children }: { children: ReactNode }): React.JSX.Element {
  return <p className="notice notice-hint">{children}</p>;
}
