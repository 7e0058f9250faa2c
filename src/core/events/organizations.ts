/**
 * Which configured AWS Organization each account belongs to: the value of `aws:PrincipalOrgID`
 * when a bus policy asks for it (PutPermission's only documented Condition). amiwatch has no
 * Organizations API; the membership is configuration (`--organizations`).
 */
export type Organizations = ReadonlyMap<string, string>;

export const noOrganizations: Organizations = new Map();

/** Organization ids as AWS shapes them: `o-` and 10 to 32 lower-case letters or digits. */
export const ORG_ID = /^o-[a-z0-9]{10,32}$/;

/**
 * `o-aaaaaaaaaa=111111111111,222222222222;o-bbbbbbbbbb=333333333333` → account → organization.
 * Throws an Error naming the bad part; an account may belong to one organization only.
 */
export function parseOrganizations(text: string): Organizations {
  const byAccount = new Map<string, string>();
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const org = part.slice(0, eq).trim();
    if (eq < 0 || !ORG_ID.test(org)) throw new Error(`expected o-<10 to 32 lowercase letters or digits>=ACCOUNT,ACCOUNT…, got ${part}`);
    const accounts = part
      .slice(eq + 1)
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    if (accounts.length === 0) throw new Error(`organization ${org} lists no accounts`);
    for (const account of accounts) {
      if (!/^\d{12}$/.test(account)) throw new Error(`organization ${org}: ${account} is not a 12-digit account id`);
      const other = byAccount.get(account);
      if (other !== undefined && other !== org)
        throw new Error(`account ${account} is in both ${other} and ${org}; an account belongs to one organization`);
      byAccount.set(account, org);
    }
  }
  return byAccount;
}
