/**
 * leavegate.config.json and LEAVEGATE_* variables: picked up from the working
 * directory (by the built CLI too), validated (exit 2 naming the file and
 * JSON path), relative paths against the file, flags > environment > file,
 * recorded in the report's inputs, and unable to confirm a leave.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { packageRoot } from '../../src/paths.js';
import { validateSchema } from '../../src/schema.js';
import { runMain } from './capture-io.js';

const root = packageRoot();
const demo = join(root, 'examples', 'demo');
const base = mkdtempSync(join(tmpdir(), 'leavegate-config-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let dir: string;
let n = 0;
beforeEach(() => {
  // <dir>/inputs holds the files; <dir>/project the configuration and the cwd.
  dir = join(base, String((n += 1)));
  mkdirSync(join(dir, 'inputs'), { recursive: true });
  mkdirSync(join(dir, 'project'));
  cpSync(join(demo, 'snapshot.json'), join(dir, 'inputs', 'snapshot.json'));
  cpSync(join(demo, 'attestations.json'), join(dir, 'inputs', 'attestations.json'));
});

function writeConfig(value: unknown, name = 'leavegate.config.json'): string {
  const path = join(dir, 'project', name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const readReport = (path: string) =>
  JSON.parse(readFileSync(path, 'utf8')) as {
    failOn?: string;
    inputs: { config?: { path: string; sha256: string }; attestations?: { path: string } };
  };

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the built CLI reads leavegate.config.json from its working directory', () => {
  it('applies it, resolving paths against the file, and records it with its sha256', () => {
    const config = writeConfig({
      $schema: 'https://leavegate.dev/schemas/config.schema.json',
      attestations: '../inputs/attestations.json',
      format: ['json', 'md'],
      out: 'out',
      failOn: 'warning',
    });
    const cwd = join(dir, 'project');
    const r = spawnSync(
      process.execPath,
      [join(root, 'bin', 'leavegate.js'), 'check', '--snapshot', '../inputs/snapshot.json'],
      { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`configuration ${config}`);
    const report = readReport(join(cwd, 'out', 'report.json'));
    expect(report.inputs.config).toEqual({ path: config, sha256: sha256(config) });
    expect(report.inputs.attestations?.path).toBe(join(dir, 'inputs', 'attestations.json'));
    expect(report.failOn).toBe('warning');
    expect(readFileSync(join(cwd, 'out', 'report.md'), 'utf8')).toMatch(/^# /m);
  });
});

describe('precedence: flags > LEAVEGATE_* > file > defaults', () => {
  const cwd = () => join(dir, 'project');
  const check = (extra: string[], env: NodeJS.ProcessEnv = {}) =>
    runMain(['check', '--snapshot', '../inputs/snapshot.json', ...extra], {
      cwd: cwd(),
      env: { NO_COLOR: '1', ...env },
    });

  it('the environment beats the file, a flag beats both', async () => {
    writeConfig({ failOn: 'warning', out: 'from-file', format: ['md'] });
    const fromEnv = await check([], { LEAVEGATE_FAIL_ON: 'blocker', LEAVEGATE_FORMAT: 'json' });
    expect(fromEnv.code).toBe(1);
    const envReport = readReport(join(cwd(), 'from-file', 'report.json'));
    expect(envReport.failOn).toBeUndefined(); // blocker from the environment
    const fromFlag = await check(
      ['--fail-on', 'warning', '--out', 'from-flag', '--format', 'json'],
      {
        LEAVEGATE_FAIL_ON: 'blocker',
        LEAVEGATE_OUT: join(cwd(), 'from-env'),
      },
    );
    expect(fromFlag.code).toBe(1);
    expect(readReport(join(cwd(), 'from-flag', 'report.json')).failOn).toBe('warning');
  });

  it('--config FILE names another file; LEAVEGATE_CONFIG too', async () => {
    const other = writeConfig({ out: 'other-out', format: ['json'] }, 'other.json');
    expect((await check(['--config', other])).code).toBe(1);
    expect(readReport(join(cwd(), 'other-out', 'report.json')).inputs.config?.path).toBe(other);
    const viaEnv = writeConfig({ out: 'env-out', format: ['json'] }, 'env.json');
    expect((await check([], { LEAVEGATE_CONFIG: viaEnv })).code).toBe(1);
    expect(readReport(join(cwd(), 'env-out', 'report.json')).inputs.config?.path).toBe(viaEnv);
  });

  it('variables that are not options (timeouts, a misspelling) change nothing and break nothing', async () => {
    const r = await check(['--out', 'plain', '--format', 'json'], {
      LEAVEGATE_REQUEST_TIMEOUT_MS: '5000',
      LEAVEGATE_MAX_INPUT_BYTES: '100000000',
      LEAVEGATE_FAILON: 'warning',
    });
    expect(r.code).toBe(1);
    expect(readReport(join(cwd(), 'plain', 'report.json')).inputs.config).toBeUndefined();
  });

  it('memberConcurrency and LEAVEGATE_MEMBER_CONCURRENCY set --member-concurrency', async () => {
    writeConfig({ memberConcurrency: 5 });
    const fromFile = await check(['--verbose']);
    expect(fromFile.stderr).toMatch(/--member-concurrency from .*leavegate\.config\.json: 5/);
    const fromEnv = await check(['--verbose'], { LEAVEGATE_MEMBER_CONCURRENCY: '7' });
    expect(fromEnv.stderr).toContain('--member-concurrency from LEAVEGATE_MEMBER_CONCURRENCY: 7');
    const bad = await check([], { LEAVEGATE_MEMBER_CONCURRENCY: '0' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'LEAVEGATE_MEMBER_CONCURRENCY: "0" is not an integer from 1 to 64',
    );
  });

  it('a bad variable exits 2 naming it', async () => {
    const r = await check([], { LEAVEGATE_CONCURRENCY: 'eight' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/LEAVEGATE_CONCURRENCY: "eight"/);
  });

  it("rules list takes the file's rule packs", async () => {
    const pack = join(dir, 'inputs', 'pack');
    mkdirSync(pack);
    writeFileSync(
      join(pack, 'settled-for-30-days.json'),
      JSON.stringify({
        id: 'settled-for-30-days',
        title: 'Account has been in the organization for 30 days',
        severity: 'warning',
        description: 'Accounts that joined recently are still being set up.',
        remediation: 'Wait until the account has been in the organization for 30 days.',
        references: [
          'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts.html',
        ],
        facts: ['daysSinceJoined'],
        conditions: {
          all: [{ fact: 'daysSinceJoined', operator: 'greaterThanInclusive', value: 30 }],
        },
      }),
    );
    writeConfig({ rules: ['../inputs/pack'] });
    const r = await runMain(['rules', 'list'], { cwd: cwd() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('settled-for-30-days');
  });
});

describe('a bad configuration file exits 2 naming the file and the JSON path', () => {
  it.each([
    ['unknown key', { attestation: 'x.json' }, /: \/: unknown property "attestation"/],
    ['wrong type', { concurrency: '8' }, /: \/concurrency: must be integer/],
    ['wrong item', { format: ['json', 'pdf'] }, /: \/format\/1: must be one of/],
    ['not JSON', '{ "out": ', /: \/out: invalid JSON/],
    ['not an object', '[]', /: \/: must be object/],
  ])('%s', async (_name, value, message) => {
    const path = writeConfig(value);
    const r = await runMain(['check', '--snapshot', '../inputs/snapshot.json'], {
      cwd: join(dir, 'project'),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`[config.invalid] ${path}`);
    expect(r.stderr).toMatch(message);
  });
});

describe('a configuration file cannot confirm or skip anything', () => {
  it.each([
    [{ yes: true }],
    [{ 'dry-run': false }],
    [{ keepGoing: true }],
    [{ now: '2030-01-01T00:00:00Z' }],
  ])('%j is refused before any AWS call', async (value) => {
    const path = writeConfig(value);
    const r = await runMain(['leave', '--account', '300000000005'], { cwd: join(dir, 'project') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`[config.invalid] ${path}`);
  });

  it('the schema has no key that confirms a leave', () => {
    const schema = JSON.parse(
      readFileSync(join(root, 'schemas', 'config.schema.json'), 'utf8'),
    ) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        '$schema',
        'attestations',
        'concurrency',
        'failOn',
        'format',
        'memberConcurrency',
        'memberRole',
        'out',
        'plugins',
        'principal',
        'rules',
        'schemaVersion',
        'waivers',
      ].sort(),
    );
    expect(validateSchema('config', { rules: ['a'], failOn: 'warning' }).ok).toBe(true);
  });
});
