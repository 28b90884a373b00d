/**
 * The Model section of Settings: which local model writes the drafts and its status (none, loading,
 * ready, failed and why), downloading the recommended model with a progress bar, loading a .gguf
 * from a path, and rewriting the drafts with the model (progress N of M, cancel). Without a ready
 * model every draft comes from the template composer.
 */
import { useId, useState, type FormEvent } from 'react';
import type { DraftsProgress, ModelView } from '../../../shared/llm';
import { call, errorText } from '../client';
import { useCommand } from '../hooks/useCommand';
import { useEvent } from '../hooks/useEvent';
import { ErrorNote } from './Notice';

const STATE_TEXT: Record<ModelView['state'], string> = {
  none: 'No model — drafts come from the templates.',
  loading: 'Loading the model…',
  ready: 'Ready — drafts are written by the model and checked against your rules.',
  failed: 'The model failed — drafts come from the templates.',
};

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

export function ModelSettings(): React.JSX.Element {
  const { data, error } = useCommand('model.status', {}, []);
  const [live, setLive] = useState<ModelView | null>(null);
  const [batch, setBatch] = useState<DraftsProgress | null>(null);
  const [path, setPath] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const pathId = useId();
  useEvent('model.changed', setLive);
  useEvent('drafts.progress', setBatch);
  const view = live ?? data;

  const run = (p: Promise<unknown>): void => {
    setProblem(null);
    p.catch((err: unknown) => setProblem(errorText(err)));
  };
  const load = (e: FormEvent): void => {
    e.preventDefault();
    run(call('model.load', { path: path.trim() }).then(setLive));
  };

  if (!view) return <section aria-label="Model"><h3>Model</h3><ErrorNote message={error} /></section>;
  const d = view.download;
  const downloading = d.state === 'downloading';
  const running = batch !== null && batch.done < batch.total && !batch.cancelled;
  return (
    <section aria-labelledby="model-heading" className="model-settings">
      <h3 id="model-heading">Model</h3>
      <p role="status" data-state={view.state}>
        {STATE_TEXT[view.state]}
        {view.reason ? <> Reason: {view.reason}</> : null}
      </p>
      {view.model && (
        <p className="muted">
          {view.model.file} · {gb(view.model.sizeBytes)} · SHA-256 {view.model.sha256.slice(0, 12)}… · {view.model.threads} thread(s) ·{' '}
          {view.model.sequences} draft(s) at once
        </p>
      )}
      <p>
        Recommended: {view.recommended.name}, about {gb(view.recommended.sizeBytes)}
        {view.recommended.installed ? ' (downloaded)' : ''}. Models are kept in {view.modelsDir}.
      </p>
      {downloading || d.state === 'failed' || d.state === 'cancelled' ? (
        <div>
          <label>
            Download{' '}
            <progress max={d.totalBytes ?? undefined} value={d.receivedBytes} aria-label="Model download progress" />{' '}
            {gb(d.receivedBytes)}
            {d.totalBytes ? ` of ${gb(d.totalBytes)}` : ''}
          </label>
          {d.state === 'failed' && <p role="alert">The download failed: {d.reason}</p>}
          {d.state === 'cancelled' && <p>Download paused; starting it again resumes where it stopped.</p>}
        </div>
      ) : null}
      <div className="actions">
        {downloading ? (
          <button type="button" onClick={() => run(call('model.cancelDownload', {}).then(setLive))}>Cancel download</button>
        ) : (
          !view.recommended.installed && (
            <button type="button" onClick={() => run(call('model.download', {}).then(setLive))}>Download the recommended model</button>
          )
        )}
        {view.recommended.installed && view.state !== 'ready' && (
          <button type="button" onClick={() => run(call('model.load', {}).then(setLive))}>Load the model</button>
        )}
      </div>
      <form onSubmit={load}>
        <label htmlFor={pathId}>Or load a .gguf file from this computer</label>
        <input id={pathId} value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/model.gguf" />
        <button type="submit" disabled={!path.trim().endsWith('.gguf')}>Load</button>
      </form>
      {view.state === 'ready' && (
        <div className="actions">
          {running ? (
            <>
              <label>
                Writing drafts: {batch.done} of {batch.total}{' '}
                <progress max={batch.total} value={batch.done} aria-label="Drafting progress" />
              </label>
              <button type="button" onClick={() => run(call('drafts.cancelRegenerate', {}))}>Cancel</button>
            </>
          ) : (
            <button type="button" onClick={() => run(call('drafts.regenerate', {}).then(setBatch))}>Rewrite template drafts with the model</button>
          )}
          {batch && !running && (
            <p className="muted">
              Last batch: {batch.fromModel} by the model, {batch.fallback} kept from the templates (the model&apos;s draft broke a rule or failed),{' '}
              {batch.skipped} left alone{batch.cancelled ? ', cancelled' : ''}.
            </p>
          )}
        </div>
      )}
      <ErrorNote message={problem} />
    </section>
  );
}
