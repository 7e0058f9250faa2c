import type { SnsService } from '../../core/sns/sns-service.js';
import { dispatch, type DispatchOptions } from '../dispatch.js';
import { snsModel, type SnsOperations } from '../generated/sns.js';
import { queryProtocol } from '../protocols/query.js';
import type { ServiceHandler } from '../service-handler.js';
import { constraintText, validationSummary, violationText } from '../model/constraints.js';
import { CommonErrors, SnsErrors } from '../../core/generated/errors.js';

export const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
export const SNS_QUERY_VERSION = snsModel.apiVersion;

/** SNS's operations bound to the domain. */
export function snsOperations(sns: SnsService): SnsOperations {
  const { subscriptions, publisher } = sns;
  const { applications, endpoints, sms } = sns.push;
  return {
    CreateTopic: (ctx, input) => sns.createTopic(ctx, input),
    DeleteTopic: (ctx, input) => sns.deleteTopic(ctx, input),
    ListTopics: (ctx, input) => sns.listTopics(ctx, input),
    GetTopicAttributes: (ctx, input) => sns.getTopicAttributes(ctx, input),
    SetTopicAttributes: (ctx, input) => sns.setTopicAttributes(ctx, input),
    TagResource: async (ctx, input) => (await sns.tagResource(ctx, input), {}),
    UntagResource: async (ctx, input) => (await sns.untagResource(ctx, input), {}),
    ListTagsForResource: (ctx, input) => sns.listTagsForResource(ctx, input),
    Subscribe: (ctx, input) => subscriptions.subscribe(ctx, input),
    ConfirmSubscription: (ctx, input) => subscriptions.confirmSubscription(ctx, input),
    Unsubscribe: (ctx, input) => subscriptions.unsubscribe(ctx, input),
    ListSubscriptions: (ctx, input) => subscriptions.listSubscriptions(ctx, input),
    ListSubscriptionsByTopic: (ctx, input) => subscriptions.listSubscriptionsByTopic(ctx, input),
    GetSubscriptionAttributes: (ctx, input) => subscriptions.getSubscriptionAttributes(ctx, input),
    SetSubscriptionAttributes: (ctx, input) => subscriptions.setSubscriptionAttributes(ctx, input),
    Publish: (ctx, input) => publisher.publish(ctx, input),
    PublishBatch: (ctx, input) => publisher.publishBatch(ctx, input),
    AddPermission: (ctx, input) => sns.permissions.addPermission(ctx, input),
    RemovePermission: (ctx, input) => sns.permissions.removePermission(ctx, input),
    CreatePlatformApplication: (ctx, input) => applications.createPlatformApplication(ctx, input),
    GetPlatformApplicationAttributes: (ctx, input) => applications.getPlatformApplicationAttributes(ctx, input),
    SetPlatformApplicationAttributes: (ctx, input) => applications.setPlatformApplicationAttributes(ctx, input),
    DeletePlatformApplication: (ctx, input) => applications.deletePlatformApplication(ctx, input),
    ListPlatformApplications: (ctx, input) => applications.listPlatformApplications(ctx, input),
    CreatePlatformEndpoint: (ctx, input) => endpoints.createPlatformEndpoint(ctx, input),
    GetEndpointAttributes: (ctx, input) => endpoints.getEndpointAttributes(ctx, input),
    SetEndpointAttributes: (ctx, input) => endpoints.setEndpointAttributes(ctx, input),
    DeleteEndpoint: (ctx, input) => endpoints.deleteEndpoint(ctx, input),
    ListEndpointsByPlatformApplication: (ctx, input) => endpoints.listEndpointsByPlatformApplication(ctx, input),
    SetSMSAttributes: async (ctx, input) => (await sms.setSMSAttributes(ctx, input), {}),
    GetSMSAttributes: (ctx, input) => sms.getSMSAttributes(ctx, input),
    CheckIfPhoneNumberIsOptedOut: (ctx, input) => sms.checkIfPhoneNumberIsOptedOut(ctx, input),
    ListPhoneNumbersOptedOut: (ctx, input) => sms.listPhoneNumbersOptedOut(ctx, input),
    OptInPhoneNumber: async (ctx, input) => (await sms.optInPhoneNumber(ctx, input), {}),
  };
}

/** SNS over awsQuery: form in, XML out (the only protocol SNS clients use). */
export const snsProtocol = queryProtocol(snsModel, {
  namespace: SNS_NAMESPACE,
  decoding: {
    invalidValue: (raw, key) => CommonErrors.InvalidParameterValue(`Value ${raw} for parameter ${key} is invalid.`),
    tooMany: (key, count, max) =>
      SnsErrors.InvalidParameter(`Invalid parameter: ${key} has ${count} entries, more than the allowed maximum [${max}].`),
  },
  invalidAction: (action) => CommonErrors.InvalidAction(`The action ${action} is not valid for this web service.`),
  check: {
    // SNS's text for a required member left out (e.g. DeletePlatformApplication without its ARN).
    missing: (key) => SnsErrors.InvalidParameter(`Invalid parameter: ${key} Reason: no value for required parameter`),
    // A value outside the model: the modelled ValidationException, every clause as AWS's validators write it.
    invalid: (violations) =>
      SnsErrors.ValidationException(validationSummary(violations.map((v) => violationText(v.value, v.path, constraintText(v.failure))))),
  },
  internalError: () => SnsErrors.InternalError('An internal error has occurred.'),
});

export const createSnsHandler = (sns: SnsService, onInternalError: DispatchOptions['onInternalError']): ServiceHandler =>
  dispatch(snsProtocol, snsOperations(sns), { ...(onInternalError && { onInternalError }) });

export const snsError = snsProtocol.error;
