/** The current view from the URL hash, following back/forward and link clicks. */
import { useEffect, useState } from 'react';
import { viewFromHash, type ViewId } from '../routes';

export function useHashView(): ViewId {
  const [view, setView] = useState<ViewId>(() => viewFromHash(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setView(viewFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return view;
}
