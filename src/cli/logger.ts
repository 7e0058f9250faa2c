import type { Writable } from 'node:stream';
import type { LogLevel } from '../server/config.js';
import { logLevels } from '../server/config.js';

/** The server's log: levels, and text for people or one JSON object per line for collectors. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(options: { level: LogLevel; format: 'text' | 'json'; out: Writable; now?: () => Date }): Logger {
  const threshold = logLevels.indexOf(options.level);
  const now = options.now ?? (() => new Date());
  const write =
    (level: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (logLevels.indexOf(level) < threshold) return;
      if (options.format === 'json') {
        options.out.write(`${JSON.stringify({ time: now().toISOString(), level, msg, ...fields })}\n`);
        return;
      }
      const extra = Object.entries(fields)
        .map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join('');
      options.out.write(`${level === 'info' ? '' : `${level}: `}${msg}${extra}\n`);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
