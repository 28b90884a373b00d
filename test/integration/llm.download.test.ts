/**
 * The model download against a local HTTP server (node:http on 127.0.0.1) serving a generated tiny
 * model: progress, resume after a connection drop (HTTP Range), wrong checksum refused, no checksum
 * refused.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChecksumError, downloadModel, type DownloadProgress } from '../../src/main/llm/download';
import { writeTinyGgufToTemp } from '../helpers/tiny-gguf';

let model: Buffer;
let sha: string;
let server: http.Server;
let base: string;
const ranges: (string | null)[] = [];
// When set, the next full response is cut after this many bytes (the connection drops).
let dropAfter: number | null = null;
let ignoreRanges = false;

beforeAll(async () => {
  model = fs.readFileSync(writeTinyGgufToTemp('served.gguf'));
  sha = createHash('sha256').update(model).digest('hex');
  server = http.createServer((req, res) => {
    const range = req.headers.range ?? null;
    ranges.push(range);
    const m = /^bytes=(\d+)-$/.exec(range ?? '');
    const start = m && !ignoreRanges ? Number(m[1]) : 0;
    if (start >= model.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${model.length}` });
      res.end();
      return;
    }
    const body = model.subarray(start);
    res.writeHead(m && !ignoreRanges ? 206 : 200, {
      'Content-Length': String(body.length),
      ...(m && !ignoreRanges ? { 'Content-Range': `bytes ${start}-${model.length - 1}/${model.length}` } : {}),
      'Accept-Ranges': 'bytes',
    });
    if (dropAfter !== null) {
      const cut = dropAfter;
      dropAfter = null;
      res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const dest = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-dl-')), 'models', 'm.gguf');

describe('downloadModel', () => {
  it('downloads with progress up to the total and verifies the SHA-256', async () => {
    const seen: DownloadProgress[] = [];
    const file = dest();
    const r = await downloadModel({ url: `${base}/m.gguf`, dest: file, sha256: sha, onProgress: (p) => seen.push(p) });
    expect(r.bytes).toBe(model.length);
    expect(fs.readFileSync(file).equals(model)).toBe(true);
    expect(fs.existsSync(`${file}.part`)).toBe(false);
    expect(seen[0]).toEqual({ receivedBytes: 0, totalBytes: model.length });
    expect(seen.at(-1)).toEqual({ receivedBytes: model.length, totalBytes: model.length });
    const received = seen.map((p) => p.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
  });

  it('resumes after an interruption with a Range request and ends with the same file', async () => {
    const file = dest();
    dropAfter = 100_000;
    ranges.length = 0;
    await expect(downloadModel({ url: `${base}/m.gguf`, dest: file, sha256: sha })).rejects.toThrow();
    const partSize = fs.statSync(`${file}.part`).size;
    expect(partSize).toBeGreaterThan(0);
    expect(partSize).toBeLessThan(model.length);
    const seen: DownloadProgress[] = [];
    await downloadModel({ url: `${base}/m.gguf`, dest: file, sha256: sha, onProgress: (p) => seen.push(p) });
    expect(ranges).toEqual([null, `bytes=${partSize}-`]);
    expect(seen[0]?.receivedBytes).toBe(partSize); // progress continues where it stopped
    expect(fs.readFileSync(file).equals(model)).toBe(true);
  });

  it('starts over when the server ignores the range', async () => {
    const file = dest();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.part`, Buffer.from('garbage that is not the start of the file'));
    ignoreRanges = true;
    try {
      await downloadModel({ url: `${base}/m.gguf`, dest: file, sha256: sha });
    } finally {
      ignoreRanges = false;
    }
    expect(fs.readFileSync(file).equals(model)).toBe(true);
  });

  it('refuses a file with the wrong checksum and keeps nothing', async () => {
    const file = dest();
    const wrong = 'a'.repeat(64);
    await expect(downloadModel({ url: `${base}/m.gguf`, dest: file, sha256: wrong })).rejects.toBeInstanceOf(ChecksumError);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.part`)).toBe(false);
  });

  it('refuses to download without a real SHA-256, before any request', async () => {
    ranges.length = 0;
    await expect(downloadModel({ url: `${base}/m.gguf`, dest: dest(), sha256: 'PLACEHOLDER' })).rejects.toThrow(/No SHA-256/);
    expect(ranges).toEqual([]);
  });

  it('reports HTTP errors', async () => {
    const s = http.createServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/x`;
    await expect(downloadModel({ url, dest: dest(), sha256: sha })).rejects.toThrow(/HTTP 404/);
    await new Promise<void>((r) => s.close(() => r()));
  });
});
