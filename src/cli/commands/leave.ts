/** `leavegate leave`: Leave the organization: fresh collect, gate, confirm, LeaveOrganization. */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { UsageError } from '../../errors.js';
import { accountIds } from '../args.js';
import type { Command } from '../context.js';
import { checkInputs, gateOptions, type GateArgs } from '../options.js';

export const leaveCommand: Command = (y, { io, argv, run }) =>
  y.command(
    'leave',
    'Leave the organization: fresh collect, gate, confirm, LeaveOrganization',
    (y) =>
      gateOptions(y)
        .option('account', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'Account that leaves (repeatable: one after another, at most 5 per second)',
        })
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'Do everything except the call',
        })
        .option('yes', {
          type: 'boolean',
          default: false,
          describe: 'Confirm without a prompt (required without a terminal)',
        })
        .option('keep-going', {
          type: 'boolean',
          default: false,
          describe: 'With several accounts, continue after a failure',
        })
        .option('out', {
          type: 'string',
          default: 'reports',
          describe: 'Output directory (report, tags export)',
        })
        .option('audit-log', {
          type: 'string',
          describe: 'Audit log, JSON lines (default <out>/audit.jsonl)',
        }),
    (args) =>
      run(async () => {
        const a = args as unknown as GateArgs & {
          account: unknown;
          'dry-run': boolean;
          yes: boolean;
          'keep-going': boolean;
          out: string;
          'audit-log'?: string;
        };
        // The clock of an irreversible call is the real clock: refused before any AWS call.
        if (a.now !== undefined)
          throw new UsageError(
            '--now: leave evaluates on the real clock (an irreversible call cannot be decided on a what-if time); use "check --now" for what-if analysis',
          );
        const { now: _now, cwd: _cwd, memberRole: _role, ...inputs } = checkInputs(a, io, argv);
        const { runLeave } = await import('../../execute/index.js');
        return runLeave(
          {
            accounts: accountIds(a.account),
            dryRun: a['dry-run'],
            yes: a.yes,
            keepGoing: a['keep-going'],
            outDir: resolve(io.cwd, a.out),
            ...(a['audit-log'] !== undefined && { auditLog: resolve(io.cwd, a['audit-log']) }),
            gate: inputs,
            memberRole: a['member-role'],
            ...(a['external-id'] !== undefined && { externalId: a['external-id'] }),
            ...(a.profile !== undefined && { profile: a.profile }),
            ...(a.region !== undefined && { region: a.region }),
            cwd: io.cwd,
          },
          {
            stdout: io.stdout,
            stderr: io.stderr,
            isTTY: process.stdin.isTTY === true && io.stdout.isTTY === true,
            prompt: async (question) => {
              const rl = createInterface({ input: process.stdin, output: process.stdout });
              try {
                return await rl.question(question);
              } finally {
                rl.close();
              }
            },
          },
        );
      }),
  );
