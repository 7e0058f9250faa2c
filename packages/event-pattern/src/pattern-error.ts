/**
 * An invalid event pattern. `message` is exactly the reason EventBridge gives after
 * `Event pattern is not valid. Reason: ` in its InvalidEventPatternException.
 */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}
