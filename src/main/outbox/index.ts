/**
 * The outbox: messages as database rows sent exactly once through a transport (DESIGN.md "Every
 * side effect goes through the database first"). State changes and the relay are in outbox.ts, the
 * transport seam and its error kinds in transport.ts, email over SMTP in smtp.ts.
 */
export * from './outbox';
export * from './transport';
export * from './smtp';
