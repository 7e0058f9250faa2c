/**
 * Whether an operation is read-only, as CloudTrail's `readOnly` says: the read verbs of AWS's
 * API naming (Describe, Get, List, Lookup; TestEventPattern, whose IAM access level is Read).
 * EventBridge's rule state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS is about exactly these.
 */
const READ_PREFIXES = ['Describe', 'Get', 'List', 'Lookup', 'Test'] as const;

export const isReadOnly = (operation: string): boolean =>
  READ_PREFIXES.some((p) => operation.startsWith(p) && /^[A-Z]/.test(operation.slice(p.length)));
