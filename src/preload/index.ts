/**
 * Preload of the sandboxed renderer (contextIsolation on). It follows src/shared/bridge.ts: one function per
 * contract command (ipcRenderer.invoke on `commandChannel(name)`, resolving with the envelope) and
 * one subscription per event (main sends on `eventChannel(name)`).
 *
 * Command and event names are spelled out here rather than imported from contract.ts so the sandboxed
 * preload bundle does not carry zod; the `satisfies` checks keep the lists in step with the contract.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CommandName, EventName, EventPayloads } from '../shared/contract';
import {
  BRIDGE_GLOBAL,
  commandChannel,
  eventChannel,
  type BackorderDeskBridge,
  type BridgeCommands,
  type BridgeEvents,
} from '../shared/bridge';

const commandList = [
  'app.status',
  'settings.get',
  'settings.update',
  'import.files',
  'backorders.list',
  'scheduler.tick',
  'drafts.list',
  'drafts.update',
  'drafts.approve',
  'drafts.discard',
  'outbox.send',
  'outbox.retry',
  'outbox.confirmSent',
  'tasks.list',
  'tasks.resolve',
  'suppliers.list',
  'suppliers.update',
  'suppliers.scorecard',
  'eta.quotes',
  'eta.addQuote',
  'eta.importHistory',
  'eta.importSheet',
  'eta.ediFiles',
  'eta.linkSheet',
  'eta.syncSheets',
  'replies.import',
  'tasks.get',
  'tasks.act',
  'model.status',
  'model.load',
  'model.download',
  'model.cancelDownload',
  'drafts.regenerate',
  'drafts.cancelRegenerate',
  'gmail.connect',
  'gmail.disconnect',
  'gmail.status',
  'gmail.syncNow',
  'shopify.connect',
  'shopify.configure',
  'shopify.disconnect',
  'shopify.status',
  'shopify.syncNow',
] as const satisfies readonly CommandName[];

const eventList = ['outbox.progress', 'data.changed', 'model.changed', 'drafts.progress', 'sync.progress', 'gmail.progress', 'edi.imported'] as const satisfies readonly EventName[];

// Compile-time check that no contract command is missing from the list above.
type Missing = Exclude<CommandName, (typeof commandList)[number]>;
const allCommandsListed: Missing extends never ? true : never = true;
void allCommandsListed;

function subscribe<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void {
  const handler = (_event: IpcRendererEvent, payload: EventPayloads[E]): void => listener(payload);
  ipcRenderer.on(eventChannel(name), handler);
  return () => {
    ipcRenderer.removeListener(eventChannel(name), handler);
  };
}

const commandsObject = Object.fromEntries(
  commandList.map((name) => [name, (input: unknown) => ipcRenderer.invoke(commandChannel(name), input)]),
) as BridgeCommands;

const events = Object.fromEntries(
  eventList.map((name) => [name, (listener: (payload: EventPayloads[typeof name]) => void) => subscribe(name, listener)]),
) as unknown as BridgeEvents;

const bridge: BackorderDeskBridge = { ...commandsObject, on: events };

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
