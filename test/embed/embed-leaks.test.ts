import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import AdmZip from 'adm-zip';
import { CreateImageCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { startAmiwatch } from '../../src/index.js';

/**
 * Issue 24: starting and closing 100 embedded servers in one process leaks no handles, timers,
 * function processes or temporary files. Each server does real work first — an image created,
 * advanced and its event awaited, an SNS email subscription (mail, signing key), a wait cut short
 * by close — and every tenth also runs a Lambda function (a child process, a code cache in the
 * temporary directory).
 *
 * Handles and timers are tracked with async_hooks: every resource of the kinds below created
 * while the servers ran must have been destroyed (closed, cleared, exited) once they are closed.
 * Timers count even when unref'd (getActiveResourcesInfo would not show those). Files are counted
 * as open descriptors (/proc/self/fd): a FILEHANDLE resource is only destroyed when collected.
 */
const TRACKED = new Set([
  'Timeout',
  'TCPWRAP',
  'TCPSERVERWRAP',
  'PIPEWRAP',
  'PROCESSWRAP',
  'SIGNALWRAP',
  'FSEVENTWRAP',
  'STATWATCHER',
  'UDPWRAP',
  'Immediate',
]);
const SERVERS = 100;

it(`starts and closes ${SERVERS} servers in one process without leaking handles, timers, processes or temp files`, async () => {
  // A temporary directory of this test's own (os.tmpdir() reads TMPDIR when called): other
  // processes on this machine make and remove amiwatch-* entries in the shared one meanwhile.
  const sharedTmp = process.env.TMPDIR;
  const ownTmp = mkdtempSync(join(tmpdir(), 'embed-leaks-'));
  process.env.TMPDIR = ownTmp;
  try {
    await startAndClose(ownTmp);
  } finally {
    if (sharedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = sharedTmp;
    rmSync(ownTmp, { recursive: true, force: true });
  }
});

async function startAndClose(ownTmp: string): Promise<void> {
  const activeBefore = process.getActiveResourcesInfo().sort();
  const fdsBefore = openFiles();
  // tsx's esbuild service is a child of the test process from the start.
  const childrenBefore = childProcesses();
  const live = new Map<number, string>();
  let tracking = true;
  const types = new Map<number, string>();
  const hook = createHook({
    init: (id, type, trigger) =>
      void (types.set(id, type),
      tracking &&
        TRACKED.has(type) &&
        live.set(
          id,
          `${type} (trigger ${trigger}: ${types.get(trigger) ?? '?'})\n${new Error().stack?.split('\n').slice(3, 9).join('\n')}`,
        )),
    destroy: (id) => void live.delete(id),
  });
  hook.enable();
  const zip = functionZip();
  const started = performance.now();
  for (let i = 0; i < SERVERS; i++) await exercise(i, zip);
  const perServer = (performance.now() - started) / SERVERS;
  // Sockets and child processes report their end asynchronously; give the loop a moment (its own
  // timers not counted).
  tracking = false;
  for (let turn = 0; turn < 50 && live.size > 0; turn++) await new Promise((r) => setTimeout(r, 20));
  hook.disable();

  const leaked = [...live.values()];
  assert.equal(leaked.length, 0, `resources still alive after ${SERVERS} servers closed:\n${leaked.slice(0, 5).join('\n---\n')}`);
  assert.deepEqual(process.getActiveResourcesInfo().sort(), activeBefore);
  assert.deepEqual(childProcesses(), childrenBefore, 'function processes still running');
  assert.deepEqual(openFiles(), fdsBefore, 'file descriptors left open');
  assert.deepEqual(readdirSync(ownTmp), [], 'temporary files left behind');
  process.stdout.write(`# ${SERVERS} servers: ${perServer.toFixed(0)} ms per start + work + close\n`);
}

async function exercise(i: number, zip: Buffer): Promise<void> {
  const aw = await startAmiwatch({ amiDuration: '60m', log: false });
  const config = { ...aw.clientConfig, maxAttempts: 1 };
  const ec2 = new EC2Client(config);
  const sns = new SNSClient(config);
  try {
    // CreateImage images a real instance: launch one from the public Amazon Linux image first.
    const { Images } = await ec2.send(
      new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }] }),
    );
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId!, MinCount: 1, MaxCount: 1 }));
    await aw.advance();
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: Instances![0]!.InstanceId!, Name: `image-${i}` }));
    const event = aw.waitForEvent({ pattern: { detail: { ImageId: [ImageId] } } });
    await aw.advance();
    await event;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'ami-events' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    await aw.waitForMail({ to: 'ops@example.com' });
    if (i % 10 === 0) await runFunction(config, zip);
  } finally {
    ec2.destroy();
    sns.destroy();
  }
  const cut = aw.waitForEvent({ bus: 'never', timeoutMs: 60_000 }).catch(() => 'cancelled');
  await aw.close();
  assert.equal(await cut, 'cancelled');
}

async function runFunction(config: LambdaClientConfig, zip: Buffer): Promise<void> {
  const lambda = new LambdaClient(config);
  try {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'echo',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/r',
        Handler: 'index.handler',
        Code: { ZipFile: zip },
      }),
    );
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"n":1}') }));
    assert.equal(Buffer.from(out.Payload!).toString(), '{"n":1}');
  } finally {
    lambda.destroy();
  }
}

function functionZip(): Buffer {
  const zip = new AdmZip();
  zip.addFile('index.js', Buffer.from('exports.handler = async (event) => event;\n'));
  return zip.toBuffer();
}

/** Processes whose parent is this one (Linux /proc). */
function childProcesses(): string[] {
  const children: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Field 4 is the parent pid; the command (field 2) may hold spaces, hence after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) children.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** What this process's descriptors point at (files, sockets, pipes). */
function openFiles(): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return `${fd} (closed while listing)`;
      }
    })
    .filter((target) => !target.includes('(closed while listing)'))
    .sort();
}
