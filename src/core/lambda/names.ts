import { FUNCTION_NAME } from '@amiwatch/shared';
import { invalidParameter, notFound, validation } from './errors.js';
import { LambdaErrors } from '../generated/errors.js';

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME`. */
export const functionArn = (region: string, account: string, name: string) => `arn:aws:lambda:${region}:${account}:function:${name}`;

export interface FunctionRef {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
}

/** A bare function name as CreateFunction accepts it: 1–64 letters, digits, hyphens, underscores. */
export function checkNewName(name: string | undefined): string {
  if (!name || !FUNCTION_NAME.test(name)) throw badNewName(name);
  return name;
}

/** CreateFunction's FunctionName pattern (API reference), anchored; group 3 region, 5 account, 7 name, 9 qualifier. */
const NEW_NAME_FORMATS =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;

/**
 * CreateFunction's FunctionName in any of the API reference's "Name formats": `NAME`, the
 * function ARN or the partial ARN `ACCOUNT:function:NAME`. Region and account default to the
 * caller's. A qualifier would name a version, which CreateFunction does not make: refused as
 * before.
 */
export function newFunctionRef(caller: { accountId: string; region: string }, text: string | undefined): FunctionRef {
  if (text === undefined || !text.includes(':')) return { ...caller, name: checkNewName(text) };
  const m = NEW_NAME_FORMATS.exec(text);
  if (!m || m[9] !== undefined || !FUNCTION_NAME.test(m[7]!)) throw badNewName(text);
  const ref = { region: m[3]?.slice(0, -1) ?? caller.region, accountId: m[5]?.slice(0, -1) ?? caller.accountId, name: m[7]! };
  // A function is created in the caller's own account and in the Region the request went to: an
  // ARN naming another may not place one there (the texts are ours; AWS's IAM answer is not modelled).
  if (ref.accountId !== caller.accountId) {
    throw LambdaErrors.AccessDeniedException(`Account ${caller.accountId} may not create a function in account ${ref.accountId}.`);
  }
  if (ref.region !== caller.region)
    throw invalidParameter(`The function ARN names Region ${ref.region}, but the request was sent to ${caller.region}.`);
  return ref;
}

const badNewName = (text: string | undefined) =>
  validation(
    `Value '${text ?? ''}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
  );

/**
 * What the other operations accept as FunctionName (the Lambda API's "name formats"): `NAME`,
 * `ACCOUNT:function:NAME` or the full ARN, each optionally with `:QUALIFIER`. This one is for
 * the operations that act on `$LATEST` only: any other qualifier names nothing here.
 */
export function resolveFunction(caller: { accountId: string; region: string }, text: string, qualifier?: string): FunctionRef {
  const { ref, qualifier: q } = splitQualifier(caller, text, qualifier);
  if (q !== undefined && q !== '$LATEST') throw notFound(`${functionArn(ref.region, ref.accountId, ref.name)}:${q}`);
  return ref;
}

/** The function a FunctionName names and the qualifier it (or the Qualifier parameter) gives, if any. */
export function splitQualifier(
  caller: { accountId: string; region: string },
  text: string,
  qualifier?: string,
): { ref: FunctionRef; qualifier?: string } {
  const parts = text.split(':');
  let ref: FunctionRef;
  let q = qualifier;
  if (parts[0] === 'arn') {
    // arn:aws:lambda:region:account:function:name[:qualifier]
    if (parts.length < 7 || parts[2] !== 'lambda' || parts[5] !== 'function') throw badName(text);
    ref = { region: parts[3]!, accountId: parts[4]!, name: parts[6]! };
    q = parts[7] ?? q;
  } else if (parts.length >= 3 && parts[1] === 'function') {
    ref = { region: caller.region, accountId: parts[0]!, name: parts[2]! };
    q = parts[3] ?? q;
  } else if (parts.length <= 2) {
    ref = { ...caller, name: parts[0]! };
    q = parts[1] ?? q;
  } else throw badName(text);
  if (!FUNCTION_NAME.test(ref.name)) throw badName(text);
  return q === undefined ? { ref } : { ref, qualifier: q };
}

const badName = (text: string) =>
  validation(
    `Value '${text}' at 'functionName' failed to satisfy constraint: Member must satisfy the Lambda function name formats (NAME, ACCOUNT:function:NAME or an ARN)`,
  );
