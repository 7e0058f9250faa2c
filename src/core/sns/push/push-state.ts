import type { ResourceChange, Store } from '../../../storage/store.js';
import { loadFollowing } from '../../shared/follow.js';
import { PUSH_KIND, type OptOutDoc, type PlatformApplicationDoc, type PlatformEndpointDoc, type SmsSettingsDoc } from './push-model.js';

type Doc = PlatformApplicationDoc | PlatformEndpointDoc | SmsSettingsDoc | OptOutDoc;

/**
 * Platform applications, their endpoints, SMS settings and opt-outs in memory, loaded at start
 * and following other nodes' writes; written through (persist, then apply), as SnsState does.
 */
export class PushState {
  readonly applications = new Map<string, PlatformApplicationDoc>();
  readonly endpoints = new Map<string, PlatformEndpointDoc>();
  readonly sms = new Map<string, SmsSettingsDoc>();
  readonly optOuts = new Map<string, OptOutDoc>();

  private constructor(private readonly store: Store) {}

  static async load(store: Store): Promise<PushState> {
    const s = new PushState(store);
    await loadFollowing(
      store,
      Object.values(PUSH_KIND),
      () => s.loadAll(),
      (c) => s.apply(c),
    );
    return s;
  }

  private mapOf(kind: string): Map<string, Doc> | undefined {
    switch (kind) {
      case PUSH_KIND.application:
        return this.applications;
      case PUSH_KIND.endpoint:
        return this.endpoints;
      case PUSH_KIND.sms:
        return this.sms;
      case PUSH_KIND.optOut:
        return this.optOuts;
      default:
        return undefined;
    }
  }

  /**
   * Endpoints by application and by (application, token): an app may have millions of devices,
   * and CreatePlatformEndpoint looks its token up on every app start.
   */
  private readonly byApplication = new Map<string, Set<string>>();
  private readonly byToken = new Map<string, string>();

  /** A change another node wrote (or this one, replayed): the same map its write changed there. */
  apply(c: ResourceChange): void {
    const map = this.mapOf(c.kind) as Map<string, unknown> | undefined;
    if (!map) return;
    if (c.kind === PUSH_KIND.endpoint) this.unindex(this.endpoints.get(c.key));
    if (c.doc === null) map.delete(c.key);
    else map.set(c.key, JSON.parse(c.doc));
    if (c.kind === PUSH_KIND.endpoint) this.index(this.endpoints.get(c.key));
  }

  private index(e: PlatformEndpointDoc | undefined): void {
    if (!e) return;
    let arns = this.byApplication.get(e.applicationArn);
    if (!arns) this.byApplication.set(e.applicationArn, (arns = new Set()));
    arns.add(e.arn);
    this.byToken.set(tokenKey(e.applicationArn, e.attributes.Token ?? ''), e.arn);
  }

  private unindex(e: PlatformEndpointDoc | undefined): void {
    if (!e) return;
    const arns = this.byApplication.get(e.applicationArn);
    arns?.delete(e.arn);
    if (arns?.size === 0) this.byApplication.delete(e.applicationArn);
    const k = tokenKey(e.applicationArn, e.attributes.Token ?? '');
    if (this.byToken.get(k) === e.arn) this.byToken.delete(k);
  }

  private async loadAll(): Promise<void> {
    for (const kind of Object.values(PUSH_KIND)) {
      for (const r of await this.store.loadResources(kind)) this.apply({ kind, key: r.key, doc: r.doc });
    }
  }

  /** One write of several documents (null deletes), then the maps. */
  async write(changes: readonly { kind: string; key: string; doc: Doc | null }[]): Promise<void> {
    await this.store.writeResources(changes.map((c) => ({ kind: c.kind, key: c.key, doc: c.doc === null ? null : JSON.stringify(c.doc) })));
    for (const c of changes) this.apply({ kind: c.kind, key: c.key, doc: c.doc === null ? null : JSON.stringify(c.doc) });
  }

  putApplication(a: PlatformApplicationDoc): Promise<void> {
    return this.write([{ kind: PUSH_KIND.application, key: a.arn, doc: a }]);
  }

  putEndpoint(e: PlatformEndpointDoc): Promise<void> {
    return this.write([{ kind: PUSH_KIND.endpoint, key: e.arn, doc: e }]);
  }

  endpointsOf(applicationArn: string): PlatformEndpointDoc[] {
    return [...(this.byApplication.get(applicationArn) ?? [])].map((arn) => this.endpoints.get(arn)!);
  }

  /** The application's endpoint holding this device token, if any. */
  endpointWithToken(applicationArn: string, token: string): PlatformEndpointDoc | undefined {
    const arn = this.byToken.get(tokenKey(applicationArn, token));
    return arn === undefined ? undefined : this.endpoints.get(arn);
  }
}

const tokenKey = (applicationArn: string, token: string): string => `${applicationArn}\u0000${token}`;
export const scopeKey = (account: string, region: string): string => `${account}:${region}`;
export const optOutKey = (account: string, region: string, phone: string): string => `${account}:${region}:${phone}`;
