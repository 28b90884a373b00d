import { describe, expect, it } from 'vitest';
import { planTaskNotifications } from '../../src/main/app/notifications';
import type { TaskRow } from '../../src/shared/domain';

const task = (id: number, kind: string, priority = 0): TaskRow => ({
  id, backorderId: id, orderName: `#${1000 + id}`, kind, reason: `reason ${id}`, recommendedAction: 'x', status: 'open',
  createdAt: '2026-01-01T00:00:00Z', resolvedAt: null, priority, customerName: `C${id}`,
});

describe('planTaskNotifications', () => {
  it('the first look only remembers what is open', () => {
    const r = planTaskNotifications(null, [task(1, 'negative_reply'), task(2, 'eta_beyond_limit')]);
    expect(r.notifications).toEqual([]);
    expect([...r.seen]).toEqual([1, 2]);
  });

  it('one new task: one notification that opens it', () => {
    const r = planTaskNotifications(new Set([1]), [task(1, 'negative_reply'), task(2, 'callback_requested', 2)]);
    expect(r.notifications).toEqual([{ title: 'Callback requested', body: '#1002 · C2: reason 2', taskId: 2 }]);
  });

  it('many at once: one summary that opens the Tasks view, callbacks first', () => {
    const r = planTaskNotifications(new Set(), [task(1, 'negative_reply', 1), task(2, 'callback_requested', 2), task(3, 'negative_reply', 1)]);
    expect(r.notifications).toEqual([{ title: '3 tasks need you', body: '1 callback request, 2 unhappy replies', taskId: null }]);
  });

  it('nothing new (or a task resolved): nothing shown, and a resolved id is forgotten', () => {
    const r = planTaskNotifications(new Set([1, 2]), [task(2, 'negative_reply')]);
    expect(r.notifications).toEqual([]);
    expect([...r.seen]).toEqual([2]);
  });
});
