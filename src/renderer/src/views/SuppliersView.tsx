/**
 * Suppliers: the scorecard (on-time rate, median slip, misses in a row, latest quotes and their
 * sources) and each supplier's settings (lead and transit days, numeric date order, contact
 * addresses), its sheet (CSV import, linked Google Sheet), and the watched EDI folder. Talks only
 * through the contract: 'suppliers.scorecard', 'suppliers.list', 'suppliers.update' and those of
 * SupplierSheets.tsx.
 */
import { useId, useState } from 'react';
import { supplierUpdateSchema, type DateLocale, type ScorecardRow, type SupplierRow } from '../../../shared/eta';
import { call, errorText } from '../client';
import { EmptyState } from '../components/EmptyState';
import { ErrorNote } from '../components/Notice';
import { checkFields, fieldsFromMessage, type FieldErrors } from '../fieldErrors';
import { useFocusFirstInvalid } from '../hooks/useFocusFirstInvalid';
import { EdiFolderPanel, SupplierSheets } from '../components/SupplierSheets';
import { useCommand } from '../hooks/useCommand';
import { ViewHeading } from './ViewHeading';

const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);
const days = (x: number | null): string => (x === null ? '—' : `${x > 0 ? '+' : ''}${x} d`);

function Scorecard({ rows }: { rows: ScorecardRow[] }): React.JSX.Element {
  return (
    // Wrapped so that on a narrow window the table scrolls inside its box, not the page.
    <div className="table-wrap">
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
    </div>
  );
}

type SupplierField = 'lead' | 'transit' | 'locale' | 'emails';

/** One sentence per field of the supplier form, shown next to it. */
const supplierSentences: Record<SupplierField, string> = {
  lead: 'Lead time must be a whole number of days from 0 to 730, or empty if you don’t know it.',
  transit: 'Transit must be a whole number of days from 0 to 365.',
  locale: 'Choose how this supplier writes dates.',
  emails: 'Enter email addresses separated by commas, e.g. orders@supplier.example.',
};

/** The form field an issue path of `suppliers.update` belongs to. */
function supplierFieldOf(path: string): SupplierField | undefined {
  const top = path.split('.')[0];
  if (top === 'leadTimeDays') return 'lead';
  if (top === 'transitDays') return 'transit';
  if (top === 'dateLocale') return 'locale';
  if (top === 'emails') return 'emails';
  return undefined;
}

/** "12" → 12; anything else (blank, "two", "1.5") → NaN, which the schema refuses. */
function wholeDays(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
}

function SupplierForm({ supplier, onSaved }: { supplier: SupplierRow; onSaved: () => void }): React.JSX.Element {
  const uid = useId();
  const [lead, setLead] = useState(supplier.leadTimeDays === null ? '' : String(supplier.leadTimeDays));
  const [transit, setTransit] = useState(String(supplier.transitDays));
  const [locale, setLocale] = useState<DateLocale | ''>(supplier.dateLocale ?? '');
  const [emails, setEmails] = useState(supplier.emails.join(', '));
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<SupplierField>>({});
  const [saving, setSaving] = useState(false);
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();
  const save = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    const input = {
      name: supplier.name,
      leadTimeDays: lead.trim() === '' ? null : wholeDays(lead),
      transitDays: wholeDays(transit),
      dateLocale: locale === '' ? null : locale,
      emails: emails.split(',').map((x) => x.trim()).filter(Boolean),
    };
    // Every field a person has to fix, at once, in plain words (the schema is the core's own).
    const problems = checkFields(supplierUpdateSchema, input, supplierFieldOf, supplierSentences);
    setFieldErrors(problems.fields);
    if (Object.keys(problems.fields).length > 0 || problems.form) {
      setError(problems.form ?? 'Not saved: see the notes under the marked fields.');
      focusFirstInvalid();
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await call('suppliers.update', input);
      onSaved();
    } catch (err) {
      const fields = fieldsFromMessage(errorText(err), supplierFieldOf, supplierSentences);
      setFieldErrors(fields);
      setError(Object.keys(fields).length > 0 ? 'Not saved: see the notes under the marked fields.' : errorText(err));
      focusFirstInvalid();
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="card" onSubmit={(e) => void save(e)} aria-label={`Settings of ${supplier.name}`} ref={formRef}>
      <h2>{supplier.name}</h2>
      <p>{supplier.variantCount} variants (Vendor “{supplier.vendor ?? supplier.name}”{supplier.variantIds.length ? ` and ${supplier.variantIds.length} assigned` : ''})</p>
      <label htmlFor={`${uid}-lead`}>Lead time (days)</label>
      <input id={`${uid}-lead`} inputMode="numeric" value={lead} onChange={(e) => setLead(e.target.value)} aria-invalid={fieldErrors.lead ? true : undefined} aria-describedby={fieldErrors.lead ? `${uid}-lead-error` : undefined} />
      <FieldProblem id={`${uid}-lead-error`} text={fieldErrors.lead} />
      <label htmlFor={`${uid}-transit`}>Transit (days)</label>
      <input id={`${uid}-transit`} inputMode="numeric" value={transit} onChange={(e) => setTransit(e.target.value)} aria-invalid={fieldErrors.transit ? true : undefined} aria-describedby={fieldErrors.transit ? `${uid}-transit-error` : undefined} />
      <FieldProblem id={`${uid}-transit-error`} text={fieldErrors.transit} />
      <label htmlFor={`${uid}-locale`}>Dates like 03/04 mean</label>
      <select id={`${uid}-locale`} value={locale} onChange={(e) => setLocale(e.target.value as DateLocale | '')}>
        <option value="">Unknown (ask me)</option>
        <option value="en-US">March 4 (month/day)</option>
        <option value="en-GB">3 April (day/month)</option>
      </select>
      <FieldProblem id={`${uid}-locale-error`} text={fieldErrors.locale} />
      <label htmlFor={`${uid}-emails`}>Contact addresses</label>
      <input id={`${uid}-emails`} value={emails} onChange={(e) => setEmails(e.target.value)} aria-invalid={fieldErrors.emails ? true : undefined} aria-describedby={fieldErrors.emails ? `${uid}-emails-error` : undefined} />
      <FieldProblem id={`${uid}-emails-error`} text={fieldErrors.emails} />
      <ErrorNote message={error} />
      <button type="submit" disabled={saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

/** A field's problem sentence under it (nothing when the field is fine). */
function FieldProblem({ id, text }: { id: string; text: string | undefined }): React.JSX.Element | null {
  return text ? (
    <p id={id} className="field-error">
      {text}
    </p>
  ) : null;
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
