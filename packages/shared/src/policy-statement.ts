/**
 * One statement of a resource-based policy as Lambda's GetPolicy returns it (the `Statement`
 * array of the JSON document in `Policy`). IAM's grammar allows a single value or a list for the
 * principal and the action; Lambda itself writes single values, but a reader takes either.
 */
export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal: '*' | { Service?: string | string[]; AWS?: string | string[] };
  Action: string | string[];
  Resource?: string | string[];
  /** Condition operator (`ArnLike`, `StringEquals`, …) → condition key → value. */
  Condition?: Record<string, Record<string, string>>;
}

/** The service principal EventBridge calls targets as. */
export const EVENTS_PRINCIPAL = 'events.amazonaws.com';
