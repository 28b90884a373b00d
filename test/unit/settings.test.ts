import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/store/db';
import { loadSettings, saveSettings } from '../../src/main/store/settings';
import type { Settings } from '../../src/shared/contract';

const smtp = (host: string, security: 'tls' | 'starttls' | 'none'): Partial<Settings> => ({ smtp: { host, port: 587, security, user: '' } });

describe('settings validation', () => {
  it.each<[string, Partial<Settings>, RegExp]>([
    ['unknown time zone', { timezone: 'Mars/Olympus' }, /timezone/],
    ['From address that is not an address', { fromAddress: 'not an address' }, /fromAddress/],
    ['From address with a line break (header injection)', { fromAddress: 'Evil\r\nBcc: x@evil.example <a@b.example>' }, /fromAddress/],
    ['javascript: status link', { statusUrlTemplate: 'javascript:alert(1)//{order}' }, /statusUrlTemplate/],
    ['unencrypted SMTP to a remote host', smtp('smtp.example.com', 'none'), /only allowed for a relay on this machine/],
    ['store name on two lines', { storeName: 'Shop\nBcc: x' }, /storeName/],
  ])('refuses %s and keeps what was stored', (_name, patch, message) => {
    const db = openDatabase(':memory:');
    const before = saveSettings(db, { storeName: 'Juniper & Pine', timezone: 'America/New_York' });
    expect(() => saveSettings(db, patch)).toThrow(message);
    expect(loadSettings(db)).toEqual(before);
  });

  it.each<[string, Partial<Settings>]>([
    ['a named From address', { fromAddress: 'Juniper & Pine <hello@example.com>' }],
    ['a bare From address', { fromAddress: 'hello@example.com' }],
    ['an https status link', { statusUrlTemplate: 'https://shop.example.com/orders/{order}' }],
    ['unencrypted SMTP to this machine', smtp('127.0.0.1', 'none')],
    ['STARTTLS to a remote host', smtp('smtp.example.com', 'starttls')],
  ])('accepts %s', (_name, patch) => {
    const db = openDatabase(':memory:');
    expect(() => saveSettings(db, patch)).not.toThrow();
  });
});
