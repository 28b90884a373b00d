/**
 * A local SMTP server for the demo (smtp-server package): accepts mail on 127.0.0.1 only and
 * writes each message as an .eml file, so "Send" can be tried without a mail account and nothing
 * leaves the machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface MailCatcher {
  port: number;
  dir: string;
  close(): Promise<void>;
}

/** Starts the catcher on a free port of 127.0.0.1 and writes messages to `dir`. */
export async function startMailCatcher(dir: string): Promise<MailCatcher> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let n = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).length;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'Backorder Desk demo mail catcher',
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        n += 1;
        fs.writeFileSync(path.join(dir, `${String(n).padStart(4, '0')}.eml`), Buffer.concat(chunks), { mode: 0o600 });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, dir, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
