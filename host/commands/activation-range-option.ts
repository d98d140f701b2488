/**
 * `--activation-range kMin,kMax,cMin,cMax` of `spintrain train --trainable-activation`: the box training
 * clamps each hidden neuron's slope k and shift c into (NetworkConfig.activationRange). Without the
 * option the device's own range applies:
 *   a serial port → the board profile's optional `activationRange` (--board, default uno); none if it has none;
 *   sim           → the simulated SOT-MTJ array's box (host/device/activation-range.ts);
 *   prng          → none (no device).
 */
import type { ActivationRange } from '../engine/config.ts';
import { simActivationRange } from '../device/activation-range.ts';
import { CliError, numberListOption } from './errors.ts';
import type { DeviceSpec } from './device-option.ts';

export const ACTIVATION_RANGE_USAGE = `  --activation-range kMin,kMax,cMin,cMax   with --trainable-activation: clamp k and c into this box
                             (default: the device's: a port's board profile activationRange, if it has one;
                             sim: the simulated array's k ∈ [0.8, 1.2], c ∈ [−3.07, 2.04]; prng: none)`;

/** A range and where it came from (for the run's log). */
export interface ChosenActivationRange {
  range: ActivationRange;
  from: string;
}

/** Parses kMin,kMax,cMin,cMax: four numbers in −127..127, kMin ≤ kMax, cMin ≤ cMax. */
export function parseActivationRange(raw: string): ActivationRange {
  const option = '--activation-range';
  const parts = raw.split(',');
  if (parts.length !== 4) throw new CliError(option, `expected 4 numbers kMin,kMax,cMin,cMax, got ${parts.length} ("${raw}")`);
  const [kMin, kMax, cMin, cMax] = numberListOption(option, raw, -127, 127);
  if (kMin > kMax) throw new CliError(option, `expected kMin ≤ kMax, got kMin ${kMin} > kMax ${kMax}`);
  if (cMin > cMax) throw new CliError(option, `expected cMin ≤ cMax, got cMin ${cMin} > cMax ${cMax}`);
  return { kMin, kMax, cMin, cMax };
}

/** The range a device realises, if it declares one. */
export function deviceActivationRange(device: DeviceSpec): ChosenActivationRange | undefined {
  if (device.kind === 'sim') return { range: simActivationRange(), from: 'the simulated MTJ array' };
  if (device.kind === 'port' && device.board.activationRange) return { range: { ...device.board.activationRange }, from: `board profile ${device.board.id}` };
  return undefined;
}

/** The explicit option wins; otherwise the device's range, for a trainable activation only. */
export function chooseActivationRange(raw: string | undefined, trainable: boolean, device: DeviceSpec): ChosenActivationRange | undefined {
  if (raw !== undefined) {
    if (!trainable) throw new CliError('--activation-range', 'only applies with --trainable-activation');
    return { range: parseActivationRange(raw), from: '--activation-range' };
  }
  return trainable ? deviceActivationRange(device) : undefined;
}
