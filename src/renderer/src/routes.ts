/** The app's views and their addresses (the URL hash, so reloads keep the view and no server routing is needed). */
export type ViewId = 'backorders' | 'review' | 'tasks' | 'import' | 'suppliers' | 'settings';

export const views: readonly { id: ViewId; label: string }[] = [
  { id: 'backorders', label: 'Backorders' },
  { id: 'review', label: 'Review queue' },
  { id: 'tasks', label: 'Tasks' },
  { id: 'import', label: 'Import' },
  { id: 'suppliers', label: 'Suppliers' },
  { id: 'settings', label: 'Settings' },
];

/** The view named by a location hash such as "#/review"; Backorders when none or unknown. */
export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '').split('/')[0];
  return views.find((v) => v.id === id)?.id ?? 'backorders';
}

/** The hash of a view, for links. */
export function hrefOf(view: ViewId): string {
  return `#/${view}`;
}

/** The task named by a hash such as "#/tasks/12" (a notification opens its task), or null. */
export function taskFromHash(hash: string): number | null {
  const m = /^#\/?tasks\/(\d+)$/.exec(hash);
  return m ? Number(m[1]) : null;
}
