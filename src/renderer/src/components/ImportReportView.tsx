/** What an import did: per file, how it was read and what was stored or refused (with line and column). */
import type { TickSummary } from '../../../shared/contract';
import type { ImportFileReport, ImportProblem, ImportReport } from '../../../shared/domain';
import { humanize, plural } from '../format';
import { hrefOf } from '../routes';

export interface ImportReportViewProps {
  report: ImportReport;
  /** The scheduler tick run after the import, when it ran. */
  tick: TickSummary | null;
}

export function ImportReportView({ report, tick }: ImportReportViewProps): React.JSX.Element {
  return (
    <section className="report" aria-labelledby="import-report-heading">
      <h2 id="import-report-heading">Import result</h2>
      <ul className="totals">
        <li>
          <span className="total-figure">{report.backordersOpened}</span> backorders opened
        </li>
        <li>
          <span className="total-figure">{report.backordersClosed}</span> closed
        </li>
        {report.unmatchedLineItems > 0 && (
          <li>
            <span className="total-figure">{report.unmatchedLineItems}</span> line items without stock figures
          </li>
        )}
        {tick && (
          <li>
            <span className="total-figure">{tick.drafted}</span> new drafts
            {tick.escalated > 0 && <>, {plural(tick.escalated, 'task')} opened</>}
          </li>
        )}
      </ul>
      {tick && (tick.drafted > 0 || tick.escalated > 0) && (
        <p>
          {tick.drafted > 0 && (
            <a className="button button-primary" href={hrefOf('review')}>
              Review the new drafts
            </a>
          )}{' '}
          {tick.escalated > 0 && (
            <a className="button" href={hrefOf('tasks')}>
              See the tasks
            </a>
          )}
        </p>
      )}

      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Files imported</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Kind</th>
              <th scope="col">Layout</th>
              <th scope="col" className="num">
                Rows read
              </th>
              <th scope="col" className="num">
                Stored
              </th>
              <th scope="col" className="num">
                Unchanged
              </th>
              <th scope="col" className="num">
                Refused
              </th>
            </tr>
          </thead>
          <tbody>
            {report.files.map((f) => (
              <tr key={f.file}>
                <td className="strong">{f.file}</td>
                <td>{humanize(f.kind)}</td>
                <td>{f.layout}</td>
                <td className="num">{f.rowsRead}</td>
                <td className="num">{f.recordsStored}</td>
                <td className="num">{f.recordsUnchanged}</td>
                <td className={`num${f.refused.length > 0 ? ' attention' : ''}`}>{f.refused.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {report.files.map((f) => (
        <FileProblems key={f.file} file={f} />
      ))}
    </section>
  );
}

function FileProblems({ file }: { file: ImportFileReport }): React.JSX.Element | null {
  if (file.refused.length === 0 && file.warnings.length === 0) return null;
  return (
    <div className="file-problems">
      {file.refused.length > 0 && (
        <ProblemTable title={`${file.file}: ${plural(file.refused.length, 'row')} refused`} problems={file.refused} />
      )}
      {file.warnings.length > 0 && (
        <ProblemTable title={`${file.file}: ${plural(file.warnings.length, 'warning')}`} problems={file.warnings} />
      )}
    </div>
  );
}

function ProblemTable({ title, problems }: { title: string; problems: ImportProblem[] }): React.JSX.Element {
  return (
    <details open={problems.length <= 20}>
      <summary>{title}</summary>
      <table className="table table-compact">
        <thead>
          <tr>
            <th scope="col" className="num">
              Line
            </th>
            <th scope="col">Column</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p, i) => (
            <tr key={`${p.line}-${i}`}>
              <td className="num">{p.line}</td>
              <td>{p.column ?? '—'}</td>
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
