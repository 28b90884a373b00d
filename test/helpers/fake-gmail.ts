/**
 * A fake Gmail REST v1 server on 127.0.0.1 for tests and the bench, speaking the documented JSON
 * shapes (Gmail API v1 reference): users.getProfile, users.messages.list (q, maxResults,
 * pageToken/nextPageToken), users.messages.get (format=raw|full|metadata|minimal; full carries the
 * payload tree with base64url `body.data`), users.messages.send, users.drafts.create/get/list/send,
 * users.threads.get, users.history.list (startHistoryId; 404 for an id older than the retained
 * history). Search (`q`) understands the terms the app writes: `rfc822msgid:`, `in:sent`,
 * `after:EPOCH`, `from:X`, and `{…}` (OR).
 *
 * Fault injection: {@link FakeGmail.fail} answers the next matching requests with a status (429,
 * 403 rateLimitExceeded, 5xx); {@link FakeGmail.dropNext} processes a request and then cuts the
 * connection without answering (a crash or network loss after Gmail acted). Quota units per method
 * are counted (Gmail API "Usage limits") with timestamps so pacing can be checked.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  historyId: number;
  internalDate: number;
  raw: Buffer;
  /** Parsed top-level headers (cached: search reads them for every message). */
  headers: { name: string; value: string }[];
}

interface Draft {
  id: string;
  message: FakeMessage;
}

interface HistoryRecord {
  id: number;
  added: FakeMessage;
}

export interface Fault {
  method?: string;
  /** Matched against the path after `/gmail/v1/users/me/`, e.g. /^messages\/[^/]+$/. */
  path: RegExp;
  status: number;
  /** Google error reason, e.g. 'rateLimitExceeded', 'userRateLimitExceeded', 'backendError'. */
  reason?: string;
  retryAfterSeconds?: number;
  times?: number;
}

export interface RequestLog {
  method: string;
  path: string;
  query: Record<string, string>;
  at: number;
  units: number;
}

const UNITS: Record<string, number> = {
  profile: 1, 'messages.list': 5, 'messages.get': 5, 'messages.send': 100, 'drafts.create': 10, 'drafts.get': 5,
  'drafts.list': 5, 'drafts.send': 100, 'history.list': 2, 'threads.get': 10,
};

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (s: string): Buffer => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

interface RawPart {
  headers: { name: string; value: string }[];
  body: Buffer;
}

function splitPart(buf: Buffer): RawPart {
  const s = buf.toString('latin1');
  let sep = s.indexOf('\r\n\r\n');
  let sepLen = 4;
  if (sep === -1 || (s.indexOf('\n\n') !== -1 && s.indexOf('\n\n') < sep)) {
    sep = s.indexOf('\n\n');
    sepLen = 2;
  }
  const head = sep === -1 ? s : s.slice(0, sep);
  const body = sep === -1 ? Buffer.alloc(0) : buf.subarray(sep + sepLen);
  const headers: { name: string; value: string }[] = [];
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.push({ name: line.slice(0, i).trim(), value: Buffer.from(line.slice(i + 1).trim(), 'latin1').toString('utf8') });
  }
  return { headers, body };
}

function hv(headers: RawPart['headers'], name: string): string {
  return headers.find((h) => h.name.toLowerCase() === name)?.value ?? '';
}

function decodeBody(body: Buffer, cte: string): Buffer {
  const enc = cte.toLowerCase().trim();
  if (enc === 'base64') return Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64');
  if (enc === 'quoted-printable') {
    const s = body.toString('latin1').replace(/=\r?\n/g, '');
    return Buffer.from(s.replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  }
  return body;
}

interface PayloadPart {
  partId: string;
  mimeType: string;
  filename: string;
  headers: { name: string; value: string }[];
  body: { size: number; data?: string; attachmentId?: string };
  parts?: PayloadPart[];
}

/** A minimal MIME splitter, enough to give format=full the shape Gmail gives it. */
function toPayload(buf: Buffer, partId: string, depth = 0): PayloadPart {
  const { headers, body } = splitPart(buf);
  const ct = hv(headers, 'content-type') || 'text/plain';
  const mimeType = ct.split(';')[0]!.trim().toLowerCase();
  const filename = /(?:file)?name\*?="?([^";]+)"?/i.exec(hv(headers, 'content-disposition') + ';' + ct)?.[1] ?? '';
  const boundary = /boundary="?([^";]+)"?/i.exec(ct)?.[1];
  if (mimeType.startsWith('multipart/') && boundary && depth < 20) {
    const text = body.toString('latin1');
    const pieces = text.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    const parts = pieces
      .slice(1, -1)
      .filter((p) => p.trim() !== '' || p.length > 0)
      .map((p, i) => toPayload(Buffer.from(p, 'latin1'), partId === '' ? String(i) : `${partId}.${i}`, depth + 1));
    return { partId, mimeType, filename, headers, body: { size: 0 }, parts };
  }
  const data = decodeBody(body, hv(headers, 'content-transfer-encoding'));
  return { partId, mimeType, filename, headers, body: { size: data.length, data: b64url(data) } };
}

export interface FakeGmailOptions {
  email?: string;
  /** Bearer token the server insists on; any token when absent. */
  token?: string;
  /** history.list page size. */
  historyPageSize?: number;
}

export class FakeGmail {
  readonly email: string;
  readonly messages = new Map<string, FakeMessage>();
  readonly drafts = new Map<string, Draft>();
  readonly history: HistoryRecord[] = [];
  readonly requests: RequestLog[] = [];
  /** history.list with a startHistoryId below this answers 404 (history no longer retained). */
  minHistoryId = 1;
  historyId = 1000;
  private seq = 0;
  private byMessageId = new Map<string, FakeMessage>();
  private faults: (Fault & { left: number })[] = [];
  private drops: { path: RegExp; left: number }[] = [];
  private server!: http.Server;
  port = 0;

  constructor(private readonly opts: FakeGmailOptions = {}) {
    this.email = opts.email ?? 'shop@example.com';
  }

  /** Root URL for googleapis' `rootUrl` option (with trailing slash). */
  get rootUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        chunks = [];
        try {
          this.handle(req, res, body);
        } catch (err) {
          this.send(res, 500, { error: { code: 500, message: String(err), errors: [{ reason: 'backendError' }] } });
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Injects a fault for the next `times` (default 1) matching requests. */
  fail(f: Fault): void {
    this.faults.push({ ...f, left: f.times ?? 1 });
  }

  /** Removes every pending fault. */
  clearFaults(): void {
    this.faults = [];
  }

  /** The next matching request is carried out, then the connection is cut without an answer. */
  dropNext(path: RegExp): void {
    this.drops.push({ path, left: 1 });
  }

  /** Adds a message to the mailbox as if it arrived now; records a messageAdded history entry. */
  deliver(raw: string | Buffer, opts: { threadId?: string; labelIds?: string[]; internalDate?: number } = {}): FakeMessage {
    const id = (++this.seq).toString(16).padStart(16, '0');
    const headers = splitPart(Buffer.from(raw)).headers;
    const msg: FakeMessage = {
      id,
      threadId: opts.threadId ?? this.threadFor(headers) ?? id,
      labelIds: opts.labelIds ?? ['INBOX', 'UNREAD'],
      historyId: ++this.historyId,
      internalDate: opts.internalDate ?? Date.now(),
      raw: Buffer.from(raw),
      headers,
    };
    this.messages.set(id, msg);
    const mid = hv(headers, 'message-id');
    if (mid) this.byMessageId.set(mid, msg);
    this.history.push({ id: msg.historyId, added: msg });
    return msg;
  }

  /** Forgets history before the current point: history.list from an older id then answers 404. */
  expireHistory(): void {
    this.minHistoryId = this.historyId;
  }

  /** Quota units used by requests since `sinceMs` (epoch ms). */
  unitsSince(sinceMs: number): number {
    return this.requests.filter((r) => r.at >= sinceMs).reduce((a, r) => a + r.units, 0);
  }

  count(method: string, path: RegExp): number {
    return this.requests.filter((r) => r.method === method && path.test(r.path)).length;
  }

  /** Gmail threads a reply with the message it answers (In-Reply-To/References) when it knows it. */
  private threadFor(headers: RawPart['headers']): string | null {
    const refs: string[] = `${hv(headers, 'in-reply-to')} ${hv(headers, 'references')}`.match(/<[^<>\s]+>/g) ?? [];
    for (const r of refs) {
      const m = this.byMessageId.get(r);
      if (m) return m.threadId;
    }
    return null;
  }

  private matches(m: FakeMessage, q: string): boolean {
    const headers = m.headers;
    const terms = q.match(/\{[^}]*\}|\S+/g) ?? [];
    return terms.every((term) => {
      if (term.startsWith('{')) return term.slice(1, -1).trim().split(/\s+/).some((t) => this.matches(m, t));
      const [key, ...rest] = term.split(':');
      const value = rest.join(':').toLowerCase();
      switch (key) {
        case 'rfc822msgid':
          return hv(headers, 'message-id').toLowerCase().replace(/[<>]/g, '') === value.replace(/[<>]/g, '');
        case 'in':
          return m.labelIds.includes(value.toUpperCase());
        case 'after':
          return m.internalDate >= Number(value) * 1000;
        case 'from': {
          const from = (/<([^>]+)>/.exec(hv(headers, 'from'))?.[1] ?? hv(headers, 'from')).trim().toLowerCase();
          const v = value.replace(/^@/, '');
          return from === v || from.endsWith(`@${v}`) || from.endsWith(`.${v}`);
        }
        default:
          return true;
      }
    });
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(json);
  }

  private notFound(res: http.ServerResponse, what = 'Requested entity was not found.'): void {
    this.send(res, 404, { error: { code: 404, message: what, errors: [{ domain: 'global', reason: 'notFound', message: what }], status: 'NOT_FOUND' } });
  }

  private resource(m: FakeMessage, format: string): Record<string, unknown> {
    const base = { id: m.id, threadId: m.threadId, labelIds: m.labelIds };
    if (format === 'minimal') return { ...base, historyId: String(m.historyId), internalDate: String(m.internalDate), sizeEstimate: m.raw.length };
    const meta = { ...base, snippet: '', historyId: String(m.historyId), internalDate: String(m.internalDate), sizeEstimate: m.raw.length };
    if (format === 'raw') return { ...meta, raw: b64url(m.raw) };
    const payload = toPayload(m.raw, '');
    if (format === 'metadata') return { ...meta, payload: { ...payload, parts: undefined, body: { size: 0 } } };
    return { ...meta, payload };
  }

  private newMessageFromRaw(rawB64: string, threadId: string | undefined, labels: string[]): FakeMessage {
    return this.deliver(fromB64url(rawB64), { ...(threadId ? { threadId } : {}), labelIds: labels });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const prefix = '/gmail/v1/users/me/';
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const query = Object.fromEntries(url.searchParams.entries());
    const op = this.operation(method, path);
    this.requests.push({ method, path, query, at: Date.now(), units: UNITS[op] ?? 1 });

    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || (this.opts.token && auth !== `Bearer ${this.opts.token}`)) {
      this.send(res, 401, { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } });
      return;
    }
    const fault = this.faults.find((f) => f.left > 0 && (!f.method || f.method === method) && f.path.test(path));
    if (fault) {
      fault.left--;
      const reason = fault.reason ?? (fault.status === 429 ? 'rateLimitExceeded' : 'backendError');
      this.send(
        res,
        fault.status,
        { error: { code: fault.status, message: `Injected ${reason}`, errors: [{ domain: 'usageLimits', reason, message: reason }] } },
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      );
      return;
    }
    const drop = this.drops.find((d) => d.left > 0 && d.path.test(path));
    const json = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    const reply = (status: number, value: unknown): void => {
      if (drop) {
        drop.left--;
        req.socket.destroy();
        return;
      }
      this.send(res, status, value);
    };

    switch (op) {
      case 'profile':
        return reply(200, { emailAddress: this.email, messagesTotal: this.messages.size, threadsTotal: this.messages.size, historyId: String(this.historyId) });
      case 'messages.list': {
        const q = query.q ?? '';
        const max = Math.min(Number(query.maxResults ?? 100), 500);
        const all = [...this.messages.values()]
          .filter((m) => !m.labelIds.includes('DRAFT') && this.matches(m, q))
          .sort((a, b) => b.internalDate - a.internalDate || b.historyId - a.historyId);
        const start = Number(query.pageToken ?? 0);
        const page = all.slice(start, start + max);
        return reply(200, {
          ...(page.length ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
          ...(start + max < all.length ? { nextPageToken: String(start + max) } : {}),
          resultSizeEstimate: all.length,
        });
      }
      case 'messages.get': {
        const m = this.messages.get(path.split('/')[1]!);
        if (!m) return this.notFound(res);
        return reply(200, this.resource(m, query.format ?? 'full'));
      }
      case 'messages.send': {
        const m = this.newMessageFromRaw(String(json.raw ?? ''), json.threadId as string | undefined, ['SENT']);
        return reply(200, { id: m.id, threadId: m.threadId, labelIds: m.labelIds });
      }
      case 'drafts.create': {
        const message = (json.message ?? {}) as { raw?: string; threadId?: string };
        const m = this.newMessageFromRaw(message.raw ?? '', message.threadId, ['DRAFT']);
        const d: Draft = { id: `r${m.id}`, message: m };
        this.drafts.set(d.id, d);
        return reply(200, { id: d.id, message: { id: m.id, threadId: m.threadId, labelIds: m.labelIds } });
      }
      case 'drafts.get': {
        const d = this.drafts.get(path.split('/')[1]!);
        if (!d) return this.notFound(res);
        return reply(200, { id: d.id, message: this.resource(d.message, query.format ?? 'full') });
      }
      case 'drafts.list': {
        const q = query.q ?? '';
        const list = [...this.drafts.values()].filter((d) => this.matches(d.message, q));
        return reply(200, { ...(list.length ? { drafts: list.map((d) => ({ id: d.id, message: { id: d.message.id, threadId: d.message.threadId } })) } : {}), resultSizeEstimate: list.length });
      }
      case 'drafts.send': {
        const d = this.drafts.get(String(json.id ?? ''));
        if (!d) return this.notFound(res);
        this.drafts.delete(d.id);
        d.message.labelIds = ['SENT'];
        return reply(200, { id: d.message.id, threadId: d.message.threadId, labelIds: d.message.labelIds });
      }
      case 'threads.get': {
        const id = path.split('/')[1]!;
        const list = [...this.messages.values()].filter((m) => m.threadId === id && !m.labelIds.includes('DRAFT'));
        if (!list.length) return this.notFound(res);
        return reply(200, { id, historyId: String(this.historyId), messages: list.map((m) => this.resource(m, 'minimal')) });
      }
      case 'history.list': {
        const startId = Number(query.startHistoryId);
        if (!Number.isFinite(startId) || startId < this.minHistoryId) return this.notFound(res);
        const size = this.opts.historyPageSize ?? 100;
        const records = this.history.filter((h) => h.id > startId && !h.added.labelIds.includes('DRAFT'));
        const offset = Number(query.pageToken ?? 0);
        const page = records.slice(offset, offset + size);
        return reply(200, {
          ...(page.length
            ? {
                history: page.map((h) => ({
                  id: String(h.id),
                  messages: [{ id: h.added.id, threadId: h.added.threadId }],
                  messagesAdded: [{ message: { id: h.added.id, threadId: h.added.threadId, labelIds: h.added.labelIds } }],
                })),
              }
            : {}),
          ...(offset + size < records.length ? { nextPageToken: String(offset + size) } : {}),
          historyId: String(this.historyId),
        });
      }
      default:
        return this.notFound(res, `No route ${method} ${path}`);
    }
  }

  private operation(method: string, path: string): string {
    if (path === 'profile') return 'profile';
    if (path === 'messages' && method === 'GET') return 'messages.list';
    if (path === 'messages/send' && method === 'POST') return 'messages.send';
    if (/^messages\/[^/]+$/.test(path) && method === 'GET') return 'messages.get';
    if (path === 'drafts' && method === 'POST') return 'drafts.create';
    if (path === 'drafts' && method === 'GET') return 'drafts.list';
    if (path === 'drafts/send' && method === 'POST') return 'drafts.send';
    if (/^drafts\/[^/]+$/.test(path) && method === 'GET') return 'drafts.get';
    if (/^threads\/[^/]+$/.test(path) && method === 'GET') return 'threads.get';
    if (path === 'history' && method === 'GET') return 'history.list';
    return 'unknown';
  }
}

/** Starts a fake Gmail server on 127.0.0.1 with a random port. */
export function startFakeGmail(opts: FakeGmailOptions = {}): Promise<FakeGmail> {
  return new FakeGmail(opts).start();
}
