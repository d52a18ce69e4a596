/**
 * What a gate is asked about (DESIGN §8): leaving, or a direct transfer with
 * its target; checked when the gate is configured and written into the report.
 */
import { InputError } from './errors.js';
import type { TransferTarget } from './facts/types.js';
import type { ReportMode } from './report/types.js';
import type { GateMode } from './rules/load.js';

/** The transfer target a `transfer` gate needs (and a `leave` gate must not have). */
export function transferTarget(
  mode: GateMode,
  target: TransferTarget | undefined,
): TransferTarget | undefined {
  const given = target?.targetOrganizationId !== undefined || target?.handshakeId !== undefined;
  if (mode === 'transfer' && !given)
    throw new InputError('config.invalid', [
      { path: '', message: 'a transfer check needs the target organization (--transfer-to o-...)' },
    ]);
  if (mode === 'leave' && given)
    throw new InputError('config.invalid', [
      { path: '', message: 'a transfer target was given to a leave check' },
    ]);
  return mode === 'transfer' ? target : undefined;
}

/** The report's `mode` for a transfer (absent for leave). */
export function reportMode(
  mode: GateMode,
  transfer: TransferTarget | undefined,
): ReportMode | undefined {
  if (mode !== 'transfer') return undefined;
  const t = transfer ?? {};
  return {
    kind: 'transfer',
    ...(t.targetOrganizationId !== undefined && { targetOrganizationId: t.targetOrganizationId }),
    ...(t.handshakeId !== undefined && { handshakeId: t.handshakeId }),
  };
}
