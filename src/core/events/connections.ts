import type {
  Connection,
  CreateConnectionAuthRequestParameters,
  CreateConnectionRequest,
  CreateConnectionResponse,
  DeauthorizeConnectionRequest,
  DeauthorizeConnectionResponse,
  DeleteConnectionRequest,
  DeleteConnectionResponse,
  DescribeConnectionRequest,
  DescribeConnectionResponse,
  ListConnectionsRequest,
  ListConnectionsResponse,
  UpdateConnectionRequest,
  UpdateConnectionResponse,
} from '@aws-sdk/client-eventbridge';
import type { Store } from '../../storage/store.js';
import { formatArn } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import {
  CONNECTION_KIND,
  CONNECTION_SECRET_KIND,
  maskAuth,
  type AuthorizationType,
  type ConnectionDoc,
  type ConnectionSecretDoc,
} from './connection-model.js';
import { DocCollection } from './doc-collection.js';
import type { EventsState } from './events-state.js';
import { paginate } from './paging.js';
import { EventsErrors } from '../generated/errors.js';

/** An access token from a connection's OAuth authorization endpoint. */
export interface OAuthToken {
  readonly accessToken: string;
  /** ms since the epoch; null when the endpoint gave no expires_in. */
  readonly expiresAt: number | null;
}

/** Fetches a token (client credentials grant); throws an Error whose message says why not. Implemented outside core (HTTP). */
export interface TokenFetcher {
  fetchToken(auth: CreateConnectionAuthRequestParameters): Promise<OAuthToken>;
}

/** "EventBridge refreshes OAuth tokens … proactively … if the token expires within 60 seconds" (eb-target-connection-auth). */
export const REFRESH_BEFORE_MS = 60_000;

/** AWS's text (as recorded by LocalStack) names the action: "Failed to describe the connection(s). …". */
type Action = 'describe' | 'update' | 'delete' | 'deauthorize';
const notFound = (action: Action, name: string) =>
  EventsErrors.ResourceNotFoundException(`Failed to ${action} the connection(s). Connection '${name}' does not exist.`);

/**
 * CreateConnection … DeauthorizeConnection. Basic and API-key connections are AUTHORIZED at
 * once; an OAuth client-credentials connection is AUTHORIZING until its first token arrives
 * (AUTHORIZED) or the endpoint refuses (DEAUTHORIZED, with the reason). Tokens are held in
 * memory and fetched again when missing, about to expire, or after a 401/407.
 */
export class EventConnections {
  private readonly tokens = new Map<string, OAuthToken>();
  private readonly inflight = new Map<string, Promise<OAuthToken>>();
  fetcher: TokenFetcher | null = null;

  private constructor(
    private readonly state: EventsState,
    readonly docs: DocCollection<ConnectionDoc>,
    private readonly secrets: DocCollection<ConnectionSecretDoc>,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  static async open(state: EventsState, store: Store, clock: Clock, random: Random): Promise<EventConnections> {
    return new EventConnections(
      state,
      await DocCollection.load(store, CONNECTION_KIND, { follow: true }),
      await DocCollection.load(store, CONNECTION_SECRET_KIND, { follow: true }),
      clock,
      random,
    );
  }

  createConnection(ctx: RequestContext, input: CreateConnectionRequest): Promise<CreateConnectionResponse> {
    return this.state.exclusive(async () => {
      const name = input.Name!;
      if (this.docs.byName(ctx, name)) throw EventsErrors.ResourceAlreadyExistsException(`Connection ${name} already exists.`);
      const type = input.AuthorizationType as AuthorizationType;
      const auth = input.AuthParameters!;
      checkAuth(type, auth);
      const kept = onlyFor(type, auth);
      const id = this.random.uuid();
      const now = this.clock.now();
      const arn = formatArn({ service: 'events', region: ctx.region, account: ctx.accountId, resource: `connection/${name}/${id}` });
      const secretArn = formatArn({
        service: 'secretsmanager',
        region: ctx.region,
        account: ctx.accountId,
        resource: `secret:events!connection/${name}/${id}-${id.slice(0, 6)}`,
      });
      const oauth = type === 'OAUTH_CLIENT_CREDENTIALS';
      const doc: ConnectionDoc = {
        name,
        arn,
        account: ctx.accountId,
        region: ctx.region,
        authorizationType: type,
        secretArn,
        state: oauth ? 'AUTHORIZING' : 'AUTHORIZED',
        auth: maskAuth(kept),
        createdAt: now,
        modifiedAt: now,
        ...(!oauth && { authorizedAt: now }),
        ...(input.Description !== undefined && { description: input.Description }),
      };
      await this.save(doc, kept);
      if (oauth) void this.authorize(arn);
      return { ConnectionArn: arn, ConnectionState: doc.state, CreationTime: new Date(now), LastModifiedTime: new Date(now) };
    });
  }

  async describeConnection(ctx: RequestContext, input: DescribeConnectionRequest): Promise<DescribeConnectionResponse> {
    const doc = this.require(ctx, input.Name!, 'describe');
    return {
      ...summary(doc),
      ...(doc.description !== undefined && { Description: doc.description }),
      ...(doc.stateReason !== undefined && { StateReason: doc.stateReason }),
      SecretArn: doc.secretArn,
      AuthParameters: doc.auth,
    };
  }

  async listConnections(ctx: RequestContext, input: ListConnectionsRequest): Promise<ListConnectionsResponse> {
    const mine = this.docs
      .of(ctx)
      .filter((d) => input.NamePrefix === undefined || d.name.startsWith(input.NamePrefix))
      .filter((d) => input.ConnectionState === undefined || d.state === input.ConnectionState);
    const page = paginate(mine, (d) => d.name, input.Limit, input.NextToken);
    return { Connections: page.items.map(summary), ...(page.nextToken && { NextToken: page.nextToken }) };
  }

  updateConnection(ctx: RequestContext, input: UpdateConnectionRequest): Promise<UpdateConnectionResponse> {
    return this.state.exclusive(async () => {
      const doc = this.require(ctx, input.Name!, 'update');
      const type = (input.AuthorizationType as AuthorizationType | undefined) ?? doc.authorizationType;
      // Given members replace the stored ones; the rest (secrets included) are kept.
      const merged = merge(this.secrets.get(doc.arn)?.auth ?? {}, (input.AuthParameters ?? {}) as CreateConnectionAuthRequestParameters);
      const auth = onlyFor(type, merged);
      checkAuth(type, auth);
      const oauth = type === 'OAUTH_CLIENT_CREDENTIALS';
      const now = this.clock.now();
      const next: ConnectionDoc = {
        ...withoutReason(doc),
        authorizationType: type,
        auth: maskAuth(auth),
        modifiedAt: now,
        state: oauth ? 'AUTHORIZING' : 'AUTHORIZED',
        ...(!oauth && { authorizedAt: now }),
        ...(input.Description !== undefined && { description: input.Description }),
      };
      this.tokens.delete(doc.arn);
      await this.save(next, auth);
      if (oauth) void this.authorize(doc.arn);
      return { ...stamps(next), ConnectionArn: doc.arn, ConnectionState: next.state };
    });
  }

  deleteConnection(ctx: RequestContext, input: DeleteConnectionRequest): Promise<DeleteConnectionResponse> {
    return this.state.exclusive(async () => {
      const doc = this.require(ctx, input.Name!, 'delete');
      await this.docs.delete(doc);
      const secret = this.secrets.get(doc.arn);
      if (secret) await this.secrets.delete(secret);
      this.tokens.delete(doc.arn);
      return { ...stamps(doc), ConnectionArn: doc.arn, ConnectionState: 'DELETING' };
    });
  }

  /** "Removes all authorization parameters from the connection" (API_DeauthorizeConnection): the secrets go. */
  deauthorizeConnection(ctx: RequestContext, input: DeauthorizeConnectionRequest): Promise<DeauthorizeConnectionResponse> {
    return this.state.exclusive(async () => {
      const doc = this.require(ctx, input.Name!, 'deauthorize');
      const next: ConnectionDoc = {
        ...doc,
        state: 'DEAUTHORIZED',
        stateReason: 'The connection was deauthorized.',
        modifiedAt: this.clock.now(),
      };
      await this.save(next, {});
      this.tokens.delete(doc.arn);
      return { ...stamps(doc), ConnectionArn: doc.arn, ConnectionState: 'DEAUTHORIZING' };
    });
  }

  /** For the API-destination transport only: the connection with its secrets. */
  credentials(arn: string): { doc: ConnectionDoc; auth: CreateConnectionAuthRequestParameters } | undefined {
    const doc = this.docs.get(arn);
    const secret = this.secrets.get(arn);
    return doc && secret ? { doc, auth: secret.auth } : undefined;
  }

  /** A valid access token: the cached one unless `refresh`, missing, or within 60 s of expiry. */
  async token(arn: string, refresh = false): Promise<OAuthToken> {
    const cached = this.tokens.get(arn);
    if (!refresh && cached && (cached.expiresAt === null || cached.expiresAt - this.clock.now() > REFRESH_BEFORE_MS)) return cached;
    let pending = this.inflight.get(arn);
    if (!pending) {
      const secret = this.secrets.get(arn);
      if (!this.fetcher || !secret) throw new Error('the connection has no OAuth authorization');
      pending = this.fetcher.fetchToken(secret.auth).finally(() => this.inflight.delete(arn));
      this.inflight.set(arn, pending);
    }
    const token = await pending;
    this.tokens.set(arn, token);
    return token;
  }

  /** After a 401/407: the next call fetches a fresh token. */
  forgetToken(arn: string): void {
    this.tokens.delete(arn);
  }

  /** The first token of an OAuth connection: AUTHORIZED, or DEAUTHORIZED with the endpoint's answer. */
  async authorize(arn: string): Promise<void> {
    let change: Partial<ConnectionDoc>;
    try {
      await this.token(arn, true);
      change = { state: 'AUTHORIZED', authorizedAt: this.clock.now() };
    } catch (err) {
      change = { state: 'DEAUTHORIZED', stateReason: `Unable to authorize with the authorization endpoint: ${(err as Error).message}` };
    }
    await this.state.exclusive(async () => {
      const doc = this.docs.get(arn);
      if (doc?.state === 'AUTHORIZING') await this.docs.put({ ...withoutReason(doc), ...change });
    });
  }

  require(ctx: RequestContext, name: string, action: Action = 'describe'): ConnectionDoc {
    const doc = this.docs.byName(ctx, name);
    if (!doc) throw notFound(action, name);
    return doc;
  }

  private async save(doc: ConnectionDoc, auth: CreateConnectionAuthRequestParameters): Promise<void> {
    const secret: ConnectionSecretDoc = { arn: doc.arn, name: doc.name, account: doc.account, region: doc.region, auth };
    await this.state.commit({ resources: [this.docs.writeOf(doc), this.secrets.writeOf(secret)] });
    this.docs.applyPut(doc);
    this.secrets.applyPut(secret);
  }
}

/** The parameters the authorization type needs (amiwatch's texts: AWS's are not recorded). */
function checkAuth(type: AuthorizationType, a: CreateConnectionAuthRequestParameters): void {
  const missing = (what: string) => EventsErrors.ValidationException(`AuthorizationType ${type} requires ${what}.`);
  if (type === 'BASIC' && !(a.BasicAuthParameters?.Username && a.BasicAuthParameters.Password))
    throw missing('BasicAuthParameters with Username and Password');
  if (type === 'API_KEY' && !(a.ApiKeyAuthParameters?.ApiKeyName && a.ApiKeyAuthParameters.ApiKeyValue))
    throw missing('ApiKeyAuthParameters with ApiKeyName and ApiKeyValue');
  if (type === 'OAUTH_CLIENT_CREDENTIALS') {
    const o = a.OAuthParameters;
    if (!(o?.ClientParameters?.ClientID && o.ClientParameters.ClientSecret && o.AuthorizationEndpoint && o.HttpMethod)) {
      throw missing('OAuthParameters with ClientParameters (ClientID, ClientSecret), AuthorizationEndpoint and HttpMethod');
    }
  }
}

/** A connection authorizes one way: a change of AuthorizationType drops the other ways' parameters. */
function onlyFor(type: AuthorizationType, a: CreateConnectionAuthRequestParameters): CreateConnectionAuthRequestParameters {
  return {
    ...(type === 'BASIC' && a.BasicAuthParameters && { BasicAuthParameters: a.BasicAuthParameters }),
    ...(type === 'API_KEY' && a.ApiKeyAuthParameters && { ApiKeyAuthParameters: a.ApiKeyAuthParameters }),
    ...(type === 'OAUTH_CLIENT_CREDENTIALS' && a.OAuthParameters && { OAuthParameters: a.OAuthParameters }),
    ...(a.InvocationHttpParameters && { InvocationHttpParameters: a.InvocationHttpParameters }),
  };
}

function merge<T extends object>(base: T, patch: T): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    const prev = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' ? merge(prev as object, v as object) : v;
  }
  return out as T;
}

const withoutReason = (doc: ConnectionDoc): ConnectionDoc => {
  const { stateReason: _drop, ...rest } = doc;
  return rest;
};

const stamps = (d: ConnectionDoc) => ({
  CreationTime: new Date(d.createdAt),
  LastModifiedTime: new Date(d.modifiedAt),
  ...(d.authorizedAt !== undefined && { LastAuthorizedTime: new Date(d.authorizedAt) }),
});

function summary(d: ConnectionDoc): Connection {
  return {
    ConnectionArn: d.arn,
    Name: d.name,
    ConnectionState: d.state,
    AuthorizationType: d.authorizationType,
    ...(d.stateReason !== undefined && { StateReason: d.stateReason }),
    ...stamps(d),
  };
}
