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

  it('refuses files that are not mail with an error naming the file (exit 2): empty, binary, no headers', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-cli-mail-'));
    const files = {
      'empty.eml': Buffer.alloc(0),
      'program.eml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]),
      // Reads like a header line, but binary before any blank line: no mail program writes that.
      'looks-like-mail.eml': Buffer.concat([Buffer.from('Subject: hello\r\n'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])]),
      'notes.eml': Buffer.from('just some notes, no headers at all\n'),
    };
    for (const [name, bytes] of Object.entries(files)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      const r = cli(['mail', 'parse', file, '--json']);
      expect(r.code, `${name}: ${r.stdout}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`${file}: not an email message`);
    }
  });
});

describe('backorder-desk replies import FILE', () => {
  it('refuses the same files, naming each once, and imports the mail next to them (exit 1)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-cli-mail-'));
    const bin = path.join(dir, 'looks-like-mail.eml');
    fs.writeFileSync(bin, Buffer.concat([Buffer.from('Subject: hello\r\n'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])]));
    const ok = path.join(dir, 'ok.eml');
    fs.writeFileSync(ok, 'From: x@spam.example\r\nSubject: Hello\r\nMessage-ID: <ok@x>\r\n\r\nHi\r\n');
    const db = path.join(dir, 'store.db');
    const r = cli(['replies', 'import', bin, ok, '--db', db, '--now', '2026-11-02T16:00:00Z']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('looks-like-mail.eml: not an email message (binary content)');
    expect(r.stdout).not.toContain('looks-like-mail.eml: looks-like-mail.eml');
    expect(r.stdout).toContain('ok.eml: ignored');
  });
});
