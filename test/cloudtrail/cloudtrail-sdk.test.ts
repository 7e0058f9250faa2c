import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTrailsCommand,
  LookupEventsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { inProcess } from '../support/in-process.js';

/** CloudTrail's trail operations and LookupEvents through the SDK v3, with CloudTrail's errors. */
let app: App;
let ct: CloudTrailClient;
let west: CloudTrailClient;

before(async () => {
  app = await startTestServer();
  ct = new CloudTrailClient(inProcess(app));
  west = new CloudTrailClient(inProcess(app, 'us-west-2'));
});
after(async () => {
  ct.destroy();
  west.destroy();
  await app.close();
});

const rejects = (p: Promise<unknown>, name: string, message?: string | RegExp) =>
  assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name);
    if (message !== undefined)
      assert.match(e.message, typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
    return true;
  });

describe('CloudTrail trails (SDK v3)', () => {
  it('creates, describes, gets, lists, updates and deletes a trail', async () => {
    const created = await ct.send(
      new CreateTrailCommand({
        Name: 'management',
        S3BucketName: 'audit-logs',
        S3KeyPrefix: 'ct',
        TagsList: [{ Key: 'team', Value: 'platform' }],
      }),
    );
    assert.equal(created.Name, 'management');
    assert.equal(created.TrailARN, 'arn:aws:cloudtrail:us-east-1:000000000000:trail/management');
    assert.equal(created.S3BucketName, 'audit-logs');
    assert.equal(created.S3KeyPrefix, 'ct');
    assert.equal(created.IsMultiRegionTrail, false);
    assert.equal(created.IncludeGlobalServiceEvents, true);

    const described = await ct.send(new DescribeTrailsCommand({}));
    assert.deepEqual(
      described.trailList?.map((t) => [t.Name, t.HomeRegion, t.HasCustomEventSelectors]),
      [['management', 'us-east-1', false]],
    );
    assert.deepEqual((await ct.send(new DescribeTrailsCommand({ trailNameList: ['other'] }))).trailList, [], 'unknown names are left out');
    assert.equal((await ct.send(new GetTrailCommand({ Name: created.TrailARN }))).Trail?.Name, 'management', 'by ARN');
    assert.deepEqual((await ct.send(new ListTrailsCommand({}))).Trails, [
      { TrailARN: created.TrailARN, Name: 'management', HomeRegion: 'us-east-1' },
    ]);

    const updated = await ct.send(new UpdateTrailCommand({ Name: 'management', IsMultiRegionTrail: true, EnableLogFileValidation: true }));
    assert.equal(updated.IsMultiRegionTrail, true);
    assert.equal(updated.LogFileValidationEnabled, true);
    // A multi-region trail is seen from every region (a shadow), changed only from its home.
    assert.equal((await west.send(new GetTrailCommand({ Name: 'management' }))).Trail?.HomeRegion, 'us-east-1');
    assert.equal((await west.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList?.length, 0);
    await rejects(west.send(new StartLoggingCommand({ Name: 'management' })), 'InvalidHomeRegionException');

    await ct.send(new DeleteTrailCommand({ Name: 'management' }));
    await rejects(
      ct.send(new GetTrailCommand({ Name: 'management' })),
      'TrailNotFoundException',
      'Unknown trail: management for the user: 000000000000',
    );
  });

  it('starts and stops logging, and says so in GetTrailStatus', async () => {
    await ct.send(new CreateTrailCommand({ Name: 'status-trail', S3BucketName: 'audit-logs' }));
    assert.equal((await ct.send(new GetTrailStatusCommand({ Name: 'status-trail' }))).IsLogging, false);
    await ct.send(new StartLoggingCommand({ Name: 'status-trail' }));
    const on = await ct.send(new GetTrailStatusCommand({ Name: 'status-trail' }));
    assert.equal(on.IsLogging, true);
    assert.ok(on.StartLoggingTime instanceof Date);
    await ct.send(new StopLoggingCommand({ Name: 'arn:aws:cloudtrail:us-east-1:000000000000:trail/status-trail' }));
    const off = await ct.send(new GetTrailStatusCommand({ Name: 'status-trail' }));
    assert.equal(off.IsLogging, false);
    assert.ok(off.StopLoggingTime instanceof Date);
    await ct.send(new DeleteTrailCommand({ Name: 'status-trail' }));
  });

  it("refuses bad names, duplicates, unknown trails and bad buckets with CloudTrail's errors", async () => {
    await rejects(
      ct.send(new CreateTrailCommand({ Name: 'ab', S3BucketName: 'audit-logs' })),
      'InvalidTrailNameException',
      'Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters.',
    );
    await rejects(
      ct.send(new CreateTrailCommand({ Name: 'my trail', S3BucketName: 'audit-logs' })),
      'InvalidTrailNameException',
      'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).',
    );
    await rejects(
      ct.send(new CreateTrailCommand({ Name: '-trail', S3BucketName: 'audit-logs' })),
      'InvalidTrailNameException',
      'Trail name must starts with a letter or number.',
    );
    await rejects(ct.send(new CreateTrailCommand({ Name: 'my--trail', S3BucketName: 'audit-logs' })), 'InvalidTrailNameException');
    await rejects(ct.send(new CreateTrailCommand({ Name: '10.0.0.1', S3BucketName: 'audit-logs' })), 'InvalidTrailNameException');
    await rejects(ct.send(new CreateTrailCommand({ Name: 'good-name', S3BucketName: 'Bad_Bucket' })), 'InvalidS3BucketNameException');
    await rejects(
      ct.send(
        new CreateTrailCommand({
          Name: 'good-name',
          IsMultiRegionTrail: true,
          IncludeGlobalServiceEvents: false,
          S3BucketName: 'audit-logs',
        }),
      ),
      'InvalidParameterCombinationException',
    );
    await ct.send(new CreateTrailCommand({ Name: 'dup', S3BucketName: 'audit-logs' }));
    await rejects(
      ct.send(new CreateTrailCommand({ Name: 'dup', S3BucketName: 'audit-logs' })),
      'TrailAlreadyExistsException',
      'Trail dup already exists for customer: 000000000000',
    );
    await rejects(
      ct.send(new StartLoggingCommand({ Name: 'nope-trail' })),
      'TrailNotFoundException',
      'Unknown trail: nope-trail for the user: 000000000000',
    );
    await rejects(ct.send(new DeleteTrailCommand({ Name: 'arn:aws:cloudtrail:us-east-1:bad' })), 'CloudTrailARNInvalidException');
    for (const n of ['tr2', 'tr3', 'tr4', 'tr5']) await ct.send(new CreateTrailCommand({ Name: n, S3BucketName: 'audit-logs' }));
    await rejects(ct.send(new CreateTrailCommand({ Name: 'tr6', S3BucketName: 'audit-logs' })), 'MaximumNumberOfTrailsExceededException');
    for (const n of ['dup', 'tr2', 'tr3', 'tr4', 'tr5']) await ct.send(new DeleteTrailCommand({ Name: n }));
  });

  it("checks LookupEvents' parameters", async () => {
    await rejects(ct.send(new LookupEventsCommand({ MaxResults: 51 })), 'InvalidMaxResultsException');
    await rejects(
      ct.send(new LookupEventsCommand({ StartTime: new Date(2_000_000), EndTime: new Date(1_000_000) })),
      'InvalidTimeRangeException',
    );
    await rejects(ct.send(new LookupEventsCommand({ NextToken: 'garbage' })), 'InvalidNextTokenException');
    await rejects(
      ct.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'EventName', AttributeValue: 'a' },
            { AttributeKey: 'ReadOnly', AttributeValue: 'true' },
          ],
        }),
      ),
      'InvalidLookupAttributesException',
    );
    assert.deepEqual((await ct.send(new LookupEventsCommand({ EventCategory: 'insight' }))).Events, []);
  });
});
