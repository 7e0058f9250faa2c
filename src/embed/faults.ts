import type { FaultService } from '../core/ec2/faults.js';
import type { FaultRuleRecord } from '../storage/ports/ec2-store.js';
import type { AmiwatchFaultRule, AmiwatchFaults } from './types.js';

/**
 * EC2 fault rules for the embedded server, in the words of `amiwatch faults add` (`name`, `code`,
 * `message`) over the same service the control API uses, with its validation errors.
 */
export function embeddedFaults(faults: FaultService): AmiwatchFaults {
  return {
    async add(rule) {
      const record = await faults.add({
        ...(rule.operation !== undefined && { operation: rule.operation }),
        ...(rule.name !== undefined && { namePattern: rule.name }),
        ...(rule.tagKey !== undefined && { tagKey: rule.tagKey }),
        ...(rule.tagValue !== undefined && { tagValue: rule.tagValue }),
        ...(rule.code !== undefined && { errorCode: rule.code }),
        ...(rule.delayMs !== undefined && { delayMs: rule.delayMs }),
        errorMessage: rule.message,
      });
      return view(record);
    },
    list: async () => (await faults.list()).map(view),
    remove: (id) => faults.remove(id),
    clear: () => faults.clear(),
  };
}

function view(r: FaultRuleRecord): AmiwatchFaultRule {
  return {
    id: r.id,
    operation: r.operation,
    message: r.errorMessage,
    ...(r.namePattern !== undefined && { name: r.namePattern }),
    ...(r.tagKey !== undefined && { tagKey: r.tagKey }),
    ...(r.tagValue !== undefined && { tagValue: r.tagValue }),
    ...(r.errorCode !== undefined && { code: r.errorCode }),
    ...(r.delayMs !== undefined && { delayMs: r.delayMs }),
  };
}
