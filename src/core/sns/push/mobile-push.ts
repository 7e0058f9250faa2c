import type { Store } from '../../../storage/store.js';
import type { Clock } from '../../shared/clock.js';
import type { Random } from '../../shared/random.js';
import { PlatformApplications } from './platform-applications.js';
import { PlatformEndpoints } from './platform-endpoints.js';
import type { PushTarget } from './push-model.js';
import { PushState } from './push-state.js';
import { SmsSettings } from './sms-settings.js';

/** Where an endpoint ARN leads when a message is published to it. */
export type PushLookup =
  | { readonly kind: 'ok'; readonly target: PushTarget; readonly account: string }
  | { readonly kind: 'missing' }
  /** The endpoint's Enabled is false (EndpointDisabled). */
  | { readonly kind: 'disabled'; readonly account: string }
  /** Its platform application's Enabled is false (PlatformApplicationDisabled). */
  | { readonly kind: 'application-disabled'; readonly account: string };

/** SNS mobile push (platform applications, endpoints) and the SMS settings and opt-out list. */
export class MobilePush {
  readonly applications: PlatformApplications;
  readonly endpoints: PlatformEndpoints;
  readonly sms: SmsSettings;

  private constructor(
    readonly state: PushState,
    clock: Clock,
    random: Random,
  ) {
    this.applications = new PlatformApplications(state, clock);
    this.endpoints = new PlatformEndpoints(state, this.applications, clock, random);
    this.sms = new SmsSettings(state, clock);
  }

  static async open(store: Store, clock: Clock, random: Random): Promise<MobilePush> {
    return new MobilePush(await PushState.load(store), clock, random);
  }

  lookup(endpointArn: string): PushLookup {
    const e = this.state.endpoints.get(endpointArn);
    const app = e && this.state.applications.get(e.applicationArn);
    if (!e || !app) return { kind: 'missing' };
    if (e.attributes.Enabled === 'false') return { kind: 'disabled', account: e.account };
    if (app.attributes.Enabled === 'false') return { kind: 'application-disabled', account: e.account };
    const customUserData = e.attributes.CustomUserData;
    return {
      kind: 'ok',
      account: e.account,
      target: {
        platform: app.platform,
        applicationArn: app.arn,
        endpointArn: e.arn,
        token: e.attributes.Token ?? '',
        ...(customUserData !== undefined && { customUserData }),
      },
    };
  }
}
