/**
 * The one shape every inbound message takes once parsed, whatever it came from (an .eml file, a
 * Gmail `format=raw` message, a Gmail `format=full` resource). All text is already decoded
 * (charset, quoted-printable, base64, RFC 2047 words) and stripped of invisible Unicode
 * (src/core/drafts/invisible.ts): inbound mail is untrusted data, and what a person reads must be
 * what a classifier reads.
 */

/** One attachment, kept by name so a supplier's CSV can be offered to the quote importer. */
export interface MailAttachment {
  /** File name from Content-Disposition/Content-Type, or `attachment-N` when the part named none. */
  name: string;
  /** Lower-case MIME type, e.g. `text/csv`. */
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
  /** Decoded bytes; absent when the source only referenced the content (Gmail `attachmentId`). */
  content?: Uint8Array;
}

/** A message that was forwarded inside another one (`---------- Forwarded message ---------`). */
export interface ForwardedMail {
  /** Sender address of the forwarded message, lower-cased, or null when the block named none. */
  from: string | null;
  subject: string | null;
  /** The Date line as written (forwarding clients localise it, so it is not parsed). */
  date: string | null;
  /** The forwarded message's own new text (its quoted history stripped in turn). */
  text: string;
}

/** A parsed inbound message. Addresses are lower-cased bare addresses (`a@b.example`). */
export interface ParsedMail {
  /** Sender address, or '' when the message has no usable From. */
  from: string;
  /** Display name of the sender, '' when none. */
  fromName: string;
  /** Recipient addresses (To and Cc), groups flattened. */
  to: string[];
  subject: string;
  /** ISO 8601 instant from the Date header, or null when absent or unparseable. */
  date: string | null;
  /** The whole plain text: the text/plain part, or the HTML turned to text when there is none. */
  text: string;
  /** The HTML part when there was one (never rendered by the app; kept for a person to inspect). */
  html?: string;
  /**
   * What the sender wrote in this message: `text` without quoted history (`> ` lines, "On … wrote:",
   * Outlook's "-----Original Message-----" block) and without forwarded blocks. Classification
   * reads this, never `text`, so a customer quoting our own notice is not read as their words.
   */
  newText: string;
  /** Forwarded messages found in the body, outermost first. */
  forwarded: ForwardedMail[];
  attachments: MailAttachment[];
  /** RFC 5322 Message-ID with angle brackets, or null. */
  messageId: string | null;
  /** In-Reply-To msg-id with angle brackets, or null. */
  inReplyTo: string | null;
  /** References msg-ids with angle brackets, oldest first. */
  references: string[];
}
