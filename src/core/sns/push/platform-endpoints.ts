import type {
  CreateEndpointResponse,
  CreatePlatformEndpointInput,
  DeleteEndpointInput,
  GetEndpointAttributesInput,
  GetEndpointAttributesResponse,
  ListEndpointsByPlatformApplicationInput,
  ListEndpointsByPlatformApplicationResponse,
  SetEndpointAttributesInput,
} from '@aws-sdk/client-sns';
import type { Clock } from '../../shared/clock.js';
import type { Random } from '../../shared/random.js';
import type { RequestContext } from '../../shared/request-context.js';
import { SnsErrors } from '../../generated/errors.js';
import { paginate } from '../paging.js';
import { checkEndpointAttributes } from './platform-attributes.js';
import type { PlatformApplications } from './platform-applications.js';
import { authorizePush, checkRegion } from './push-access.js';
import { PUSH_KIND, type PlatformEndpointDoc } from './push-model.js';
import type { PushState } from './push-state.js';

/** CreatePlatformEndpoint … ListEndpointsByPlatformApplication. */
export class PlatformEndpoints {
  constructor(
    private readonly state: PushState,
    private readonly applications: PlatformApplications,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /**
   * "Idempotent, so if the requester already owns an endpoint with the same device token and
   * attributes, that endpoint's ARN is returned"; the same token with other attributes is refused:
   * "Invalid parameter: Token Reason: Endpoint <arn> already exists with the same Token, but
   * different attributes." (the text AWS answers, as SDK users parse it).
   */
  async createPlatformEndpoint(ctx: RequestContext, input: CreatePlatformEndpointInput): Promise<CreateEndpointResponse> {
    const app = this.applications.applicationFor(ctx, input.PlatformApplicationArn, 'CreatePlatformEndpoint');
    const token = input.Token ?? '';
    const given = { ...(input.Attributes ?? {}) };
    checkEndpointAttributes({ ...given, Token: token });
    if (input.CustomUserData !== undefined) checkEndpointAttributes({ CustomUserData: input.CustomUserData });
    const attributes: Record<string, string> = {
      Enabled: 'true',
      ...(input.CustomUserData !== undefined && { CustomUserData: input.CustomUserData }),
      ...given,
      Token: token,
    };
    const same = this.state.endpointWithToken(app.arn, token);
    if (same) {
      if (!sameAttributes(same.attributes, attributes))
        throw SnsErrors.InvalidParameter(
          `Invalid parameter: Token Reason: Endpoint ${same.arn} already exists with the same Token, but different attributes.`,
        );
      return { EndpointArn: same.arn };
    }
    const arn = `${app.arn.replace(':app/', ':endpoint/')}/${this.random.uuid()}`;
    await this.state.putEndpoint({
      arn,
      applicationArn: app.arn,
      account: app.account,
      region: app.region,
      attributes,
      createdAt: this.clock.now(),
    });
    return { EndpointArn: arn };
  }

  async getEndpointAttributes(ctx: RequestContext, input: GetEndpointAttributesInput): Promise<GetEndpointAttributesResponse> {
    return { Attributes: { ...this.endpointFor(ctx, input.EndpointArn, 'GetEndpointAttributes').attributes } };
  }

  /** Enabled=false stops delivery; a user "can set it back to true, typically after updating Token". */
  async setEndpointAttributes(ctx: RequestContext, input: SetEndpointAttributesInput): Promise<void> {
    const e = this.endpointFor(ctx, input.EndpointArn, 'SetEndpointAttributes');
    const given = input.Attributes ?? {};
    checkEndpointAttributes(given);
    await this.state.putEndpoint({ ...e, attributes: { ...e.attributes, ...given } });
  }

  /**
   * Deleting a missing endpoint succeeds (the model gives DeleteEndpoint no NotFound). Topic
   * subscriptions to it stay, as on AWS ("you must also unsubscribe the endpoint from the topic");
   * publishing skips them.
   */
  async deleteEndpoint(ctx: RequestContext, input: DeleteEndpointInput): Promise<void> {
    checkRegion(ctx, input.EndpointArn, 'EndpointArn');
    const e = input.EndpointArn ? this.state.endpoints.get(input.EndpointArn) : undefined;
    if (!e) return;
    authorizePush(ctx, e, 'DeleteEndpoint', 'EndpointArn');
    await this.state.write([{ kind: PUSH_KIND.endpoint, key: e.arn, doc: null }]);
  }

  async listEndpointsByPlatformApplication(
    ctx: RequestContext,
    input: ListEndpointsByPlatformApplicationInput,
  ): Promise<ListEndpointsByPlatformApplicationResponse> {
    const app = this.applications.applicationFor(ctx, input.PlatformApplicationArn, 'ListEndpointsByPlatformApplication');
    const byArn = new Map(this.state.endpointsOf(app.arn).map((e) => [e.arn, e]));
    const { page, next } = paginate([...byArn.keys()].sort(), input.NextToken);
    return {
      Endpoints: page.map((arn) => ({ EndpointArn: arn, Attributes: { ...byArn.get(arn)!.attributes } })),
      ...(next && { NextToken: next }),
    };
  }

  private endpointFor(ctx: RequestContext, arn: string | undefined, operation: string): PlatformEndpointDoc {
    checkRegion(ctx, arn, 'EndpointArn');
    const e = arn ? this.state.endpoints.get(arn) : undefined;
    if (!e) throw SnsErrors.NotFound('Endpoint does not exist');
    return authorizePush(ctx, e, operation, 'EndpointArn');
  }
}

function sameAttributes(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}
