/**
 * Human output for the terminal: colour on a TTY, never with NO_COLOR, forced by FORCE_COLOR.
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

/**
 * Whether to colour `stream`, highest rule first: NO_COLOR set (non-empty)
 * → never; FORCE_COLOR=0 or false → never; FORCE_COLOR=1, 2, 3, true or
 * empty → always, even when not a terminal (CI logs that render ANSI);
 * otherwise only on a terminal whose TERM is not "dumb".
 */
export function colourEnabled(stream: Writer, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force === '0' || force === 'false') return false;
  if (force !== undefined && ['', '1', '2', '3', 'true'].includes(force)) return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** A colourer bound to a stream and the environment (see colourEnabled). */
export function colours(
  stream: Writer,
  env: NodeJS.ProcessEnv = process.env,
): (style: Style, text: string) => string {
  const enabled = colourEnabled(stream, env);
  // The decision is ours (above): styleText must not check process.stdout again.
  return (style, text) => (enabled ? styleText(style, text, { validateStream: false }) : text);
}

/** The short summary printed by check/demo/report. */
export function renderSummary(report: Report, stream: Writer, env?: NodeJS.ProcessEnv): string {
  const c = colours(stream, env);
  const s = report.summary;
  const lines: string[] = [];
  const warned = s.warnings ?? 0;
  lines.push(
    `${c('bold', `${s.accounts} account${s.accounts === 1 ? '' : 's'}`)}: ${c('green', `${s.ready} ready`)}, ${c('red', `${s.blocked} blocked`)}, ${c('yellow', `${s.unknown} unknown`)}` +
      (warned > 0 ? `; ${c('yellow', `${warned} warning${warned === 1 ? '' : 's'}`)}` : '') +
      (report.failOn === 'warning' ? ' (--fail-on warning: warnings block)' : ''),
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
  // Warnings that did not decide a verdict are still shown (DESIGN §4.4).
  const warnings = report.accounts.flatMap((a) =>
    a.rules
      .filter((r) => r.severity === 'warning' && (r.status === 'fail' || r.status === 'unknown'))
      .filter(() => report.failOn !== 'warning')
      .map((r) => ({ a, r })),
  );
  for (const { a, r } of warnings.slice(0, shown)) {
    const label = a.name === undefined ? a.accountId : `${a.accountId} (${printable(a.name)})`;
    lines.push(
      `  ${c('yellow', 'WARNING')} ${label}: ${r.id} (${r.status}): ${printable(r.message)}`,
    );
  }
  if (warnings.length > shown)
    lines.push(`  ... and ${warnings.length - shown} more warnings (see the report)`);
  for (const reason of report.incomplete ?? [])
    lines.push(c('yellow', `INCOMPLETE: ${printable(reason)}`));
  return lines.join('\n') + '\n';
}

/** The run's warnings (clock, ignored inputs, collection errors), for stderr. */
export function renderRunWarnings(report: Report, stream: Writer, env?: NodeJS.ProcessEnv): string {
  const c = colours(stream, env);
  const all = report.warnings ?? [];
  const lines = all.slice(0, 10).map((w) => c('yellow', `warning: ${printable(w)}`));
  if (all.length > 10)
    lines.push(c('yellow', `... and ${all.length - 10} more warnings (see report.json)`));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
