/**
 * Which native notifications new escalation tasks raise. Pure, so the Electron tray (a thin shell
 * that cannot run here) only shows what this decides:
 * - the first look (app start) only remembers what is open: no burst of old tasks;
 * - one new task → one notification that opens that task;
 * - several new at once → one summary ("3 tasks need you: 1 callback, 2 unhappy replies") that opens
 *   the Tasks view, callbacks named first.
 */
import type { TaskRow } from '../../shared/domain';

export interface PlannedNotification {
  title: string;
  body: string;
  /** The task to open on click; null = the Tasks view. */
  taskId: number | null;
}

/** How a task kind reads in a notification. */
const KIND_WORDS: Record<string, [string, string]> = {
  callback_requested: ['callback request', 'callback requests'],
  negative_reply: ['unhappy reply', 'unhappy replies'],
  cancel_requested: ['cancellation request', 'cancellation requests'],
  ftc_no_consent: ['FTC cancellation due', 'FTC cancellations due'],
  ftc_consent_unclear: ['unclear answer to an FTC consent request', 'unclear answers to FTC consent requests'],
  high_value_cancellation: ['high-value order at day 14', 'high-value orders at day 14'],
  vip_personal_outreach: ['VIP to reach personally', 'VIPs to reach personally'],
  eta_beyond_limit: ['ETA beyond the limit', 'ETAs beyond the limit'],
  partial_shipment: ['partial shipment to confirm', 'partial shipments to confirm'],
  swap_item: ['item swap', 'item swaps'],
  address_change: ['address change', 'address changes'],
  no_contact: ['customer without contact', 'customers without contact'],
  sender_not_customer: ['message from someone not the customer', 'messages from someone not the customer'],
};

function words(kind: string, n: number): string {
  const w = KIND_WORDS[kind] ?? [kind.replace(/_/g, ' '), `${kind.replace(/_/g, ' ')} tasks`];
  return `${n} ${n === 1 ? w[0] : w[1]}`;
}

/**
 * Plans notifications for the open tasks now, given the ids already seen (null on the first look).
 * @returns the notifications to show (0 or 1) and the ids seen from now on.
 */
export function planTaskNotifications(seen: ReadonlySet<number> | null, open: readonly TaskRow[]): { notifications: PlannedNotification[]; seen: Set<number> } {
  const next = new Set(open.map((t) => t.id));
  if (seen === null) return { notifications: [], seen: next };
  const fresh = open.filter((t) => !seen.has(t.id)).sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || a.id - b.id);
  if (!fresh.length) return { notifications: [], seen: next };
  if (fresh.length === 1) {
    const t = fresh[0]!;
    const who = [t.orderName, t.customerName].filter(Boolean).join(' · ');
    return {
      notifications: [{ title: t.kind === 'callback_requested' ? 'Callback requested' : 'A backorder needs you', body: `${who ? `${who}: ` : ''}${t.reason}`, taskId: t.id }],
      seen: next,
    };
  }
  const counts = new Map<string, number>();
  for (const t of fresh) counts.set(t.kind, (counts.get(t.kind) ?? 0) + 1);
  const body = [...counts].map(([k, n]) => words(k, n)).join(', ');
  return { notifications: [{ title: `${fresh.length} tasks need you`, body, taskId: null }], seen: next };
}
