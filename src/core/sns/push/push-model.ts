/**
 * SNS mobile push and SMS settings as core keeps them: documents in the store's keyed state, so
 * memory, SQLite and JetStream keep them alike (kinds below, keyed by ARN or account/Region).
 */
export const PUSH_KIND = {
  application: 'sns.platform-application',
  endpoint: 'sns.platform-endpoint',
  /** SetSMSAttributes' settings, per account and Region (key `<account>:<region>`). */
  sms: 'sns.sms-attributes',
  /** Opted-out phone numbers, per account and Region (key `<account>:<region>:<number>`). */
  optOut: 'sns.sms-opt-out',
} as const;

/**
 * The platforms CreatePlatformApplication accepts (its API reference: ADM, APNS, APNS_SANDBOX,
 * BAIDU, GCM, MACOS, MACOS_SANDBOX, MPNS, WNS; the console lists `FCM` under GCM's name).
 */
export const PLATFORMS = ['ADM', 'APNS', 'APNS_SANDBOX', 'BAIDU', 'GCM', 'MACOS', 'MACOS_SANDBOX', 'MPNS', 'WNS'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface PlatformApplicationDoc {
  arn: string;
  name: string;
  platform: Platform;
  account: string;
  region: string;
  /** As set, credentials included (a gateway needs them); Get… hides PlatformCredential/Principal. */
  attributes: Record<string, string>;
  createdAt: number;
}

export interface PlatformEndpointDoc {
  arn: string;
  applicationArn: string;
  account: string;
  region: string;
  /** Token, Enabled, CustomUserData (SetEndpointAttributes' three). */
  attributes: Record<string, string>;
  createdAt: number;
}

export interface SmsSettingsDoc {
  account: string;
  region: string;
  attributes: Record<string, string>;
}

export interface OptOutDoc {
  account: string;
  region: string;
  phoneNumber: string;
  /** False once opted in again: the document stays to remember optedInAt. */
  optedOut: boolean;
  /** When the number opted out (the STOP reply; amiwatch's control API). */
  optedOutAt: number;
  /** The last OptInPhoneNumber for it: "only once every 30 days" (OptInPhoneNumber API reference). */
  optedInAt?: number;
}

/** What a push delivery needs to know about its endpoint (carried on the Notification). */
export interface PushTarget {
  readonly platform: Platform;
  readonly applicationArn: string;
  readonly endpointArn: string;
  readonly token: string;
  readonly customUserData?: string;
}
