/**
 * A calibration file straight from an emulated board's circuit physics (each junction's logistic bridge),
 * as a perfect sweep would give: for tests about what happens after calibration, without spending
 * emulated board time on the sweep itself.
 */
import type { Calibration } from '../../host/device/calibration.ts';
import type { EmulatedUno } from '../harness/uno/emulated-uno.ts';

export function physicsCalibration(hil: EmulatedUno, seed: number): Calibration {
  const sim = hil.circuit.sim;
  return {
    schema: 'spintrain.mtj-calibration',
    schemaVersion: 1,
    boardId: hil.profile.id,
    createdAt: new Date(0).toISOString(),
    pulseWidthS: hil.profile.mtj!.pulse.widthS,
    seed,
    devices: sim.params.map((_, device) => ({ device, ...sim.logisticBridge(device), maxAbsError: 0, fitCoverage: 1, pairCoverage: 1, pairMaxAbsError: 0, points: [] })),
  };
}
