/* Export names, arities and result kinds of the spintrain ABI (assembly/index.ts). */
#include "st_engine.h"

const char *const st_export_names[ST_FN_COUNT] = {
  "heapBase", "layoutSet", "configure", "sizeofTrainingMemory", "scheduleTrainingMemory", "setLearningRate",
  "setDecay", "setEpoch", "setProbabilityFloor", "setDeltaClip", "initWeights", "rngSeed", "regionPtr", "inputU8", "trainStep", "predict", "setPairStep",
};
const uint8_t st_export_arity[ST_FN_COUNT] = { 0, 2, 8, 0, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 0, 1 };
const uint8_t st_export_has_result[ST_FN_COUNT] = { 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1 };
