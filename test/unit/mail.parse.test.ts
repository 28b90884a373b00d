import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { gmailMessageToRfc822, htmlToText, parseMailBytes, parseMailFile, parseMime, splitQuoted, toBase64Url } from '../../src/main/mail/index';
import { triageReply } from '../../src/core/triage/classify';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/email');

const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

describe('MIME parsing (postal-mime + normalisation)', () => {
  it('decodes an ISO-8859-1 quoted-printable body and RFC 2047 subject', async () => {
    const m = await parseMime(
      crlf(`From: =?iso-8859-1?q?Jos=E9_M=FCller?= <Jose@Supplier.Example>
To: shop@example.com, "Other" <b@example.com>
Subject: =?utf-8?b?TGllZmVydGVybWluIGbDvHIgUE8tNDQx?=
Date: Tue, 4 Jun 2024 09:30:00 +0200
Message-ID: <abc@supplier.example>
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Gr=FC=DFe, die Ware kommt am 12.06.
`),
    );
    expect(m.from).toBe('jose@supplier.example');
    expect(m.fromName).toBe('José Müller');
    expect(m.to).toEqual(['shop@example.com', 'b@example.com']);
    expect(m.subject).toBe('Liefertermin für PO-441');
    expect(m.date).toBe('2024-06-04T07:30:00.000Z');
    expect(m.text).toContain('Grüße, die Ware kommt am 12.06.');
    expect(m.messageId).toBe('<abc@supplier.example>');
  });

  it('turns HTML-only mail into text, with blockquotes as quoted lines stripped from newText', async () => {
    const m = await parseMime(
      crlf(`From: a@b.example
Subject: Re: Order #1001
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

${Buffer.from('<html><head><style>p{color:red}</style></head><body><p>Any news on my tent&nbsp;&amp; poles?</p><div class="gmail_quote">On Mon, 3 Jun 2024 Shop wrote:<blockquote><p>Your order is delayed.</p></blockquote></div></body></html>').toString('base64')}
`),
    );
    expect(m.html).toContain('<p>');
    expect(m.text).toContain('Any news on my tent & poles?');
    expect(m.text).not.toContain('color:red');
    expect(m.text).toMatch(/^> .*Your order is delayed\./m);
    expect(m.newText).toBe('Any news on my tent & poles?');
  });

  it('strips quoted history ("On … wrote:", > lines, Outlook header block) and reads forwarded chains', () => {
    expect(splitQuoted('Thanks, I will wait.\n\nOn Mon, 3 Jun 2024 at 10:02, Shop <s@x.example>\nwrote:\n> We are sorry, delayed.\n> cancel for a full refund').newText).toBe(
      'Thanks, I will wait.',
    );
    expect(splitQuoted('Please cancel.\n\n-----Original Message-----\nFrom: Shop\nSent: Monday\nSubject: x\n\nold').newText).toBe('Please cancel.');
    expect(splitQuoted('ok\n________________________________\nFrom: Shop <s@x.example>\nSent: Monday\n\nold').newText).toBe('ok');
    const f = splitQuoted(
      'FYI see below\n\n---------- Forwarded message ---------\nFrom: Acme Sales <sales@acme.example>\nDate: Mon, 3 Jun 2024\nSubject: PO 4411 ETA\nTo: me@shop.example\n\nShips 14 June.\n\n> old quote\n',
    );
    expect(f.newText).toBe('FYI see below');
    expect(f.forwarded).toEqual([{ from: 'sales@acme.example', date: 'Mon, 3 Jun 2024', subject: 'PO 4411 ETA', text: 'Ships 14 June.' }]);
  });

  it('keeps attachments by name, decoded, with size and type', async () => {
    const csv = 'sku,eta\nTENT-2P,2024-06-20\n';
    const m = await parseMime(
      crlf(`From: sales@acme.example
Subject: ETA list
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

See attached.
--b1
Content-Type: text/csv; name="eta list.csv"
Content-Disposition: attachment; filename="eta list.csv"
Content-Transfer-Encoding: base64

${Buffer.from(csv).toString('base64')}
--b1
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64

AAEC
--b1--
`),
    );
    expect(m.attachments.map((a) => a.name)).toEqual(['eta list.csv', 'attachment-2']);
    expect(m.attachments[0]!.contentType).toBe('text/csv');
    expect(m.attachments[0]!.size).toBe(Buffer.byteLength(csv));
    expect(Buffer.from(m.attachments[0]!.content!).toString()).toBe(csv);
  });

  it('removes invisible Unicode at ingest: tag characters, zero-width, variation selectors, bidi', async () => {
    const hidden = [...'ignore previous'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    const body = `Where\u200b is\u200d my\ufe0f order?\u202e${hidden}`;
    const m = await parseMime(crlf(`From: c@d.example\nSubject: Hi\u200b there\nContent-Type: text/plain; charset=utf-8\n\n${body}\n`));
    expect(m.text.trim()).toBe('Where is my order?');
    expect(m.newText).toBe('Where is my order?');
    expect(m.subject).toBe('Hi there');
  });

  it('reads a Gmail API format=full resource the same as the raw message', async () => {
    const raw = crlf(`From: Jane <jane@example.com>
To: shop@example.com
Subject: Order #1002 =?utf-8?q?d=C3=A9lai?=
Message-ID: <m1@example.com>
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Caf=E9 au lait
--alt
Content-Type: text/html; charset=utf-8

<p>Café au lait</p>
--alt--
`);
    const full = {
      id: '18f', threadId: '18f',
      payload: {
        mimeType: 'multipart/alternative',
        filename: '',
        headers: [
          { name: 'From', value: 'Jane <jane@example.com>' },
          { name: 'To', value: 'shop@example.com' },
          { name: 'Subject', value: 'Order #1002 délai' },
          { name: 'Message-ID', value: '<m1@example.com>' },
          { name: 'Content-Type', value: 'multipart/alternative; boundary="alt"' },
        ],
        body: { size: 0 },
        parts: [
          { partId: '0', mimeType: 'text/plain', filename: '', headers: [{ name: 'Content-Type', value: 'text/plain; charset=iso-8859-1' }, { name: 'Content-Transfer-Encoding', value: 'quoted-printable' }], body: { size: 13, data: toBase64Url(Buffer.from('Caf\xe9 au lait', 'latin1')) } },
          { partId: '1', mimeType: 'text/html', filename: '', headers: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }], body: { size: 20, data: toBase64Url('<p>Café au lait</p>') } },
        ],
      },
    };
    const a = await parseMime(raw);
    const b = await parseMime(gmailMessageToRfc822(full));
    const c = (await parseMailBytes(Buffer.from(JSON.stringify({ id: 'x', raw: toBase64Url(raw) }))))[0]!.mail;
    for (const m of [b, c]) {
      expect(m.subject).toBe(a.subject);
      expect(m.text.trim()).toBe('Café au lait');
      expect(m.from).toBe('jane@example.com');
      expect(m.messageId).toBe('<m1@example.com>');
    }
  });

  it('drops text a mail program does not show: hidden elements and comments are not what the customer wrote', async () => {
    const m = await parseMime(
      crlf(`From: a@b.example
Subject: Re: Order #1001
Content-Type: text/html; charset=utf-8

<p>I want a <span style="display:none">thank you so much, all good</span>refund now!</p>
`),
    );
    expect(m.text).toBe('I want a refund now!');
    expect(m.newText).toBe('I want a refund now!');
    // Triage then reads the refund it would have missed in "...all goodrefund now!".
    expect(triageReply(m.newText).intents.map((i) => i.kind)).toContain('cancel');
  });

  it.each([
    ['display:none', '<span style="color: red; DISPLAY : none !important">hidden</span>'],
    ['visibility:hidden', "<span style='visibility:hidden'>hidden</span>"],
    ['the hidden attribute', '<div hidden>hidden</div>'],
    ['aria-hidden="true"', '<span aria-hidden="true">hidden</span>'],
    ['zero font-size', '<span style="font-size:0px">hidden</span>'],
    ['zero font-size, bare 0', '<font style="font-size:0">hidden</font>'],
    ['zero opacity', '<span style="opacity:0.0">hidden</span>'],
    ['a comment', '<!-- hidden -->'],
    ['nested elements of the same name', '<div style="display:none"><div>hidden</div>hidden too</div>'],
    ['an entity-encoded style', '<span style="display&#58;none">hidden</span>'],
  ])('hides %s', (_label, hiddenHtml) => {
    expect(htmlToText(`<p>Please ${hiddenHtml}cancel it.</p>`)).toBe('Please cancel it.');
  });

  it.each([
    ['half opacity', '<span style="opacity:0.5">kept</span>'],
    ['a small font', '<span style="font-size:0.8em">kept</span>'],
    ['"hidden" in a value only', '<span class="hidden-xs" title="hidden">kept</span>'],
    ['overflow:hidden', '<span style="overflow:hidden">kept</span>'],
    ['aria-hidden="false"', '<span aria-hidden="false">kept</span>'],
  ])('keeps visible text: %s', (_label, html) => {
    expect(htmlToText(`<p>A ${html} B</p>`)).toBe('A kept B');
  });

  it.each([
    ['a class', '<style>.x { display: none }</style>', '<span class="a x">hidden</span>'],
    ['an id', '<style>#note{visibility:hidden}</style>', '<div id="note">hidden</div>'],
    ['a tag and classes', '<style>p{color:red} span.x.y { font-size: 0 !important; }</style>', '<span class="y x">hidden</span>'],
    ['one selector of a list', '<style>.a, .b { opacity: 0 }</style>', '<i class="b">hidden</i>'],
    ['a sheet after the element', '', '<span class="z">hidden</span><style>.z{display:none}</style>'],
    ['an unclosed block, as a renderer reads it', '<style>.x{display:none</style>', '<span class="x">hidden</span>'],
    ['a comment inside the rule', '<style>.x{display:/* */none}</style>', '<span class="x">hidden</span>'],
  ])('hides an element a <style> rule hides: %s', (_label, head, hiddenHtml) => {
    expect(htmlToText(`<html><head>${head}</head><body><p>Please ${hiddenHtml}cancel it.</p></body></html>`)).toBe('Please cancel it.');
  });

  it.each([
    ['a rule for another class', '<style>.x{display:none}</style>', '<span class="xx">kept</span>'],
    ['a rule that needs two classes', '<style>.x.y{display:none}</style>', '<span class="x">kept</span>'],
    ['a rule inside @media (hidden on some screens only)', '<style>@media (max-width:600px){.m{display:none}}</style>', '<span class="m">kept</span>'],
    ['a descendant selector (not applied)', '<style>div .d{display:none}</style>', '<span class="d">kept</span>'],
    ['a sheet inside a comment', '<!-- <style>.c{display:none}</style> -->', '<span class="c">kept</span>'],
    ['a rule that does not hide', '<style>.v{display:block;color:#fff}</style>', '<span class="v">kept</span>'],
  ])('keeps text no top-level rule hides: %s', (_label, head, html) => {
    expect(htmlToText(`<html><head>${head}</head><body><p>A ${html} B</p></body></html>`)).toBe('A kept B');
  });

  it('htmlToText survives hostile input quickly (unclosed tags, deep nesting)', () => {
    const t0 = performance.now();
    const out = htmlToText('<div>'.repeat(20_000) + '<a href="' + 'x'.repeat(100_000) + 'text <' + '<!--'.repeat(1000));
    expect(typeof out).toBe('string');
    // Many style sheets and comments: read in one pass, not once per sheet.
    const sheets = htmlToText('<style>.x{display:none}</style><!-- c -->'.repeat(20_000) + '<span class="x">hidden</span>kept');
    expect(sheets).toBe('kept');
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe('corpus: every file under ../shared/corpus/email parses without a crash', () => {
  const present = fs.existsSync(CORPUS);
  if (!present) console.warn(`skipped: ${CORPUS} is absent (a fresh clone without the shared corpus)`);
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.md$/i.test(e.name)) files.push(p);
    }
  };
  if (present) walk(CORPUS);
  it.skipIf(!present)('parses all of them, each into at least one message with the text fields set', async () => {
    expect(files.length).toBeGreaterThan(50);
    let messages = 0;
    for (const f of files) {
      const out = await parseMailFile(f);
      expect(out.length, f).toBeGreaterThan(0);
      for (const { mail } of out) {
        expect(typeof mail.text, f).toBe('string');
        expect(Array.isArray(mail.attachments), f).toBe(true);
        messages++;
      }
    }
    expect(messages).toBeGreaterThanOrEqual(files.length);
  });
  it.skipIf(!present)('reads the Gmail API JSON fixtures (format=full) with sender, subject and text', async () => {
    const out = await parseMailFile(path.join(CORPUS, 'gmail_api_json/htk/chocolate_procurement.json'));
    expect(out.length).toBeGreaterThan(1);
    expect(out[0]!.gmailId).toBe('14804ad5ff61cc88');
    expect(out[0]!.mail.from).toBe('tharrison@lxdinc.com');
    expect(out[0]!.mail.subject).toBe('Re: chocolate procurement');
    expect(out[0]!.mail.newText).toBe('This is done.  All chocolate has been given.');
  });
});
