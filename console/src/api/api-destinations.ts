import { eventbridge } from './eventbridge.js';
import { listAll } from './list-all.js';

/** EventBridge connections and API destinations, as the console reads and writes them. */
export type AuthType = 'BASIC' | 'API_KEY' | 'OAUTH_CLIENT_CREDENTIALS';

export interface Connection {
  ConnectionArn: string;
  Name: string;
  ConnectionState: string;
  StateReason?: string;
  AuthorizationType: AuthType;
}

export interface ApiDestination {
  ApiDestinationArn: string;
  Name: string;
  ConnectionArn: string;
  InvocationEndpoint: string;
  HttpMethod: string;
  InvocationRateLimitPerSecond: number;
}

/** What the connection form collects; secrets leave the browser only in CreateConnection. */
export interface ConnectionForm {
  name: string;
  type: AuthType;
  username: string;
  password: string;
  keyName: string;
  keyValue: string;
  clientId: string;
  clientSecret: string;
  tokenEndpoint: string;
  tokenMethod: 'POST' | 'GET' | 'PUT';
  scope: string;
}

export function authParameters(f: ConnectionForm): object {
  switch (f.type) {
    case 'BASIC':
      return { BasicAuthParameters: { Username: f.username, Password: f.password } };
    case 'API_KEY':
      return { ApiKeyAuthParameters: { ApiKeyName: f.keyName, ApiKeyValue: f.keyValue } };
    case 'OAUTH_CLIENT_CREDENTIALS':
      return {
        OAuthParameters: {
          ClientParameters: { ClientID: f.clientId, ClientSecret: f.clientSecret },
          AuthorizationEndpoint: f.tokenEndpoint,
          HttpMethod: f.tokenMethod,
          ...(f.scope && { OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: f.scope, IsValueSecret: false }] } }),
        },
      };
  }
}

export const createConnection = (f: ConnectionForm) =>
  eventbridge<{ ConnectionArn: string }>('CreateConnection', {
    Name: f.name,
    AuthorizationType: f.type,
    AuthParameters: authParameters(f),
  });

export const listConnections = () => listAll<Connection>('ListConnections', 'Connections');
export const listApiDestinations = () => listAll<ApiDestination>('ListApiDestinations', 'ApiDestinations');
