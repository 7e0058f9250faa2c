import type { CliContext } from './context.js';

/**
 * A status line that redraws in place on a terminal (spinner + elapsed time) and, when piped,
 * prints only when the text changes, so logs stay short.
 */
export class Progress {
  private frame = 0;
  private last = '';
  private drawn = false;
  private readonly started = Date.now();

  constructor(private readonly ctx: CliContext) {}

  update(text: string): void {
    if (this.ctx.tty) {
      const spinner = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'[this.frame++ % 10];
      this.ctx.out.write(`\r\x1b[2K${spinner} ${text} ${this.ctx.style.dim(`${((Date.now() - this.started) / 1000).toFixed(1)}s`)}`);
      this.drawn = true;
    } else if (text !== this.last) {
      this.ctx.out.write(`${text}\n`);
    }
    this.last = text;
  }

  /** Ends the line with a final text (always printed). */
  done(text: string): void {
    if (this.drawn) this.ctx.out.write('\r\x1b[2K');
    this.ctx.out.write(`${text}\n`);
    this.drawn = false;
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
