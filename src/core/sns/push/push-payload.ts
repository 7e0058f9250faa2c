import { SnsErrors } from '../../generated/errors.js';
import type { Platform } from './push-model.js';

/**
 * What each push service takes in one notification, in bytes: Apple's 4 KB payload (APNS, macOS),
 * FCM's 4 KB of data, Baidu 4 KB, ADM 6 KB, WNS 5 KB, MPNS 3 KB (the services' own limits, which
 * SNS enforces when publishing to an endpoint).
 */
const LIMITS: Readonly<Record<Platform, number>> = {
  APNS: 4096,
  APNS_SANDBOX: 4096,
  MACOS: 4096,
  MACOS_SANDBOX: 4096,
  GCM: 4096,
  BAIDU: 4096,
  ADM: 6144,
  WNS: 5120,
  MPNS: 3072,
};

/**
 * A direct publish whose payload the endpoint's service would refuse is refused with SNS's text:
 * "Invalid parameter: Message Reason: Invalid notification for protocol APNS: Notification is too
 * long" ("Notification data is larger than allowed limit" for GCM), as SDK users see it.
 */
export function checkPushPayload(platform: Platform, payload: string): void {
  if (Buffer.byteLength(payload) <= LIMITS[platform]) return;
  const why = platform === 'GCM' ? 'Notification data is larger than allowed limit' : 'Notification is too long';
  throw SnsErrors.InvalidParameter(`Invalid parameter: Message Reason: Invalid notification for protocol ${platform}: ${why}`);
}
