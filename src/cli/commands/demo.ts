/** `leavegate demo`: Evaluate the bundled demo organization (no AWS needed). */
import { join } from 'node:path';
import { packageRoot } from '../../paths.js';
import { parseFormats, parseOutput, redactArgv } from '../args.js';
import type { Command } from '../context.js';
import { FORMAT_NAMES } from '../formats.js';

export const demoCommand: Command = (y, { io, argv, run }) =>
  y.command(
    'demo',
    'Evaluate the bundled demo organization (no AWS needed)',
    (y) =>
      y
        .option('out', {
          type: 'string',
          default: 'reports',
          describe: 'Output directory; - writes the one --format to stdout',
        })
        .option('format', {
          type: 'string',
          describe: `Report formats (default: all: ${FORMAT_NAMES.join(',')})`,
        }),
    (args) =>
      run(async () => {
        const output = parseOutput(
          args.out,
          parseFormats(args.format, args.out === '-' ? ['json'] : [...FORMAT_NAMES]),
          io.cwd,
        );
        const [{ evaluateSnapshot, loadGateConfig }, { loadSnapshotFile }, { writeAndSummarize }] =
          await Promise.all([
            import('../../check.js'),
            import('../../snapshot/load.js'),
            import('../run/summary.js'),
          ]);
        // With --out - stdout carries the document only: the chatter goes to stderr.
        const say = output.kind === 'stdout' ? io.stderr : io.stdout;
        const dir = join(packageRoot(), 'examples', 'demo');
        say.write(`leavegate demo: evaluating ${join(dir, 'snapshot.json')}\n`);
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
        await writeAndSummarize(report, output, io);
        say.write(
          'Open report.html in a browser. The demo exits 0; a real check exits 1 when an account is blocked.\n',
        );
        return 0;
      }),
  );
