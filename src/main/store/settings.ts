/**
 * Owner settings stored as one JSON row per key in `settings`. Missing keys fall back to the
 * defaults of DESIGN.md "Defaults taken from the merchant's brief". Secrets (SMTP password) are
 * never stored here: they come from the OS keychain (Electron) or the environment (CLI, web mode).
 */
import { settingsSchema, type Settings } from '../../shared/contract';
import { AppError } from '../../shared/result';
import type { Db } from './db';

/** The merchant brief's defaults; the time zone defaults to the machine's. */
export function defaultSettings(): Settings {
  return {
    // No placeholder: a new install's drafts must not go out signed "The My store team" (validator rule store_name).
    storeName: '',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    fromAddress: '',
    smtp: { host: '', port: 587, security: 'starttls', user: '' },
    statusUrlTemplate: '',
    faqUrl: '',
    highValueThresholdMinor: 50_000,
    etaLimitDays: 30,
    etaInterval: 0.8,
    vipMinPreviousOrders: 3,
    ftcMailOrderRule: true,
    allowedOffers: [],
    gmail: { clientId: '', sendEmail: false, sendMode: 'direct', syncDays: 30, dailySendCap: 500, pollMinutes: 5 },
    ediFolder: '',
    escalationRules: {
      highValueBeforeCancellation: true,
      unhappyReply: true,
      etaBeyondLimit: true,
      partialShipment: true,
      callRequested: true,
      vipDay14: true,
      cancelRequest: true,
    },
  };
}

/** Reads all settings, ignoring stored values that no longer validate (they fall back to defaults). */
export function loadSettings(db: Db): Settings {
  const merged: Record<string, unknown> = { ...defaultSettings() };
  for (const row of db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]) {
    try {
      merged[row.key] = JSON.parse(row.value);
    } catch {
      // A hand-edited, broken value must not stop the app; the default stands.
    }
  }
  const parsed = settingsSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const fallback = defaultSettings() as unknown as Record<string, unknown>;
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    if (typeof key === 'string') merged[key] = fallback[key];
  }
  return settingsSchema.parse(merged);
}

/**
 * Validates and stores a partial update; returns the full settings.
 * @throws ZodError when a value is out of range (reported as BAD_INPUT by the core).
 */
export function saveSettings(db: Db, patch: Partial<Settings>): Settings {
  const next = settingsSchema.parse({ ...loadSettings(db), ...patch });
  // Unencrypted SMTP would send customer mail and the password in clear over the network.
  if (next.smtp.security === 'none' && next.smtp.host && !/^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i.test(next.smtp.host)) {
    throw new AppError('BAD_INPUT', `smtp.security: "none" (no encryption) is only allowed for a relay on this machine, not ${next.smtp.host}. Use "starttls" or "tls".`);
  }
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    for (const key of Object.keys(patch) as (keyof Settings)[]) upsert.run(key, JSON.stringify(next[key]));
  })();
  return next;
}
