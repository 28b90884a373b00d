/**
 * A real SMTP peer for integration tests: the `smtp-server` package listening on 127.0.0.1 on a
 * random port, without AUTH or STARTTLS, collecting every message it receives (envelope and raw
 * RFC 5322 text), and able to misbehave on command:
 *
 * - `failNext({ at: 'rcpt' | 'data', reply: 4xx|5xx })` — answer the next RCPT TO, or the end of the
 *   message content ('data': the reply after the final dot), with that code;
 * - `failNext({ at, action: 'close' })` — at RCPT: drop the connection without a reply; at data:
 *   read the whole content, then drop the connection without a reply (the sender cannot know);
 * - `failNext({ at, action: 'hang' })` — never reply (the client's socket timeout ends it).
 *
 * A fault applies to the next `times` matching commands (default 1), optionally only for one
 * recipient. Messages whose content was read completely are in `received`, whatever was answered,
 * with `outcome` saying what the server did: a test asserts delivery with `accepted()` and
 * "the content reached the server" with `received`.
 */
import net from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export type FaultAt = 'rcpt' | 'data';
export type Fault =
  | { at: FaultAt; reply: number; text?: string; rcptTo?: string; times?: number }
  | { at: FaultAt; action: 'close' | 'hang'; rcptTo?: string; times?: number };

export interface ReceivedMessage {
  mailFrom: string | null;
  rcptTo: string[];
  raw: string;
  /** The Message-ID header field body as sent, with angle brackets; null when absent. */
  messageId: string | null;
  /** What the server did after reading the content. */
  outcome: 'accepted' | 'replied-error' | 'closed' | 'hung';
}

export interface TestSmtpServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Every message whose content was fully read, in arrival order. */
  readonly received: ReceivedMessage[];
  /** The messages the server answered with 250. */
  accepted(): ReceivedMessage[];
  /** RCPT TO commands seen (including refused ones), in order. */
  readonly rcptLog: string[];
  failNext(fault: Fault): void;
  /** Milliseconds to wait before answering the end of every message (to make relays overlap). */
  setDataDelay(ms: number): void;
  close(): Promise<void>;
}

interface ArmedFault {
  fault: Fault;
  left: number;
}

function replyError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

/** Header field lookup in raw RFC 5322 text (unfolds continuation lines). */
export function headerOf(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const re = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im');
  return re.exec(unfolded)?.[1]?.trim() ?? null;
}

/** Starts the server; resolves once it listens. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const faults: ArmedFault[] = [];
  const received: ReceivedMessage[] = [];
  const rcptLog: string[] = [];
  const sockets = new Map<string, net.Socket>();
  let dataDelay = 0;

  const take = (at: FaultAt, rcpt: string[]): Fault | null => {
    const i = faults.findIndex((f) => f.fault.at === at && (!f.fault.rcptTo || rcpt.includes(f.fault.rcptTo)));
    if (i < 0) return null;
    const armed = faults[i]!;
    armed.left--;
    if (armed.left <= 0) faults.splice(i, 1);
    return armed.fault;
  };
  const socketOf = (session: SMTPServerSession): net.Socket | undefined =>
    sockets.get(`${session.remoteAddress}:${session.remotePort}`);

  const server = new SMTPServer({
    authOptional: true,
    // Reverse DNS of 127.0.0.1 only costs time here.
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // Keep hung sessions from delaying close(); close() destroys them anyway.
    closeTimeout: 100,
    onRcptTo(address, session, callback) {
      rcptLog.push(address.address);
      const fault = take('rcpt', [address.address]);
      if (!fault) return callback();
      if ('reply' in fault) return callback(replyError(fault.reply, fault.text ?? `Test fault at RCPT ${fault.reply}`));
      if (fault.action === 'close') {
        socketOf(session)?.destroy();
        return;
      }
      // 'hang': never call back.
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const rcptTo = session.envelope.rcptTo.map((a) => a.address);
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        const fault = take('data', rcptTo);
        const outcome: ReceivedMessage['outcome'] = !fault
          ? 'accepted'
          : 'reply' in fault
            ? 'replied-error'
            : fault.action === 'close'
              ? 'closed'
              : 'hung';
        received.push({ mailFrom, rcptTo, raw, messageId: headerOf(raw, 'Message-ID'), outcome });
        const answer = (): void => {
          if (!fault) return callback(null, `OK: queued as T${received.length}`);
          if ('reply' in fault) return callback(replyError(fault.reply, fault.text ?? `Test fault after DATA ${fault.reply}`));
          if (fault.action === 'close') socketOf(session)?.destroy();
          // 'hang': never call back.
        };
        if (dataDelay > 0) setTimeout(answer, dataDelay);
        else answer();
      });
    },
  });
  server.on('error', () => {
    // Client-side disconnects surface here as ECONNRESET; they are what some tests provoke.
  });
  server.server.on('connection', (socket: net.Socket) => {
    const key = `${socket.remoteAddress}:${socket.remotePort}`;
    sockets.set(key, socket);
    socket.on('close', () => sockets.delete(key));
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.server.address();
  if (!addr || typeof addr === 'string') throw new Error('SMTP test server has no TCP address');

  return {
    host: '127.0.0.1',
    port: addr.port,
    received,
    rcptLog,
    accepted: () => received.filter((m) => m.outcome === 'accepted'),
    failNext(fault) {
      faults.push({ fault, left: fault.times ?? 1 });
    },
    setDataDelay(ms) {
      dataDelay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets.values()) s.destroy();
        server.close(() => resolve());
      }),
  };
}
