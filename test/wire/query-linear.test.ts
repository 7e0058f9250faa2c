import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { Protocol } from '../../src/wire/dispatch.js';
import type { WireRequest } from '../../src/wire/service-handler.js';
import { ec2Protocol } from '../../src/wire/protocols/ec2.js';
import { ec2Model } from '../../src/wire/generated/ec2.js';
import { snsProtocol } from '../../src/wire/services/sns.js';
import { sqsQueryProtocol } from '../../src/wire/services/sqs.js';

/**
 * Query-protocol list parameters are read in time linear in the request (issue 22: one SNS
 * Publish with 10,000 message attributes blocked the server for 47 s; 5,000 EC2 filters 2.9 s;
 * 5,000 SQS attributes 5.0 s). Each case reads a request of n and of 2n list entries and checks
 * the ratio of the median times: about 2 when linear, about 4 when quadratic. No absolute time
 * is asserted.
 */
const context = { accountId: '000000000000', region: 'us-east-1', requestId: 'r' };
const request = (body: string): WireRequest => ({ method: 'POST', url: '/', headers: {}, body: Buffer.from(body), context });

function time(protocol: Protocol, body: string): number {
  const start = performance.now();
  protocol.read(request(body));
  return performance.now() - start;
}

/**
 * The fastest of several interleaved runs of each size: other load on the machine only ever
 * adds time, so the minimum is the cleanest measure of the work itself. A quadratic reader
 * gives a ratio near 4 in every attempt; a linear one near 2, so one attempt under 3 of three
 * (each on a machine that may be busy) shows linearity.
 */
function assertLinear(name: string, protocol: Protocol, body: (n: number) => string, n: number): void {
  const [small, large] = [body(n), body(2 * n)];
  for (let i = 0; i < 3; i++) time(protocol, small); // warm-up: compiled code is compared
  const ratios: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    let [a, b] = [Infinity, Infinity];
    for (let i = 0; i < 15; i++) {
      a = Math.min(a, time(protocol, small));
      b = Math.min(b, time(protocol, large));
    }
    ratios.push(b / a);
    if (b / a < 3) return;
  }
  assert.fail(
    `${name}: doubling the list multiplied the parse time by ${ratios.map((r) => r.toFixed(2)).join(', ')} (linear ≈ 2, quadratic ≈ 4)`,
  );
}

const entries = (n: number, entry: (i: number) => string) => Array.from({ length: n }, (_, i) => entry(i + 1)).join('&');

test('SNS Publish: MessageAttributes.entry.N is read in linear time', () => {
  const body = (n: number) =>
    `Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Message=m&` +
    entries(
      n,
      (i) =>
        `MessageAttributes.entry.${i}.Name=a${i}&MessageAttributes.entry.${i}.Value.DataType=String&MessageAttributes.entry.${i}.Value.StringValue=v`,
    );
  const input = snsProtocol.read(request(body(3))).input as { MessageAttributes: Record<string, unknown> };
  assert.deepEqual(input.MessageAttributes.a2, { DataType: 'String', StringValue: 'v' });
  assertLinear('SNS MessageAttributes', snsProtocol, body, 300);
});

test('EC2 DescribeImages: Filter.N.Value.M is read in linear time', () => {
  const body = (n: number) =>
    `Action=DescribeImages&Version=2016-11-15&` +
    entries(n, (i) => `Filter.${i}.Name=name&Filter.${i}.Value.1=x${i}&Filter.${i}.Value.2=y`);
  const protocol = ec2Protocol(ec2Model);
  const input = protocol.read(request(body(2))).input as { Filters: unknown[] };
  assert.deepEqual(input.Filters, [
    { Name: 'name', Values: ['x1', 'y'] },
    { Name: 'name', Values: ['x2', 'y'] },
  ]);
  assertLinear('EC2 Filter', protocol, body, 300);
});

test('SQS SetQueueAttributes / SendMessage: Attribute.N and MessageAttribute.N are read in linear time', () => {
  const attributes = (n: number) =>
    `Action=SetQueueAttributes&QueueUrl=q&` + entries(n, (i) => `Attribute.${i}.Name=A${i}&Attribute.${i}.Value=v`);
  assert.deepEqual(sqsQueryProtocol.read(request(attributes(2))).input, { QueueUrl: 'q', Attributes: { A1: 'v', A2: 'v' } });
  assertLinear('SQS Attribute', sqsQueryProtocol, attributes, 300);
  const messageAttributes = (n: number) =>
    `Action=SendMessage&QueueUrl=q&MessageBody=b&` +
    entries(
      n,
      (i) => `MessageAttribute.${i}.Name=a${i}&MessageAttribute.${i}.Value.DataType=String&MessageAttribute.${i}.Value.StringValue=v`,
    );
  assertLinear('SQS MessageAttribute', sqsQueryProtocol, messageAttributes, 300);
});
