/**
 * The sheet and EDI entries of the Suppliers view: import a supplier's sheet (a CSV file) with its
 * column mapping, link a Google Sheet (read through the Google connection of Settings → Gmail) and
 * read it again, and the watched EDI folder with the files it handled and why any was refused.
 * Talks only through the contract: 'eta.importSheet', 'eta.linkSheet', 'eta.syncSheets',
 * 'eta.ediFiles', 'settings.update'.
 */
import { useId, useState } from 'react';
import type { SheetImportReport, SheetMapping, SupplierRow } from '../../../shared/eta';
import { call, errorText } from '../client';
import { useCommand } from '../hooks/useCommand';
import { useEvent } from '../hooks/useEvent';
import { ErrorNote, Hint } from './Notice';

function ReportNote({ report }: { report: SheetImportReport }): React.JSX.Element {
  return (
    <div role="status" className="sheet-report">
      <p>
        {report.file}: {report.rowsRead} lines, {report.stored} new quotes, {report.unchanged} unchanged
        {report.problems.length ? `, ${report.problems.length} not read:` : '.'}
      </p>
      {report.problems.length > 0 && (
        <ul>
          {report.problems.slice(0, 20).map((p) => (
            <li key={`${p.line}:${p.column}:${p.message}`}>
              line {p.line}, column “{p.column}”: {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** CSV import and Google Sheet link for one supplier. */
export function SupplierSheets({ supplier, onChanged }: { supplier: SupplierRow; onChanged: () => void }): React.JSX.Element {
  const uid = useId();
  const saved = supplier.sheetMapping;
  const [sku, setSku] = useState(saved?.sku ?? '');
  const [date, setDate] = useState(saved?.date ?? '');
  const [dateEnd, setDateEnd] = useState(saved?.dateEnd ?? '');
  const [quantity, setQuantity] = useState(saved?.quantity ?? '');
  const [po, setPo] = useState(saved?.po ?? '');
  const [sheet, setSheet] = useState(saved?.googleSheetId ?? '');
  const [range, setRange] = useState(saved?.googleRange ?? '');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<SheetImportReport | null>(null);

  // Empty header fields: the saved mapping, or a guess from the sheet's header.
  const mapping = (): SheetMapping | undefined =>
    sku.trim() && date.trim()
      ? { sku: sku.trim(), date: date.trim(), ...(dateEnd.trim() ? { dateEnd: dateEnd.trim() } : {}), ...(quantity.trim() ? { quantity: quantity.trim() } : {}), ...(po.trim() ? { po: po.trim() } : {}) }
      : undefined;
  const run = (label: string, p: () => Promise<SheetImportReport>): void => {
    setBusy(label);
    setError(null);
    p()
      .then((r) => {
        setReport(r);
        onChanged();
      }, (err: unknown) => setError(errorText(err)))
      .finally(() => setBusy(null));
  };
  const importFile = (file: File): void => {
    run('import', async () => {
      const m = mapping();
      return call('eta.importSheet', { supplier: supplier.name, name: file.name, content: await file.text(), ...(m ? { mapping: m } : {}) });
    });
  };

  return (
    <section className="card" aria-label={`Sheets of ${supplier.name}`}>
      <h3>Supplier sheet</h3>
      <Hint>
        A sheet lists SKU, quantity, quoted date (or from/to dates) and optionally the PO, one line per item. Give the column headers once; they are
        saved for this supplier. Left empty, they are guessed from the header. Dates are read as this supplier writes them (date order above).
      </Hint>
      <div className="mapping" role="group" aria-label="Sheet columns">
        <label htmlFor={`${uid}-sku`}>SKU column</label>
        <input id={`${uid}-sku`} value={sku} onChange={(e) => setSku(e.target.value)} placeholder="e.g. Item" />
        <label htmlFor={`${uid}-date`}>Date column</label>
        <input id={`${uid}-date`} value={date} onChange={(e) => setDate(e.target.value)} placeholder="e.g. ETA or Ship date" />
        <label htmlFor={`${uid}-end`}>Date-to column (optional)</label>
        <input id={`${uid}-end`} value={dateEnd} onChange={(e) => setDateEnd(e.target.value)} />
        <label htmlFor={`${uid}-qty`}>Quantity column (optional)</label>
        <input id={`${uid}-qty`} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        <label htmlFor={`${uid}-po`}>PO column (optional)</label>
        <input id={`${uid}-po`} value={po} onChange={(e) => setPo(e.target.value)} />
      </div>
      <label htmlFor={`${uid}-file`}>Import a CSV sheet</label>
      <input
        id={`${uid}-file`}
        type="file"
        accept=".csv,.tsv,.txt,text/csv"
        disabled={busy !== null}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) importFile(f);
          e.target.value = '';
        }}
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const m = mapping();
          run('link', async () => (await call('eta.linkSheet', { supplier: supplier.name, sheet, ...(range.trim() ? { range: range.trim() } : {}), ...(m ? { mapping: m } : {}) })).report);
        }}
      >
        <label htmlFor={`${uid}-sheet`}>Google Sheet (address or id)</label>
        <input id={`${uid}-sheet`} value={sheet} onChange={(e) => setSheet(e.target.value)} placeholder="https://docs.google.com/spreadsheets/d/…" />
        <label htmlFor={`${uid}-range`}>Tab and cells (optional)</label>
        <input id={`${uid}-range`} value={range} onChange={(e) => setRange(e.target.value)} placeholder="first tab, A:Z" />
        <Hint>Uses your Google connection (Settings → Gmail). The first time, reconnect Google so it can grant read-only access to sheets.</Hint>
        <div className="actions">
          <button type="submit" disabled={busy !== null || sheet.trim().length < 10}>{busy === 'link' ? 'Reading…' : 'Link and read'}</button>
          {saved?.googleSheetId && (
            <button type="button" disabled={busy !== null} onClick={() => run('sync', async () => {
              const [r] = await call('eta.syncSheets', { supplier: supplier.name });
              if (!r) throw new Error('No Google Sheet is linked.');
              return r;
            })}>
              {busy === 'sync' ? 'Reading…' : 'Read the sheet again'}
            </button>
          )}
        </div>
      </form>
      <ErrorNote message={error} />
      {report && <ReportNote report={report} />}
    </section>
  );
}

/** The watched EDI folder: the setting, whether it is watched, the latest files and their outcome. */
export function EdiFolderPanel(): React.JSX.Element {
  const uid = useId();
  const status = useCommand('eta.ediFiles', {}, ['status']);
  const [folder, setFolder] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEvent('edi.imported', () => void status.reload());
  const s = status.data;
  const save = async (value: string): Promise<void> => {
    setError(null);
    try {
      await call('settings.update', { ediFolder: value.trim() });
      setFolder(null);
      await status.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section className="card" aria-labelledby={`${uid}-h`}>
      <h3 id={`${uid}-h`}>EDI folder</h3>
      <Hint>X12 855 (PO acknowledgment) and 856 (ship notice) files dropped into this folder become quotes while the app runs. Each file is read once; it then moves to processed/ or, if it cannot be read, failed/. Files that are not X12 are left where they are.</Hint>
      <form onSubmit={(e) => { e.preventDefault(); void save(folder ?? s?.folder ?? ''); }}>
        <label htmlFor={`${uid}-folder`}>Folder to watch</label>
        <input id={`${uid}-folder`} value={folder ?? s?.folder ?? ''} onChange={(e) => setFolder(e.target.value)} placeholder="/Users/you/EDI/inbox" />
        <button type="submit">Save folder</button>
      </form>
      <ErrorNote message={error ?? status.error ?? s?.problem ?? null} />
      {s && s.folder && !s.watching && <p className="muted">Not watched in this window: folders are watched by the desktop app and by web mode.</p>}
      {s && s.skipped.length > 0 && <p className="muted">Left in place (not X12): {s.skipped.join(', ')}</p>}
      {s && s.files.length > 0 && (
        <table className="table" aria-label="EDI files">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">When</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {s.files.map((f) => (
              <tr key={`${f.file}:${f.handledAt}`}>
                <th scope="row">{f.file}</th>
                <td>{f.handledAt}</td>
                <td>{f.status === 'imported' ? `${f.quotes} quotes${f.unmatched ? `, ${f.unmatched} lines without a known SKU` : ''}` : `refused: ${f.error ?? ''}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
