import type {
  CheckIfPhoneNumberIsOptedOutInput,
  CheckIfPhoneNumberIsOptedOutResponse,
  GetSMSAttributesInput,
  GetSMSAttributesResponse,
  ListPhoneNumbersOptedOutInput,
  ListPhoneNumbersOptedOutResponse,
  OptInPhoneNumberInput,
  SetSMSAttributesInput,
} from '@aws-sdk/client-sns';
import type { Clock } from '../../shared/clock.js';
import type { RequestContext } from '../../shared/request-context.js';
import { SnsErrors } from '../../generated/errors.js';
import { paginate } from '../paging.js';
import { PUSH_KIND, type OptOutDoc } from './push-model.js';
import { optOutKey, scopeKey, type PushState } from './push-state.js';

const OPT_IN_EVERY_MS = 30 * 24 * 3600_000;
/** AWS's default monthly SMS spend limit, in USD, before any SetSMSAttributes. */
const DEFAULTS: Readonly<Record<string, string>> = { MonthlySpendLimit: '1' };

/** SetSMSAttributes' names (its API reference) and what each accepts. */
const SMS_ATTRIBUTES: Readonly<Record<string, (v: string) => boolean>> = {
  MonthlySpendLimit: (v) => /^\d+$/.test(v),
  DeliveryStatusIAMRole: (v) => v === '' || v.startsWith('arn:'),
  DeliveryStatusSuccessSamplingRate: (v) => /^(100|[1-9]?\d)$/.test(v),
  // "up to 11 alphanumeric characters … at least one letter and no spaces".
  DefaultSenderID: (v) => /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/.test(v),
  DefaultSMSType: (v) => v === 'Promotional' || v === 'Transactional',
  UsageReportS3Bucket: (v) => /^[a-z0-9.-]{3,63}$/.test(v),
};

const E164 = /^\+[1-9]\d{1,14}$/;

/** The SMS settings and opt-out list of each account and Region, and whether a number may be sent to. */
export class SmsSettings {
  constructor(
    private readonly state: PushState,
    private readonly clock: Clock,
  ) {}

  async setSMSAttributes(ctx: RequestContext, input: SetSMSAttributesInput): Promise<void> {
    const given = input.attributes ?? {};
    for (const [k, v] of Object.entries(given)) {
      const valid = SMS_ATTRIBUTES[k];
      if (!valid) throw SnsErrors.InvalidParameter(`${k} is not a valid attribute`);
      if (!valid(v)) throw SnsErrors.InvalidParameter(`Invalid parameter: ${k}`);
    }
    const key = scopeKey(ctx.accountId, ctx.region);
    const current = this.state.sms.get(key)?.attributes ?? {};
    await this.state.write([
      { kind: PUSH_KIND.sms, key, doc: { account: ctx.accountId, region: ctx.region, attributes: { ...current, ...given } } },
    ]);
  }

  /** All settings, or those named (names not set are left out, as AWS does). */
  async getSMSAttributes(ctx: RequestContext, input: GetSMSAttributesInput): Promise<GetSMSAttributesResponse> {
    const all = { ...DEFAULTS, ...this.state.sms.get(scopeKey(ctx.accountId, ctx.region))?.attributes };
    const names = input.attributes ?? [];
    if (names.length === 0) return { attributes: all };
    return { attributes: Object.fromEntries(names.filter((n) => all[n] !== undefined).map((n) => [n, all[n]!])) };
  }

  async checkIfPhoneNumberIsOptedOut(
    ctx: RequestContext,
    input: CheckIfPhoneNumberIsOptedOutInput,
  ): Promise<CheckIfPhoneNumberIsOptedOutResponse> {
    return { isOptedOut: this.isOptedOut(ctx.accountId, ctx.region, checkPhone(input.phoneNumber)) };
  }

  async listPhoneNumbersOptedOut(ctx: RequestContext, input: ListPhoneNumbersOptedOutInput): Promise<ListPhoneNumbersOptedOutResponse> {
    const numbers = [...this.state.optOuts.values()]
      .filter((o) => o.optedOut && o.account === ctx.accountId && o.region === ctx.region)
      .map((o) => o.phoneNumber)
      .sort();
    const { page, next } = paginate(numbers, input.nextToken);
    return { phoneNumbers: page, ...(next && { nextToken: next }) };
  }

  /** "You can opt in a phone number only once every 30 days" (OptInPhoneNumber API reference). */
  async optInPhoneNumber(ctx: RequestContext, input: OptInPhoneNumberInput): Promise<void> {
    const phone = checkPhone(input.phoneNumber);
    const key = optOutKey(ctx.accountId, ctx.region, phone);
    const o = this.state.optOuts.get(key);
    if (!o?.optedOut) return;
    const now = this.clock.now();
    if (o.optedInAt !== undefined && now - o.optedInAt < OPT_IN_EVERY_MS)
      throw SnsErrors.InvalidParameter('Invalid parameter: PhoneNumber Reason: a phone number can be opted in only once every 30 days');
    await this.state.write([{ kind: PUSH_KIND.optOut, key, doc: { ...o, optedOut: false, optedInAt: now } }]);
  }

  /** The number's owner replied STOP (on AWS, to the carrier; here through amiwatch's control API). */
  async optOut(account: string, region: string, phoneNumber: string): Promise<void> {
    const phone = checkPhone(phoneNumber);
    const key = optOutKey(account, region, phone);
    const prior = this.state.optOuts.get(key);
    const doc: OptOutDoc = { ...prior, account, region, phoneNumber: phone, optedOut: true, optedOutAt: this.clock.now() };
    await this.state.write([{ kind: PUSH_KIND.optOut, key, doc }]);
  }

  /** Opted-out numbers are not sent to: neither Publish to the number nor an `sms` subscription. */
  isOptedOut(account: string, region: string, phone: string): boolean {
    return this.state.optOuts.get(optOutKey(account, region, phone))?.optedOut === true;
  }
}

function checkPhone(phone: string | undefined): string {
  if (!phone || !E164.test(phone)) throw SnsErrors.InvalidParameter('Invalid parameter: PhoneNumber Reason: input incorrectly formatted');
  return phone;
}
