import { RETENTION_DAYS } from '../../api/logs.js';

/** PutRetentionPolicy's values as AWS's console words them ("Never expire": no policy). */
const LABELS: Readonly<Record<number, string>> = {
  1: '1 day',
  3: '3 days',
  5: '5 days',
  7: '1 week',
  14: '2 weeks',
  30: '1 month',
  60: '2 months',
  90: '3 months',
  120: '4 months',
  150: '5 months',
  180: '6 months',
  365: '12 months',
  400: '13 months',
  545: '18 months',
  731: '2 years',
  1096: '3 years',
  1827: '5 years',
  2192: '6 years',
  2557: '7 years',
  2922: '8 years',
  3288: '9 years',
  3653: '10 years',
};

export const retentionLabel = (days: number | undefined): string =>
  days === undefined ? 'Never expire' : (LABELS[days] ?? `${days} days`);

/** A group's retention: choosing a value sends PutRetentionPolicy, "Never expire" DeleteRetentionPolicy. */
export function RetentionSelect({
  group,
  days,
  onChange,
}: {
  group: string;
  days: number | undefined;
  onChange: (days: number | undefined) => void;
}) {
  return (
    <select
      aria-label={`Retention of ${group}`}
      value={days === undefined ? '' : String(days)}
      onChange={(e) => {
        const v = (e.target as HTMLSelectElement).value;
        onChange(v === '' ? undefined : Number(v));
      }}
    >
      <option value="">{retentionLabel(undefined)}</option>
      {RETENTION_DAYS.map((d) => (
        <option key={d} value={String(d)}>
          {retentionLabel(d)}
        </option>
      ))}
    </select>
  );
}

export const setRetention = (logsCall: <T>(op: string, input: object) => Promise<T>, group: string, days: number | undefined) =>
  days === undefined
    ? logsCall('DeleteRetentionPolicy', { logGroupName: group })
    : logsCall('PutRetentionPolicy', { logGroupName: group, retentionInDays: days });
