/** Errors of the energy model. */

/** An energy-table entry that cannot be used; `field` names it (e.g. "intMul32"). */
export class EnergyTableError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`energy table: ${field}: ${reason}`);
    this.name = 'EnergyTableError';
  }
}
