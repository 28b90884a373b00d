/**
 * Where the app keeps its data when not told otherwise. Matches Electron's `app.getPath('userData')`
 * for productName "Backorder Desk", so the CLI, web mode and the desktop app share one database.
 */
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Backorder Desk';
export const DB_FILE = 'backorder-desk.db';

/** The per-user data folder: %APPDATA% on Windows, ~/Library/Application Support on macOS, XDG config on Linux. */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), PRODUCT_NAME);
}

/** Default database file in the data folder. */
export const defaultDbPath = (): string => path.join(appDataDir(), DB_FILE);
