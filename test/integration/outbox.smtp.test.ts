import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { createSmtpTransport, classifySmtpError, type SmtpTransportOptions } from '../../src/main/outbox/smtp';
import { TransportError, type OutgoingMessage } from '../../src/main/outbox/transport';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

let server: TestSmtpServer;
beforeEach(async () => {
  server = await startSmtpServer();
});
afterEach(async () => {
  await server.close();
});

function transport(extra: Partial<SmtpTransportOptions> = {}) {
  return createSmtpTransport({ host: server.host, port: server.port, security: 'none', socketTimeoutMs: 5_000, ...extra });
}

function message(n: number, over: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    messageId: `<bd.test${n}.abc@shop.example>`,
    from: 'Corner Shop <orders@shop.example>',
    to: `customer${n}@example.com`,
    subject: `Order #100${n}: an update`,
    text: `Hello ${n},\nyour item is on its way to us.\n`,
    ...over,
  };
}

async function failure(p: Promise<unknown>): Promise<TransportError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(TransportError);
    return err as TransportError;
  }
  throw new Error('expected the send to fail');
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('SMTP transport against a real smtp-server', () => {
  it('delivers one message with our Message-ID, envelope and headers, and returns the server reply', async () => {
    const receipt = await transport().send(message(1, { headers: { 'X-Backorder-Desk': 'test' } }));
    expect(server.received).toHaveLength(1);
    const got = server.received[0]!;
    expect(got.outcome).toBe('accepted');
    expect(got.messageId).toBe('<bd.test1.abc@shop.example>');
    expect(got.mailFrom).toBe('orders@shop.example');
    expect(got.rcptTo).toEqual(['customer1@example.com']);
    expect(got.raw).toMatch(/^Subject: Order #1001: an update$/m);
    expect(got.raw).toMatch(/^X-Backorder-Desk: test$/m);
    expect(got.raw).toContain('your item is on its way to us.');
    expect(receipt.response).toMatch(/^250 /);
    expect(receipt.providerId).toBe('T1');
  });

  it('adds the angle brackets when the stored Message-ID has none', async () => {
    await transport().send(message(2, { messageId: 'bd.plain@shop.example' }));
    expect(server.received[0]!.messageId).toBe('<bd.plain@shop.example>');
  });

  it('uses envelopeFrom as the RFC 5321 reverse-path when set', async () => {
    await transport({ envelopeFrom: 'bounces@shop.example' }).send(message(3));
    expect(server.received[0]!.mailFrom).toBe('bounces@shop.example');
    expect(server.received[0]!.raw).toMatch(/^From: Corner Shop <orders@shop.example>$/m);
  });

  it('RCPT 550 → rejected, with the reply code and text', async () => {
    server.failNext({ at: 'rcpt', reply: 550, text: 'No such user here' });
    const err = await failure(transport().send(message(1)));
    expect(err.kind).toBe('rejected');
    expect(err.scope).toBe('message');
    expect(err.responseCode).toBe(550);
    expect(err.command).toBe('RCPT TO');
    expect(err.message).toContain('550 No such user here');
    expect(server.received).toHaveLength(0);
  });

  it('RCPT 451 → temporary', async () => {
    server.failNext({ at: 'rcpt', reply: 451, text: 'Try again later' });
    const err = await failure(transport().send(message(1)));
    expect(err.kind).toBe('temporary');
    expect(err.responseCode).toBe(451);
    expect(server.received).toHaveLength(0);
  });

  it('connection dropped at RCPT (before any content) → temporary', async () => {
    server.failNext({ at: 'rcpt', action: 'close' });
    const err = await failure(transport().send(message(1)));
    expect(err.kind).toBe('temporary');
    expect(err.scope).toBe('message');
    expect(server.received).toHaveLength(0);
  });

  it('no answer to RCPT until the socket timeout → temporary', async () => {
    server.failNext({ at: 'rcpt', action: 'hang' });
    const err = await failure(transport({ socketTimeoutMs: 300 }).send(message(1)));
    expect(err.kind).toBe('temporary');
    expect(err.code).toBe('ETIMEDOUT');
  });

  it('554 after the content → rejected (a definite answer, RFC 5321 §4.1.1.4)', async () => {
    server.failNext({ at: 'data', reply: 554, text: 'Message refused' });
    const err = await failure(transport().send(message(1)));
    expect(err.kind).toBe('rejected');
    expect(err.command).toBe('DATA');
    expect(err.responseCode).toBe(554);
  });

  it('452 after the content → temporary', async () => {
    server.failNext({ at: 'data', reply: 452, text: 'Mailbox full, try later' });
    const err = await failure(transport().send(message(1)));
    expect(err.kind).toBe('temporary');
  });

  it('connection dropped after the content was received, without a reply → unknown', async () => {
    server.failNext({ at: 'data', action: 'close' });
    const err = await failure(transport().send(message(1)));
    expect(err.kind).toBe('unknown');
    expect(err.message).toMatch(/may or may not have been delivered/);
    // The server does hold the complete message: this is exactly the case that must not be resent.
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.messageId).toBe('<bd.test1.abc@shop.example>');
  });

  it('no reply after the content until the socket timeout → unknown', async () => {
    server.failNext({ at: 'data', action: 'hang' });
    const err = await failure(transport({ socketTimeoutMs: 300 }).send(message(1)));
    expect(err.kind).toBe('unknown');
    expect(err.code).toBe('ETIMEDOUT');
  });

  it('connection refused → temporary with scope connection (the transport is down, not the message)', async () => {
    const port = await closedPort();
    const err = await failure(createSmtpTransport({ host: '127.0.0.1', port, security: 'none' }).send(message(1)));
    expect(err.kind).toBe('temporary');
    expect(err.scope).toBe('connection');
    expect(err.message).toMatch(/Nothing was sent/);
  });

  it('STARTTLS required but not offered → temporary, scope connection, nothing sent', async () => {
    const err = await failure(transport({ security: 'starttls' }).send(message(1)));
    expect(err.kind).toBe('temporary');
    expect(err.scope).toBe('connection');
    expect(server.rcptLog).toHaveLength(0);
  });

  it('refuses a recipient field holding two addresses without contacting the server', async () => {
    const err = await failure(transport().send(message(1, { to: 'a@example.com, b@example.com' })));
    expect(err.kind).toBe('rejected');
    expect(server.rcptLog).toHaveLength(0);
  });

  it('refuses a Message-ID that is not <left@right>', async () => {
    const err = await failure(transport().send(message(1, { messageId: '<no-at-sign>' })));
    expect(err.kind).toBe('rejected');
    expect(server.rcptLog).toHaveLength(0);
  });

  it('a failing password getter stops before connecting', async () => {
    const err = await failure(
      transport({ auth: { user: 'shop', getPassword: () => Promise.reject(new Error('keychain locked')) } }).send(message(1)),
    );
    expect(err.scope).toBe('connection');
    expect(server.rcptLog).toHaveLength(0);
  });

  it('refuses unusable settings up front', () => {
    expect(() => createSmtpTransport({ host: '', port: 25, security: 'none' })).toThrow(/host/);
    expect(() => createSmtpTransport({ host: 'h', port: 70000, security: 'none' })).toThrow(/port/);
    expect(() => createSmtpTransport({ host: 'h', port: 25, security: 'none', socketTimeoutMs: 0 })).toThrow(/socketTimeoutMs/);
  });
});

describe('classifySmtpError', () => {
  const e = (fields: Record<string, unknown>) => Object.assign(new Error('x'), fields);
  it.each([
    ['connect', e({ code: 'EAUTH', response: '535 5.7.8 bad credentials', command: 'AUTH PLAIN' }), 'temporary', 'connection'],
    ['connect', e({ code: 'ECONNECTION', originalCode: 'ECONNREFUSED', command: 'CONN' }), 'temporary', 'connection'],
    ['envelope', e({ code: 'EENVELOPE', response: '550 5.1.1 unknown user', responseCode: 550, command: 'RCPT TO' }), 'rejected', 'message'],
    ['envelope', e({ code: 'EENVELOPE', response: '503 bad sequence', responseCode: 503, command: 'RCPT TO' }), 'temporary', 'message'],
    ['envelope', e({ code: 'EENVELOPE', response: '421 closing', responseCode: 421, command: 'DATA' }), 'temporary', 'message'],
    ['envelope', e({ code: 'ECONNECTION', command: 'CONN' }), 'temporary', 'message'],
    ['envelope', e({ code: 'EENVELOPE', command: 'API' }), 'rejected', 'message'],
    ['content', e({ code: 'ECONNECTION', command: 'CONN' }), 'unknown', 'message'],
    ['content', e({ code: 'ETIMEDOUT', command: 'CONN' }), 'unknown', 'message'],
    ['content', e({ code: 'EMESSAGE', response: '552 too big', responseCode: 552, command: 'DATA' }), 'rejected', 'message'],
    ['content', e({ code: 'EMESSAGE', response: '451 local error', responseCode: 451, command: 'DATA' }), 'temporary', 'message'],
    ['content', new Error('something odd'), 'unknown', 'message'],
  ] as const)('%s %o → %s', (phase, err, kind, scope) => {
    const t = classifySmtpError(err, phase);
    expect(t.kind).toBe(kind);
    expect(t.scope).toBe(scope);
  });
});
