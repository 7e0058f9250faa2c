import type { ImageOrigin } from '../../storage/ports/ec2-store.js';

/**
 * EC2 configuration. The server builds it once from its config and passes it in; nothing here
 * reads the environment.
 */
export interface Ec2Options {
  /** How long (ms) an image stays `pending` before it becomes `available` or `failed`. */
  readonly durations: Readonly<Record<ImageOrigin, number>>;
  /** How long (ms) a CreateStoreImageTask stays `InProgress`. */
  readonly storeTaskDurationMs: number;
  /**
   * How long (ms) a deregistered image is still listed by DescribeImages (AWS: "Recently
   * deregistered images appear in the returned results for a short interval").
   */
  readonly deregisteredVisibleMs: number;
  /** StateReason code of a failed image when the fault names none. */
  readonly defaultFailureCode: string;
  /**
   * How long (ms) an instance spends in each transient state: `pending` (launch or start →
   * running), `stopping` (→ stopped), `shutting-down` (→ terminated).
   */
  readonly instanceDurations: Readonly<Record<InstanceTransient, number>>;
  /** How long (ms) a terminated instance is still listed (AWS: about an hour). */
  readonly terminatedVisibleMs: number;
  /**
   * How long (ms) a snapshot of CreateSnapshot or CopySnapshot stays `pending` (CreateImage's
   * snapshots complete with their image).
   */
  readonly snapshotDurationMs: number;
}

export type InstanceTransient = 'pending' | 'stopping' | 'shutting-down';

/** A few seconds each: local work feels real and stays quick. */
export const defaultEc2Options: Ec2Options = Object.freeze({
  durations: Object.freeze({ CreateImage: 4000, CopyImage: 5000, RegisterImage: 2000, CreateRestoreImageTask: 5000 }),
  storeTaskDurationMs: 3000,
  deregisteredVisibleMs: 60_000,
  defaultFailureCode: 'Server.InternalError',
  instanceDurations: Object.freeze({ pending: 3000, stopping: 3000, 'shutting-down': 2000 }),
  terminatedVisibleMs: 3_600_000,
  snapshotDurationMs: 2000,
});

export type Ec2OptionOverrides = Partial<Omit<Ec2Options, 'durations' | 'instanceDurations'>> & {
  durations?: Partial<Record<ImageOrigin, number>>;
  instanceDurations?: Partial<Record<InstanceTransient, number>>;
};

export function ec2Options(overrides: Ec2OptionOverrides = {}): Ec2Options {
  const options: Ec2Options = Object.freeze({
    ...defaultEc2Options,
    ...overrides,
    durations: Object.freeze({ ...defaultEc2Options.durations, ...overrides.durations }),
    instanceDurations: Object.freeze({ ...defaultEc2Options.instanceDurations, ...overrides.instanceDurations }),
  });
  const times: Record<string, number> = {
    ...Object.fromEntries(Object.entries(options.durations).map(([k, v]) => [`durations.${k}`, v])),
    ...Object.fromEntries(Object.entries(options.instanceDurations).map(([k, v]) => [`instanceDurations.${k}`, v])),
    storeTaskDurationMs: options.storeTaskDurationMs,
    deregisteredVisibleMs: options.deregisteredVisibleMs,
    terminatedVisibleMs: options.terminatedVisibleMs,
    snapshotDurationMs: options.snapshotDurationMs,
  };
  for (const [name, value] of Object.entries(times)) {
    // Configuration errors surface once, at start-up, naming the setting.
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`EC2 option ${name} must be a non-negative number of milliseconds, got ${value}`);
  }
  return options;
}
