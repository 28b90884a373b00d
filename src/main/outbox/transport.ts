/**
 * The seam between the outbox relay and whatever carries a message out (SMTP today, Gmail API or an
 * SMS gateway later). A transport sends one message and either resolves with the provider's receipt
 * or rejects with a {@link TransportError} whose `kind` tells the relay which status to record
 * (DESIGN.md "Every side effect goes through the database first"):
 *
 * - `rejected`  — the provider refused the message for good (RFC 5321 §4.2.1 5yz permanent negative
 *                 completion reply). Row → `failed`; retrying the same message would be refused again.
 * - `temporary` — the message was definitely not accepted, but may be later (RFC 5321 4yz transient
 *                 reply, or the connection failed before the message content was handed over).
 *                 Row → `failed`, retryable by a person.
 * - `unknown`   — the content was handed over and the final answer never came (connection dropped or
 *                 timed out after the DATA command was accepted). The provider may or may not deliver
 *                 it. Row → `unknown`: shown to a person, never resent by itself.
 */
import type { Channel } from '../../shared/domain';

/** One message as the relay hands it to a transport. */
export interface OutgoingMessage {
  /**
   * Our own RFC 5322 §3.6.4 Message-ID (`<left@right>`; the angle brackets may be omitted), fixed when
   * the row was made, so the sent copy can be found again in a mailbox and a resend after `unknown`
   * carries the same id.
   */
  messageId: string;
  /** Sender: an RFC 5322 mailbox (`Shop <orders@shop.example>`) for email, a number or sender id for SMS. */
  from: string;
  /** Exactly one recipient: an email address, or an E.164 phone number for SMS. */
  to: string;
  /** Subject line (ignored by SMS transports). */
  subject: string;
  /** Plain-text body. */
  text: string;
  /** Extra header fields (email only). Structural headers (From, To, Subject, Message-ID, Date) win. */
  headers?: Record<string, string>;
}

/** What a provider said when it accepted a message. */
export interface SendReceipt {
  /** The provider's id for the message (its queue id / Message-ID), or our Message-ID when it gave none. */
  providerId: string;
  /** The provider's final reply verbatim (e.g. SMTP `250 2.0.0 OK: queued as 4F2A`). */
  response: string;
}

/** Carries messages of one channel. Implementations must reject only with {@link TransportError}. */
export interface MessageTransport {
  readonly channel: Channel;
  /**
   * Sends one message, exactly one attempt, no internal retries (the relay and the person decide
   * about retries, with the database as the record).
   * @throws TransportError classifying the failure.
   */
  send(msg: OutgoingMessage): Promise<SendReceipt>;
}

/** How a send failed, as far as the outcome of *this message* goes. See the module comment. */
export type TransportErrorKind = 'rejected' | 'temporary' | 'unknown';

/**
 * Whether the failure concerns this message only, or the transport as a whole (cannot connect, TLS
 * failed, login refused). A relay stops its batch on a `connection` failure: the next message would
 * fail the same way, and repeated failed logins can get the merchant's mail account locked.
 */
export type TransportErrorScope = 'message' | 'connection';

export interface TransportErrorDetails {
  scope?: TransportErrorScope;
  /** The provider's reply code (RFC 5321 §4.2 three-digit reply code for SMTP). */
  responseCode?: number;
  /** The provider's reply text verbatim. */
  response?: string;
  /** The protocol command in flight ('CONN', 'MAIL FROM', 'RCPT TO', 'DATA', ...). */
  command?: string;
  /** The library's error code (nodemailer: 'ECONNECTION', 'ETIMEDOUT', 'EENVELOPE', ...). */
  code?: string;
  cause?: unknown;
}

/** A classified send failure. `message` is meant for the person reading the review queue. */
export class TransportError extends Error {
  readonly scope: TransportErrorScope;
  readonly responseCode: number | undefined;
  readonly response: string | undefined;
  readonly command: string | undefined;
  readonly code: string | undefined;

  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    details: TransportErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TransportError';
    this.scope = details.scope ?? 'message';
    this.responseCode = details.responseCode;
    this.response = details.response;
    this.command = details.command;
    this.code = details.code;
  }
}

/** Type guard that survives duplicated module instances (checks the shape, not only the prototype). */
export function isTransportError(err: unknown): err is TransportError {
  if (err instanceof TransportError) return true;
  if (!(err instanceof Error) || err.name !== 'TransportError') return false;
  const kind = (err as { kind?: unknown }).kind;
  return kind === 'rejected' || kind === 'temporary' || kind === 'unknown';
}
