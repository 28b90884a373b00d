/**
 * Secrets through the OS keychain: Electron safeStorage encrypts with a key the OS keeps
 * (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux); only the ciphertext is written,
 * to secrets.json in the data folder. On Linux without a secret store safeStorage falls back to a
 * hard-coded key ("basic_text"); we refuse that instead of pretending the secret is protected.
 */
import fs from 'node:fs';
import { safeStorage } from 'electron';
import { AppError } from '../../shared/result';
import type { SecretSource } from '../app/core';
import type { SecretStore } from '../shopify/secrets';

type Stored = Record<string, string>; // name → base64 ciphertext

function readStore(file: string): Stored {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Stored;
  } catch {
    return {};
  }
}

/** True when this machine offers real OS-backed encryption. */
export function keychainUsable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/** A SecretSource backed by safeStorage; `set` and `delete` for the Settings view. */
export function keychainSecrets(file: string): SecretSource & { set(name: string, value: string): void; delete(name: string): void } {
  return {
    async get(name) {
      const b64 = readStore(file)[name];
      if (!b64 || !keychainUsable()) return null;
      return safeStorage.decryptString(Buffer.from(b64, 'base64'));
    },
    set(name, value) {
      if (!keychainUsable()) {
        throw new AppError('UNAVAILABLE', 'This system has no keychain (secret service) available, so the password cannot be stored safely. Install and unlock one (e.g. GNOME Keyring) and try again.');
      }
      const store = readStore(file);
      store[name] = safeStorage.encryptString(value).toString('base64');
      fs.writeFileSync(file, JSON.stringify(store), { mode: 0o600 });
    },
    delete(name) {
      const store = readStore(file);
      delete store[name];
      fs.writeFileSync(file, JSON.stringify(store), { mode: 0o600 });
    },
  };
}

type AsyncSafeStorage = {
  encryptStringAsync?: (plain: string) => Promise<Buffer>;
  decryptStringAsync?: (encrypted: Buffer) => Promise<{ result: string } | string>;
};

/**
 * The SecretStore (src/main/shopify/secrets.ts) over safeStorage, for the Shopify credentials and
 * anything else stored by name. Uses safeStorage's async API where the Electron version has it
 * (`encryptStringAsync`), else the synchronous one. Refuses to store when `keychainUsable()` is false
 * (Linux without a secret service), never falling back to plain text.
 */
export function keychainSecretStore(file: string): SecretStore {
  const s = safeStorage as typeof safeStorage & AsyncSafeStorage;
  const write = (store: Stored): void => {
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(store), { mode: 0o600 });
    fs.renameSync(tmp, file);
  };
  return {
    async get(name) {
      const b64 = readStore(file)[name];
      if (!b64 || !keychainUsable()) return null;
      const buf = Buffer.from(b64, 'base64');
      if (s.decryptStringAsync) {
        const r = await s.decryptStringAsync(buf);
        return typeof r === 'string' ? r : r.result;
      }
      return safeStorage.decryptString(buf);
    },
    async set(name, value) {
      if (!keychainUsable()) {
        throw new AppError('UNAVAILABLE', 'This system has no keychain (secret service) available, so the credentials cannot be stored safely and were not stored. Install and unlock one (e.g. GNOME Keyring or KWallet) and try again.');
      }
      const enc = s.encryptStringAsync ? await s.encryptStringAsync(value) : safeStorage.encryptString(value);
      const store = readStore(file);
      store[name] = enc.toString('base64');
      write(store);
    },
    async delete(name) {
      const store = readStore(file);
      if (!(name in store)) return;
      delete store[name];
      write(store);
    },
    describe() {
      return keychainUsable() ? `OS keychain (${process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform === 'darwin' ? 'Keychain' : 'DPAPI'})` : 'unavailable: no OS keychain';
    },
  };
}
