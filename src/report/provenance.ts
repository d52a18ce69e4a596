/**
 * Provenance and severity wording shared by every report format (DESIGN §4.4,
 * §4.6): what an attestation said, what the run read, and the overall verdict
 * with its warnings. Each format only escapes and lays out these values, so
 * the five formats cannot drift apart in what they claim. Strings stay raw
 * here: escaping belongs to the format.
 */
import { countWarnings, passes } from '../gate/verdict.js';
import type { AttestationUsed, ClockSource, Report, ReportInputs, RuleResult } from './types.js';

/** One named value: `key` for machine formats (JUnit properties), `label` for people. */
export interface Field {
  key: string;
  label: string;
  value: string;
}

/** The fields of an attestation that decided a result, in the order they are shown. */
export function attestationFields(a: AttestationUsed): Field[] {
  const fields: Field[] = [
    { key: 'fact', label: 'Fact', value: a.fact },
    { key: 'value', label: 'Value', value: String(a.value) },
    { key: 'attestedBy', label: 'Attested by', value: a.attestedBy },
    { key: 'attestedAt', label: 'Attested at', value: a.attestedAt },
    { key: 'expiresAt', label: 'Expires at', value: a.expiresAt },
  ];
  if (a.evidence !== undefined)
    fields.push({ key: 'evidence', label: 'Evidence', value: a.evidence });
  return fields;
}

/** `fact paymentMethodPresent, value true, attested by …` on one line (plain-text contexts). */
export function attestationText(a: AttestationUsed): string {
  return attestationFields(a)
    .map((f) => `${f.label.toLowerCase()} ${f.value}`)
    .join(', ');
}

/** Warning results that failed or are unknown: the report's own count, else counted. */
export function warningCount(report: Pick<Report, 'summary' | 'accounts'>): number {
  return report.summary.warnings ?? countWarnings(report.accounts);
}

/** `1 warning`, `2 warnings`. */
export function warningsText(warnings: number): string {
  return `${warnings.toLocaleString('en-US')} warning${warnings === 1 ? '' : 's'}`;
}

/** `READY`, `READY (1 warning)`, `BLOCKED (3 warnings)`: a verdict's text with its warnings. */
export function withWarnings(verdictLabel: string, warnings: number): string {
  return warnings === 0 ? verdictLabel : `${verdictLabel} (${warningsText(warnings)})`;
}

/** What the warnings count means for the verdict, under the report's failOn. */
export function warningsEffect(report: Pick<Report, 'failOn'>): string {
  return report.failOn === 'warning'
    ? 'warning rules that failed or are unknown; treated as blockers (--fail-on warning)'
    : 'warning rules that failed or are unknown; they do not block';
}

/**
 * A warning that failed or is unknown (what `countWarnings` counts): shown
 * as a warning, distinct from a blocker.
 */
export function isOpenWarning(rule: Pick<RuleResult, 'severity' | 'status'>): boolean {
  return rule.severity === 'warning' && !passes(rule);
}

const CLOCK_TEXT: Readonly<Record<ClockSource, string>> = {
  clock: 'the system clock',
  snapshot: 'the snapshot collection time',
  '--now': 'set with --now: a what-if evaluation, not the time of the run',
};

/** True when the evaluation time was chosen by hand (`--now`): the report is a what-if. */
export function isWhatIf(inputs: ReportInputs | undefined): boolean {
  return inputs?.clock.source === '--now';
}

// POSIX shell quoting: an argument that is not plainly safe is single-quoted,
// so the line reads back as exactly the argv it came from.
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line as one shell-quoted string (`leavegate` first). */
export function commandLineText(argv: readonly string[]): string {
  return ['leavegate', ...argv.map(shellQuote)].join(' ');
}

/** One line of the "Inputs" section; `sha256` when the line names hashed content. */
export interface InputRow {
  label: string;
  value: string;
  sha256?: string;
  /** Set on the clock line of a `--now` run. */
  whatIf?: boolean;
}

/**
 * The "Inputs" section as rows, once per report: input files, rule packs and
 * plugins with the digest of each rule, the clock and the command line.
 */
export function inputRows(inputs: ReportInputs): InputRow[] {
  const rows: InputRow[] = [];
  const files = [
    ['Snapshot', inputs.snapshot],
    ['Attestations', inputs.attestations],
    ['Waivers', inputs.waivers],
    ['Config', inputs.config],
  ] as const;
  for (const [label, file] of files) {
    if (file !== undefined) rows.push({ label, value: file.path, sha256: file.sha256 });
  }
  for (const pack of inputs.rulePacks) {
    rows.push({ label: 'Rule pack', value: `${pack.name} ${pack.version} from ${pack.source}` });
    for (const r of pack.rules)
      rows.push({ label: 'Rule', value: `${pack.name}/${r.id}`, sha256: r.sha256 });
  }
  for (const plugin of inputs.plugins) {
    const adds = [
      ...(plugin.operators.length > 0 ? [`operators ${plugin.operators.join(', ')}`] : []),
      ...(plugin.facts.length > 0 ? [`facts ${plugin.facts.join(', ')}`] : []),
    ];
    rows.push({
      label: 'Plugin',
      value: `${plugin.name} ${plugin.version} from ${plugin.source}${adds.length > 0 ? `; ${adds.join('; ')}` : ''}`,
      sha256: plugin.sha256,
    });
    for (const r of plugin.rules)
      rows.push({ label: 'Rule', value: `${plugin.name}/${r.id}`, sha256: r.sha256 });
  }
  rows.push({
    label: 'Clock',
    value: `${inputs.clock.now} (${CLOCK_TEXT[inputs.clock.source] ?? inputs.clock.source})`,
    ...(isWhatIf(inputs) ? { whatIf: true } : {}),
  });
  rows.push({ label: 'Command line', value: commandLineText(inputs.commandLine) });
  return rows;
}

/** The what-if notice for a `--now` run, or undefined. */
export function whatIfNotice(inputs: ReportInputs | undefined): string | undefined {
  if (inputs === undefined || !isWhatIf(inputs)) return undefined;
  return `What-if: rules were evaluated at ${inputs.clock.now} (set with --now), not at the time of the run.`;
}
