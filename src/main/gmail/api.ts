/**
 * The Gmail calls the app makes, each paced by the quota bucket (pacer.ts) and retried with backoff
 * (backoff.ts). Reads are retried on rate limits and 5xx. The two calls that send mail
 * (messages.send, drafts.send) are retried only on rate limits (429, 403 rateLimitExceeded), where
 * Google did not act on the request: after a 5xx or a lost connection the mail may have gone out, and
 * the answer to that is a lookup (transport.ts), never a second send.
 */
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail';
import { classifyGmailError, withBackoff, type BackoffOptions } from './backoff';
import type { Gmail } from './client';
import { QuotaPacer, type GmailMethod } from './pacer';

type Message = gmail_v1.Schema$Message;

/** Options of {@link GmailApi}. */
export interface GmailApiOptions {
  pacer?: QuotaPacer;
  backoff?: BackoffOptions;
}

/** Gmail API v1 calls for user `me` (see module doc). Errors are gaxios errors, read with classifyGmailError. */
export class GmailApi {
  readonly pacer: QuotaPacer;
  private readonly backoff: BackoffOptions;

  constructor(
    readonly gmail: Gmail,
    opts: GmailApiOptions = {},
  ) {
    this.pacer = opts.pacer ?? new QuotaPacer();
    this.backoff = opts.backoff ?? {};
  }

  private read<T>(method: GmailMethod, fn: () => Promise<{ data: T }>): Promise<T> {
    return withBackoff(async () => {
      await this.pacer.take(method);
      return (await fn()).data;
    }, this.backoff);
  }

  /** Retries only what Google certainly did not act on (rate limits: 429, 403 rateLimitExceeded). */
  private write<T>(method: GmailMethod, fn: () => Promise<{ data: T }>): Promise<T> {
    return withBackoff(
      async () => {
        await this.pacer.take(method);
        return (await fn()).data;
      },
      { ...this.backoff, retryIf: (i) => i.status === 429 || i.status === 403 },
    );
  }

  /** users.getProfile: the address and the mailbox's current historyId. */
  profile(): Promise<gmail_v1.Schema$Profile> {
    return this.read('users.getProfile', () => this.gmail.users.getProfile({ userId: 'me' }));
  }

  /** users.messages.list, one page. `maxResults` ≤ 500 (we use 50: one page = one fetch batch). */
  listMessages(q: string, pageToken?: string, maxResults = 50): Promise<gmail_v1.Schema$ListMessagesResponse> {
    return this.read('messages.list', () =>
      this.gmail.users.messages.list({ userId: 'me', q, maxResults, ...(pageToken ? { pageToken } : {}) }),
    );
  }

  /** users.messages.get with format=raw (base64url RFC 5322 in `raw`). */
  getRaw(id: string): Promise<Message> {
    return this.read('messages.get', () => this.gmail.users.messages.get({ userId: 'me', id, format: 'raw' }));
  }

  /** users.threads.get with format=minimal: the ids and labels of a thread's messages. */
  getThread(id: string): Promise<gmail_v1.Schema$Thread> {
    return this.read('threads.get', () => this.gmail.users.threads.get({ userId: 'me', id, format: 'minimal' }));
  }

  /** users.history.list, one page of messageAdded records after `startHistoryId`. A stale id answers 404. */
  history(startHistoryId: string, pageToken?: string): Promise<gmail_v1.Schema$ListHistoryResponse> {
    return this.read('history.list', () =>
      this.gmail.users.history.list({
        userId: 'me',
        startHistoryId,
        historyTypes: ['messageAdded'],
        maxResults: 500,
        ...(pageToken ? { pageToken } : {}),
      }),
    );
  }

  /** users.messages.send of base64url RFC 5322 bytes, into `threadId` when given. */
  send(raw: string, threadId?: string): Promise<Message> {
    return this.write('messages.send', () =>
      this.gmail.users.messages.send({ userId: 'me', requestBody: { raw, ...(threadId ? { threadId } : {}) } }),
    );
  }

  /** users.drafts.create. Creating a draft sends nothing, so it is retried like a read. */
  createDraft(raw: string, threadId?: string): Promise<gmail_v1.Schema$Draft> {
    return this.read('drafts.create', () =>
      this.gmail.users.drafts.create({ userId: 'me', requestBody: { message: { raw, ...(threadId ? { threadId } : {}) } } }),
    );
  }

  /** users.drafts.send of an existing draft. */
  sendDraft(id: string): Promise<Message> {
    return this.write('drafts.send', () => this.gmail.users.drafts.send({ userId: 'me', requestBody: { id } }));
  }

  /** users.drafts.get, or null when the draft no longer exists (sent or deleted). */
  async getDraft(id: string): Promise<gmail_v1.Schema$Draft | null> {
    try {
      return await this.read('drafts.get', () => this.gmail.users.drafts.get({ userId: 'me', id, format: 'minimal' }));
    } catch (err) {
      if (classifyGmailError(err).status === 404) return null;
      throw err;
    }
  }

  /** users.drafts.list filtered by a search query. */
  listDrafts(q: string): Promise<gmail_v1.Schema$ListDraftsResponse> {
    return this.read('drafts.list', () => this.gmail.users.drafts.list({ userId: 'me', q, maxResults: 10 }));
  }
}
