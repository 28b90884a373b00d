/**
 * Where the Shopify credentials live: a SecretStore. The desktop app uses the OS keychain through
 * Electron safeStorage (src/main/electron/keychain.ts, `keychainSecretStore`). The CLI and web mode
 * use `EncryptedFileSecretStore`: AES-256-GCM over a JSON file, with the 32-byte key taken from a
 * source the operating system protects, in this order:
 *
 * 1. a systemd credential `backorder-desk-key` ($CREDENTIALS_DIRECTORY, e.g. `LoadCredentialEncrypted=`,
 *    sealed to the TPM or host key) — the always-on-box case;
 * 2. the login keychain through its command-line tool: libsecret's `secret-tool` (GNOME Keyring,
 *    KWallet) on Linux, `security` (Keychain) on macOS; a random key is created there on first use;
 * 3. `BACKORDER_DESK_SECRET_KEY` (64 hex characters) given by the operator — only as safe as where
 *    the operator keeps it, and documented as such.
 *
 * Honesty note: a key stored next to the encrypted file (or derived from the machine id) would only
 * obfuscate; anyone who can read the file could read the key. So without one of the sources above
 * the store refuses to save anything and says how to provide one, rather than pretend.
 */
import { execFileSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/result';

/** A small named-secret store. Names are like 'shopify.accessToken'. */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  /** @throws AppError('UNAVAILABLE') when the secret cannot be stored safely on this machine. */
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** Where secrets go, for the status line ("OS keychain (gnome_libsecret)"). */
  describe(): string;
}

/** A key source: returns the 32-byte key, or null when this source is not available here. */
export type KeySource = { name: string; load: () => Buffer | null };

function fromHex(hex: string, what: string): Buffer {
  const k = Buffer.from(hex.trim(), 'hex');
  if (k.length !== 32) throw new AppError('BAD_INPUT', `${what} must be 64 hexadecimal characters (a 256-bit key).`);
  return k;
}

const run = (cmd: string, args: string[], input?: string): string | null => {
  try {
    return execFileSync(cmd, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return null;
  }
};

/** The default key sources, in the order of the module comment. */
export function defaultKeySources(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): KeySource[] {
  return [
    {
      name: 'systemd credential backorder-desk-key',
      load: () => {
        const dir = env.CREDENTIALS_DIRECTORY;
        const file = dir ? path.join(dir, 'backorder-desk-key') : null;
        return file && fs.existsSync(file) ? fromHex(fs.readFileSync(file, 'utf8'), file) : null;
      },
    },
    {
      name: platform === 'darwin' ? 'macOS Keychain' : 'Secret Service (secret-tool)',
      load: () => {
        if (platform === 'darwin') {
          const found = run('security', ['find-generic-password', '-s', 'backorder-desk', '-a', 'file-key', '-w']);
          if (found) return fromHex(found, 'the Keychain item backorder-desk');
          const key = randomBytes(32).toString('hex');
          return run('security', ['add-generic-password', '-s', 'backorder-desk', '-a', 'file-key', '-w', key]) !== null ? fromHex(key, 'new key') : null;
        }
        if (platform !== 'linux') return null;
        const found = run('secret-tool', ['lookup', 'service', 'backorder-desk', 'key', 'file-key']);
        if (found) return fromHex(found, 'the secret-tool item backorder-desk');
        const key = randomBytes(32).toString('hex');
        if (run('secret-tool', ['store', '--label=Backorder Desk file key', 'service', 'backorder-desk', 'key', 'file-key'], key) === null) return null;
        // Read back: secret-tool "succeeds" without storing when no keyring is unlocked.
        return run('secret-tool', ['lookup', 'service', 'backorder-desk', 'key', 'file-key']) === key ? fromHex(key, 'new key') : null;
      },
    },
    {
      name: 'BACKORDER_DESK_SECRET_KEY',
      load: () => (env.BACKORDER_DESK_SECRET_KEY ? fromHex(env.BACKORDER_DESK_SECRET_KEY, 'BACKORDER_DESK_SECRET_KEY') : null),
    },
  ];
}

interface Sealed {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

/** AES-256-GCM encrypted JSON file of secrets (CLI, web mode). See the module comment. */
export class EncryptedFileSecretStore implements SecretStore {
  private key: { key: Buffer; source: string } | null = null;

  constructor(
    private readonly file: string,
    private readonly sources: KeySource[] = defaultKeySources(),
  ) {}

  private loadKey(): { key: Buffer; source: string } {
    if (this.key) return this.key;
    for (const s of this.sources) {
      const key = s.load();
      if (key) return (this.key = { key, source: s.name });
    }
    throw new AppError(
      'UNAVAILABLE',
      'No operating-system-protected key is available to encrypt the Shopify credentials, so they were not stored. ' +
        'Unlock a keyring (GNOME Keyring/KWallet with secret-tool, or the macOS Keychain), or provide a 256-bit key as the systemd ' +
        'credential "backorder-desk-key" or in BACKORDER_DESK_SECRET_KEY (64 hex characters, kept in a password manager).',
    );
  }

  private read(): Record<string, string> {
    if (!fs.existsSync(this.file)) return {};
    const sealed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Sealed;
    const { key } = this.loadKey();
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    d.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    try {
      return JSON.parse(Buffer.concat([d.update(Buffer.from(sealed.data, 'base64')), d.final()]).toString('utf8')) as Record<string, string>;
    } catch {
      throw new AppError('UNAVAILABLE', `${this.file} cannot be decrypted with the key from ${this.key?.source ?? 'the key source'}; connect the store again.`);
    }
  }

  private write(all: Record<string, string>): void {
    const { key } = this.loadKey();
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([c.update(JSON.stringify(all), 'utf8'), c.final()]);
    const sealed: Sealed = { v: 1, iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(sealed), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  async get(name: string): Promise<string | null> {
    return this.read()[name] ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    const all = this.read();
    all[name] = value;
    this.write(all);
  }

  async delete(name: string): Promise<void> {
    if (!fs.existsSync(this.file)) return;
    const all = this.read();
    delete all[name];
    if (Object.keys(all).length === 0) fs.rmSync(this.file, { force: true });
    else this.write(all);
  }

  describe(): string {
    try {
      return `encrypted file ${this.file} (key from ${this.loadKey().source})`;
    } catch {
      return 'unavailable: no OS-protected key on this machine';
    }
  }
}
