// Compact error codes of the spintrain engine. Setup functions return 0 (OK) or one of these
// negative codes; the step functions never fail once the plan is placed (everything is validated
// once, at setup), and trap before it is (ERR_NOT_PLACED's case: plan.ts, requirePlaced).
// host/engine/errors.ts maps each code to a message.

@inline export const OK: i32 = 0;
/** Layer count outside 3..6 (input, 1 to 4 hidden layers, output). */
@inline export const ERR_LAYER_COUNT: i32 = -1;
/** A layer width outside 1..MAX_WIDTH. */
@inline export const ERR_LAYER_WIDTH: i32 = -2;
/** Unknown activation, output, algorithm or bit-source id. */
@inline export const ERR_CONFIG: i32 = -3;
/** The memory plan does not fit the linear memory from the given base. */
@inline export const ERR_MEMORY: i32 = -4;
/** A call that needs a placed memory plan came before scheduleTrainingMemory. */
@inline export const ERR_NOT_PLACED: i32 = -5;
/** Layer index out of range. */
@inline export const ERR_LAYER_INDEX: i32 = -6;
/** trainEpochU8 (except for bp) or evaluateU8 (pair) cannot run while the host fills the draw buffer (source 2). */
@inline export const ERR_SOURCE: i32 = -7;
/** Base address not 8-byte aligned or inside the module's static data. */
@inline export const ERR_BASE: i32 = -8;
/** Deep module (graph.ts): a node's output would be empty or too large, or a skip joins tensors of different sizes. */
@inline export const ERR_SHAPE: i32 = -9;
