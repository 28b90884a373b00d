/**
 * `backorder-desk sandbox`: replays exports on a simulated clock (see app/sandbox.ts). It opens no
 * database file and has no transport, so it can neither store nor send anything.
 */
import path from 'node:path';
import { runSandbox, type SandboxFile } from '../app/sandbox';
import { AppError } from '../../shared/result';
import { output, readInput } from './io';

export interface SandboxArgs {
  orders: string[];
  products?: string[];
  inventory?: string[];
  customers?: string[];
  from: string;
  to: string;
  timezone?: string;
  json?: boolean;
}

export function sandboxCommand(o: SandboxArgs): void {
  const files: SandboxFile[] = [];
  for (const kind of ['products', 'inventory', 'customers', 'orders'] as const) {
    for (const f of o[kind] ?? []) files.push({ kind, name: path.basename(f), content: readInput(f) });
  }
  const timezone = o.timezone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new AppError('BAD_INPUT', `--timezone "${timezone}" is not a time zone name like "America/New_York".`);
  }
  if (!o.products?.length && !o.inventory?.length) {
    process.stderr.write('note: no --products or --inventory export given, so stock is unknown and no line can be judged backordered.\n');
  }
  const r = runSandbox({ files, from: o.from, to: o.to, timezone });
  output(o.json === true, r, () =>
    [
      `${r.messages.length} messages would have gone out, ${r.escalations.length} escalations:`,
      ...[...r.messages.map((m) => ({ at: m.at, line: `${m.at}  ${m.orderName}  ${m.step} by ${m.channel} to ${m.to}` })),
        ...r.escalations.map((e) => ({ at: e.at, line: `${e.at}  ${e.orderName}  ESCALATION ${e.reason}` }))]
        .sort((a, b) => a.at.localeCompare(b.at))
        .map((x) => x.line),
    ].join('\n'),
  );
}
