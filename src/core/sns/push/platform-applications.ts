import type {
  CreatePlatformApplicationInput,
  CreatePlatformApplicationResponse,
  DeletePlatformApplicationInput,
  GetPlatformApplicationAttributesInput,
  GetPlatformApplicationAttributesResponse,
  ListPlatformApplicationsInput,
  ListPlatformApplicationsResponse,
  SetPlatformApplicationAttributesInput,
} from '@aws-sdk/client-sns';
import { formatArn } from '../../shared/arn.js';
import type { Clock } from '../../shared/clock.js';
import type { RequestContext } from '../../shared/request-context.js';
import { SnsErrors } from '../../generated/errors.js';
import { paginate } from '../paging.js';
import { authorizePush, checkRegion } from './push-access.js';
import { checkApplicationAttributes, SECRET_ATTRIBUTES } from './platform-attributes.js';
import { PLATFORMS, PUSH_KIND, type Platform, type PlatformApplicationDoc } from './push-model.js';
import type { PushState } from './push-state.js';

const notFound = () => SnsErrors.NotFound('PlatformApplication does not exist');

/** CreatePlatformApplication … ListPlatformApplications. */
export class PlatformApplications {
  constructor(
    private readonly state: PushState,
    private readonly clock: Clock,
  ) {}

  async createPlatformApplication(ctx: RequestContext, input: CreatePlatformApplicationInput): Promise<CreatePlatformApplicationResponse> {
    const name = input.Name ?? '';
    checkName(name);
    const platform = input.Platform ?? '';
    if (!(PLATFORMS as readonly string[]).includes(platform))
      throw SnsErrors.InvalidParameter(`Invalid parameter: Platform Reason: ${platform} is not supported`);
    const given = input.Attributes ?? {};
    checkApplicationAttributes(platform as Platform, given, given);
    const arn = formatArn({ service: 'sns', region: ctx.region, account: ctx.accountId, resource: `app/${platform}/${name}` });
    // The same name and platform again names the same application: its attributes are replaced.
    const existing = this.state.applications.get(arn);
    await this.state.putApplication({
      arn,
      name,
      platform: platform as Platform,
      account: ctx.accountId,
      region: ctx.region,
      attributes: { Enabled: 'true', ...given },
      createdAt: existing?.createdAt ?? this.clock.now(),
    });
    return { PlatformApplicationArn: arn };
  }

  async getPlatformApplicationAttributes(
    ctx: RequestContext,
    input: GetPlatformApplicationAttributesInput,
  ): Promise<GetPlatformApplicationAttributesResponse> {
    return { Attributes: visible(this.applicationFor(ctx, input.PlatformApplicationArn, 'GetPlatformApplicationAttributes')) };
  }

  async setPlatformApplicationAttributes(ctx: RequestContext, input: SetPlatformApplicationAttributesInput): Promise<void> {
    const app = this.applicationFor(ctx, input.PlatformApplicationArn, 'SetPlatformApplicationAttributes');
    const given = input.Attributes ?? {};
    const merged = { ...app.attributes, ...given };
    checkApplicationAttributes(app.platform, given, merged);
    await this.state.putApplication({ ...app, attributes: merged });
  }

  /** Deletes the application and its endpoints; a missing one is no error (nothing to delete). */
  async deletePlatformApplication(ctx: RequestContext, input: DeletePlatformApplicationInput): Promise<void> {
    checkRegion(ctx, input.PlatformApplicationArn, 'PlatformApplicationArn');
    const app = input.PlatformApplicationArn ? this.state.applications.get(input.PlatformApplicationArn) : undefined;
    if (!app) return;
    authorizePush(ctx, app, 'DeletePlatformApplication', 'PlatformApplicationArn');
    await this.state.write([
      { kind: PUSH_KIND.application, key: app.arn, doc: null },
      ...this.state.endpointsOf(app.arn).map((e) => ({ kind: PUSH_KIND.endpoint, key: e.arn, doc: null })),
    ]);
  }

  async listPlatformApplications(ctx: RequestContext, input: ListPlatformApplicationsInput): Promise<ListPlatformApplicationsResponse> {
    const mine = [...this.state.applications.values()].filter((a) => a.account === ctx.accountId && a.region === ctx.region);
    const byArn = new Map(mine.map((a) => [a.arn, a]));
    const { page, next } = paginate([...byArn.keys()].sort(), input.NextToken);
    return {
      PlatformApplications: page.map((arn) => ({ PlatformApplicationArn: arn, Attributes: visible(byArn.get(arn)!) })),
      ...(next && { NextToken: next }),
    };
  }

  /** The application a request names, if it is the caller's (push-access.ts). */
  applicationFor(ctx: RequestContext, arn: string | undefined, operation: string): PlatformApplicationDoc {
    checkRegion(ctx, arn, 'PlatformApplicationArn');
    const app = arn ? this.state.applications.get(arn) : undefined;
    if (!app) throw notFound();
    return authorizePush(ctx, app, operation, 'PlatformApplicationArn');
  }
}

/** CreatePlatformApplication's name rule ("only uppercase and lowercase ASCII letters, numbers, underscores, hyphens, and periods, … between 1 and 256 characters"). */
function checkName(name: string): void {
  const reason =
    name.length === 0
      ? 'cannot be empty'
      : name.length > 256
        ? 'must be at most 256 characters long'
        : !/^[A-Za-z0-9._-]+$/.test(name)
          ? "must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'"
          : null;
  if (reason) throw SnsErrors.InvalidParameter(`Invalid parameter: ${name} Reason: ${reason}`);
}

const visible = (app: PlatformApplicationDoc): Record<string, string> =>
  Object.fromEntries(Object.entries(app.attributes).filter(([k]) => !SECRET_ATTRIBUTES.has(k)));
