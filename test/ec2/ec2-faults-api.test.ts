import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEc2FaultsHandler } from '../../src/wire/control/ec2-faults-handler.js';
import type { WireRequest } from '../../src/wire/service-handler.js';
import { ctx, harness, instanceOf } from './helpers.js';

const call = async (h: ReturnType<typeof harness>, method: string, url: string, body?: unknown) => {
  const request: WireRequest = {
    method,
    url,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)),
    context: ctx(),
  };
  const response = await createEc2FaultsHandler(h.service.faults)(request);
  return { status: response.status, json: response.body === '' ? undefined : JSON.parse(String(response.body)) };
};

describe('control API /_amiwatch/ec2/faults', () => {
  it('creates, lists, reads and deletes rules; a created rule fails matching images', async () => {
    const h = harness();
    const created = await call(h, 'POST', '/_amiwatch/ec2/faults', {
      operation: 'CreateImage',
      namePattern: 'nightly-*',
      errorMessage: 'Snapshot limit reached',
      delayMs: 1000,
    });
    assert.equal(created.status, 201);
    assert.match(created.json.id, /^fault-[0-9a-f]{12}$/);
    assert.equal(created.json.errorMessage, 'Snapshot limit reached');
    assert.deepEqual(
      (await call(h, 'GET', '/_amiwatch/ec2/faults')).json.rules.map((r: { id: string }) => r.id),
      [created.json.id],
    );
    assert.equal((await call(h, 'GET', `/_amiwatch/ec2/faults/${created.json.id}`)).json.namePattern, 'nightly-*');

    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'nightly-42' });
    h.clock.advance(1000);
    const image = (await h.service.describeImages(ctx(), { ImageIds: [ImageId!] })).Images![0]!;
    assert.deepEqual(image.StateReason, { Code: 'Server.InternalError', Message: 'Snapshot limit reached' });

    assert.equal((await call(h, 'DELETE', `/_amiwatch/ec2/faults/${created.json.id}`)).status, 204);
    assert.equal((await call(h, 'DELETE', `/_amiwatch/ec2/faults/${created.json.id}`)).status, 404);
    assert.deepEqual((await call(h, 'GET', '/_amiwatch/ec2/faults')).json, { rules: [] });
  });

  it('refuses bad rules with a clear message and stores nothing', async () => {
    const h = harness();
    const bad = [
      [{ operation: 'LaunchRocket', errorMessage: 'x' }, /operation must be/],
      [{ operation: 'CreateImage' }, /errorMessage is required/],
      [{ errorMessage: 'x', delayMs: -1 }, /delayMs must be a non-negative integer/],
      [{ errorMessage: 'x', tagValue: 'v' }, /tagValue needs tagKey/],
      ['not json', /JSON object/],
      [[1, 2], /JSON object/],
    ] as const;
    for (const [body, message] of bad) {
      const r = await call(h, 'POST', '/_amiwatch/ec2/faults', body);
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'ValidationError');
      assert.match(r.json.error.message, message);
    }
    assert.deepEqual((await call(h, 'GET', '/_amiwatch/ec2/faults')).json, { rules: [] });
    assert.equal((await call(h, 'PUT', '/_amiwatch/ec2/faults')).status, 405);
  });

  it('DELETE on the collection clears every rule', async () => {
    const h = harness();
    await call(h, 'POST', '/_amiwatch/ec2/faults', { errorMessage: 'a' });
    await call(h, 'POST', '/_amiwatch/ec2/faults', { errorMessage: 'b', operation: 'DeregisterImage' });
    assert.deepEqual((await call(h, 'DELETE', '/_amiwatch/ec2/faults')).json, { deleted: 2 });
    assert.deepEqual((await call(h, 'GET', '/_amiwatch/ec2/faults')).json, { rules: [] });
  });
});
