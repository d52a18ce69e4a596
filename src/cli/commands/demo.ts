/** `leavegate demo`: Evaluate the bundled demo organization (no AWS needed). */
import { join, resolve } from 'node:path';
import { evaluateSnapshot, loadGateConfig } from '../../check.js';
import { packageRoot } from '../../paths.js';
import { REPORT_FORMATS } from '../../report/write.js';
import { loadSnapshotFile } from '../../snapshot/load.js';
import { parseFormats, redactArgv } from '../args.js';
import type { Command } from '../context.js';
import { writeAndSummarize } from './check.js';

export const demoCommand: Command = (y, { io, argv, run }) =>
  y.command(
    'demo',
    'Evaluate the bundled demo organization (no AWS needed)',
    (y) =>
      y
        .option('out', { type: 'string', default: 'reports', describe: 'Output directory' })
        .option('format', {
          type: 'string',
          describe: `Report formats (default: all: ${REPORT_FORMATS.join(',')})`,
        }),
    (args) =>
      run(async () => {
        const dir = join(packageRoot(), 'examples', 'demo');
        io.stdout.write(`leavegate demo: evaluating ${join(dir, 'snapshot.json')}\n`);
        const config = await loadGateConfig({
          attestationsFile: join(dir, 'attestations.json'),
          commandLine: redactArgv(argv),
          // The bundled snapshot is a fixed example: its age says nothing.
          maxSnapshotAgeMs: Number.POSITIVE_INFINITY,
          cwd: io.cwd,
        });
        const { snapshot, sha256, warnings } = await loadSnapshotFile(join(dir, 'snapshot.json'));
        config.warnings.push(...warnings);
        const report = await evaluateSnapshot(snapshot, sha256, config, join(dir, 'snapshot.json'));
        await writeAndSummarize(
          report,
          parseFormats(args.format, [...REPORT_FORMATS]),
          resolve(io.cwd, args.out),
          io,
        );
        io.stdout.write(
          'Open report.html in a browser. The demo exits 0; a real check exits 1 when an account is blocked.\n',
        );
        return 0;
      }),
  );
