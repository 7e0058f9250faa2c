/**
 * The Lambda function store port: one record per function (configuration, resource policy) and
 * its code zip. It lives under storage/ so adapters implement it without importing the domain;
 * core/lambda imports these types. Every method is one atomic store operation. Adapters:
 * `memory/memory-lambda-store.ts` and `sqlite/sqlite-lambda-store.ts`; the contract suite in
 * test/lambda runs against both.
 */

export interface FunctionPolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: { Service: string } | { AWS: string } | '*';
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface FunctionRecord {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
  architectures: string[];
  /** Base64 SHA-256 of the zip, as AWS writes CodeSha256. */
  codeSha256: string;
  codeSize: number;
  /** ISO time, AWS's `2026-01-01T00:00:00.000+0000` form. */
  lastModified: string;
  revisionId: string;
  tags: Record<string, string>;
  policy: FunctionPolicyStatement[];
  /** DeadLetterConfig.TargetArn: the SQS queue or SNS topic for discarded asynchronous events. */
  deadLetterArn?: string;
  /** Asynchronous invocation settings (PutFunctionEventInvokeConfig) by qualifier (`$LATEST`). */
  eventInvokeConfigs?: Record<string, EventInvokeConfigRecord>;
  /** PutFunctionConcurrency's ReservedConcurrentExecutions; absent: unreserved. */
  reservedConcurrency?: number;
  /** Set on a published version's snapshot (`1`, `2`, …); absent on `$LATEST`. */
  version?: string;
  /** The last version number PublishVersion gave out ($LATEST's record only). */
  lastVersion?: number;
  /** Aliases by name ($LATEST's record only). */
  aliases?: Record<string, AliasRecord>;
  /** Resource policies of versions and aliases, by qualifier ($LATEST's record only; `policy` is the function's own). */
  qualifierPolicies?: Record<string, FunctionPolicyStatement[]>;
}

export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  /** RoutingConfig.AdditionalVersionWeights: version → weight (0–1). */
  additionalVersionWeights?: Record<string, number>;
  revisionId: string;
}

/** One qualifier's asynchronous invocation settings; an absent member is Lambda's default. */
export interface EventInvokeConfigRecord {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
  /** Epoch ms. */
  lastModified: number;
}

export interface LambdaStore {
  getFunction(accountId: string, region: string, name: string): Promise<FunctionRecord | undefined>;
  /** Functions of one account and region, ordered by name, after `afterName` when given. */
  listFunctions(accountId: string, region: string, afterName: string | undefined, limit: number): Promise<FunctionRecord[]>;
  /** Creates the function with its code; false (and nothing written) when the name is taken. */
  createFunction(record: FunctionRecord, zip: Buffer): Promise<boolean>;
  /** Replaces the record, and the code when `zip` is given; false when the function is gone. */
  updateFunction(record: FunctionRecord, zip?: Buffer): Promise<boolean>;
  /** False when there was nothing to delete. */
  deleteFunction(accountId: string, region: string, name: string): Promise<boolean>;
  getCode(accountId: string, region: string, name: string): Promise<Buffer | undefined>;
  /**
   * Stores a published version (an immutable snapshot with its code) and the function's record
   * (its new `lastVersion`) in one atomic write; false (nothing written) when the function is gone
   * or the version exists.
   */
  publishVersion(latest: FunctionRecord, version: FunctionRecord, zip: Buffer): Promise<boolean>;
  getVersion(accountId: string, region: string, name: string, version: string): Promise<FunctionRecord | undefined>;
  /** The function's published versions, in version order. */
  listVersions(accountId: string, region: string, name: string): Promise<FunctionRecord[]>;
  getVersionCode(accountId: string, region: string, name: string, version: string): Promise<Buffer | undefined>;
  /** False when there was no such version. (DeleteFunction without a qualifier deletes the versions too.) */
  deleteVersion(accountId: string, region: string, name: string, version: string): Promise<boolean>;
  /**
   * A lease on `key` (an event source mapping's poller): granted when nobody holds it, it ran
   * out before `now`, or `owner` already holds it (a renewal); held until `now + ttlMs`. So only
   * one node polls a mapping at a time, whatever store the nodes share.
   */
  tryLease(key: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up early (stopping, the mapping deleted); only its owner can. */
  releaseLease(key: string, owner: string): Promise<void>;
  close(): void;
}
