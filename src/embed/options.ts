import { configOptionTable, ConfigError, type FlagValues } from '../server/config.js';

/** `ami-duration` → `amiDuration`: the option names of `amiwatch start`, as JavaScript writes them. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

type TableEntry = (typeof configOptionTable)[number];

/** A switch (`--in-memory`) is a boolean; a flag with a value is a string, or a number where it reads as one. */
type OptionValue<E> = E extends { readonly value: string } ? (E extends { readonly numeric: true } ? number | string : string) : boolean;

/**
 * Every option of `amiwatch start`, derived from the same table that feeds `--help` and
 * docs/configuration.md (src/server/config.ts), so a new flag is an option here without a second
 * list: `--ami-duration 0s` is `{ amiDuration: '0s' }`, `--port 0` is `{ port: 0 }`.
 */
export type StartOptionsFromTable = { readonly [E in TableEntry as CamelCase<E['flag']>]?: OptionValue<E> };

export interface AmiwatchOptions extends StartOptionsFromTable {
  /**
   * A JSON or YAML file of buses, rules, topics, subscriptions, queues and functions to create
   * once the server answers (`amiwatch start --init`).
   */
  readonly init?: string;
  /**
   * Where the server's log lines go, one call a line, as `amiwatch start` writes them (`logLevel`
   * — default `warn` here — and `logFormat`). Default: standard error. `false`: nowhere.
   */
  readonly log?: ((line: string) => void) | false;
}

/** Options that are not settings of the server itself. */
const ownOptions = new Set(['init', 'log']);

export const camelCase = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The embedded server's options as the flag values `amiwatch start` would have parsed. Defaults
 * differ from the command where a test wants them to: any free port, nothing on disk unless
 * `dataDir` is given, and only warnings in the log. Unknown names fail (a typo would otherwise be silently ignored).
 */
export function toFlagValues(options: AmiwatchOptions): FlagValues {
  const byName = new Map<string, TableEntry>(configOptionTable.map((o) => [camelCase(o.flag), o]));
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, value] of Object.entries(options)) {
    if (ownOptions.has(name) || value === undefined) continue;
    const option = byName.get(name);
    if (!option) throw new ConfigError(`unknown option ${name}; the options are ${[...byName.keys(), ...ownOptions].join(', ')}`);
    if (!('value' in option)) {
      if (typeof value !== 'boolean') throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(value)}`);
      values[option.flag] = value;
      continue;
    }
    const numeric = 'numeric' in option && option.numeric;
    if (typeof value !== 'string' && !(numeric && typeof value === 'number')) {
      throw new ConfigError(`${name} must be a ${numeric ? 'number or a ' : ''}string, got ${JSON.stringify(value)}`);
    }
    values[option.flag] = String(value);
  }
  values.port ??= '0';
  if (values['data-dir'] === undefined) values['in-memory'] ??= true;
  values['log-level'] ??= 'warn';
  return values;
}
