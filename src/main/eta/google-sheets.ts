/**
 * A supplier's Google Sheet read through the Sheets API v4 (`spreadsheets.values.get`, googleapis'
 * generated sheets_v4 client loaded alone), with the same Google OAuth connection as Gmail. The
 * connection asks for `https://www.googleapis.com/auth/spreadsheets.readonly` only once the owner has
 * linked a sheet (SHEETS_SCOPE, gmail/connection.ts extraScopes): read-only, and nobody who never
 * links a sheet grants the app access to their spreadsheets.
 *
 * Values are read as the sheet displays them (valueRenderOption FORMATTED_VALUE), so dates arrive as
 * the supplier typed them and are read with the supplier's date locale (core/eta/sheet.ts), exactly
 * like a CSV export of the same sheet.
 */
import { sheets_v4 } from 'googleapis/build/src/apis/sheets';
import { AppError } from '../../shared/result';
import type { OAuth2Client } from '../gmail/client';
import { classifyGmailError } from '../gmail/backoff';
import type { SheetTable } from './sheet-import';

/** The one extra scope a linked sheet needs. */
export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets.readonly';

/** A spreadsheet id as it appears in the sheet's address (…/spreadsheets/d/<id>/edit), or the address itself. */
export function spreadsheetIdOf(idOrUrl: string): string {
  const m = /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(idOrUrl);
  const id = (m?.[1] ?? idOrUrl).trim();
  if (!/^[A-Za-z0-9_-]{10,200}$/.test(id)) throw new AppError('BAD_INPUT', `sheet: "${idOrUrl}" is neither a Google Sheets address nor a spreadsheet id`);
  return id;
}

/**
 * Reads the values of `range` (A1 notation, e.g. "Sheet1" or "Open POs!A1:F500") as a table.
 * @param rootUrl API root with trailing slash; default Google's (tests: the fake Sheets server).
 * @throws AppError('UNAUTHORIZED') when Google refuses (scope not granted, no access to the sheet):
 *   the owner reconnects Google or shares the sheet; AppError('NOT_FOUND') for an unknown sheet or
 *   range; AppError('UNAVAILABLE') for other failures.
 */
export async function readGoogleSheet(auth: OAuth2Client, spreadsheetId: string, range: string, rootUrl?: string): Promise<SheetTable> {
  const api = new sheets_v4.Sheets({ auth, ...(rootUrl ? { rootUrl } : {}), retry: false, timeout: 60_000 });
  let values: unknown;
  try {
    const r = await api.spreadsheets.values.get({ spreadsheetId, range, valueRenderOption: 'FORMATTED_VALUE', majorDimension: 'ROWS' });
    values = r.data.values ?? [];
  } catch (err) {
    const info = classifyGmailError(err);
    if (info.status === 401 || info.status === 403) {
      throw new AppError('UNAUTHORIZED', `Google refused to read sheet ${spreadsheetId} (${info.message}). Reconnect Google in Settings → Gmail so it asks for read access to sheets, and check that the sheet is shared with the connected account.`);
    }
    if (info.status === 404 || info.status === 400) throw new AppError('NOT_FOUND', `sheet ${spreadsheetId}, range "${range}": ${info.message}`);
    throw new AppError('UNAVAILABLE', `Google Sheets: ${info.status ?? 'network'} ${info.message}`);
  }
  if (!Array.isArray(values)) throw new AppError('UNAVAILABLE', `Google Sheets answered for ${spreadsheetId} without a values table`);
  // The API leaves out trailing empty cells and rows; every cell becomes text as the sheet shows it.
  const records = values.map((row) => (Array.isArray(row) ? row.map((c) => (c === null || c === undefined ? '' : String(c))) : []));
  return { records, lines: records.map((_r, i) => i + 1) };
}
