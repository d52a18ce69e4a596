/**
 * Human output for the terminal: colour only on a TTY and never with NO_COLOR.
 * Untrusted strings (account names, messages) are printed with control
 * characters removed so they cannot drive the terminal.
 */
import { styleText } from 'node:util';
import type { Report } from '../report/types.js';
import { printable } from '../text.js';

export interface Writer {
  write(text: string): void;
  isTTY?: boolean | undefined;
}

type Style = 'red' | 'green' | 'yellow' | 'bold' | 'dim' | 'cyan';

/** A colourer bound to a stream and the environment. */
export function colours(
  stream: Writer,
  env: NodeJS.ProcessEnv = process.env,
): (style: Style, text: string) => string {
  const enabled =
    stream.isTTY === true &&
    (env.NO_COLOR === undefined || env.NO_COLOR === '') &&
    env.TERM !== 'dumb' &&
    env.FORCE_COLOR !== '0';
  return (style, text) => (enabled ? styleText(style, text) : text);
}

/** The short summary printed by check/demo/report. */
export function renderSummary(report: Report, stream: Writer, env?: NodeJS.ProcessEnv): string {
  const c = colours(stream, env);
  const s = report.summary;
  const lines: string[] = [];
  lines.push(
    `${c('bold', `${s.accounts} account${s.accounts === 1 ? '' : 's'}`)}: ${c('green', `${s.ready} ready`)}, ${c('red', `${s.blocked} blocked`)}, ${c('yellow', `${s.unknown} unknown`)}`,
  );
  const shown = 20;
  for (const verdict of ['blocked', 'unknown'] as const) {
    const accounts = report.accounts.filter((a) => a.verdict === verdict);
    for (const a of accounts.slice(0, shown)) {
      const label = a.name === undefined ? a.accountId : `${a.accountId} (${printable(a.name)})`;
      lines.push(
        `  ${verdict === 'blocked' ? c('red', 'BLOCKED') : c('yellow', 'UNKNOWN')} ${label}`,
      );
      for (const r of a.rules.filter(
        (r) => r.status === (verdict === 'blocked' ? 'fail' : 'unknown'),
      )) {
        lines.push(`    ${c('dim', '-')} ${r.id}: ${printable(r.message)}`);
      }
    }
    if (accounts.length > shown)
      lines.push(`  ... and ${accounts.length - shown} more ${verdict} accounts (see the report)`);
  }
  for (const reason of report.incomplete ?? [])
    lines.push(c('yellow', `INCOMPLETE: ${printable(reason)}`));
  for (const w of (report.warnings ?? []).slice(0, 10))
    lines.push(c('yellow', `warning: ${printable(w)}`));
  if ((report.warnings?.length ?? 0) > 10)
    lines.push(
      c('yellow', `... and ${(report.warnings?.length ?? 0) - 10} more warnings (see report.json)`),
    );
  return lines.join('\n') + '\n';
}
