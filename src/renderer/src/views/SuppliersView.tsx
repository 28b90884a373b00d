/**
 * Suppliers: the scorecard (on-time rate, median slip, misses in a row, latest quotes and their
 * sources) and each supplier's settings (lead and transit days, numeric date order, contact
 * addresses), its sheet (CSV import, linked Google Sheet), and the watched EDI folder. Talks only
 * through the contract: 'suppliers.scorecard', 'suppliers.list', 'suppliers.update' and those of
 * SupplierSheets.tsx.
 */
import { useId, useState } from 'react';
import type { DateLocale, ScorecardRow, SupplierRow } from '../../../shared/eta';
import { call, errorText } from '../client';
import { EmptyState } from '../components/EmptyState';
import { ErrorNote } from '../components/Notice';
import { EdiFolderPanel, SupplierSheets } from '../components/SupplierSheets';
import { useCommand } from '../hooks/useCommand';
import { ViewHeading } from './ViewHeading';

const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);
const days = (x: number | null): string => (x === null ? '—' : `${x > 0 ? '+' : ''}${x} d`);

function Scorecard({ rows }: { rows: ScorecardRow[] }): React.JSX.Element {
  return (
    <table className="table" aria-label="Supplier scorecard">
      <thead>
        <tr>
          <th scope="col">Supplier</th>
          <th scope="col">Arrivals</th>
          <th scope="col">On time</th>
          <th scope="col">Median slip</th>
          <th scope="col">Misses in a row</th>
          <th scope="col">Latest quotes</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.supplier}>
            <th scope="row">{r.supplier}</th>
            <td>{r.arrivals}</td>
            <td>{pct(r.onTimeRate)}</td>
            <td>{days(r.medianSlipDays)}</td>
            <td>{r.missesInRow >= 2 ? <strong>missed {r.missesInRow} times in a row</strong> : r.missesInRow}</td>
            <td>
              {r.latestQuotes.length === 0
                ? '—'
                : r.latestQuotes.map((q) => (
                    <div key={q.id} title={q.sentence}>
                      {q.kind === 'unknown' ? 'no date' : q.start === q.end ? q.start : `${q.start} – ${q.end}`}
                      {q.isShipDate ? ' (ships)' : ''} · {q.source}
                      {q.confidence < 0.6 ? ' · needs a check' : ''}
                    </div>
                  ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SupplierForm({ supplier, onSaved }: { supplier: SupplierRow; onSaved: () => void }): React.JSX.Element {
  const uid = useId();
  const [lead, setLead] = useState(supplier.leadTimeDays === null ? '' : String(supplier.leadTimeDays));
  const [transit, setTransit] = useState(String(supplier.transitDays));
  const [locale, setLocale] = useState<DateLocale | ''>(supplier.dateLocale ?? '');
  const [emails, setEmails] = useState(supplier.emails.join(', '));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const save = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await call('suppliers.update', {
        name: supplier.name,
        leadTimeDays: lead.trim() === '' ? null : Number(lead),
        transitDays: Number(transit),
        dateLocale: locale === '' ? null : locale,
        emails: emails.split(',').map((x) => x.trim()).filter(Boolean),
      });
      onSaved();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="card" onSubmit={(e) => void save(e)} aria-label={`Settings of ${supplier.name}`}>
      <h2>{supplier.name}</h2>
      <p>{supplier.variantCount} variants (Vendor “{supplier.vendor ?? supplier.name}”{supplier.variantIds.length ? ` and ${supplier.variantIds.length} assigned` : ''})</p>
      <label htmlFor={`${uid}-lead`}>Lead time (days)</label>
      <input id={`${uid}-lead`} inputMode="numeric" value={lead} onChange={(e) => setLead(e.target.value)} />
      <label htmlFor={`${uid}-transit`}>Transit (days)</label>
      <input id={`${uid}-transit`} inputMode="numeric" value={transit} onChange={(e) => setTransit(e.target.value)} />
      <label htmlFor={`${uid}-locale`}>Dates like 03/04 mean</label>
      <select id={`${uid}-locale`} value={locale} onChange={(e) => setLocale(e.target.value as DateLocale | '')}>
        <option value="">Unknown (ask me)</option>
        <option value="en-US">March 4 (month/day)</option>
        <option value="en-GB">3 April (day/month)</option>
      </select>
      <label htmlFor={`${uid}-emails`}>Contact addresses</label>
      <input id={`${uid}-emails`} value={emails} onChange={(e) => setEmails(e.target.value)} />
      <ErrorNote message={error} />
      <button type="submit" disabled={saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

export function SuppliersView(): React.JSX.Element {
  const card = useCommand('suppliers.scorecard', {}, ['status']);
  const list = useCommand('suppliers.list', {}, ['status']);
  const [selected, setSelected] = useState<string | null>(null);
  const current = list.data?.find((s) => s.name === (selected ?? list.data?.[0]?.name));
  const reload = (): void => {
    void card.reload();
    void list.reload();
  };
  return (
    <section aria-labelledby="suppliers-heading">
      <ViewHeading id="suppliers-heading">Suppliers</ViewHeading>
      <ErrorNote message={card.error ?? list.error} />
      {card.data && card.data.length === 0 && !card.loading ? (
        <EmptyState title="No suppliers yet">Suppliers are made from your products' Vendor after an import.</EmptyState>
      ) : (
        card.data && <Scorecard rows={card.data} />
      )}
      {list.data && list.data.length > 0 && (
        <div className="filters" role="group" aria-label="Choose a supplier">
          <label htmlFor="supplier-pick">Supplier</label>
          <select id="supplier-pick" value={current?.name ?? ''} onChange={(e) => setSelected(e.target.value)}>
            {list.data.map((s) => (
              <option key={s.id} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {current && <SupplierForm key={`${current.id}:${current.updatedAt}`} supplier={current} onSaved={reload} />}
      {current && <SupplierSheets key={`sheets:${current.id}`} supplier={current} onChanged={reload} />}
      <EdiFolderPanel />
    </section>
  );
}
