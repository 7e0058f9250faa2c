/**
 * Colour for terminals, plain text for pipes and files (and when NO_COLOR is set, per
 * no-color.org). Decided once per output stream by the entry point.
 */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const wrap = (enabled: boolean, open: number, close: number) => (text: string) => (enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text);

export function createStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    green: wrap(enabled, 32, 39),
    red: wrap(enabled, 31, 39),
    yellow: wrap(enabled, 33, 39),
    cyan: wrap(enabled, 36, 39),
  };
}

/** Colour of an AMI state, as the console shows it. */
export function stateColour(style: Style, state: string): string {
  if (state === 'available') return style.green(state);
  if (state === 'failed' || state === 'error' || state === 'invalid') return style.red(state);
  if (state === 'pending' || state === 'transient') return style.yellow(state);
  return style.dim(state);
}
