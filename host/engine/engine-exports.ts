/** The release module's exports, as the host calls them (assembly/index.ts documents each). */
export interface EngineExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  layoutSet(k: number, n: number): number;
  configure(layers: number, act: number, out: number, algo: number, source: number, flags: number, momentumQ16: number, pairsLog2: number): number;
  sizeofTrainingMemory(): number;
  scheduleTrainingMemory(base: number): number;
  setLearningRate(l: number, lrQ16: number): number;
  setDecay(dQ16: number): void;
  setEpoch(e: number): void;
  setProbabilityFloor(epsQ16: number): number;
  setDeltaClip(cQ24: number): number;
  rngSeed(seed: number): void;
  rngNext(): number;
  initWeights(seed: number): number;
  regionPtr(region: number, k: number): number;
  countersPtr(): number;
  inputU8(ptr: number): void;
  trainForward(): number;
  trainBackward(label: number): void;
  trainStep(label: number): number;
  predict(): number;
  trainEpochU8(x: number, y: number, order: number, count: number): number;
  evaluateU8(x: number, y: number, count: number): number;
  forwardLayer(l: number): number;
  setActivationRange(kMin: number, kMax: number, cMin: number, cMax: number): number;
  setPairStep(dzQ16: number): number;
  setTemperature(invTQ16: number): number;
  /** Narrow-weight builds only (assembly/narrow.ts): bits per stored weight (16, 8) and their fraction bits. */
  weightBits?(): number;
  weightFracBits?(): number;
}
