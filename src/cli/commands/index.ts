/** The commands, in the order `--help` lists them: one line each. */
import type { Command } from '../context.js';
import { checkCommand } from './check.js';
import { collectCommand } from './collect.js';
import { compareCommand } from './compare.js';
import { demoCommand } from './demo.js';
import { leaveCommand } from './leave.js';
import { reportCommand } from './report.js';
import { rulesCommand } from './rules.js';
import { transferCommand } from './transfer.js';

export const COMMANDS: readonly Command[] = [
  checkCommand,
  collectCommand,
  leaveCommand,
  transferCommand,
  rulesCommand,
  reportCommand,
  compareCommand,
  demoCommand,
];
