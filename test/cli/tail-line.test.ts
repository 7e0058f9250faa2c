import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventLine } from '../../src/cli/tail.js';
import { createStyle } from '../../src/cli/style.js';

const event = (extra: object) => ({
  seq: 1,
  id: 'e',
  bus: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
  ingestedAt: '2026-12-07T20:00:00.000Z',
  rules: ['ami-available'],
  event: { source: 'aws.ec2', 'detail-type': 'EC2 AMI State Change', detail: { ImageId: 'ami-1', State: 'available' }, ...extra },
});

test('tail marks a replayed event with its replay name, and only those', () => {
  const s = createStyle(false);
  assert.equal(
    eventLine(s, event({ 'replay-name': 'fix-1' }) as never),
    '20:00:00.000 default [replay fix-1] aws.ec2 EC2 AMI State Change ami-1 available → ami-available',
  );
  assert.equal(eventLine(s, event({}) as never), '20:00:00.000 default aws.ec2 EC2 AMI State Change ami-1 available → ami-available');
});
