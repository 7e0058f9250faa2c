/**
 * One statement of a Lambda function's resource-based policy, as GetPolicy returns it. On its own,
 * without imports, so that the server's tests can type-check code that uses it without the
 * browser's types that the console's HTTP client brings.
 */
export interface PolicyStatement {
  Sid: string;
  Effect: string;
  Principal: '*' | { Service?: string | string[]; AWS?: string | string[] };
  Action: string | string[];
  Condition?: Record<string, Record<string, string>>;
}
