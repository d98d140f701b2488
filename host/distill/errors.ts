/** A distillation setup that cannot work (teacher and student disagree, bad temperature or weight). */
export class DistillationError extends Error {
  constructor(message: string) {
    super(`distillation: ${message}`);
    this.name = 'DistillationError';
  }
}
