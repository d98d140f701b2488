/** A short description of the machine a benchmark ran on, for the JSON reports. */
import os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started (a busy machine gives noisy timings). */
  loadAverage1m: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage1m: os.loadavg()[0],
  };
}
