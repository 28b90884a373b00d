/**
 * The renderer's only way to the core: `call` runs one contract command, `subscribe` listens to one
 * contract event. Two transports behind the same functions:
 *
 * - Electron: `window.backorderDesk` from the preload (src/shared/bridge.ts).
 * - Web mode: `POST api/<command>` with a JSON body and the access token in the
 *   `x-backorder-desk-token` header; events over one shared EventSource on `api/events?token=…`
 *   (EventSource cannot send headers). The token arrives once in the page URL (`?token=…`, like
 *   Jupyter), is kept in sessionStorage and removed from the address bar so it does not end up in
 *   history, bookmarks or screenshots.
 *
 * Only types are imported from the contract, so zod stays out of the renderer bundle.
 */
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayloads } from '../../shared/contract';
import type { BackorderDeskBridge } from '../../shared/bridge';
import type { ErrorCode, Result } from '../../shared/result';

/** Header carrying the web-mode token; the server (src/main/web/server.ts) reads the same name. */
export const TOKEN_HEADER = 'x-backorder-desk-token';
const TOKEN_STORAGE_KEY = 'backorder-desk.token';

/** A command answered `{ok: false}`; `message` is written for the person using the app. */
export class CommandError extends Error {
  constructor(
    readonly code: ErrorCode | 'TRANSPORT',
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

let webToken: string | null = null;
let initialised = false;

/**
 * Moves a `?token=` from the address bar into sessionStorage (web mode). Idempotent; `call` and
 * `subscribe` run it themselves, main.tsx runs it first thing so the token leaves the URL at once.
 */
export function initTransport(): void {
  if (initialised) return;
  initialised = true;
  if (window.backorderDesk) return;
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    safeStorage(() => window.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl));
  }
  webToken = fromUrl ?? safeStorage(() => window.sessionStorage.getItem(TOKEN_STORAGE_KEY)) ?? null;
}

/** Web mode only: whether the page has an access token at all (from its URL or this tab's storage). */
export function hasWebToken(): boolean {
  initTransport();
  return webToken !== null && webToken !== '';
}

/** True when running in a browser against web mode rather than in the Electron window. */
export function isWebMode(): boolean {
  return !window.backorderDesk;
}

/**
 * Runs one contract command. Resolves with the command's output; rejects with a
 * {@link CommandError} carrying the envelope's code and message (or `TRANSPORT` when the server
 * could not be reached or answered something that is not an envelope).
 */
export async function call<C extends CommandName>(name: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  initTransport();
  const bridge = window.backorderDesk;
  const result = bridge ? await callBridge(bridge, name, input) : await callWeb<C>(name, input);
  if (!result.ok) throw new CommandError(result.error.code, result.error.message);
  return result.value;
}

function callBridge<C extends CommandName>(
  bridge: BackorderDeskBridge,
  name: C,
  input: CommandInput<C>,
): Promise<Result<CommandOutput<C>>> {
  // TypeScript widens `bridge[name]` to the union of every command's function for a generic C;
  // the mapped type BridgeCommands guarantees the entry for C has exactly this signature.
  const fn = bridge[name] as unknown as (input: CommandInput<C>) => Promise<Result<CommandOutput<C>>>;
  return fn(input);
}

async function callWeb<C extends CommandName>(name: C, input: CommandInput<C>): Promise<Result<CommandOutput<C>>> {
  let response: Response;
  try {
    response = await fetch(apiUrl(name), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: webToken ?? '' },
      body: JSON.stringify(input),
      cache: 'no-store',
    });
  } catch {
    throw new CommandError('TRANSPORT', 'Cannot reach Backorder Desk. Is the app still running?');
  }
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    throw new CommandError('TRANSPORT', `Backorder Desk answered ${response.status} without a readable reply.`);
  }
  if (!isEnvelope(parsed)) {
    throw new CommandError('TRANSPORT', `Backorder Desk answered ${response.status} with an unexpected reply.`);
  }
  return parsed as Result<CommandOutput<C>>;
}

function isEnvelope(value: unknown): value is Result<unknown> {
  if (!value || typeof value !== 'object' || !('ok' in value)) return false;
  const v = value as { ok: unknown; error?: unknown };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && !!v.error && typeof v.error === 'object';
}

type Listener = (payload: unknown) => void;
const webListeners = new Map<EventName, Set<Listener>>();
const sourceHandlers = new Map<EventName, (event: MessageEvent<string>) => void>();
let eventSource: EventSource | null = null;
const connectionListeners = new Set<(connected: boolean) => void>();

/**
 * Listens to one contract event; returns the unsubscribe function. In web mode all subscriptions
 * share one EventSource, opened with the first subscription and closed with the last.
 */
export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
  initTransport();
  const bridge = window.backorderDesk;
  if (bridge) return bridge.on[event](listener);

  const source = openEventSource();
  let set = webListeners.get(event);
  if (!set) {
    set = new Set();
    webListeners.set(event, set);
  }
  const wrapped: Listener = (payload) => listener(payload as EventPayloads[E]);
  set.add(wrapped);
  if (!sourceHandlers.has(event)) {
    const handler = (message: MessageEvent<string>): void => {
      let payload: unknown;
      try {
        payload = JSON.parse(message.data);
      } catch {
        return; // a malformed frame is dropped; the next data.changed brings the views back in step
      }
      for (const l of webListeners.get(event) ?? []) l(payload);
    };
    sourceHandlers.set(event, handler);
    source.addEventListener(event, handler);
  }
  return () => {
    set.delete(wrapped);
    if ([...webListeners.values()].every((s) => s.size === 0)) closeEventSource();
  };
}

/**
 * Web mode only: reports whether the event stream is connected (the browser reconnects by itself
 * after a drop; a closed stream means the server refused us, e.g. the app restarted with a new
 * token). Electron never reports a change. Returns the unsubscribe function.
 */
export function onConnectionChange(listener: (connected: boolean) => void): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

function openEventSource(): EventSource {
  if (eventSource) return eventSource;
  const url = new URL(apiUrl('events'));
  url.searchParams.set('token', webToken ?? '');
  const source = new EventSource(url);
  source.addEventListener('open', () => notifyConnection(true));
  source.addEventListener('error', () => notifyConnection(source.readyState === EventSource.OPEN));
  for (const [event, handler] of sourceHandlers) source.addEventListener(event, handler);
  eventSource = source;
  return source;
}

function closeEventSource(): void {
  eventSource?.close();
  eventSource = null;
}

function notifyConnection(connected: boolean): void {
  for (const l of connectionListeners) l(connected);
}

function apiUrl(path: string): string {
  // Relative to the page, so web mode also works when served under a path prefix.
  return new URL(`api/${encodeURIComponent(path)}`, window.location.href).href;
}

function safeStorage<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined; // storage disabled: the token then lives only as long as this page
  }
}

/** The message to show for a failed call or any other thrown value. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
