/**
 * A resource policy's statements as AddPermission/RemovePermission edit them (SNS topics, SQS
 * queues): a statement per label (`Sid`), the policy kept as the JSON text the resource stores.
 */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Record<string, unknown>[];
}

/** The policy text parsed; a missing or unreadable one is `fallback` (the resource's default policy). */
export function readPolicy(text: string | undefined, fallback: () => PolicyDocument): PolicyDocument {
  if (!text) return fallback();
  try {
    const p = JSON.parse(text) as Partial<PolicyDocument>;
    const list = Array.isArray(p.Statement) ? p.Statement : p.Statement ? [p.Statement as Record<string, unknown>] : [];
    return { ...p, Statement: list };
  } catch {
    return fallback();
  }
}

export const hasStatement = (p: PolicyDocument, sid: string): boolean => p.Statement.some((s) => s.Sid === sid);

/** One value as itself, several as a list: how AWS writes the principals and actions it adds. */
export const oneOrMany = (values: readonly string[]): string | string[] => (values.length === 1 ? values[0]! : [...values]);

/** `111122223333` → `arn:aws:iam::111122223333:root`; an ARN or `*` stays as given. */
export const accountPrincipal = (id: string): string => (/^\d{12}$/.test(id) ? `arn:aws:iam::${id}:root` : id);
