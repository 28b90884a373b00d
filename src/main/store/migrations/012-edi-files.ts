/**
 * Migration 12: the files the watched EDI folder handled (issue "Honest ETA ranges", EDI folder
 * watch). Keyed by the SHA-256 of the file's bytes so each interchange is imported once, whatever
 * it is named and however often it is dropped again; `status` and `error` make a refused file
 * visible in the app, with the subfolder it was moved to.
 */
import type { Migration } from './index';

export const m012: Migration = {
  version: 12,
  name: 'edi_files: watched-folder imports by content hash',
  up: (db) => {
    db.exec(`
      CREATE TABLE edi_files (
        content_hash TEXT PRIMARY KEY,     -- SHA-256 hex of the file bytes
        file_name TEXT NOT NULL,           -- name when it was picked up
        status TEXT NOT NULL CHECK (status IN ('imported','failed')),
        quotes INTEGER NOT NULL DEFAULT 0, -- quotes stored from it
        unmatched INTEGER NOT NULL DEFAULT 0, -- lines naming no SKU of ours
        error TEXT,                        -- why it failed, for the owner
        moved_to TEXT,                     -- path of the file after it was moved (processed/ or failed/)
        handled_at TEXT NOT NULL           -- ISO 8601
      );
      CREATE INDEX edi_files_handled ON edi_files(handled_at);
    `);
  },
};
