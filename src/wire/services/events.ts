import type { EventsService } from '../../core/events/events-service.js';
import { testEventPattern } from '../../core/events/test-event-pattern.js';
import { dispatch, type DispatchOptions } from '../dispatch.js';
import { eventsModel, type EventsOperations } from '../generated/events.js';
import { jsonProtocol } from '../protocols/json.js';
import type { ServiceHandler } from '../service-handler.js';
import { CommonErrors, EventsErrors } from '../../core/generated/errors.js';

/** EventBridge's operations (`X-Amz-Target: AWSEvents.<Operation>`) bound to the domain. */
export function eventsOperations(events: EventsService): EventsOperations {
  const { buses, rules, targets, tags, permissions, ingestion, archives, replays, connections, apiDestinations } = events;
  return {
    CreateEventBus: (ctx, input) => buses.createEventBus(ctx, input),
    DeleteEventBus: (ctx, input) => buses.deleteEventBus(ctx, input),
    DescribeEventBus: (ctx, input) => buses.describeEventBus(ctx, input),
    ListEventBuses: (ctx, input) => buses.listEventBuses(ctx, input),
    UpdateEventBus: (ctx, input) => buses.updateEventBus(ctx, input),
    PutRule: (ctx, input) => rules.putRule(ctx, input),
    DescribeRule: (ctx, input) => rules.describeRule(ctx, input),
    ListRules: (ctx, input) => rules.listRules(ctx, input),
    DeleteRule: (ctx, input) => rules.deleteRule(ctx, input),
    EnableRule: (ctx, input) => rules.enableRule(ctx, input),
    DisableRule: (ctx, input) => rules.disableRule(ctx, input),
    PutTargets: (ctx, input) => targets.putTargets(ctx, input),
    RemoveTargets: (ctx, input) => targets.removeTargets(ctx, input),
    ListTargetsByRule: (ctx, input) => targets.listTargetsByRule(ctx, input),
    ListRuleNamesByTarget: (ctx, input) => targets.listRuleNamesByTarget(ctx, input),
    PutEvents: (ctx, input) => ingestion.putEvents(ctx, input),
    TestEventPattern: async (_ctx, input) => testEventPattern(input),
    TagResource: (ctx, input) => tags.tagResource(ctx, input),
    UntagResource: (ctx, input) => tags.untagResource(ctx, input),
    ListTagsForResource: (ctx, input) => tags.listTagsForResource(ctx, input),
    PutPermission: (ctx, input) => permissions.putPermission(ctx, input),
    RemovePermission: (ctx, input) => permissions.removePermission(ctx, input),
    CreateArchive: (ctx, input) => archives.createArchive(ctx, input),
    DescribeArchive: (ctx, input) => archives.describeArchive(ctx, input),
    UpdateArchive: (ctx, input) => archives.updateArchive(ctx, input),
    DeleteArchive: (ctx, input) => archives.deleteArchive(ctx, input),
    ListArchives: (ctx, input) => archives.listArchives(ctx, input),
    StartReplay: (ctx, input) => replays.startReplay(ctx, input),
    DescribeReplay: (ctx, input) => replays.describeReplay(ctx, input),
    CancelReplay: (ctx, input) => replays.cancelReplay(ctx, input),
    ListReplays: (ctx, input) => replays.listReplays(ctx, input),
    CreateConnection: (ctx, input) => connections.createConnection(ctx, input),
    DescribeConnection: (ctx, input) => connections.describeConnection(ctx, input),
    UpdateConnection: (ctx, input) => connections.updateConnection(ctx, input),
    DeleteConnection: (ctx, input) => connections.deleteConnection(ctx, input),
    ListConnections: (ctx, input) => connections.listConnections(ctx, input),
    DeauthorizeConnection: (ctx, input) => connections.deauthorizeConnection(ctx, input),
    CreateApiDestination: (ctx, input) => apiDestinations.createApiDestination(ctx, input),
    DescribeApiDestination: (ctx, input) => apiDestinations.describeApiDestination(ctx, input),
    UpdateApiDestination: (ctx, input) => apiDestinations.updateApiDestination(ctx, input),
    DeleteApiDestination: (ctx, input) => apiDestinations.deleteApiDestination(ctx, input),
    ListApiDestinations: (ctx, input) => apiDestinations.listApiDestinations(ctx, input),
  };
}

/** EventBridge over AWS JSON 1.1, with the model's constraints checked (ValidationException). */
export const eventsProtocol = jsonProtocol(eventsModel, {
  check: () => 'full',
  unknownOperation: (target) =>
    CommonErrors.UnknownOperationException(target ? `Operation ${target} is not supported.` : 'Missing X-Amz-Target header.'),
  malformed: (detail) => CommonErrors.SerializationException(`Malformed JSON in the request body: ${detail}`),
  internalError: () => EventsErrors.InternalException('An internal error occurred.'),
});

export const createEventsHandler = (events: EventsService, onInternalError?: DispatchOptions['onInternalError']): ServiceHandler =>
  dispatch(eventsProtocol, eventsOperations(events), { ...(onInternalError && { onInternalError }) });

/** Errors found before EventBridge's handler runs (authentication, body limit), in its protocol. */
export const eventsError = eventsProtocol.error;
