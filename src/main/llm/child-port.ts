/**
 * The model host as a Node child process (CLI and web mode; tests). A child process, not a worker
 * thread, because a native abort in llama.cpp kills the whole process it runs in: here that is the
 * child, and the app carries on.
 *
 * From TypeScript sources (tsx: CLI, web mode, tests, bench) the child runs host-process.ts through
 * tsx's loader; from a build it runs the built host-process.js next to the caller.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HostPort, HostReply } from './protocol';

/** The host entry file and the Node options it needs. */
export function hostEntry(): { file: string; execArgv: string[] } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const ts = path.join(here, 'host-process.ts');
  if (fs.existsSync(ts)) {
    const loader = createRequire(import.meta.url).resolve('tsx');
    return { file: ts, execArgv: ['--import', pathToFileURL(loader).href] };
  }
  return { file: path.join(here, 'host-process.js'), execArgv: [] };
}

/** Starts a host child process and returns its port. */
export function forkHostPort(entry = hostEntry()): HostPort {
  const child = fork(entry.file, [], {
    execArgv: entry.execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  return {
    pid: child.pid,
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as HostReply)),
    onExit: (listener) => child.once('exit', (code, signal) => listener({ code, signal })),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
