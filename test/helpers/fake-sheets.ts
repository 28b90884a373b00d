/**
 * A fake Google Sheets API v4 server on 127.0.0.1 answering `spreadsheets.values.get`
 * (GET /v4/spreadsheets/{id}/values/{range}) with the documented ValueRange shape
 * `{range, majorDimension: 'ROWS', values}`, trailing empty cells left out as Google does. It insists
 * on a Bearer token; `denyScope` makes it answer 403 PERMISSION_DENIED "insufficient authentication
 * scopes", as Google does for a token granted without spreadsheets.readonly.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export class FakeSheets {
  port = 0;
  /** Spreadsheet id → rows of displayed values. */
  readonly sheets = new Map<string, string[][]>();
  readonly requests: { id: string; range: string; query: Record<string, string>; auth: string }[] = [];
  denyScope = false;
  private server!: http.Server;

  get rootUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/v4\/spreadsheets\/([^/]+)\/values\/([^/]+)$/.exec(url.pathname);
    const auth = req.headers.authorization ?? '';
    if (!m || req.method !== 'GET') return this.json(res, 404, { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } });
    const id = decodeURIComponent(m[1]!);
    const range = decodeURIComponent(m[2]!);
    this.requests.push({ id, range, query: Object.fromEntries(url.searchParams.entries()), auth });
    if (!auth.startsWith('Bearer ')) return this.json(res, 401, { error: { code: 401, message: 'Request is missing required authentication credential.', status: 'UNAUTHENTICATED' } });
    if (this.denyScope) return this.json(res, 403, { error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED', details: [{ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' }] } });
    const rows = this.sheets.get(id);
    if (!rows) return this.json(res, 404, { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
    const trimmed = rows.map((r) => {
      const out = [...r];
      while (out.length && out[out.length - 1] === '') out.pop();
      return out;
    });
    this.json(res, 200, { range: `Sheet1!${range}`, majorDimension: 'ROWS', values: trimmed });
  }
}
