import type {
  ConnectionAuthResponseParameters,
  ConnectionHttpParameters,
  CreateConnectionAuthRequestParameters,
} from '@aws-sdk/client-eventbridge';

/**
 * Connections and API destinations as core persists them (Store keyed resources by ARN). A
 * connection's secrets (password, API key value, client secret, parameters marked
 * IsValueSecret) are a separate document of their own kind, read only by the API-destination
 * transport: DescribeConnection, the history, the console and the logs never see them (AWS keeps
 * them in a Secrets Manager secret, `SecretArn`).
 */
export type ConnectionStateName = 'CREATING' | 'UPDATING' | 'DELETING' | 'AUTHORIZED' | 'DEAUTHORIZED' | 'AUTHORIZING' | 'DEAUTHORIZING';
export type AuthorizationType = 'BASIC' | 'API_KEY' | 'OAUTH_CLIENT_CREDENTIALS';

export interface ConnectionDoc {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly description?: string;
  readonly authorizationType: AuthorizationType;
  readonly state: ConnectionStateName;
  readonly stateReason?: string;
  readonly secretArn: string;
  /** What DescribeConnection shows: secrets removed. */
  readonly auth: ConnectionAuthResponseParameters;
  readonly createdAt: number;
  readonly modifiedAt: number;
  readonly authorizedAt?: number;
}

/** The whole authorization as it was sent (secrets included). */
export interface ConnectionSecretDoc {
  /** The connection's ARN, name and owner. */
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly auth: CreateConnectionAuthRequestParameters;
}

export interface ApiDestinationDoc {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly description?: string;
  readonly connectionArn: string;
  readonly endpoint: string;
  readonly httpMethod: string;
  readonly rateLimitPerSecond: number;
  readonly createdAt: number;
  readonly modifiedAt: number;
}

export const CONNECTION_KIND = 'events.connection';
export const CONNECTION_SECRET_KIND = 'events.connection-secret';
export const API_DESTINATION_KIND = 'events.api-destination';

/** CreateApiDestination's default InvocationRateLimitPerSecond (API_CreateApiDestination). */
export const DEFAULT_RATE_LIMIT = 300;

/** Parameters with IsValueSecret keep their key and lose their value, as DescribeConnection shows them. */
export function maskHttpParameters(p: ConnectionHttpParameters | undefined): ConnectionHttpParameters | undefined {
  if (!p) return undefined;
  const mask = <T extends { Key?: string; Value?: string; IsValueSecret?: boolean }>(list: T[] | undefined): T[] | undefined =>
    list?.map((x) => (x.IsValueSecret ? ({ ...x, Value: undefined } as T) : { ...x })).map((x) => JSON.parse(JSON.stringify(x)) as T);
  return JSON.parse(
    JSON.stringify({
      HeaderParameters: mask(p.HeaderParameters),
      QueryStringParameters: mask(p.QueryStringParameters),
      BodyParameters: mask(p.BodyParameters),
    }),
  ) as ConnectionHttpParameters;
}

/** The public face of an authorization: user names, key names and client ids, no secrets. */
export function maskAuth(a: CreateConnectionAuthRequestParameters): ConnectionAuthResponseParameters {
  const out: ConnectionAuthResponseParameters = {};
  if (a.BasicAuthParameters) out.BasicAuthParameters = { Username: a.BasicAuthParameters.Username };
  if (a.ApiKeyAuthParameters) out.ApiKeyAuthParameters = { ApiKeyName: a.ApiKeyAuthParameters.ApiKeyName };
  if (a.OAuthParameters) {
    const o = a.OAuthParameters;
    out.OAuthParameters = {
      ClientParameters: { ClientID: o.ClientParameters?.ClientID },
      AuthorizationEndpoint: o.AuthorizationEndpoint,
      HttpMethod: o.HttpMethod,
      ...(o.OAuthHttpParameters && { OAuthHttpParameters: maskHttpParameters(o.OAuthHttpParameters) }),
    };
  }
  if (a.InvocationHttpParameters) out.InvocationHttpParameters = maskHttpParameters(a.InvocationHttpParameters);
  return out;
}
