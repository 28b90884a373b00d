/**
 * Import: the owner picks Shopify CSV exports; the browser reads their bytes (sent as base64, so the
 * importer can tell UTF-8 from a spreadsheet's Windows-1252) and hands their
 * text to `import.files`. Afterwards a scheduler tick runs at once, so the hour-0 notices of new
 * backorders are drafted without waiting for the next timer. Below, mail files (.eml) for a shop not
 * on Gmail: customer replies and supplier mail (MailFilesImport).
 */
import { useId, useState } from 'react';
import type { TickSummary } from '../../../shared/contract';
import type { ImportReport } from '../../../shared/domain';
import { call, errorText } from '../client';
import { ImportReportView } from '../components/ImportReportView';
import { MailFilesImport } from '../components/MailFilesImport';
import { ErrorNote } from '../components/Notice';
import { formatBytes } from '../format';
import { ViewHeading } from './ViewHeading';

/** The contract's per-file limit (contract.ts importFileSchema); checked here to fail before reading. */
const MAX_FILE_BYTES = 200 * 1024 * 1024;

export function ImportView(): React.JSX.Element {
  const uid = useId();
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState<'reading' | 'importing' | 'drafting' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [tick, setTick] = useState<TickSummary | null>(null);

  async function runImport(): Promise<void> {
    if (busy || files.length === 0) return;
    setError(null);
    setReport(null);
    setTick(null);
    const tooBig = files.find((f) => f.size > MAX_FILE_BYTES);
    if (tooBig) {
      setError(`${tooBig.name} is ${formatBytes(tooBig.size)}; files up to 200 MB can be imported.`);
      return;
    }
    try {
      setBusy('reading');
      const payload = await Promise.all(
        files.map(async (f) => ({ name: f.name, content: toBase64(new Uint8Array(await f.arrayBuffer())), encoding: 'base64' as const })),
      );
      setBusy('importing');
      const result = await call('import.files', { files: payload });
      setReport(result);
      setBusy('drafting');
      setTick(await call('scheduler.tick', {}));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="import-heading">
      <ViewHeading id="import-heading">Import</ViewHeading>
      <p className="lead">
        In Shopify admin, export <strong>Orders</strong>, <strong>Products</strong>, <strong>Inventory</strong> and{' '}
        <strong>Customers</strong> as CSV, then choose all the files here. Importing the same files again changes
        nothing; newer exports update what changed.
      </p>
      <div className="panel">
        <div className="field">
          <label htmlFor={`${uid}-files`}>Shopify CSV exports</label>
          <input
            id={`${uid}-files`}
            type="file"
            multiple
            accept=".csv,text/csv"
            disabled={busy !== null}
            onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
          />
        </div>
        {files.length > 0 && (
          <ul className="file-list" aria-label="Chosen files">
            {files.map((f) => (
              <li key={`${f.name}-${f.size}`}>
                {f.name} <span className="muted small">{formatBytes(f.size)}</span>
              </li>
            ))}
          </ul>
        )}
        <div className="card-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={runImport}
            disabled={busy !== null || files.length === 0}
          >
            {files.length > 1 ? `Import ${files.length} files` : 'Import'}
          </button>
          <span className="muted" role="status" aria-live="polite">
            {busy === 'reading' && 'Reading files…'}
            {busy === 'importing' && 'Importing…'}
            {busy === 'drafting' && 'Checking for backorders and drafting notices…'}
            {busy === null && report && 'Import finished.'}
          </span>
        </div>
        <ErrorNote message={error} />
      </div>
      {report && <ImportReportView report={report} tick={tick} />}
      <MailFilesImport />
    </section>
  );
}

/** Base64 of a file's bytes, in chunks so large exports do not overflow the argument list. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
