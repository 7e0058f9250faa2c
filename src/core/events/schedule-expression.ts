import { Cron } from 'croner';
import type { ServiceError } from '../shared/service-error.js';
import { EventsErrors } from '../generated/errors.js';

/**
 * `rate(…)` and `cron(…)` as EventBridge reads them (eb-scheduled-rule-pattern):
 *  - rate(value unit): value a positive integer; unit minute|minutes|hour|hours|day|days, and AWS
 *    insists on the singular for 1 and the plural otherwise;
 *  - cron(Minutes Hours Day-of-month Month Day-of-week Year), UTC, exactly one of the two day
 *    fields is `?`, day-of-week 1-7 = SUN-SAT (croner counts 0-6), Year 1970-2199.
 * Anything else: ValidationException "Parameter ScheduleExpression is not valid.".
 */
export interface Schedule {
  /** The first firing time strictly after `after` (ms), or null if it never fires again. */
  next(after: number): number | null;
}

export const invalidSchedule = (): ServiceError => EventsErrors.ValidationException('Parameter ScheduleExpression is not valid.');

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseSchedule(expression: string): Schedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) return parseRate(Number(rate[1]), rate[2]!);
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return parseCron(cron[1]!.trim());
  throw invalidSchedule();
}

function parseRate(value: number, unit: string): Schedule {
  const singular = !unit.endsWith('s');
  if (value < 1 || !Number.isSafeInteger(value) || (value === 1) !== singular) throw invalidSchedule();
  const period = value * UNIT_MS[singular ? unit : unit.slice(0, -1)]!;
  // A rate schedule counts from the minute the rule was created; amiwatch counts from the epoch,
  // which keeps the schedule stable across restarts (the period and spacing are AWS's).
  return { next: (after) => (Math.floor(after / period) + 1) * period };
}

const MAX = [59, 23, 31, 12, 7];

function parseCron(body: string): Schedule {
  const fields = body.split(/\s+/);
  if (fields.length !== 6) throw invalidSchedule();
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw invalidSchedule();
  const years = parseYears(year);
  const converted = [min, hour, dom, month, dow].map((f, i) => expandStartStep(f, MAX[i]!));
  converted[4] = shiftDayOfWeek(converted[4]!);
  let cron: Cron;
  try {
    cron = new Cron(`0 ${converted.join(' ')}`, { paused: true, timezone: 'UTC' });
  } catch {
    throw invalidSchedule();
  }
  return {
    next(after) {
      let from = new Date(after);
      for (let guard = 0; guard < 500; guard++) {
        const at = cron.nextRun(from);
        if (!at) return null;
        const y = at.getUTCFullYear();
        if (y > 2199) return null;
        if (years(y)) return at.getTime();
        from = new Date(Date.UTC(y + 1, 0, 1) - 1);
      }
      return null;
    },
  };
}

/** AWS writes `0/5` (start/step); croner wants `0-59/5`. */
function expandStartStep(field: string, max: number): string {
  return field.replace(/(^|,)(\d+)\/(\d+)/g, (_m, sep: string, start: string, step: string) => `${sep}${start}-${max}/${step}`);
}

/** AWS day-of-week numbers are 1-7 = SUN-SAT; croner's are 0-6. `#n` suffixes are not days. */
function shiftDayOfWeek(field: string): string {
  if (field === '?' || field === '*') return field;
  return field.replace(/(^|[,\-])(\d+)/g, (_m, sep: string, n: string) => {
    const day = Number(n);
    if (day < 1 || day > 7) throw invalidSchedule();
    return `${sep}${day - 1}`;
  });
}

function parseYears(field: string): (year: number) => boolean {
  if (field === '*' || field === '?') return () => true;
  const parts = field.split(',').map((p) => {
    const m = /^(\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(p);
    if (!m) throw invalidSchedule();
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : m[3] ? 2199 : from;
    const step = m[3] ? Number(m[3]) : 1;
    if (from < 1970 || to > 2199 || from > to || step < 1) throw invalidSchedule();
    return (y: number) => y >= from && y <= to && (y - from) % step === 0;
  });
  return (y) => parts.some((p) => p(y));
}
