import { CloudtrailErrors } from '../generated/errors.js';
import type { RequestContext } from '../shared/request-context.js';

/**
 * Trail names and ARNs as CloudTrail checks them (InvalidTrailNameException's documented rules):
 * ASCII letters, digits, `.`, `_`, `-`; starts and ends with a letter or digit; 3–128 characters;
 * no adjacent `.`/`_`/`-`; not an IP address. Texts are CloudTrail's.
 */
const NAME_CHARS = /^[A-Za-z0-9._-]*$/;
const IP_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const TRAIL_ARN = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

export function checkTrailName(name: string | undefined): string {
  if (name === undefined || name === '') throw CloudtrailErrors.TrailNotProvidedException('Trail name or ARN must be specified.');
  if (name.length < 3)
    throw CloudtrailErrors.InvalidTrailNameException(
      `Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${name.length} characters.`,
    );
  if (name.length > 128)
    throw CloudtrailErrors.InvalidTrailNameException(
      `Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${name.length} characters.`,
    );
  if (!NAME_CHARS.test(name)) {
    throw CloudtrailErrors.InvalidTrailNameException(
      'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).',
    );
  }
  if (!/^[A-Za-z0-9]/.test(name)) throw CloudtrailErrors.InvalidTrailNameException('Trail name must starts with a letter or number.');
  if (!/[A-Za-z0-9]$/.test(name)) throw CloudtrailErrors.InvalidTrailNameException('Trail name must ends with a letter or number.');
  if (/[._-]{2}/.test(name))
    throw CloudtrailErrors.InvalidTrailNameException('Trail name cannot have adjacent periods (.), hyphens (-), or underscores (_).');
  if (IP_ADDRESS.test(name)) throw CloudtrailErrors.InvalidTrailNameException('Trail name cannot be formatted as an IP address.');
  return name;
}

export interface TrailRef {
  readonly accountId: string;
  /** The region the ARN names; undefined for a bare name (the caller's region, or a multi-region trail's home). */
  readonly region?: string;
  readonly name: string;
}

/** A `Name` member: a trail name, or a trail ARN (`arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail`). */
export function trailRef(ctx: RequestContext, nameOrArn: string | undefined): TrailRef {
  if (nameOrArn?.startsWith('arn:')) {
    const m = TRAIL_ARN.exec(nameOrArn);
    if (!m) throw CloudtrailErrors.CloudTrailARNInvalidException(`Invalid trail ARN: ${nameOrArn}`);
    return { accountId: m[2]!, region: m[1]!, name: checkTrailName(m[3]) };
  }
  return { accountId: ctx.accountId, name: checkTrailName(nameOrArn) };
}

export const trailArn = (region: string, accountId: string, name: string): string =>
  `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;

/** S3 bucket naming rules (3–63 characters, lowercase letters, digits, `.` and `-`, letter or digit at both ends). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function checkBucketName(name: string | undefined): string {
  if (name === undefined || name === '')
    throw CloudtrailErrors.InvalidParameterCombinationException(
      'S3BucketName is required: a trail must deliver its log files to an S3 bucket.',
    );
  if (!BUCKET.test(name) || name.includes('..') || IP_ADDRESS.test(name)) {
    throw CloudtrailErrors.InvalidS3BucketNameException(
      `Bucket name is not valid: ${name}. Bucket names are 3-63 lowercase letters, numbers, periods and hyphens, starting and ending with a letter or number.`,
    );
  }
  return name;
}
