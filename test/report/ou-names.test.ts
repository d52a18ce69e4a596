/** The report carries the OU names its human formats show beside ouPath's ids. */
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { evaluateSnapshot, loadGateConfig } from '../../src/check.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { loadSnapshotFile } from '../../src/snapshot/load.js';

it('evaluating the demo snapshot records every OU by id and name; HTML and Markdown show the names', async () => {
  const demo = join(import.meta.dirname, '..', '..', 'examples', 'demo');
  const config = await loadGateConfig({ attestationsFile: join(demo, 'attestations.json') });
  const { snapshot, sha256 } = await loadSnapshotFile(join(demo, 'snapshot.json'));
  const report = await evaluateSnapshot(snapshot, sha256, config);
  const ous = snapshot.organizationalUnits ?? [];
  expect(ous.length).toBeGreaterThan(0);
  expect(report.organizationalUnits).toEqual(ous.map((ou) => ({ id: ou.id, name: ou.name })));
  // Still a valid Report v1.
  expect(() => renderJson(report)).not.toThrow();
  const problem = report.accounts.find(
    (a) => a.verdict !== 'ready' && (a.ouPath ?? []).length > 1,
  )!;
  const ou = ous.find((o) => o.id === problem.ouPath!.at(-1))!;
  expect(renderHtml(report)).toContain(`<span class="ou">${ou.name} <code>${ou.id}</code></span>`);
  expect(renderMarkdown(report)).toContain(`${ou.name} (${ou.id})`);
});
