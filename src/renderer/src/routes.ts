/** The app's views and their addresses (the URL hash, so reloads keep the view and no server routing is needed). */
export type ViewId = 'backorders' | 'review' | 'tasks' | 'import' | 'settings';

export const views: readonly { id: ViewId; label: string }[] = [
  { id: 'backorders', label: 'Backorders' },
  { id: 'review', label: 'Review queue' },
  { id: 'tasks', label: 'Tasks' },
  { id: 'import', label: 'Import' },
  { id: 'settings', label: 'Settings' },
];

/** The view named by a location hash such as "#/review"; Backorders when none or unknown. */
export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '');
  return views.find((v) => v.id === id)?.id ?? 'backorders';
}

/** The hash of a view, for links. */
export function hrefOf(view: ViewId): string {
  return `#/${view}`;
}
