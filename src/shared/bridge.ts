/**
 * The shape the Electron preload exposes to the renderer as `window.backorderDesk` (DESIGN.md
 * "Processes": exactly one function per contract command and one subscription per event, never raw
 * `ipcRenderer`), and the IPC channel names main and preload agree on.
 *
 * Each command function resolves with the contract envelope (`Result`), never rejects for an
 * application error; each subscription returns its unsubscribe function.
 */
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayloads } from './contract';
import type { Result } from './result';

/** One function per contract command, keyed by the command's name (e.g. `bridge['drafts.list']`). */
export type BridgeCommands = {
  [C in CommandName]: (input: CommandInput<C>) => Promise<Result<CommandOutput<C>>>;
};

/** One subscription per contract event; each returns its unsubscribe function. */
export type BridgeEvents = {
  [E in EventName]: (listener: (payload: EventPayloads[E]) => void) => () => void;
};

/** What `window.backorderDesk` is in the Electron renderer. Absent in web mode. */
export type BackorderDeskBridge = BridgeCommands & { on: BridgeEvents };

/** Name under which the preload exposes the bridge (`contextBridge.exposeInMainWorld`). */
export const BRIDGE_GLOBAL = 'backorderDesk';

/** IPC channel of a command (`ipcRenderer.invoke` ↔ `ipcMain.handle`), e.g. "bd:cmd:drafts.list". */
export function commandChannel(name: CommandName): string {
  return `bd:cmd:${name}`;
}

/** IPC channel on which main forwards a core event to the window, e.g. "bd:event:outbox.progress". */
export function eventChannel(name: EventName): string {
  return `bd:event:${name}`;
}
