/**
 * Email over SMTP with nodemailer: one connection per message, one attempt, failures classified for
 * the outbox (see transport.ts for what each kind means).
 *
 * Why nodemailer's SMTPConnection and MailComposer rather than `createTransport().sendMail()`: the
 * outcome of a dropped connection depends on *when* it dropped. Before the server answered the DATA
 * command with 354, it has no message content and cannot deliver anything (`temporary`); once the
 * content was handed over, the server may deliver it even though its final reply never arrived
 * (`unknown`). nodemailer reports both as `ECONNECTION` / `ETIMEDOUT` with `command: 'CONN'`, and
 * its SMTP transport does not say whether the content had started to flow. Driving SMTPConnection
 * ourselves lets us see the exact moment the content stream is first read — which nodemailer does
 * only after the 354 reply (RFC 5321 §4.1.1.4) — and classify from that.
 *
 * One connection per message keeps a failure from leaking into the next message's session; the
 * batches of a small shop are tens of messages, so the extra handshakes do not matter.
 */
import { Readable } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import MailComposer from 'nodemailer/lib/mail-composer';
import addressparser from 'nodemailer/lib/addressparser';
import { AppError } from '../../shared/result';
import {
  TransportError,
  type MessageTransport,
  type OutgoingMessage,
  type SendReceipt,
  type TransportErrorScope,
} from './transport';

/**
 * How the connection is encrypted.
 * - `tls`: TLS from the first byte ("implicit TLS", usually port 465; RFC 8314).
 * - `starttls`: plain connect, then STARTTLS is required (usually port 587; RFC 3207). If the server
 *   does not offer it, nothing is sent.
 * - `none`: never encrypted. Only for a relay on the same machine, or tests.
 */
export type SmtpSecurity = 'tls' | 'starttls' | 'none';

/** Settings of the SMTP transport. Times are milliseconds. */
export interface SmtpTransportOptions {
  host: string;
  port: number;
  security: SmtpSecurity;
  /**
   * Login, when the server wants one. The password is fetched through `getPassword` right before
   * each connection (from the OS keychain via safeStorage, say), so it is never held by the transport.
   */
  auth?: { user: string; getPassword: () => string | Promise<string> };
  /**
   * RFC 5321 reverse-path (MAIL FROM), where bounces go. Defaults to the address of the message's
   * From header. The From header itself comes from the message (the relay's settings).
   */
  envelopeFrom?: string;
  /** Name sent with EHLO. Defaults to nodemailer's (the machine's host name). */
  clientName?: string;
  /** TCP connect timeout. Default 30 000. */
  connectionTimeoutMs?: number;
  /** Wait for the server's 220 greeting. Default 30 000. */
  greetingTimeoutMs?: number;
  /**
   * Inactivity timeout for the whole session, including the wait for the reply after the content.
   * Default 120 000. RFC 5321 §4.5.3.2.6 suggests 10 minutes for that last wait; we wait less
   * because a person is watching a progress bar, and a timeout there is recorded as `unknown`
   * (never resent blindly), so being impatient costs a check by a person, not a duplicate.
   */
  socketTimeoutMs?: number;
  /** Extra TLS options (a private CA, say). */
  tls?: ConnectionOptions;
}

/**
 * Where in the SMTP session a failure happened, which decides what it means for the message:
 * - `connect`: TCP, greeting, EHLO, STARTTLS, AUTH. The message was never offered.
 * - `envelope`: MAIL FROM, RCPT TO, and the DATA command up to its 354 reply. The server has no content.
 * - `content`: the content is being (or has been) sent and the final reply is awaited.
 */
export type SmtpPhase = 'connect' | 'envelope' | 'content';

/**
 * Creates the email transport.
 * @throws AppError('BAD_INPUT') when host, port or a timeout is not usable.
 */
export function createSmtpTransport(options: SmtpTransportOptions): MessageTransport {
  if (!options.host.trim()) throw new AppError('BAD_INPUT', 'SMTP host is empty.');
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new AppError('BAD_INPUT', `SMTP port ${options.port} is not a port number (1–65535).`);
  }
  for (const key of ['connectionTimeoutMs', 'greetingTimeoutMs', 'socketTimeoutMs'] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
      throw new AppError('BAD_INPUT', `SMTP ${key} must be a positive number of milliseconds.`);
    }
  }
  return { channel: 'email', send: (msg) => sendOne(options, msg) };
}

/** The fields nodemailer puts on its errors; read defensively because they arrive as `unknown`. */
interface SmtpErrorFields {
  message: string;
  code: string | undefined;
  originalCode: string | undefined;
  command: string | undefined;
  response: string | undefined;
  responseCode: number | undefined;
}

function readErrorFields(err: unknown): SmtpErrorFields {
  const o = (err !== null && typeof err === 'object' ? err : {}) as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  const response = str(o.response);
  let responseCode = typeof o.responseCode === 'number' ? o.responseCode : undefined;
  if (responseCode === undefined && response && /^\d{3}/.test(response)) responseCode = Number(response.slice(0, 3));
  return {
    message: err instanceof Error ? err.message : String(err),
    code: str(o.code),
    originalCode: str(o.originalCode),
    command: str(o.command),
    response,
    responseCode,
  };
}

/**
 * RFC 5321 §4.2.1: 5yz is a permanent negative completion, 4yz a transient one. 503 ("bad sequence
 * of commands") is treated as transient: it says the session was in the wrong state, not that the
 * message was refused (nodemailer's isPermanentResponseCode reasons the same way).
 */
function isPermanentReply(code: number): boolean {
  return code >= 500 && code <= 599 && code !== 503;
}

/**
 * Turns a nodemailer error into a {@link TransportError}, given the phase the session was in.
 *
 * - `connect`: always `temporary` with scope `connection` — the message itself was never offered,
 *   whatever the reason (refused connection, TLS, 535 login refused).
 * - `envelope`: a 5yz reply (except 503) is `rejected`; any other reply, a dropped or timed-out
 *   connection, is `temporary`. nodemailer's own envelope checks (address it cannot use, message
 *   larger than the server's SIZE) are `rejected`: retrying the same message cannot change them.
 * - `content`: a 4yz/5yz reply to the end of the content is a definite answer (RFC 5321 §4.1.1.4:
 *   only a 250 there means the server took responsibility), so it is classified like above. No
 *   reply at all — connection dropped, socket timeout, stream error — is `unknown`.
 */
export function classifySmtpError(err: unknown, phase: SmtpPhase): TransportError {
  if (err instanceof TransportError) return err;
  const f = readErrorFields(err);
  const reply = f.response ? ` Server said: ${f.response}` : '';
  const code = f.originalCode && f.originalCode !== f.code ? `${f.code ?? ''}/${f.originalCode}` : (f.code ?? 'error');
  const details = (scope: TransportErrorScope) => ({
    scope,
    responseCode: f.responseCode,
    response: f.response,
    command: f.command,
    code: f.code,
    cause: err,
  });
  const hasFailureReply = f.responseCode !== undefined && f.responseCode >= 400 && f.responseCode <= 599;

  if (phase === 'connect') {
    const what =
      f.code === 'EAUTH' || f.code === 'ENOAUTH'
        ? 'The mail server refused the login; check the SMTP user and password in Settings.'
        : f.code === 'ETLS'
          ? 'The encrypted connection (TLS) to the mail server failed.'
          : 'Could not open a session with the mail server.';
    return new TransportError('temporary', `${what} (${code})${reply} Nothing was sent.`, details('connection'));
  }

  if (hasFailureReply) {
    const rc = f.responseCode!;
    const step = f.command ?? (phase === 'content' ? 'DATA' : 'envelope');
    if (isPermanentReply(rc)) {
      return new TransportError('rejected', `The mail server refused the message at ${step}: ${f.response ?? rc}`, details('message'));
    }
    return new TransportError(
      'temporary',
      `The mail server deferred the message at ${step} (temporary refusal): ${f.response ?? rc}. It was not accepted; it can be retried.`,
      details('message'),
    );
  }

  if (phase === 'content') {
    return new TransportError(
      'unknown',
      `The message content was handed to the mail server, then the connection ended before the server confirmed it (${code}: ${f.message}). ` +
        'It may or may not have been delivered: check the Sent folder or ask the customer before sending it again.',
      details('message'),
    );
  }

  // Envelope phase without a failure reply.
  if (f.code === 'EENVELOPE' || f.code === 'EMESSAGE' || f.code === 'EMAXRECIPIENTS') {
    return new TransportError('rejected', `The message cannot be sent as it is: ${f.message}`, details('message'));
  }
  return new TransportError(
    'temporary',
    `The connection to the mail server failed before the message content was sent (${code}: ${f.message}). Nothing was delivered; it can be retried.`,
    details('message'),
  );
}

interface Prepared {
  raw: Buffer;
  envelope: { from: string; to: string[] };
  messageId: string;
}

/** RFC 5322 §3.6.4 msg-id, simplified: `<left@right>` without spaces or further angle brackets. */
const MSG_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

function singleAddress(field: string): string | null {
  const list = addressparser(field, { flatten: true });
  if (list.length !== 1) return null;
  const address = list[0]?.address;
  return address && /^[^\s@]+@[^\s@]+$/.test(address) ? address : null;
}

async function prepare(options: SmtpTransportOptions, msg: OutgoingMessage): Promise<Prepared> {
  const messageId = msg.messageId.startsWith('<') ? msg.messageId : `<${msg.messageId}>`;
  if (!MSG_ID.test(messageId)) {
    throw new TransportError('rejected', `Message-ID ${JSON.stringify(msg.messageId)} is not an RFC 5322 msg-id (<left@right>).`, {
      code: 'EMESSAGE',
    });
  }
  // A to_address like "a@x.com, b@y.com" would otherwise become two recipients: a notice about one
  // customer's order must reach exactly that customer.
  const to = singleAddress(msg.to);
  if (!to) {
    throw new TransportError('rejected', `Recipient ${JSON.stringify(msg.to)} is not exactly one email address.`, { code: 'EENVELOPE' });
  }
  const fromAddress = singleAddress(msg.from);
  const envelopeFrom = options.envelopeFrom ?? fromAddress;
  if (!fromAddress || !envelopeFrom || (options.envelopeFrom !== undefined && !singleAddress(options.envelopeFrom))) {
    // Every message of the batch would fail the same way: a settings problem, hence scope 'connection'.
    throw new TransportError('temporary', `Sender ${JSON.stringify(msg.from)} is not a usable email address; check the sender in Settings.`, {
      code: 'ECONFIG',
      scope: 'connection',
    });
  }
  const composer = new MailComposer({
    from: msg.from,
    to: msg.to,
    subject: msg.subject,
    text: msg.text,
    messageId,
    headers: msg.headers,
  });
  const raw = await composer.compile().build();
  return { raw, envelope: { from: envelopeFrom, to: [to] }, messageId };
}

async function readPassword(auth: NonNullable<SmtpTransportOptions['auth']>): Promise<string> {
  try {
    return await auth.getPassword();
  } catch (err) {
    throw new TransportError('temporary', 'Could not read the SMTP password from the keychain. Nothing was sent.', {
      code: 'ENOAUTH',
      scope: 'connection',
      cause: err,
    });
  }
}

/** `250 2.0.0 Ok: queued as 4F2A1B` → `4F2A1B` (Postfix, Exim, many others). */
function queueIdFrom(response: string): string | undefined {
  return /queued as\s+([A-Za-z0-9._:@<>-]+)/i.exec(response)?.[1];
}

async function sendOne(options: SmtpTransportOptions, msg: OutgoingMessage): Promise<SendReceipt> {
  const prepared = await prepare(options, msg);
  const password = options.auth ? await readPassword(options.auth) : undefined;

  return new Promise<SendReceipt>((resolve, reject) => {
    let phase: SmtpPhase = 'connect';
    let settled = false;
    const conn = new SMTPConnection({
      host: options.host,
      port: options.port,
      secure: options.security === 'tls',
      requireTLS: options.security === 'starttls',
      ignoreTLS: options.security === 'none',
      name: options.clientName,
      connectionTimeout: options.connectionTimeoutMs ?? 30_000,
      greetingTimeout: options.greetingTimeoutMs ?? 30_000,
      socketTimeout: options.socketTimeoutMs ?? 120_000,
      tls: options.tls,
      logger: false,
    });

    // The phase is read when the error arrives, not when the callback was registered: nodemailer
    // reports socket failures through 'error' and the pending callback alike, whichever comes first.
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      conn.close();
      reject(classifySmtpError(err, phase));
    };
    // Without an 'error' listener an EventEmitter error would be thrown out of the socket handler.
    conn.on('error', fail);
    conn.on('end', () => {
      const closed = Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' });
      fail(closed);
    });

    const deliver = (): void => {
      if (settled) return;
      phase = 'envelope';
      let handedOver = false;
      // nodemailer pipes this stream only after the 354 reply to DATA; its first read is the moment
      // the server may start to hold our content.
      const content = new Readable({
        read() {
          if (handedOver) return;
          handedOver = true;
          phase = 'content';
          this.push(prepared.raw);
          this.push(null);
        },
      });
      conn.send(prepared.envelope, content, (err, info) => {
        if (err) return fail(err);
        if (settled) return;
        settled = true;
        const response = info.response;
        resolve({ providerId: info.serverMessageId ?? queueIdFrom(response) ?? prepared.messageId, response });
        conn.quit();
      });
    };

    conn.connect((err) => {
      if (err) return fail(err);
      if (settled) return;
      if (options.auth && conn.allowsAuth) {
        conn.login({ user: options.auth.user, pass: password }, (loginErr) => (loginErr ? fail(loginErr) : deliver()));
      } else {
        deliver();
      }
    });
  });
}
