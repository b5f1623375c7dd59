/** A reference (training) sample from which no feature profile can be built; the message says why. */
export class InvalidReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidReferenceError';
  }
}
