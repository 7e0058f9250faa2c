/**
 * Who may call, when signatures are verified: access key → secret and account. Loaded by the
 * server from the credentials file; wire only looks keys up.
 */
export interface Credential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
}

export interface CredentialsLookup {
  get(accessKeyId: string): Credential | undefined;
}

/**
 * The account of an access key when signatures are not verified (AWS-compatible local tools do
 * the same): a 12-digit key is that account; anything else is the default account.
 */
export function accountForKey(accessKeyId: string, defaultAccount: string): string {
  return /^\d{12}$/.test(accessKeyId) ? accessKeyId : defaultAccount;
}
