/**
 * The model host in the desktop app: an Electron utilityProcess (a Node process managed by Electron,
 * off the main process and the renderer) running the same host-process entry and message protocol
 * as the Node child process of CLI and web mode (src/main/llm/protocol.ts). A native crash in
 * llama.cpp ends that process only; the core reports it and drafts with the composer.
 */
import path from 'node:path';
import { utilityProcess } from 'electron';
import type { HostPort, HostReply } from '../llm/protocol';

/** Starts the host as a utilityProcess; the entry is the built out/main/llm-host.js. */
export function utilityHostPort(): HostPort {
  const child = utilityProcess.fork(path.join(import.meta.dirname, 'llm-host.js'), [], {
    serviceName: 'Backorder Desk model host',
    stdio: 'ignore',
  });
  let exited = false;
  return {
    get pid() {
      return child.pid;
    },
    send: (m) => {
      if (!exited) child.postMessage(m);
    },
    onMessage: (listener) => child.on('message', (m: unknown) => listener(m as HostReply)),
    onExit: (listener) =>
      child.once('exit', (code: number) => {
        exited = true;
        listener({ code, signal: null });
      }),
    kill: () => {
      child.kill();
    },
  };
}
