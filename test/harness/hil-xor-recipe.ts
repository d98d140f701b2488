/**
 * The recipe for training XOR with p-GAF-BP through a Firmata MTJ board (the paper trained XOR on
 * hardware), sized for the emulated Uno: every draw goes host → johnny-five → StandardFirmata → junction.
 *
 * Cost through the Uno profile: a new write current needs 90 ms of RC settling, then ~10 ms per round
 * of 4 parallel pulses; 4 hidden neurons on the 4 junctions × 2 draws = 2 rounds per sample, so ~100 ms
 * of board time per sample. Hence a 4-wide tanh layer, large learning rates with momentum 0.5, no decay and a
 * probability floor of 0.3 (p within [0.3, 0.7]: kept fraction ≥ 0.21 even when a neuron saturates, at the price
 * of a flatter σ′): XOR in tens of epochs instead of thousands. With the module's generator 18 of seeds 1–32
 * reach 100 % within 30 epochs (mean 18); the rest stall at 50–75 %, so callers restart with the next seed.
 *
 * Every setting that matters is given here, so the recipe does not depend on `spintrain train`'s defaults.
 * The README's `spintrain train --dataset xor --device <port> --calibration cal.json` uses those defaults
 * instead (host/commands/train-defaults.ts: 2-4-2 sigmoid/softmax, lr 0.3, no decay, 1000 epochs): slower
 * (about 385 s of Uno board time) but with no restarts.
 */
import type { CalibrationOptions } from '../../host/device/calibration.ts';

/** `spintrain train` arguments of the run (add --device, --calibration, --seed, --epochs). */
export const HIL_XOR_TRAIN_ARGS: readonly string[] = [
  '--dataset', 'xor',
  '--hidden', '4',
  '--activation', 'tanh',
  '--output', 'softmax',
  '--algo', 'pgaf',
  '--lr', '4,1',
  '--momentum', '0.5',
  '--decay', '0',
  '--p-floor', '0.3',
];

/**
 * A short calibration sweep: 17 coarse points × 8 draws locate each junction's transition, 9 fine points
 * × 24 draws over its 2 %…98 % span fit σ(k (I − I50)). About 5 s of board time for the 4 junctions
 * (the full default sweep, 33 × 16 + 21 × 200 rounds, takes ~50 s); the fit is within a few µA of the physics.
 */
export const HIL_CALIBRATION_SWEEP: Partial<CalibrationOptions> = { coarsePoints: 17, coarseDraws: 8, finePoints: 9, fineDraws: 24 };
