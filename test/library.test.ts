/** The package entry point evaluates a snapshot the way the CLI does. */
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import {
  evaluateSnapshot,
  exitCodeFor,
  loadGateConfig,
  loadSnapshotFile,
  renderMarkdown,
} from '../src/index.js';

it('library API: load, evaluate, exit code, render', async () => {
  const demo = join(import.meta.dirname, '..', 'examples', 'demo');
  const config = await loadGateConfig({ attestationsFile: join(demo, 'attestations.json') });
  const { snapshot, sha256 } = await loadSnapshotFile(join(demo, 'snapshot.json'));
  const report = await evaluateSnapshot(snapshot, sha256, config);
  expect(report.summary.accounts).toBe(snapshot.accounts.length);
  expect(report.rules?.map((r) => r.id)).toContain('scp-allows-leave');
  expect(exitCodeFor(report)).toBe(1);
  expect(renderMarkdown(report)).toContain('blocked');
});
