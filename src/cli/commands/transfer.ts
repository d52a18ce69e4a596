/**
 * `leavegate transfer`: Move the account directly into another organization
 * (DESIGN §8): fresh collect, gate (the invitation must be the one named),
 * confirm, AcceptHandshake as the member.
 */
import { parseHandshakeId, parseOrganizationId } from '../args.js';
import type { Command } from '../context.js';
import { executorInputs, executorIo, executorOptions, type ExecutorArgs } from '../executor.js';

export const transferCommand: Command = (y, { io, argv, settings, run }) =>
  y.command(
    'transfer',
    'Move to another organization: fresh collect, gate, confirm, AcceptHandshake of its invitation',
    (y) =>
      executorOptions(y, 'Account that moves (repeatable: one after another)')
        .option('handshake', {
          type: 'string',
          demandOption: true,
          describe: 'The open invitation to accept (h-...; check --transfer-to names it)',
        })
        .option('transfer-to', {
          type: 'string',
          describe: 'The target organization (o-...): the handshake must come from it',
        })
        .example(
          '$0 transfer --account 222222222222 --handshake h-abcdef1234 --dry-run',
          'everything but the call',
        ),
    (args) =>
      run(async () => {
        const a = args as unknown as ExecutorArgs & { handshake: unknown; 'transfer-to'?: unknown };
        const target = parseOrganizationId('--transfer-to', a['transfer-to']);
        const options = executorInputs(
          'transfer',
          a,
          io,
          argv,
          {
            mode: 'transfer',
            transfer: {
              handshakeId: parseHandshakeId(a.handshake),
              ...(target !== undefined && { targetOrganizationId: target }),
            },
          },
          settings.file,
        );
        const { runTransfer } = await import('../../execute/index.js');
        return runTransfer(options, executorIo(io));
      }),
  );
