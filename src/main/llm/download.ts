/**
 * Model download with progress, resume and checksum verification.
 *
 * The file is written to `<dest>.part`. If a `.part` exists (an earlier download was interrupted),
 * the request asks for the rest with an HTTP Range header (RFC 9110 §14.2); a 206 answer is
 * appended, a 200 answer (the server ignores ranges) starts over. The SHA-256 covers the bytes
 * already on disk plus the new ones, and the file is renamed to `dest` only when it matches the
 * expected hash; a mismatch deletes the `.part` (resuming a corrupt file would never succeed).
 * Without a known hash nothing is downloaded: a model nobody can verify is not installed.
 *
 * node-llama-cpp's createModelDownloader also resumes, but verifies no checksum; this is small
 * enough to own.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Bytes received so far and the total, when the server said. */
export interface DownloadProgress {
  receivedBytes: number;
  totalBytes: number | null;
}

export interface DownloadOptions {
  url: string;
  /** Final path of the file. */
  dest: string;
  /** Expected SHA-256, lower-case hex (64 characters). Anything else refuses the download. */
  sha256: string;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
}

/** The downloaded file did not have the expected SHA-256; nothing was kept. */
export class ChecksumError extends Error {
  constructor(readonly expected: string, readonly actual: string) {
    super(`The downloaded file's SHA-256 is ${actual}, not the expected ${expected}; it was deleted.`);
    this.name = 'ChecksumError';
  }
}

/** True for a usable SHA-256: 64 hex digits. */
export function isSha256(s: string): boolean {
  return /^[0-9a-f]{64}$/.test(s);
}

async function hashExisting(file: string): Promise<{ hash: ReturnType<typeof createHash>; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  if (fs.existsSync(file)) {
    for await (const chunk of fs.createReadStream(file)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  }
  return { hash, size };
}

/**
 * Downloads `o.url` to `o.dest` (see module doc). Resolves with the final path and size.
 * @throws Error when the hash is not a SHA-256, on HTTP errors and network failures (the `.part`
 *   stays for a resume), AbortError when `o.signal` aborts (the `.part` stays), ChecksumError.
 */
export async function downloadModel(o: DownloadOptions): Promise<{ path: string; bytes: number }> {
  const expected = o.sha256.toLowerCase();
  if (!isSha256(expected)) throw new Error('No SHA-256 is known for this model, so it is not downloaded.');
  fs.mkdirSync(path.dirname(o.dest), { recursive: true });
  const part = `${o.dest}.part`;
  let { hash, size } = await hashExisting(part);

  const headers: Record<string, string> = size > 0 ? { Range: `bytes=${size}-` } : {};
  const res = await fetch(o.url, { headers, ...(o.signal ? { signal: o.signal } : {}), redirect: 'follow' });
  let total: number | null;
  let append = false;
  if (res.status === 206) {
    append = true;
    const m = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '');
    total = m ? Number(m[1]) : null;
  } else if (res.status === 416 && size > 0) {
    // The part already holds the whole file.
    append = true;
    total = size;
    await res.body?.cancel();
  } else if (res.ok) {
    const len = res.headers.get('content-length');
    total = len ? Number(len) : null;
    if (size > 0) ({ hash, size } = { hash: createHash('sha256'), size: 0 });
  } else {
    await res.body?.cancel();
    throw new Error(`The download failed: HTTP ${res.status} ${res.statusText}`.trim());
  }

  o.onProgress?.({ receivedBytes: size, totalBytes: total });
  if (res.status !== 416 && res.body) {
    const out = fs.createWriteStream(part, { flags: append ? 'a' : 'w' });
    try {
      for await (const chunk of res.body) {
        const buf = Buffer.from(chunk);
        hash.update(buf);
        size += buf.length;
        if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
        o.onProgress?.({ receivedBytes: size, totalBytes: total });
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
  }
  if (total !== null && size < total) throw new Error(`The download stopped at ${size} of ${total} bytes; try again to resume.`);

  const actual = hash.digest('hex');
  if (actual !== expected) {
    fs.rmSync(part, { force: true });
    throw new ChecksumError(expected, actual);
  }
  fs.renameSync(part, o.dest);
  return { path: o.dest, bytes: size };
}
