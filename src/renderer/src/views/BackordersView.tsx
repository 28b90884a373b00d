/** Backorders: every open backordered line, who waits for it, for how long, and what happens next. */
import type { BackorderRow, FtcConsentState } from '../../../shared/domain';
import { EmptyState } from '../components/EmptyState';
import { ErrorNote } from '../components/Notice';
import { SegmentChips } from '../components/SegmentChips';
import { dueLabel, plural } from '../format';
import { useCommand } from '../hooks/useCommand';
import { hrefOf } from '../routes';

/** How a drafted, unsent message of the backorder stands, in the owner's words. */
const PENDING_STATUS: Record<'draft' | 'approved' | 'failed', string> = {
  draft: 'Drafted, waiting for your review',
  approved: 'Approved, waiting to be sent',
  failed: 'Sending failed: retry in the review queue',
};
import { ViewHeading } from './ViewHeading';

export function BackordersView({ now }: { now: string }): React.JSX.Element {
  const { data, error, loading } = useCommand('backorders.list', {}, ['backorders']);

  return (
    <section aria-labelledby="backorders-heading">
      <ViewHeading id="backorders-heading">Backorders</ViewHeading>
      <ErrorNote message={error} />
      {data === undefined ? (
        loading && <p className="muted">Loading backorders…</p>
      ) : data.length === 0 ? (
        <EmptyState title="No backorders" action={{ label: 'Import Shopify exports', href: hrefOf('import') }}>
          Nothing is waiting on stock — or no orders have been imported yet. Import your Shopify order,
          product, inventory and customer exports to find the customers who are waiting.
        </EmptyState>
      ) : (
        <BackorderTable rows={data} now={now} />
      )}
    </section>
  );
}

/** The FTC second-delay consent round as a chip (US stores; 16 CFR 435.2(b)(2)). */
const FTC_LABEL: Record<FtcConsentState, string> = {
  awaiting: 'Awaiting consent',
  consented: 'Consented to wait',
  cancel_requested: 'Asked to cancel',
  overdue: 'No consent: cancel',
};
const FTC_TITLE = 'Second delay: under the FTC Mail Order Rule the customer must agree to wait, or the order is cancelled and refunded.';

function BackorderTable({ rows, now }: { rows: BackorderRow[]; now: string }): React.JSX.Element {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Open backorders, oldest order first</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Customer</th>
            <th scope="col">Item</th>
            <th scope="col" className="num">
              Backordered
            </th>
            <th scope="col" className="num">
              Waiting
            </th>
            <th scope="col" className="col-next">
              Next step
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.backorderId}>
              <td>
                <span className="strong">{row.orderName}</span>
                {row.paused && <span className="chip chip-paused">Paused</span>}
                {row.ftcConsent && (
                  <span className={`chip chip-ftc chip-ftc-${row.ftcConsent}`} title={FTC_TITLE}>
                    {FTC_LABEL[row.ftcConsent]}
                  </span>
                )}
              </td>
              <td>
                <div>{row.customerName ?? row.customerEmail ?? 'Unknown customer'}</div>
                {row.customerName && row.customerEmail && <div className="muted small">{row.customerEmail}</div>}
                <SegmentChips segments={row.segments} />
              </td>
              <td>
                <div>{row.lineItemName}</div>
                {row.sku && <div className="muted small">SKU {row.sku}</div>}
              </td>
              <td className="num">
                {row.quantityBackordered} of {row.quantityOrdered}
              </td>
              <td className="num">{plural(row.daysWaiting, 'day')}</td>
              <td>
                {row.pendingMessage ? (
                  // A drafted message that has not gone out yet comes first: the timeline's next step
                  // would otherwise read "Day 3 update" while the initial notice still sits in review.
                  <>
                    <div>{row.pendingMessage.label}</div>
                    <div className="muted small">{PENDING_STATUS[row.pendingMessage.status]}</div>
                  </>
                ) : row.nextStep ? (
                  <>
                    <div>{row.nextStep.label}</div>
                    <div className="muted small">{row.paused ? 'Paused' : dueLabel(row.nextStep.dueAt, now)}</div>
                  </>
                ) : (
                  <span className="muted">No steps left</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
