/**
 * leavegate.config.json (schemas/config.schema.json) and LEAVEGATE_*
 * environment variables: the inputs a repository or pipeline sets once.
 *
 * Precedence, highest first: command-line flags, LEAVEGATE_* variables, the
 * configuration file, the built-in defaults. Both lower layers reach yargs as
 * one `.config()` object holding only the options of the command being run
 * (yargs lets any flag given on the command line win over it), so strict
 * mode still refuses unknown flags and `collect --out FILE` never receives
 * the reports directory. Variables are an explicit list: others (such as
 * LEAVEGATE_REQUEST_TIMEOUT_MS, LEAVEGATE_MAX_INPUT_BYTES, or a misspelt one)
 * are not options and are left alone.
 *
 * Neither layer can confirm a leave or transfer or skip anything: the schema
 * has no such key, and a file that names one is an error. The file's path
 * and sha256 go into the report's inputs.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ConfigFile } from '../generated/config.js';
import type { InputFile } from '../report/types.js';
import type { CliIo } from './context.js';
import { FORMAT_NAMES } from './formats.js';

/** The file looked for in the working directory when neither --config nor LEAVEGATE_CONFIG names one. */
export const CONFIG_FILE_NAME = 'leavegate.config.json';

/** Settings keyed by the yargs option they stand for (`member-role`, `plugin`, ...). */
export type OptionValues = Partial<Record<OptionName, string | number | string[]>>;
type OptionName =
  | 'rules'
  | 'plugin'
  | 'waivers'
  | 'attestations'
  | 'member-role'
  | 'principal'
  | 'concurrency'
  | 'member-concurrency'
  | 'format'
  | 'out'
  | 'fail-on';

export interface Settings {
  /** The configuration file read, for the report's provenance (absent: none). */
  file?: InputFile;
  /** Values from the file and the environment (environment wins), paths absolute. */
  values: OptionValues;
  /** Where each value came from, for --verbose. */
  sources: Partial<Record<OptionName, string>>;
}

/** Which settings each command takes (the others do not have those options, or mean something else by them). */
const COMMAND_OPTIONS: Readonly<Record<string, readonly OptionName[]>> = {
  check: [
    'rules',
    'plugin',
    'waivers',
    'attestations',
    'member-role',
    'principal',
    'concurrency',
    'member-concurrency',
    'format',
    'out',
    'fail-on',
  ],
  leave: [
    'rules',
    'plugin',
    'waivers',
    'attestations',
    'member-role',
    'principal',
    'concurrency',
    'member-concurrency',
    'out',
    'fail-on',
  ],
  collect: ['member-role', 'principal', 'concurrency', 'member-concurrency'],
  rules: ['rules', 'plugin'],
};

/** The options a command takes from the file and the environment. */
export function commandOptions(command: string | undefined): readonly OptionName[] {
  if (command === 'transfer') return COMMAND_OPTIONS.leave ?? [];
  return (command !== undefined && COMMAND_OPTIONS[command]) || [];
}

/** File key -> option name. */
const FILE_KEYS: Readonly<Record<string, OptionName>> = {
  rules: 'rules',
  plugins: 'plugin',
  waivers: 'waivers',
  attestations: 'attestations',
  memberRole: 'member-role',
  principal: 'principal',
  concurrency: 'concurrency',
  memberConcurrency: 'member-concurrency',
  format: 'format',
  out: 'out',
  failOn: 'fail-on',
};

/** The variables that are options, and how each is read. */
const ENV: Readonly<Record<string, { option: OptionName; kind: 'path' | 'paths' | 'text' }>> = {
  LEAVEGATE_RULES: { option: 'rules', kind: 'paths' },
  LEAVEGATE_PLUGINS: { option: 'plugin', kind: 'paths' },
  LEAVEGATE_WAIVERS: { option: 'waivers', kind: 'path' },
  LEAVEGATE_ATTESTATIONS: { option: 'attestations', kind: 'path' },
  LEAVEGATE_MEMBER_ROLE: { option: 'member-role', kind: 'text' },
  LEAVEGATE_PRINCIPAL: { option: 'principal', kind: 'text' },
  LEAVEGATE_CONCURRENCY: { option: 'concurrency', kind: 'text' },
  LEAVEGATE_MEMBER_CONCURRENCY: { option: 'member-concurrency', kind: 'text' },
  LEAVEGATE_FORMAT: { option: 'format', kind: 'text' },
  LEAVEGATE_OUT: { option: 'out', kind: 'path' },
  LEAVEGATE_FAIL_ON: { option: 'fail-on', kind: 'text' },
};

/** The environment variables that are options (documented in the README). */
export const ENV_VARIABLES: readonly string[] = [...Object.keys(ENV), 'LEAVEGATE_CONFIG'];

/** A path from the file: relative to the file's directory. A plugin package name stays a name. */
function filePath(option: OptionName, value: string, dir: string): string {
  if (option === 'plugin' && !(value.startsWith('.') || isAbsolute(value))) return value;
  return value === '-' && option === 'out' ? value : resolve(dir, value);
}

function fromFile(doc: ConfigFile, dir: string): OptionValues {
  const out: OptionValues = {};
  for (const [key, option] of Object.entries(FILE_KEYS)) {
    const value = (doc as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (['rules', 'plugin'].includes(option))
      out[option] = (value as string[]).map((v) => filePath(option, v, dir));
    else if (['waivers', 'attestations', 'out'].includes(option))
      out[option] = filePath(option, value as string, dir);
    else out[option] = value as string | number | string[];
  }
  return out;
}

function envValue(name: string, raw: string, cwd: string): string | number | string[] {
  const spec = ENV[name]!;
  const bad = (why: string) => new UsageError(`${name}: ${JSON.stringify(raw)} ${why}`);
  if (raw.trim() === '') throw bad('is empty: unset it or give a value');
  if (spec.kind === 'paths')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((p) =>
        spec.option === 'plugin' && !(p.startsWith('.') || isAbsolute(p)) ? p : resolve(cwd, p),
      );
  if (spec.kind === 'path') return raw === '-' ? raw : resolve(cwd, raw);
  switch (spec.option) {
    case 'concurrency':
    case 'member-concurrency': {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1 || n > 64) throw bad('is not an integer from 1 to 64');
      return n;
    }
    case 'fail-on':
      if (raw !== 'blocker' && raw !== 'warning') throw bad('must be blocker or warning');
      return raw;
    case 'format': {
      const list = raw.split(',').map((s) => s.trim());
      const unknown = list.filter((f) => !(FORMAT_NAMES as readonly string[]).includes(f));
      if (unknown.length > 0) throw bad(`names no format (known: ${FORMAT_NAMES.join(', ')})`);
      return list;
    }
    default:
      return raw;
  }
}

/** `--config FILE` / `--config=FILE` on the command line (before `--`), if given. */
function configFlag(argv: readonly string[]): string | undefined {
  const found: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--config') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-'))
        throw new UsageError('--config: say which file (--config FILE)');
      found.push(next);
      i += 1;
    } else if (arg.startsWith('--config=')) found.push(arg.slice('--config='.length));
  }
  if (found.length > 1)
    throw new UsageError(`--config was given ${found.length} times: give it once`);
  if (found[0] === '') throw new UsageError('--config is empty');
  return found[0];
}

/** Which configuration file this run reads: --config, else LEAVEGATE_CONFIG, else ./leavegate.config.json if present. */
export function configFilePath(argv: readonly string[], io: CliIo): string | undefined {
  const flag = configFlag(argv);
  if (flag !== undefined) return resolve(io.cwd, flag);
  const env = io.env.LEAVEGATE_CONFIG;
  if (env !== undefined && env !== '') return resolve(io.cwd, env);
  const implicit = resolve(io.cwd, CONFIG_FILE_NAME);
  return existsSync(implicit) ? implicit : undefined;
}

/**
 * Reads the configuration file (validated: exit 2 naming the file and JSON
 * path of an unknown key, a wrong type, or text that is not JSON).
 */
export async function loadConfigFile(path: string): Promise<{ doc: ConfigFile; input: InputFile }> {
  const [{ readJsonFile, valueOrThrow }, { validateSchema }] = await Promise.all([
    import('../io.js'),
    import('../schema.js'),
  ]);
  const { value, sha256 } = await readJsonFile(path, 'config.invalid');
  const doc = valueOrThrow(validateSchema<ConfigFile>('config', value, path), 'config.invalid');
  return { doc, input: { path, sha256 } };
}

/**
 * The settings of a run of `command`: the configuration file's, overridden
 * by LEAVEGATE_* variables, restricted to the command's options.
 */
export async function loadSettings(
  command: string | undefined,
  argv: readonly string[],
  io: CliIo,
): Promise<Settings> {
  const wanted = new Set(commandOptions(command));
  const settings: Settings = { values: {}, sources: {} };
  // Read whenever the command takes settings: a named file that is bad is an error either way.
  const path =
    wanted.size > 0 || configFlag(argv) !== undefined ? configFilePath(argv, io) : undefined;
  if (path !== undefined) {
    const { doc, input } = await loadConfigFile(path);
    settings.file = input;
    for (const [option, value] of Object.entries(fromFile(doc, dirname(path)))) {
      if (!wanted.has(option as OptionName)) continue;
      settings.values[option as OptionName] = value;
      settings.sources[option as OptionName] = path;
    }
  }
  for (const [name, spec] of Object.entries(ENV)) {
    const raw = io.env[name];
    if (raw === undefined || !wanted.has(spec.option)) continue;
    settings.values[spec.option] = envValue(name, raw, io.cwd);
    settings.sources[spec.option] = name;
  }
  return settings;
}
