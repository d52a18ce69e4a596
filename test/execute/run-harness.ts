/** An executor run in-process: the real gate and report writer, fake collection and AWS port. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { evaluateSnapshot, loadGateConfig } from '../../src/check.js';
import type { CollectOptions } from '../../src/collect/index.js';
import type { LeaveDeps, LeaveOptions } from '../../src/execute/index.js';
import { writeReports } from '../../src/report/index.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { demoSnapshot, fakePort } from './helpers.js';
import type { FakeAccount, FakePort } from './helpers.js';

export interface Harness {
  deps: LeaveDeps;
  port: FakePort;
  collects: CollectOptions[];
  portCreated: () => boolean;
  options: LeaveOptions;
  auditFile: string;
  outDir: string;
  audit: () => Record<string, unknown>[];
}

/** Harnesses in a temporary directory removed after the file's tests; `gate` is the default gate input. */
export function runHarness(prefix: string, gate: LeaveOptions['gate']) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;

  function harness(
    accounts: string[],
    opts: {
      fake?: Record<string, FakeAccount>;
      /** Snapshots returned by successive collect calls (default: the demo every time). */
      snapshots?: ((s: Snapshot) => void)[];
      options?: Partial<LeaveOptions>;
    } = {},
  ): Harness {
    const dir = join(root, `run-${++n}`);
    const outDir = join(dir, 'out');
    const auditFile = join(dir, 'audit', 'audit.jsonl');
    const port = fakePort(opts.fake ?? {});
    const collects: CollectOptions[] = [];
    let created = false;
    const deps: LeaveDeps = {
      loadGateConfig,
      evaluateSnapshot,
      writeReports,
      collect: (o) => {
        collects.push(o);
        const s = demoSnapshot();
        opts.snapshots?.[collects.length - 1]?.(s);
        // A scoped collection holds only the requested accounts.
        const ids = 'accounts' in o.scope ? o.scope.accounts : [];
        s.accounts = s.accounts.filter((a) => ids.includes(a.id));
        const known = new Set([s.rootId, ...s.organizationalUnits!.map((o) => o.id), ...ids]);
        for (const p of s.policies!) p.targets = p.targets.filter((t) => known.has(t));
        s.delegatedAdministrators = s.delegatedAdministrators!.filter((d) =>
          ids.includes(d.accountId),
        );
        s.errors = s.errors.filter((e) => e.accountId === undefined || ids.includes(e.accountId));
        return Promise.resolve(s);
      },
      createPort: () => {
        created = true;
        return port;
      },
      verify: { attempts: 2, delayMs: 10 },
    };
    return {
      deps,
      port,
      collects,
      portCreated: () => created,
      outDir,
      auditFile,
      options: {
        accounts,
        outDir,
        auditLog: auditFile,
        ...(gate !== undefined && { gate }),
        ...opts.options,
      },
      audit: () =>
        existsSync(auditFile)
          ? readFileSync(auditFile, 'utf8')
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l) as Record<string, unknown>)
          : [],
    };
  }

  return { harness };
}
