import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(__dirname, '../..');

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/main/cli/index.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('backorder-desk mail parse FILE --json', () => {
  it('prints {from, to, subject, date, text, attachments: [names]} for an .eml file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-cli-mail-')), 'a.eml');
    fs.writeFileSync(
      file,
      'From: Acme <Sales@Acme.example>\r\nTo: shop@example.com\r\nSubject: ETA\r\nDate: Tue, 4 Jun 2024 09:30:00 +0000\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nShips 14 June.\r\n--b\r\nContent-Type: text/csv; name="eta.csv"\r\n\r\nsku,eta\r\n--b--\r\n',
    );
    const r = cli(['mail', 'parse', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      from: 'sales@acme.example',
      to: ['shop@example.com'],
      subject: 'ETA',
      date: '2024-06-04T09:30:00.000Z',
      text: 'Ships 14 June.\n',
      attachments: ['eta.csv'],
    });
  });

  it('reads a Gmail API message resource (JSON) and fails with exit code 2 on a missing file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-cli-mail-')), 'm.json');
    const raw = Buffer.from('From: jane@example.com\r\nSubject: Re: #1001\r\n\r\nHi\r\n').toString('base64url');
    fs.writeFileSync(file, JSON.stringify({ id: '1', threadId: '1', raw }));
    const r = cli(['mail', 'parse', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ from: 'jane@example.com', subject: 'Re: #1001', attachments: [] });
    const missing = cli(['mail', 'parse', '/nonexistent/x.eml', '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot be read/);
  });
});
