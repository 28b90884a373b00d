/**
 * The envelope of every contract call (DESIGN.md "One contract"):
 * `{ok: true, value}` or `{ok: false, error: {code, message}}`.
 */
export type ErrorCode =
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

/** An error meant to reach the person: its message is safe to show and says what to fix. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** Turns any thrown value into the error half of the envelope without leaking stack traces. */
export function toErrorShape(err: unknown): AppErrorShape {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (err && typeof err === 'object' && 'issues' in err && Array.isArray((err as { issues: unknown }).issues)) {
    const issues = (err as { issues: { path: (string | number)[]; message: string }[] }).issues;
    return {
      code: 'BAD_INPUT',
      message: issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}
