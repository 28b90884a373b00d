/**
 * Routing of inbound mail (src/main/gmail/route.ts): an order number in the subject links a reply to
 * the order, but only the order's own address makes it the customer's words.
 */
import { describe, expect, it } from 'vitest';
import { routeMail, type RouteContext } from '../../src/main/gmail/route';
import type { ParsedMail } from '../../src/main/mail/types';

const ctx: RouteContext = {
  ownAddresses: ['hello@shop.example'],
  suppliers: { byAddress: () => null },
  sentByMessageId: (id) => (id === '<n1@shop.example>' ? { messageRowId: 1, orderId: 'o3314', backorderId: 7 } : null),
  sentByThreadId: () => null,
  orderByName: (name) => (name === '#3314' ? { orderId: 'o3314', backorderId: 7, email: 'dana@example.com' } : null),
};

function mail(from: string, extra: Partial<ParsedMail> = {}): ParsedMail {
  return {
    from, fromName: '', to: ['hello@shop.example'], subject: 'Re: Order #3314', date: null, text: 'x', newText: 'x',
    messageId: '<m@x>', inReplyTo: null, references: [], attachments: [], forwarded: [], ...extra,
  };
}

describe('routeMail: order number in the subject', () => {
  it('from another address: linked, but flagged as not the order\'s customer', () => {
    const r = routeMail(mail('mallory@evil.example'), null, ctx);
    expect(r).toMatchObject({ kind: 'customer_reply', orderId: 'o3314', backorderId: 7, senderMismatch: true });
    expect(r.reason).toBe("order #3314 in the subject; sender is not the order's customer (mallory@evil.example)");
  });

  it('from the order\'s email, in any case: trusted', () => {
    const r = routeMail(mail('Dana@Example.COM'), null, ctx);
    expect(r).toEqual({ kind: 'customer_reply', orderId: 'o3314', backorderId: 7, reason: 'order #3314 in the subject' });
  });

  it('an order without an email cannot be confirmed: flagged', () => {
    const r = routeMail(mail('dana@example.com'), null, { ...ctx, orderByName: () => ({ orderId: 'o3314', backorderId: 7, email: null }) });
    expect(r).toMatchObject({ kind: 'customer_reply', senderMismatch: true });
  });

  it('a threaded reply to our message stays trusted from any address', () => {
    const r = routeMail(mail('dana.work@example.net', { inReplyTo: '<n1@shop.example>' }), null, ctx);
    expect(r).toEqual({ kind: 'customer_reply', orderId: 'o3314', backorderId: 7, reason: 'answers our message <n1@shop.example>' });
  });
});
