/**
 * Inbound mail: MIME parsing (parse.ts, postal-mime), HTML → text (html.ts), quoted history and
 * forwarded chains (quoted.ts), Gmail API resources → RFC 5322 (gmail-resource.ts), and the one
 * entry point for files (file.ts) that `mail parse` and .eml drop-in use.
 */
export * from './types';
export * from './parse';
export * from './html';
export * from './quoted';
export * from './gmail-resource';
export * from './file';
