/**
 * Option groups shared by commands (the AWS access, the gate's inputs, rule
 * packs) and how their parsed values become the library's inputs — in one
 * place, so check, leave and transfer read the same flags the same way.
 */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { CheckInputs, GateConfig } from '../check.js';
import type { CollectOptions } from '../collect/index.js';
import { UsageError } from '../errors.js';
import type { DEFAULT_MEMBER_ROLE as MEMBER_ROLE } from '../facts/context.js';
import type { InputFile } from '../report/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { accountIds, parseFailOn, parseNow, parsePrincipal, redactArgv } from './args.js';
import type { CliIo } from './context.js';

/**
 * The facts' default member role, restated so that parsing flags does not
 * load the fact units; the type fails the build if the two ever differ.
 */
const DEFAULT_MEMBER_ROLE: typeof MEMBER_ROLE = 'OrganizationAccountAccessRole';

/** How to reach AWS (collect, check --account/--all, leave). */
export function awsOptions<T>(y: Argv<T>) {
  return y
    .option('member-role', {
      type: 'string',
      default: DEFAULT_MEMBER_ROLE,
      describe: 'Role assumed in each member account',
    })
    .option('external-id', { type: 'string', describe: 'External id for assuming the member role' })
    .option('principal', {
      type: 'string',
      describe: 'Principal ARN evaluated for SCPs and IAM (default: the member role)',
    })
    .option('profile', { type: 'string', describe: 'AWS profile for the management account' })
    .option('region', { type: 'string', describe: 'AWS region (Organizations lives in us-east-1)' })
    .option('concurrency', {
      type: 'number',
      default: 8,
      describe:
        'Management-side calls in flight (Organizations, Account: throttled per organization)',
    })
    .option('member-concurrency', {
      type: 'number',
      default: 32,
      describe:
        "Member-side calls in flight (each member's IAM, RAM, ..., STS AssumeRole), at most 4 per account",
    })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress output' });
}

/** Options shared by check and leave (same inputs, same gate). */
export function gateOptions<T>(y: Argv<T>) {
  return awsOptions(y)
    .option('attestations', {
      type: 'string',
      describe: 'Attestations file (schemas/attestations.schema.json)',
    })
    .option('rules', {
      type: 'string',
      array: true,
      describe: 'Extra rule pack directory (repeatable); the built-in pack is always loaded',
    })
    .option('plugin', {
      type: 'string',
      array: true,
      describe: 'Plugin module: path or package name (repeatable)',
    })
    .option('waivers', { type: 'string', describe: 'Waivers file (schemas/waivers.schema.json)' })
    .option('now', {
      type: 'string',
      describe:
        'check only (what-if): evaluation time, ISO 8601 with a zone (default: the snapshot time); leave refuses it',
    })
    .option('fail-on', {
      type: 'string',
      choices: ['blocker', 'warning'],
      describe: 'warning: warning rules block like blockers (default blocker)',
    });
}

export interface GateArgs {
  attestations?: string | undefined;
  rules?: string[] | undefined;
  plugin?: string[] | undefined;
  waivers?: string | undefined;
  'member-role': string;
  'external-id'?: string | undefined;
  principal?: string | undefined;
  now?: string | undefined;
  'fail-on'?: string | undefined;
  profile?: string | undefined;
  region?: string | undefined;
  concurrency: number;
  'member-concurrency'?: number | undefined;
  quiet: boolean;
}

/** The gate's inputs from the parsed flags; `configFile` is the configuration file the run read (provenance). */
export function checkInputs(
  args: GateArgs,
  io: CliIo,
  argv: readonly string[],
  configFile?: InputFile,
): CheckInputs {
  const failOn = parseFailOn(args['fail-on']);
  return {
    ...(failOn !== undefined && { failOn }),
    ...(configFile !== undefined && { configFile }),
    commandLine: redactArgv(argv),
    attestationsFile: args.attestations,
    rulesDirs: args.rules,
    plugins: args.plugin,
    waiversFile: args.waivers,
    memberRole: args['member-role'],
    principalArn: parsePrincipal(args.principal),
    now: parseNow(args.now),
    cwd: io.cwd,
  };
}

export function collectOptions(
  args: GateArgs & { all?: boolean | undefined; account?: unknown },
  io: CliIo,
): CollectOptions {
  const ids = accountIds(args.account);
  if (args.all === true && ids.length > 0)
    throw new UsageError('use either --all or --account, not both');
  if (args.all !== true && ids.length === 0)
    throw new UsageError('say which accounts: --account ID (repeatable) or --all');
  const concurrency = callLimit('--concurrency', args.concurrency);
  const memberConcurrency = callLimit('--member-concurrency', args['member-concurrency'] ?? 32);
  return {
    scope: args.all === true ? { all: true } : { accounts: ids },
    memberRole: args['member-role'],
    concurrency,
    memberConcurrency,
    progress: !args.quiet && io.stderr.isTTY === true,
    ...(args['external-id'] !== undefined && { externalId: args['external-id'] }),
    ...(args.principal !== undefined && { principalArn: parsePrincipal(args.principal) }),
    ...(args.profile !== undefined && { profile: args.profile }),
    ...(args.region !== undefined && { region: args.region }),
  };
}

/**
 * A call limit from its flag: an integer from 1 to 64 (MAX_CONCURRENCY in
 * src/collect/call-limits.ts, restated so that parsing flags loads no SDK).
 */
function callLimit(flag: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 64) {
    const given = typeof value === 'number' && Number.isNaN(value) ? 'not a number' : String(value);
    throw new UsageError(`${flag} must be an integer from 1 to 64 (got ${given})`);
  }
  return value;
}

/** The AWS SDK is loaded only for live runs: offline commands start fast. */
export async function collect(options: CollectOptions): Promise<Snapshot> {
  const mod = await import('../collect/index.js');
  return mod.collect(options);
}

export function ruleOptions<T>(y: Argv<T>) {
  return y
    .option('rules', {
      type: 'string',
      array: true,
      describe: 'Extra rule pack directory (repeatable)',
    })
    .option('plugin', { type: 'string', array: true, describe: 'Plugin module (repeatable)' });
}

/**
 * The rule packs of `rules list|validate`. Without plugins only the rule
 * loader is imported — the built-in packs of a leave, then each --rules
 * directory, validated and with unique ids, as loadGateConfig loads them —
 * so that listing rules does not load the engine, the gate and the report
 * producers. With plugins it is loadGateConfig itself.
 */
export async function loadRules(
  args: { rules?: string[] | undefined; plugin?: string[] | undefined },
  io: CliIo,
): Promise<Pick<GateConfig, 'packs'>> {
  if ((args.plugin ?? []).length > 0) {
    const { loadGateConfig } = await import('../check.js');
    return loadGateConfig({ rulesDirs: args.rules, plugins: args.plugin, cwd: io.cwd });
  }
  const load = await import('../rules/load.js');
  const vocab = load.vocabulary();
  const packs = [];
  for (const entry of load.BUILTIN_PACKS.leave)
    packs.push(
      load.applyBuiltinPack(await load.loadRulePack(load.builtinRulesDir(entry.dir), vocab), entry),
    );
  for (const dir of args.rules ?? [])
    packs.push(await load.loadRulePack(resolve(io.cwd, dir), vocab));
  load.checkUniqueIds(packs);
  return { packs };
}
