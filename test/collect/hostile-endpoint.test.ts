/**
 * Collection against endpoints that misbehave: one that never answers, one
 * that pages forever. Neither may hang the run; both end as errors.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { allPages } from '../../src/collect/errors.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'leavegate.js');

describe('pagination that never ends', () => {
  it('a NextToken returned twice is an error, not an endless loop', async () => {
    // eslint-disable-next-line @typescript-eslint/require-await -- a stand-in paginator
    async function* pages() {
      for (let i = 0; i < 1_000_000; i++) yield { Items: [i], NextToken: i < 3 ? `t${i}` : 't1' };
    }
    await expect(allPages(pages(), (p) => p.Items)).rejects.toThrow(
      /NextToken it had already returned/,
    );
  });

  it('distinct tokens forever stop at the page limit', async () => {
    // eslint-disable-next-line @typescript-eslint/require-await -- a stand-in paginator
    async function* pages() {
      for (let i = 0; ; i++) yield { Items: [i], NextToken: `t${i}` };
    }
    await expect(allPages(pages(), (p) => p.Items)).rejects.toThrow(/more than 10000 pages/);
  });
});

describe('an endpoint that accepts and never answers', () => {
  let server: Server;
  beforeAll(async () => {
    server = createServer(() => {
      // never answer
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('collect ends with exit 2 within the request timeouts and says what failed', async () => {
    const { port } = server.address() as AddressInfo;
    const started = Date.now();
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, 'collect', '--all', '--out', '/tmp/leavegate-hang.json', '--quiet'],
        {
          env: {
            ...process.env,
            AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
            AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
            AWS_SECRET_ACCESS_KEY: 'test-secret-that-is-long-enough',
            AWS_REGION: 'us-east-1',
            LEAVEGATE_REQUEST_TIMEOUT_MS: '300',
            AWS_MAX_ATTEMPTS: '1',
          },
          timeout: 60_000,
        },
        (err, _stdout, stderr) =>
          resolve({
            code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1,
            stderr,
          }),
      );
    });
    expect(r.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(r.stderr).toMatch(/leavegate: error/);
  }, 60_000);
});
