/**
 * The tray icon: shows how many escalation tasks wait for a person and raises a native
 * notification for new ones (several at once become one summary). Clicking opens the window.
 */
import path from 'node:path';
import { app, Menu, nativeImage, Notification, Tray } from 'electron';
import type { Core } from '../app/core';
import { planTaskNotifications } from '../app/notifications';

export interface TrayHandle {
  refresh(): void;
  destroy(): void;
}

/** `open(taskId)` shows the window on that task; without an id, on the Tasks view or where it was. */
export function createTray(core: Core, actions: { open: (taskId?: number | null) => void; quit: () => void }): TrayHandle {
  const icon = nativeImage.createFromPath(path.join(app.getAppPath(), 'resources', 'tray.png'));
  const tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon.resize({ width: 16, height: 16 }));
  let seen: Set<number> | null = null;

  const refresh = (): void => {
    void core.dispatch('app.status', {}).then((r) => {
      if (!r.ok) return;
      const open = r.value.counts.openTasks;
      const label = open === 1 ? '1 task needs you' : `${open} tasks need you`;
      tray.setToolTip(`Backorder Desk — ${label}, ${r.value.counts.drafts} drafts to review`);
      if (process.platform === 'darwin') tray.setTitle(open ? String(open) : '');
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label: `Open Backorder Desk (${label})`, click: () => actions.open() },
          { label: 'Check now', click: () => void core.dispatch('scheduler.tick', {}) },
          { type: 'separator' },
          { label: 'Quit', click: actions.quit },
        ]),
      );
    });
    // Which notifications to raise is decided by a pure function (coalescing, tested without Electron).
    void core.dispatch('tasks.list', { status: 'open' }).then((r) => {
      if (!r.ok) return;
      const plan = planTaskNotifications(seen, r.value);
      seen = plan.seen;
      if (!Notification.isSupported()) return;
      for (const p of plan.notifications) {
        const n = new Notification({ title: p.title, body: p.body });
        n.on('click', () => actions.open(p.taskId));
        n.show();
      }
    });
  };
  tray.on('click', () => actions.open());
  const off = core.on('data.changed', (p) => {
    if (p.views.includes('tasks') || p.views.includes('status')) refresh();
  });
  refresh();
  return {
    refresh,
    destroy: () => {
      off();
      tray.destroy();
    },
  };
}
