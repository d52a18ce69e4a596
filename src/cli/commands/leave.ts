/** `leavegate leave`: Leave the organization: fresh collect, gate, confirm, LeaveOrganization. */
import type { Command } from '../context.js';
import { executorInputs, executorIo, executorOptions, type ExecutorArgs } from '../executor.js';

export const leaveCommand: Command = (y, { io, argv, settings, run }) =>
  y.command(
    'leave',
    'Leave the organization: fresh collect, gate, confirm, LeaveOrganization',
    (y) =>
      executorOptions(
        y,
        'Account that leaves (repeatable: one after another, at most 5 per second)',
      ),
    (args) =>
      run(async () => {
        const options = executorInputs(
          'leave',
          args as unknown as ExecutorArgs,
          io,
          argv,
          {},
          settings.file,
        );
        const { runLeave } = await import('../../execute/index.js');
        return runLeave(options, executorIo(io));
      }),
  );
