import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { seededRandom } from '../../src/core/shared/random.js';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { inProcess } from '../support/in-process.js';
import { lambdaClient, queueIdle, ROLE, until, zipOf } from './helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:tagger';
const code = (v: string) =>
  zipOf({
    'index.js': `exports.handler = async (e, ctx) => ({ code: "${v}", version: ctx.functionVersion, arn: ctx.invokedFunctionArn, image: e.image });`,
  });

describe('published versions and aliases', () => {
  let app: App;
  let lambda: LambdaClient;
  let eb: EventBridgeClient;
  let sqs: SQSClient;
  const invoke = async (name: string, qualifier?: string) => {
    const r = await lambda.send(
      new InvokeCommand({ FunctionName: name, ...(qualifier && { Qualifier: qualifier }), Payload: Buffer.from('{"image":"ami-1"}') }),
    );
    return { version: r.ExecutedVersion, body: JSON.parse(Buffer.from(r.Payload!).toString()) };
  };
  const refused = async (p: Promise<unknown>, name: string, text: RegExp) =>
    assert.rejects(p, (e: Error) => {
      assert.equal(e.name, name);
      assert.match(e.message, text);
      return true;
    });

  before(async () => {
    app = await startTestServer({}, { random: seededRandom(7) });
    lambda = lambdaClient(app);
    eb = sdkClient(app);
    sqs = new SQSClient(inProcess(app));
  });
  after(async () => {
    lambda.destroy();
    eb.destroy();
    sqs.destroy();
    await app.close();
  });

  it('PublishVersion snapshots code and configuration; versions keep their code after $LATEST changes', { timeout: 30_000 }, async () => {
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'tagger',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: code('one') },
      }),
    );
    await refused(
      lambda.send(new PublishVersionCommand({ FunctionName: 'tagger', CodeSha256: 'bm90IHRoZSBoYXNo' })),
      'InvalidParameterValueException',
      new RegExp(
        `^CodeSHA256 \\(bm90IHRoZSBoYXNo\\) is different from current CodeSHA256 in \\$LATEST \\(${created.CodeSha256!.replace(/[+/]/g, '\\$&')}\\)`,
      ),
    );
    const v1 = await lambda.send(
      new PublishVersionCommand({ FunctionName: 'tagger', CodeSha256: created.CodeSha256, Description: 'first' }),
    );
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, `${ARN}:1`);
    assert.equal(v1.Description, 'first');
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: 'tagger' }));
    assert.equal(again.Version, '1', 'nothing changed: the last version is answered');
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'tagger', ZipFile: code('two') }));
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'tagger' }));
    assert.equal(v2.Version, '2');
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'tagger', ZipFile: code('three') }));

    assert.deepEqual(await invoke('tagger', '1'), { version: '1', body: { code: 'one', version: '1', arn: `${ARN}:1`, image: 'ami-1' } });
    assert.deepEqual((await invoke(`${ARN}:2`)).body.code, 'two');
    assert.deepEqual(await invoke('tagger'), { version: '$LATEST', body: { code: 'three', version: '$LATEST', arn: ARN, image: 'ami-1' } });
    const listed = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'tagger' }));
    assert.deepEqual(
      listed.Versions?.map((v) => [v.Version, v.FunctionArn]),
      [
        ['$LATEST', ARN],
        ['1', `${ARN}:1`],
        ['2', `${ARN}:2`],
      ],
    );
    const paged = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'tagger', MaxItems: 2 }));
    assert.equal(paged.NextMarker, '1');
    assert.deepEqual(
      (await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'tagger', Marker: '1' }))).Versions?.map((v) => v.Version),
      ['2'],
    );
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'tagger', Qualifier: '1' }))).Version, '1');
    assert.equal((await lambda.send(new GetFunctionCommand({ FunctionName: `${ARN}:2` }))).Configuration?.FunctionArn, `${ARN}:2`);
    await refused(invoke('tagger', '9'), 'ResourceNotFoundException', new RegExp(`^Function not found: ${ARN}:9$`));
  });

  it('aliases: create, get, update, list; invocation and routing by weight; a version an alias uses cannot be deleted', {
    timeout: 30_000,
  }, async () => {
    const alias = await lambda.send(
      new CreateAliasCommand({ FunctionName: 'tagger', Name: 'live', FunctionVersion: '1', Description: 'production' }),
    );
    assert.equal(alias.AliasArn, `${ARN}:live`);
    assert.equal(alias.FunctionVersion, '1');
    assert.ok(alias.RevisionId);
    await refused(
      lambda.send(new CreateAliasCommand({ FunctionName: 'tagger', Name: 'live', FunctionVersion: '1' })),
      'ResourceConflictException',
      new RegExp(`^Alias already exists: ${ARN}:live$`),
    );
    await refused(
      lambda.send(new CreateAliasCommand({ FunctionName: 'tagger', Name: 'broken', FunctionVersion: '7' })),
      'ResourceNotFoundException',
      new RegExp(`^Function not found: ${ARN}:7$`),
    );
    await refused(
      lambda.send(new CreateAliasCommand({ FunctionName: 'tagger', Name: '123', FunctionVersion: '1' })),
      'ValidationException',
      /Value '123' at 'name' failed to satisfy constraint/,
    );
    assert.deepEqual(await invoke('tagger', 'live'), {
      version: '1',
      body: { code: 'one', version: '1', arn: `${ARN}:1`, image: 'ami-1' },
    });

    await refused(
      lambda.send(new UpdateAliasCommand({ FunctionName: 'tagger', Name: 'live', RevisionId: 'stale' })),
      'PreconditionFailedException',
      /Revision Id/,
    );
    const routed = await lambda.send(
      new UpdateAliasCommand({ FunctionName: 'tagger', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }),
    );
    assert.deepEqual(routed.RoutingConfig, { AdditionalVersionWeights: { '2': 0.5 } });
    assert.equal(routed.Description, 'production', 'Update keeps what it is not given');
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) seen.add((await invoke('tagger', 'live')).version!);
    assert.deepEqual([...seen].sort(), ['1', '2'], 'a weighted alias runs both versions');
    await refused(
      lambda.send(
        new UpdateAliasCommand({ FunctionName: 'tagger', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 1.5 } } }),
      ),
      'ValidationException',
      /additionalVersionWeights/,
    );

    await lambda.send(new CreateAliasCommand({ FunctionName: 'tagger', Name: 'canary', FunctionVersion: '2' }));
    const listed = await lambda.send(new ListAliasesCommand({ FunctionName: 'tagger' }));
    assert.deepEqual(
      listed.Aliases?.map((a) => a.Name),
      ['canary', 'live'],
    );
    assert.deepEqual(
      (await lambda.send(new ListAliasesCommand({ FunctionName: 'tagger', FunctionVersion: '2' }))).Aliases?.map((a) => a.Name),
      ['canary'],
    );
    await refused(
      lambda.send(new DeleteFunctionCommand({ FunctionName: 'tagger', Qualifier: '2' })),
      'ResourceConflictException',
      /aliases reference it: \[(live, canary|canary, live)\]/,
    );
    await refused(
      lambda.send(new DeleteFunctionCommand({ FunctionName: 'tagger', Qualifier: '$LATEST' })),
      'InvalidParameterValueException',
      /\$LATEST version cannot be deleted/,
    );
    await lambda.send(new DeleteAliasCommand({ FunctionName: 'tagger', Name: 'canary' }));
    await refused(
      lambda.send(new GetAliasCommand({ FunctionName: 'tagger', Name: 'canary' })),
      'ResourceNotFoundException',
      new RegExp(`^Alias not found: ${ARN}:canary$`),
    );
  });

  it('permissions per qualifier: an EventBridge rule targets the alias ARN, allowed on the alias only', { timeout: 30_000 }, async () => {
    await lambda.send(new UpdateAliasCommand({ FunctionName: 'tagger', Name: 'live', FunctionVersion: '1', RoutingConfig: {} }));
    const q = (await sqs.send(new CreateQueueCommand({ QueueName: 'alias-results' }))).QueueUrl!;
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'tagger',
        Qualifier: 'live',
        DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:000000000000:alias-results' } },
      }),
    );
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'to-alias', EventPattern: '{"source":["test.alias"]}' }));
    const stmt = await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'tagger',
        Qualifier: 'live',
        StatementId: 'eb',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: RuleArn,
      }),
    );
    assert.equal(JSON.parse(stmt.Statement!).Resource, `${ARN}:live`);
    assert.equal(
      JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'tagger', Qualifier: 'live' }))).Policy!).Statement.length,
      1,
    );
    await refused(lambda.send(new GetPolicyCommand({ FunctionName: 'tagger' })), 'ResourceNotFoundException', /does not exist/);
    await eb.send(
      new PutTargetsCommand({
        Rule: 'to-alias',
        Targets: [
          { Id: 'a', Arn: `${ARN}:live` },
          { Id: 'v', Arn: `${ARN}:2` },
        ],
      }),
    );
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'test.alias', DetailType: 't', Detail: '{"image":"ami-9"}' }] }));
    await queueIdle(app);
    const events = (await (await fetch(`${app.url}/_amiwatch/events?bus=default`)).json()) as {
      events: { deliveries: { targetId?: string; status: string; lastError?: string }[] }[];
    };
    const ds = events.events[0]!.deliveries;
    assert.deepEqual(
      ds.map((d) => d.status).sort(),
      ['delivered', 'failed'],
      'the alias is allowed; version 2 has no permission of its own',
    );
    assert.ok(ds.some((d) => /^NO_PERMISSIONS: .*function:tagger:2/.test(d.lastError ?? '')));
    const got = await until(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: q }))).Messages?.[0]);
    const record = JSON.parse(got.Body!);
    assert.equal(record.requestContext.functionArn, `${ARN}:live`);
    assert.equal(record.responseContext.executedVersion, '1');
    assert.equal(record.responsePayload.code, 'one');
  });
});
