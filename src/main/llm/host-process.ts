/**
 * Entry of the model host process. Started by the app as a Node child process (`fork`, CLI and web
 * mode) or an Electron utilityProcess (desktop); it answers the requests of protocol.ts with the
 * Engine. A native crash here (llama.cpp aborting on a bad file) ends this process only; the app
 * sees the exit, reports it and drafts with the composer.
 */
import { Engine } from './engine';
import type { HostReply, HostRequest } from './protocol';

interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as NodeJS.Process & { parentPort?: ElectronParentPort }).parentPort;

function send(reply: HostReply): void {
  if (parentPort) parentPort.postMessage(reply);
  else process.send?.(reply);
}

const engine = new Engine();

async function handle(req: HostRequest): Promise<unknown> {
  switch (req.op) {
    case 'load':
      return engine.load(req.options);
    case 'unload':
      return engine.unload();
    case 'draft':
      return engine.draft(req.request, req.options);
    case 'json':
      return engine.json(req.system, req.user, req.schema, req.maxTokens);
    case 'raw':
      return engine.raw(req.system, req.user, req.schedule, req.seed);
  }
}

function onRequest(data: unknown): void {
  const req = data as HostRequest;
  handle(req).then(
    (value) => send({ id: req.id, ok: true, value: value ?? null }),
    (err: unknown) => send({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
}

if (parentPort) parentPort.on('message', (e) => onRequest(e.data));
else process.on('message', onRequest);

// The app going away (IPC closed) ends this process: a model must not outlive the app.
process.on('disconnect', () => {
  void engine.dispose().finally(() => process.exit(0));
});
