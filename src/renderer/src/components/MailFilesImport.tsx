/**
 * Mail files for a shop not on Gmail: the owner picks .eml files saved from their mail program (or
 * Gmail API JSON) and `replies.import` routes each message as a Gmail sync would — a customer reply
 * is triaged (tasks, drafted answers), a supplier's mail is read for ETA quotes, anything else is
 * ignored. Dropping the same file again changes nothing; a file that is not mail is named in the result.
 */
import { useId, useState } from 'react';
import type { ReplyImportReport, ReplyImportMessage } from '../../../shared/domain';
import { call, errorText } from '../client';
import { plural } from '../format';
import { hrefOf } from '../routes';
import { ErrorNote } from './Notice';

/** The contract's limits (contract.ts 'replies.import'): 50 files, 40 MB of base64 each. */
const MAX_FILES = 50;
const MAX_FILE_BYTES = 30 * 1024 * 1024;

function outcome(m: ReplyImportMessage): string {
  if (m.route === 'duplicate') return 'already imported, nothing changed';
  if (m.supplierMail) {
    const s = m.supplierMail;
    return `supplier mail from ${s.supplierName}: ${plural(s.quotes, 'quote')}, ${s.needPerson} need a person` + (s.problems.length ? ` (${s.problems.join('; ')})` : '');
  }
  if (m.route === 'customer_reply') {
    return `customer reply${m.orderName ? ` on ${m.orderName}` : ''}: ${m.sentiment ?? 'read'}` + (m.tasks.length ? `, ${plural(m.tasks.length, 'task')} opened` : '') + (m.answerMessageId ? ', answer drafted for review' : '');
  }
  return `ignored (${m.reason})`;
}

export function MailFilesImport(): React.JSX.Element {
  const uid = useId();
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ReplyImportReport | null>(null);

  async function run(): Promise<void> {
    if (busy || files.length === 0) return;
    setError(null);
    setReport(null);
    const tooBig = files.find((f) => f.size > MAX_FILE_BYTES);
    if (files.length > MAX_FILES) return setError(`Choose at most ${MAX_FILES} mail files at a time.`);
    if (tooBig) return setError(`${tooBig.name} is too large for a mail file (up to 30 MB).`);
    setBusy(true);
    try {
      const payload = await Promise.all(files.map(async (f) => ({ name: f.name, content: toBase64(new Uint8Array(await f.arrayBuffer())) })));
      setReport(await call('replies.import', { files: payload }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel panel-after" aria-labelledby={`${uid}-heading`}>
      <h2 id={`${uid}-heading`}>Mail files</h2>
      <p className="muted">
        Not on Gmail? Save customer replies and supplier mail as <strong>.eml</strong> files and add them here:
        replies are read and answered, supplier mail is read for delivery dates.
      </p>
      <div className="field">
        <label htmlFor={`${uid}-files`}>Mail files (.eml)</label>
        <input id={`${uid}-files`} type="file" multiple accept=".eml,.json,message/rfc822,application/json" disabled={busy} onChange={(e) => setFiles(Array.from(e.target.files ?? []))} />
      </div>
      <div className="card-actions">
        <button type="button" className="button" onClick={run} disabled={busy || files.length === 0}>
          {files.length > 1 ? `Add ${files.length} mail files` : 'Add mail file'}
        </button>
        <span className="muted" role="status" aria-live="polite">
          {busy ? 'Reading mail…' : report ? 'Mail added.' : ''}
        </span>
      </div>
      <ErrorNote message={error} />
      {report && (
        <ul className="file-list" aria-label="Mail files read">
          {report.files.map((f) => (
            <li key={f.file}>
              <strong>{f.file}</strong>: {f.error ?? (f.messages.map(outcome).join('; ') || 'no message in the file')}
            </li>
          ))}
        </ul>
      )}
      {report?.files.some((f) => f.messages.some((m) => m.tasks.length > 0 || (m.supplierMail?.needPerson ?? 0) > 0)) && (
        <p>
          <a href={hrefOf('tasks')}>Open the tasks</a>
        </p>
      )}
    </section>
  );
}

/** Base64 of a file's bytes, in chunks so a large mail does not overflow the argument list. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
