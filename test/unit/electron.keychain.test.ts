/**
 * The desktop app's SecretStore over Electron safeStorage (src/main/electron/keychain.ts), which now
 * also keeps the Gmail refresh token. Electron itself cannot run in the test process, so its
 * safeStorage is replaced by a stand-in with the same API whose backend can be switched: on Linux
 * without a secret service ("basic_text") the store must refuse rather than write a token that any
 * process could decrypt; with a real backend only ciphertext reaches the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const backend = { name: 'gnome_libsecret', available: true };
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => backend.available,
    getSelectedStorageBackend: () => backend.name,
    encryptString: (v: string) => Buffer.from(`sealed:${Buffer.from(v).toString('base64').split('').reverse().join('')}`),
    decryptString: (b: Buffer) => Buffer.from(b.toString().slice('sealed:'.length).split('').reverse().join(''), 'base64').toString(),
  },
}));

const { keychainSecretStore } = await import('../../src/main/electron/keychain');

let file: string;
beforeEach(() => {
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-keychain-')), 'gmail-keychain.json');
  backend.name = 'gnome_libsecret';
  backend.available = true;
});

describe.runIf(process.platform === 'linux')('keychain SecretStore (Gmail refresh token)', () => {
  it('keeps only ciphertext in its file and reads the token back', async () => {
    const store = keychainSecretStore(file);
    await store.set('gmail.refreshToken', '1//refresh-token-value');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('refresh-token-value');
    expect(await store.get('gmail.refreshToken')).toBe('1//refresh-token-value');
    expect(store.describe()).toBe('OS keychain (gnome_libsecret)');
    await store.delete('gmail.refreshToken');
    expect(await store.get('gmail.refreshToken')).toBeNull();
  });

  it('refuses to store when Linux has no secret service, and writes nothing', async () => {
    backend.name = 'basic_text';
    const store = keychainSecretStore(file);
    await expect(store.set('gmail.refreshToken', 'secret')).rejects.toThrow(/no keychain/);
    expect(fs.existsSync(file)).toBe(false);
    expect(store.describe()).toMatch(/unavailable/);
  });
});
