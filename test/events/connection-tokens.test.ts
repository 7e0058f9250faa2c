import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventsService } from '../../src/core/events/events-service.js';
import { ManualClock } from '../../src/core/shared/clock.js';
import { cryptoRandom } from '../../src/core/shared/random.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 'r' };

test('OAuth tokens: cached, refreshed 60 s before they expire, fetched again on demand; a refusal deauthorizes the connection', async () => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const store = new SqliteStore({ path: ':memory:' });
  const events = await EventsService.open({ store, clock, random: cryptoRandom });
  let n = 0;
  let refuse = false;
  // A token endpoint stand-in: the HTTP side is tested against a real server in test/e2e.
  events.connections.fetcher = {
    fetchToken: async () => {
      if (refuse) throw new Error('HTTP 401 from http://idp/token');
      return { accessToken: `t${++n}`, expiresAt: clock.now() + 600_000 };
    },
  };
  const auth = {
    OAuthParameters: {
      ClientParameters: { ClientID: 'c', ClientSecret: 's' },
      AuthorizationEndpoint: 'http://idp/token',
      HttpMethod: 'POST' as const,
    },
  };
  const { ConnectionArn } = await events.connections.createConnection(ctx, {
    Name: 'o',
    AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
    AuthParameters: auth,
  });
  const settled = async (name: string) => {
    for (let i = 0; i < 100 && (await events.connections.describeConnection(ctx, { Name: name })).ConnectionState === 'AUTHORIZING'; i++)
      await new Promise((r) => setImmediate(r));
    return events.connections.describeConnection(ctx, { Name: name });
  };
  assert.equal((await settled('o')).ConnectionState, 'AUTHORIZED', 'CreateConnection fetched the first token');
  assert.equal((await events.connections.token(ConnectionArn!)).accessToken, 't1', 'the first token, cached');
  clock.advance(600_000 - 60_001);
  assert.equal((await events.connections.token(ConnectionArn!)).accessToken, 't1', 'still more than 60 s left');
  clock.advance(2);
  assert.equal((await events.connections.token(ConnectionArn!)).accessToken, 't2', 'refreshed within 60 s of expiry');
  events.connections.forgetToken(ConnectionArn!);
  assert.equal((await events.connections.token(ConnectionArn!)).accessToken, 't3', 'after a 401 the next call fetches');

  refuse = true;
  const other = await events.connections.createConnection(ctx, {
    Name: 'bad',
    AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
    AuthParameters: auth,
  });
  assert.equal(other.ConnectionState, 'AUTHORIZING');
  const bad = await settled('bad');
  assert.equal(bad.ConnectionState, 'DEAUTHORIZED');
  assert.equal(bad.StateReason, 'Unable to authorize with the authorization endpoint: HTTP 401 from http://idp/token');
  assert.ok(!JSON.stringify(bad).includes('"s"'), 'no client secret in DescribeConnection');
  await store.close();
});
