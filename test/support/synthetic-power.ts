/**
 * A synthetic power measurement for report and run-directory tests: `samples` training samples of
 * 30 ms forward at 150 mW then 40 ms backward at 250 mW (5 V bus), INA219 readings every 10.2 ms.
 */
import type { MeasuredTraining } from '../../host/power/measured-training.ts';
import { measurePhaseEnergy } from '../../host/power/phase-energy.ts';
import type { MarkerEvent } from '../../host/power/phase-marker.ts';
import { PowerTrace } from '../../host/power/power-trace.ts';

export function syntheticMeasurement(
  samples: number,
  run: Pick<MeasuredTraining, 'ops' | 'config' | 'dataset' | 'trainAccuracy' | 'testAccuracy'>,
): MeasuredTraining {
  const markers: MarkerEvent[] = [{ tS: 0.1, phase: 'sync', sample: -1, level: 1 }];
  let t = 0.12;
  for (let k = 0; k < samples; k++) {
    markers.push({ tS: t, phase: 'forward', sample: k, level: 0 }, { tS: t + 0.03, phase: 'backward', sample: k, level: 1 });
    t += 0.07;
  }
  markers.push({ tS: t, phase: 'end', sample: -1, level: 0 });
  const level = (x: number) => markers.filter((m) => m.tS <= x).pop()?.level ?? 0;
  const trace = new PowerTrace();
  for (let x = 0; x < t + 0.05; x += 0.0102) {
    const i = 0.03 + 0.02 * level(x);
    trace.push({ tS: x, busV: 5, currentA: i, powerW: 5 * i });
  }
  const sensor = { kind: 'ina219' as const, address: 0x40, shuntOhm: 0.1, config: 0x0667, calibration: 4096, currentLsbA: 1e-4, conversionS: 0.00851, samplingMs: 10, stampOffsetS: 0.0104 };
  return {
    port: '/dev/ttyACM0', boardId: 'arduino-uno', markerPin: 7, sensor, trace, markers,
    measured: measurePhaseEnergy(trace, markers, 0.0005), samples, ...run,
  };
}
