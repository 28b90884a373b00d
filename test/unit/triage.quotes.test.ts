import { describe, expect, it } from 'vitest';
import { stripQuoted } from '../../src/core/triage/quotes';

describe('stripQuoted', () => {
  const cases: { name: string; input: string; text: string; removed: boolean }[] = [
    { name: 'plain reply untouched', input: 'Thanks, I will wait.', text: 'Thanks, I will wait.', removed: false },
    {
      name: 'Gmail attribution and > lines',
      input: 'Thanks, I\'ll wait.\n\nOn Mon, Mar 3, 2025 at 9:14 AM Shop <help@shop.example> wrote:\n> cancel it for a full refund',
      text: "Thanks, I'll wait.",
      removed: true,
    },
    {
      name: 'attribution wrapped over two lines',
      input: 'Ok.\r\nOn Mon, Mar 3, 2025 at 9:14 AM Juniper & Pine <help@juniperpine.example>\r\nwrote:\r\nWe are sorry, cancel anytime.',
      text: 'Ok.',
      removed: true,
    },
    {
      name: 'Outlook original message',
      input: 'Please cancel it.\n\n-----Original Message-----\nFrom: Shop\nSent: Tuesday\nSubject: refund',
      text: 'Please cancel it.',
      removed: true,
    },
    { name: 'Outlook From/Sent header block', input: 'Fine\n\nFrom: Shop <a@b.example>\nSent: Tuesday\nTo: me\nrefund', text: 'Fine', removed: true },
    { name: 'French attribution', input: 'Merci !\nLe lun. 3 mars 2025, Boutique a écrit :\n> annuler', text: 'Merci !', removed: true },
    { name: 'German attribution', input: 'Danke\nAm 03.03.2025 um 09:14 schrieb Shop <a@b.example>:\n> stornieren', text: 'Danke', removed: true },
    { name: 'signature delimiter', input: 'When will it ship?\n-- \nDana Smith\n555-201-3344', text: 'When will it ship?', removed: true },
    { name: 'mobile footer', input: 'Ok thanks\n\nSent from my iPhone', text: 'Ok thanks', removed: true },
    { name: 'inline quoting keeps the new lines', input: '> When will it ship?\nWhy so long?\n> Next update Monday\nOk', text: 'Why so long?\nOk', removed: true },
    { name: 'only quoted history', input: '> Thanks for your order', text: '', removed: true },
  ];
  it.each(cases)('$name', ({ input, text, removed }) => {
    expect(stripQuoted(input)).toEqual({ text, removed });
  });
});
