import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

/**
 * The installable packages, as a user gets them (issue 24): `npm pack` here, then in an empty
 * directory `npm install ./amiwatch-*.tgz` (the glob takes both tarballs, amiwatch and
 * @amiwatch/event-pattern), then `npx amiwatch start`, `npx amiwatch quickstart`, the embed API
 * and the pattern engine, with the package's own type declarations.
 *
 * Cost: the dependencies come from the npm registry through the machine's npm cache
 * (`--prefer-offline`: a warm cache answers without asking the registry again). better-sqlite3's
 * install script first looks for a prebuilt binary, which it downloads from GitHub; this machine
 * cannot reach GitHub and would compile SQLite instead (~90 s), so the test hands prebuild-install
 * the binary this checkout compiled, as a "local prebuild" (its documented
 * npm_config_<package>_local_prebuilds): the same file, found locally. With it the install takes
 * ~25 s here; AMIWATCH_PACK_TEST_COMPILE=1 drops it and pays for the compile.
 *
 * The tarballs are packed with --ignore-scripts from the dist/ the suite built (npm pack would run
 * `prepare`, i.e. the same build, again).
 */
const root = resolve('.');
const work = mkdtempSync(join(tmpdir(), 'amiwatch-pack-test-'));
const app = join(work, 'app');
const env: Record<string, string> = {
  ...(Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(AWS_|AMIWATCH_|NODE_OPTIONS|NODE_TEST|npm_)/.test(k)),
  ) as Record<string, string>),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  NO_COLOR: '1',
};

function run(command: string, args: readonly string[], cwd: string, timeoutMs = 60_000): Promise<{ code: number | null; out: string }> {
  const child = spawn(command, args, { cwd, env });
  return collect(child, timeoutMs);
}

function collect(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((done) => child.on('exit', (code) => (clearTimeout(timer), done({ code, out }))));
}

const tarList = (file: string): string[] => execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);

describe('the packages, installed from their tarballs into an empty directory', { timeout: 600_000 }, () => {
  let amiwatchTgz: string;
  let patternTgz: string;
  let installMs = 0;

  before(async () => {
    mkdirSync(app);
    const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', app], root);
    assert.equal(packed.code, 0, packed.out);
    const packedPattern = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', app], join(root, 'packages/event-pattern'));
    assert.equal(packedPattern.code, 0, packedPattern.out);
    // The rules the server shares with the console (@amiwatch/shared) are a dependency too.
    const packedShared = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', app], join(root, 'packages/shared'));
    assert.equal(packedShared.code, 0, packedShared.out);
    amiwatchTgz = join(app, readdirSync(app).find((f) => /^amiwatch-\d.*\.tgz$/.test(f))!);
    patternTgz = join(app, readdirSync(app).find((f) => /^amiwatch-event-pattern-.*\.tgz$/.test(f))!);
    if (process.env.AMIWATCH_PACK_TEST_COMPILE !== '1') {
      const prebuilds = join(work, 'prebuilds');
      mkdirSync(prebuilds);
      const sqlite = JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string };
      const name = `better-sqlite3-v${sqlite.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
      const tar = await run(
        'tar',
        ['-czf', join(prebuilds, name), 'build/Release/better_sqlite3.node'],
        join(root, 'node_modules/better-sqlite3'),
      );
      assert.equal(tar.code, 0, tar.out);
      env.npm_config_better_sqlite3_local_prebuilds = prebuilds;
    }
    const started = performance.now();
    // Exactly what a user types (a shell expands the glob).
    const installed = await run('bash', ['-c', 'npm install --prefer-offline --no-audit --no-fund ./amiwatch-*.tgz'], app, 540_000);
    installMs = performance.now() - started;
    assert.equal(installed.code, 0, installed.out);
    process.stdout.write(`# npm install ./amiwatch-*.tgz: ${(installMs / 1000).toFixed(1)} s\n`);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('amiwatch’s tarball: compiled server, CLI, console, declarations; no tests; sources only for the maps', () => {
    const files = tarList(amiwatchTgz).map((f) => f.replace(/^package\//, ''));
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'dist/server/app.js',
      'dist/console/index.html',
    ]) {
      assert.ok(files.includes(f), `${f} is missing`);
    }
    assert.deepEqual(
      files.filter((f) => /(^|\/)(test|bench|examples|console\/src)\/|\.test\.|tsbuildinfo/.test(f)),
      [],
    );
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', amiwatchTgz, '-C', unpacked]);
    const mapped = new Set<string>();
    for (const map of files.filter((f) => f.endsWith('.js.map'))) {
      const { sources } = JSON.parse(readFileSync(join(unpacked, 'package', map), 'utf8')) as { sources: string[] };
      for (const s of sources) mapped.add(join(map, '..', s));
    }
    const sources = files.filter((f) => f.startsWith('src/'));
    assert.ok(sources.length > 0);
    assert.deepEqual(
      sources.filter((f) => !mapped.has(f)),
      [],
      'sources no map refers to',
    );
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/amiwatch/package.json'), 'utf8'));
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.exports['.'], { types: './dist/index.d.ts', default: './dist/index.js' });
    for (const key of ['engines', 'files', 'keywords', 'repository', 'license', 'bin'])
      assert.ok(manifest[key], `package.json lacks ${key}`);
  });

  it('@amiwatch/event-pattern’s tarball: the engine, its declarations and PATTERNS.md, no tests', () => {
    const files = tarList(patternTgz).map((f) => f.replace(/^package\//, ''));
    for (const f of ['package.json', 'LICENSE', 'PATTERNS.md', 'dist/index.js', 'dist/index.d.ts'])
      assert.ok(files.includes(f), `${f} is missing`);
    assert.deepEqual(
      files.filter((f) => /(^|\/)(test|cases)\/|tsbuildinfo/.test(f)),
      [],
    );
  });

  it('@amiwatch/event-pattern installs on its own (no dependencies) and matches', async () => {
    const alone = join(work, 'engine-alone');
    mkdirSync(alone);
    const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', patternTgz], alone);
    assert.equal(installed.code, 0, installed.out);
    assert.deepEqual(readdirSync(join(alone, 'node_modules')).sort(), ['.package-lock.json', '@amiwatch']);
    const script =
      "import('@amiwatch/event-pattern').then((m) => console.log(m.matches({ source: ['aws.ec2'] }, '{\"source\":\"aws.ec2\"}'), m.check({ source: 'aws.ec2' })))";
    const ran = await run(process.execPath, ['-e', script], alone);
    assert.equal(ran.code, 0, ran.out);
    assert.match(ran.out, /^true .*"source" must be an object or an array/);
  });

  it('npx amiwatch start, then npx amiwatch quickstart against it', async () => {
    // Its own process group, as in a terminal, where Ctrl-C reaches npx and amiwatch alike.
    const server = spawn('npx', ['amiwatch', 'start', '--in-memory', '--port', '0', '--ami-duration', '500ms'], {
      cwd: app,
      env,
      detached: true,
    });
    let out = '';
    const ready = new Promise<string>((resolve_, reject) => {
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const url = /AWS APIs {2}(http:\/\/\S+)/.exec(out)?.[1];
        if (url && out.includes('Stop with Ctrl-C')) resolve_(url);
      });
      server.stderr.on('data', (d: Buffer) => (out += d.toString()));
      server.on('exit', (code) => reject(new Error(`amiwatch start exited ${code}: ${out}`)));
    });
    const exited = new Promise<number | null>((r) => server.on('exit', r));
    try {
      const url = await ready;
      assert.match(out, /console {3}http:\/\/127\.0\.0\.1:\d+\//, 'the console build is served');
      const quick = await run('npx', ['amiwatch', '--endpoint-url', url, 'quickstart', '--timeout', '60'], app, 120_000);
      assert.equal(quick.code, 0, quick.out);
      assert.match(quick.out, /"State": "available"/);
    } finally {
      process.kill(-server.pid!, 'SIGINT');
    }
    await exited;
    assert.match(out, /amiwatch: SIGINT, shutting down\n[\s\S]*amiwatch: stopped/);
  });

  it('the embed API and the pattern engine, imported by name, with their types', async () => {
    writeFileSync(
      join(app, 'embed.mts'),
      `import { startAmiwatch } from 'amiwatch';
import { matches } from '@amiwatch/event-pattern';
import { CreateImageCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';

const amiwatch = await startAmiwatch({ amiDuration: '1m', log: false });
const ec2 = new EC2Client(amiwatch.clientConfig);
const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }] }));
const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: Images?.[0]?.ImageId, MinCount: 1, MaxCount: 1 }));
await amiwatch.advance();
const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: Instances?.[0]?.InstanceId, Name: 'packaged' }));
await amiwatch.advance();
const event = await amiwatch.waitForEvent<{ State: string }>({ pattern: { detail: { ImageId: [ImageId] } } });
console.log(JSON.stringify({ state: event.detail.State, matches: matches({ source: ['aws.ec2'] }, JSON.stringify(event)) }));
ec2.destroy();
await amiwatch.close();
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
        },
        files: ['embed.mts'],
      }),
    );
    writeFileSync(join(app, 'embed.mjs'), readFileSync(join(app, 'embed.mts'), 'utf8').replace('<{ State: string }>', ''));
    const types = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
    assert.equal(types.code, 0, types.out);
    const ran = await run(process.execPath, ['embed.mjs'], app);
    assert.equal(ran.code, 0, ran.out);
    assert.deepEqual(JSON.parse(ran.out.trim().split('\n').at(-1)!), { state: 'available', matches: true });
    // CommonJS code too: Node.js 20.19+ require()s an ES module without top-level await.
    const cjs = await run(
      process.execPath,
      ['-e', "require('amiwatch').startAmiwatch({ log: false }).then((a) => { console.log(a.url); return a.close(); })"],
      app,
    );
    assert.equal(cjs.code, 0, cjs.out);
    assert.match(cjs.out, /^http:\/\/127\.0\.0\.1:\d+$/m);
  });
});
