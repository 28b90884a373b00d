/**
 * Review queue: drafts to read, edit and approve; approved messages waiting for the batch send; and
 * messages whose sending failed or ended unknown, which need a person's decision.
 */
import { useEffect, useRef, useState } from 'react';
import type { MessageRow, MessageStatus } from '../../../shared/domain';
import { call, errorText } from '../client';
import { DraftCard } from '../components/DraftCard';
import { EmptyState } from '../components/EmptyState';
import { MessageCard } from '../components/MessageCard';
import { ErrorNote } from '../components/Notice';
import { SendPanel } from '../components/SendPanel';
import { useCommand } from '../hooks/useCommand';
import { hrefOf } from '../routes';
import { ViewHeading } from './ViewHeading';

/** Sent messages shown before "Show all": the list grows with every batch ever sent. */
const RECENT_SENT = 10;

const shownStatuses: MessageStatus[] = ['draft', 'approved', 'sending', 'failed', 'unknown', 'sent'];

const groups: { status: MessageStatus; title: string; hint?: string }[] = [
  { status: 'draft', title: 'Drafts' },
  { status: 'approved', title: 'Approved', hint: 'These go out with the next “Send all approved”.' },
  { status: 'sending', title: 'Sending' },
  { status: 'failed', title: 'Failed', hint: 'The mail server did not take these. Fix the cause, then retry.' },
  { status: 'unknown', title: 'Unknown' },
  { status: 'sent', title: 'Sent' },
];

export interface ReviewQueueViewProps {
  timezone: string | undefined;
  emailConfigured: boolean;
}

export function ReviewQueueView({ timezone, emailConfigured }: ReviewQueueViewProps): React.JSX.Element {
  const { data, error, loading, reload } = useCommand('drafts.list', { status: shownStatuses }, ['drafts']);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [bulkBusy, setBulkBusy] = useState(false);
  const [bulkError, setBulkError] = useState<string | null>(null);
  const [allSent, setAllSent] = useState(false);

  const messages = data ?? [];
  const byStatus = groupByStatus(messages);
  const drafts = byStatus.get('draft') ?? [];
  const approvedCount = byStatus.get('approved')?.length ?? 0;
  // Selection only ever covers drafts still in the list (others were approved or discarded meanwhile).
  const selectedDrafts = drafts.filter((m) => selected.has(m.id));

  const refresh = (): void => {
    void reload();
  };

  function toggle(id: number, on: boolean): void {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  }

  async function approveSelected(): Promise<void> {
    if (bulkBusy || selectedDrafts.length === 0) return;
    setBulkBusy(true);
    setBulkError(null);
    try {
      const result = await call('drafts.approve', { ids: selectedDrafts.map((m) => m.id) });
      // Refused drafts stay selected, so the person sees which ones still need work.
      setSelected(new Set(result.refused.map((r) => r.id)));
      if (result.refused.length > 0) {
        const names = new Map(selectedDrafts.map((m) => [m.id, `${m.orderName} (${m.stepLabel})`]));
        setBulkError(
          `${result.changed} approved. Not approved: ` +
            result.refused.map((r) => `${names.get(r.id) ?? `#${r.id}`}: ${r.reason}`).join(' · '),
        );
      }
    } catch (err) {
      setBulkError(errorText(err));
    } finally {
      setBulkBusy(false);
      refresh();
    }
  }

  return (
    <section aria-labelledby="review-heading">
      <ViewHeading id="review-heading">Review queue</ViewHeading>
      <SendPanel
        approvedCount={approvedCount}
        listVersion={data}
        emailConfigured={emailConfigured} onFinished={refresh} />
      <ErrorNote message={error} />
      {data === undefined && loading && <p className="muted">Loading messages…</p>}
      {data !== undefined && messages.length === 0 && (
        <EmptyState title="Nothing to review" action={{ label: 'Import Shopify exports', href: hrefOf('import') }}>
          Drafts appear here when a backordered customer is due a message. Import your latest exports to check for
          new backorders.
        </EmptyState>
      )}

      {groups.map(({ status, title, hint }) => {
        const items = byStatus.get(status) ?? [];
        if (items.length === 0) return null;
        const shown = status === 'sent' && !allSent ? newestSent(items).slice(0, RECENT_SENT) : items;
        const headingId = `group-${status}`;
        return (
          <section key={status} className="group" aria-labelledby={headingId}>
            <div className="group-head">
              <h2 id={headingId}>
                {title} <span className="count">({items.length})</span>
              </h2>
              {status === 'draft' && (
                <BulkBar
                  total={items.length}
                  selectedCount={selectedDrafts.length}
                  busy={bulkBusy}
                  onSelectAll={(on) => setSelected(on ? new Set(items.map((m) => m.id)) : new Set())}
                  onApprove={approveSelected}
                />
              )}
            </div>
            {hint && <p className="muted">{hint}</p>}
            {status === 'draft' && <ErrorNote message={bulkError} />}
            <div className="cards">
              {shown.map((m) =>
                status === 'draft' ? (
                  <DraftCard
                    key={m.id}
                    message={m}
                    selected={selected.has(m.id)}
                    onSelectedChange={(on) => toggle(m.id, on)}
                    onChanged={refresh}
                  />
                ) : (
                  <MessageCard key={m.id} message={m} timezone={timezone} onChanged={refresh} />
                ),
              )}
            </div>
            {shown.length < items.length && (
              <button type="button" className="button button-quiet show-all" onClick={() => setAllSent(true)}>
                Show all {items.length} sent messages
              </button>
            )}
          </section>
        );
      })}
    </section>
  );
}

interface BulkBarProps {
  total: number;
  selectedCount: number;
  busy: boolean;
  onSelectAll: (on: boolean) => void;
  onApprove: () => void;
}

function BulkBar({ total, selectedCount, busy, onSelectAll, onApprove }: BulkBarProps): React.JSX.Element {
  const boxRef = useRef<HTMLInputElement>(null);
  const all = selectedCount === total && total > 0;
  useEffect(() => {
    // "Some selected" has no HTML attribute; it is a DOM property only.
    if (boxRef.current) boxRef.current.indeterminate = selectedCount > 0 && !all;
  }, [selectedCount, all]);
  return (
    <div className="bulk-bar">
      <label className="checkbox-label">
        <input ref={boxRef} type="checkbox" checked={all} onChange={(e) => onSelectAll(e.target.checked)} />
        Select all
      </label>
      <button type="button" className="button" disabled={busy || selectedCount === 0} onClick={onApprove}>
        Approve selected ({selectedCount})
      </button>
    </div>
  );
}

function newestSent(items: readonly MessageRow[]): MessageRow[] {
  return [...items].sort((a, b) => (b.sentAt ?? b.updatedAt).localeCompare(a.sentAt ?? a.updatedAt));
}

function groupByStatus(messages: readonly MessageRow[]): Map<MessageStatus, MessageRow[]> {
  const map = new Map<MessageStatus, MessageRow[]>();
  for (const m of messages) {
    const list = map.get(m.status);
    if (list) list.push(m);
    else map.set(m.status, [m]);
  }
  return map;
}
