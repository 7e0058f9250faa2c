/** The EC2 AMI domain: what the server wires and the wire layer calls. */
export { Ec2Service, type Ec2ServiceConfig } from './ec2-service.js';
export { type AmiEventSink, type Ec2Event, type AmiStateChangeEvent, type AmiEventState, buildAmiEvent } from './ami-event.js';
export { FaultService, type FaultRuleInput, faultOperations, failTagKey } from './faults.js';
export { ImageLifecycle } from './lifecycle.js';
export { defaultEc2Options, ec2Options, type Ec2Options } from './options.js';
export { type InstanceStateChangeEvent, buildInstanceEvent, instanceArn } from './instance-event.js';
