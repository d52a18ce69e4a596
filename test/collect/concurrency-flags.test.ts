/**
 * --concurrency and --member-concurrency: a value that is not an integer from
 * 1 to 64 exits 2 with a usage error naming the flag and what it got, before any
 * AWS call (the built CLI against a loopback endpoint that counts requests).
 */
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cliEnv, runCli } from '../harness/cli.js';

let requests = 0;
let server: ReturnType<typeof createServer>;
let env: NodeJS.ProcessEnv;
let home: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(500);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  home = mkdtempSync(join(tmpdir(), 'leavegate-flags-'));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  env = cliEnv(url, { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }, home);
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(home, { recursive: true, force: true });
});

describe('call limit flags', () => {
  test.each([
    ['check', '--member-concurrency', '0', '0'],
    ['check', '--member-concurrency', '65', '65'],
    ['check', '--member-concurrency', '2.5', '2.5'],
    ['check', '--member-concurrency', 'many', 'not a number'],
    ['collect', '--member-concurrency', '-3', '-3'],
    ['check', '--concurrency', '0', '0'],
    ['collect', '--concurrency', '100', '100'],
  ])('%s %s %s exits 2 naming the flag, before any AWS call', async (command, flag, value, got) => {
    const out = command === 'collect' ? ['--out', join(home, 'snapshot.json')] : [];
    const before = requests;
    const r = await runCli([command, '--all', flag, value, ...out], env);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      `leavegate: error [usage] ${flag} must be an integer from 1 to 64 (got ${got})`,
    );
    expect(requests).toBe(before);
  });

  test('--help lists both limits', async () => {
    const r = await runCli(['check', '--help'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--concurrency\s+Management-side calls in flight/);
    expect(r.stdout).toMatch(/--member-concurrency\s+Member-side calls in flight/);
  });
});
