/**
 * Vitest global setup: one temporary folder per test run, under the system's, that every test's
 * `os.tmpdir()` points into (TMPDIR, inherited by the worker processes), removed when the run ends.
 * Tests make databases, models, mail folders and Chromium profiles in temporary folders; without
 * this, every run left them behind (gigabytes over a few hundred runs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-test-run-'));
  const before = process.env['TMPDIR'];
  process.env['TMPDIR'] = root;
  return () => {
    if (before === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = before;
    fs.rmSync(root, { recursive: true, force: true });
  };
}
