/**
 * Migration 5: drafts written by a local model.
 *
 * - `messages.model_sha256`: the full SHA-256 (lower-case hex) of the model file that wrote the
 *   draft; NULL for the composer's drafts. `produced_by` keeps the readable label
 *   ('model:<file>#sha256:<12 hex>', 'composer', 'composer (model failed: <reason>)').
 */
import type { Migration } from './index';

export const m005: Migration = {
  version: 5,
  name: 'model hash of drafts',
  up: (db) => {
    db.exec('ALTER TABLE messages ADD COLUMN model_sha256 TEXT');
  },
};
