import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ec2Model } from '../../src/wire/generated/ec2.js';
import { snsModel } from '../../src/wire/generated/sns.js';
import { sqsModel } from '../../src/wire/generated/sqs.js';
import { xmlOutput } from '../../src/wire/model/xml-output.js';

/**
 * XML results from the generated output shapes (src/wire/model/xml-output.ts): the element
 * names, wrappings and flattenings are the model's, not tables written per operation.
 */
it('EC2: camelCase locationNames, every list an <item> set, booleans and timestamps as text', () => {
  const out = xmlOutput(ec2Model.outputShapes!, 'DescribeVolumesResult', {
    Volumes: [
      {
        VolumeId: 'vol-1',
        State: 'in-use',
        Encrypted: false,
        Size: 8,
        CreateTime: new Date('2026-12-01T00:00:00Z'),
        Attachments: [{ InstanceId: 'i-1', State: 'attached' }],
        Tags: [],
      },
    ],
  });
  assert.deepEqual(out, {
    volumeSet: {
      item: [
        {
          volumeId: 'vol-1',
          status: 'in-use',
          encrypted: 'false',
          size: '8',
          createTime: '2026-12-01T00:00:00.000Z',
          attachmentSet: { item: [{ instanceId: 'i-1', status: 'attached' }] },
          tagSet: '',
        },
      ],
    },
  });
});

it('awsQuery (SNS): lists in <member>, maps as <entry><key/><value/>', () => {
  assert.deepEqual(xmlOutput(snsModel.outputShapes!, 'ListTopicsResponse', { Topics: [{ TopicArn: 'arn:t' }], NextToken: undefined }), {
    Topics: { member: [{ TopicArn: 'arn:t' }] },
  });
  assert.deepEqual(xmlOutput(snsModel.outputShapes!, 'GetTopicAttributesResponse', { Attributes: { Owner: '1', Policy: '{}' } }), {
    Attributes: {
      entry: [
        { key: 'Owner', value: '1' },
        { key: 'Policy', value: '{}' },
      ],
    },
  });
});

it("SQS's query mode: flattened lists and maps under their query names", () => {
  assert.deepEqual(xmlOutput(sqsModel.outputShapes!, 'ListQueuesResult', { QueueUrls: ['u1', 'u2'] }), { QueueUrl: ['u1', 'u2'] });
  assert.deepEqual(xmlOutput(sqsModel.outputShapes!, 'ListQueueTagsResult', { Tags: { team: 'a' } }), {
    Tag: [{ Key: 'team', Value: 'a' }],
  });
  assert.deepEqual(
    xmlOutput(sqsModel.outputShapes!, 'SendMessageBatchResult', {
      Successful: [{ Id: '1', MessageId: 'm', MD5OfMessageBody: 'x' }],
      Failed: [{ Id: '2', SenderFault: true, Code: 'C', Message: 'no' }],
    }),
    {
      SendMessageBatchResultEntry: [{ Id: '1', MessageId: 'm', MD5OfMessageBody: 'x' }],
      BatchResultErrorEntry: [{ Id: '2', SenderFault: 'true', Code: 'C', Message: 'no' }],
    },
  );
});

it('members the model does not have are not written (a map key is data, never an element name)', () => {
  const out = xmlOutput(sqsModel.outputShapes!, 'GetQueueAttributesResult', { Attributes: { '@_x': 'y' }, Extra: 'z' });
  assert.deepEqual(out, { Attribute: [{ Name: '@_x', Value: 'y' }] });
});
