/**
 * Who is calling, where: every service function takes one. The wire layer derives it from the
 * SigV4 credential scope (region) and the access key (account).
 */
export interface RequestContext {
  readonly accountId: string;
  readonly region: string;
  /** The id AWS returns as `x-amzn-RequestId` / `<requestId>`; AMI events carry it as `RequestId`. */
  readonly requestId: string;
}
