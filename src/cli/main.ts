#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { VERSION } from './version.js';
import { configOptions } from '../server/config.js';
import type { CliContext } from './context.js';
import { printErr } from './context.js';
import { endpointHelp, resolveEndpoint } from './endpoint.js';
import { CliError, exitCodeHelp, exitCodes } from './exit-codes.js';
import { createStyle } from './style.js';

/**
 * Commands are imported when they run: --help and test-pattern do not pay for loading the AWS
 * SDK or the server.
 *
 * The `amiwatch` command: the one place that reads process.argv, process.env and the standard
 * streams; every command gets them through a CliContext and returns its exit code.
 */
export function buildProgram(ctx: CliContext, setExit: (code: number) => void): Command {
  const program = new Command('amiwatch')
    .description('Self-hosted EC2 AMI events on an EventBridge-compatible bus. The AWS CLI and SDKs talk to it unchanged.')
    .version(VERSION, '-V, --version')
    .option('--endpoint-url <URL>', 'the amiwatch server (default: $AMIWATCH_ENDPOINT_URL, $AWS_ENDPOINT_URL, http://127.0.0.1:4566)')
    .option('--region <REGION>', 'AWS region of the requests (default: $AWS_REGION, $AWS_DEFAULT_REGION, us-east-1)')
    .option('--no-color', 'no colours, even on a terminal (also: NO_COLOR=1)')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (t) => ctx.out.write(t),
      writeErr: (t) => ctx.err.write(t),
      outputError: (t, write) => write(`amiwatch: ${t.replace(/^error: /, '')}`),
    })
    .addHelpText(
      'after',
      `
Examples:
  amiwatch start                                  the server on http://127.0.0.1:4566
  amiwatch quickstart                             the guide's example in one go
  amiwatch tail --pattern '{"source":["aws.ec2"]}'  live events matching a pattern
  amiwatch test-pattern --pattern file://p.json --event file://e.json
  amiwatch status --wait                          wait until a server started in the background is up

${exitCodeHelp}

Documentation: docs/getting-started.md and docs/cli.md`,
    )
    .exitOverride();
  const endpoint = () => resolveEndpoint(program.opts<{ endpointUrl?: string; region?: string }>(), ctx.env);
  const run = (fn: () => Promise<number>) => async () => setExit(await fn());

  const start = program
    .command('start')
    .description('run the server: every AWS API, the control API and the console on one port')
    .option(
      '--init <FILE>',
      'create buses, rules, topics, subscriptions, queues and functions from a JSON or YAML file once the server is up',
    )
    .addHelpText(
      'after',
      `
Every option can also be set with its environment variable; a flag wins over the variable.

Examples:
  amiwatch start
  amiwatch start --in-memory --port 0 --ami-duration 500ms     a throwaway server for tests
  amiwatch start --data-dir /var/lib/amiwatch --log-format json
  amiwatch start --init world.yaml                             a ready world for CI
  AMIWATCH_PORT=4600 amiwatch start`,
    );
  for (const o of configOptions) {
    start.addOption(
      new Option(o.value ? `--${o.flag} <${o.value}>` : `--${o.flag}`, `${o.description} [env ${o.env}; default ${o.default}]`),
    );
  }
  start.action(
    run(async () => {
      const values: Record<string, string | boolean | undefined> = {};
      for (const o of configOptions) values[o.flag] = start.getOptionValue(camel(o.flag)) as string | boolean | undefined;
      const init = start.getOptionValue('init') as string | undefined;
      return (await import('./start.js')).runStart(ctx, { ...values, ...(init !== undefined && { init }) });
    }),
  );

  program
    .command('quickstart')
    .description("the guide's example in one go: the rule, an image created and watched, the matched event")
    .option('--email <ADDRESS>', 'where the notification goes (SNS email subscription)')
    .option('--timeout <SECONDS>', 'give up waiting after this long', seconds, 60)
    .addHelpText(
      'after',
      `
Uses the server at the endpoint, or starts one in memory for the run when none answers.
Running it again creates nothing twice.

Examples:
  amiwatch quickstart
  amiwatch --endpoint-url http://127.0.0.1:4600 quickstart

${endpointHelp}`,
    )
    .action(async (flags: { email?: string; timeout: number }) =>
      setExit(await (await import('./quickstart.js')).runQuickstart(ctx, endpoint(), flags)),
    );

  program
    .command('tail')
    .description('print events live as the server receives them, with their deliveries')
    .option('--bus <NAME>', 'only events on this bus (name or ARN)')
    .option('--pattern <JSON>', 'only events matching this EventBridge event pattern')
    .option('--pattern-file <FILE>', 'the pattern, from a file')
    .option('--json', 'one event per line as JSON, nothing else (for jq and scripts)')
    .option('--count <N>', 'stop after N events and the first outcome of each of their deliveries (--json: after N events)', positive)
    .addHelpText(
      'after',
      `
Colour on a terminal, plain text when piped. An invalid pattern exits 2 with AWS's message.

Examples:
  amiwatch tail
  amiwatch tail --pattern '{"detail-type":["EC2 AMI State Change"],"detail":{"State":["failed"]}}'
  amiwatch tail --bus default --json | jq .detail
  amiwatch tail --count 1 > tail.txt &   # in a script: the next event and how its deliveries went

${endpointHelp}`,
    )
    .action(async (flags: { bus?: string; pattern?: string; patternFile?: string; json?: boolean; count?: number }) =>
      setExit(await (await import('./tail.js')).runTail(ctx, endpoint(), flags)),
    );

  program
    .command('test-pattern')
    .description('does this event match this pattern? Offline, with the engine the server uses')
    .requiredOption('--pattern <JSON>', 'the event pattern: JSON, file://PATH, or - for stdin')
    .requiredOption('--event <JSON>', 'the event: JSON, file://PATH, or - for stdin')
    .option('-q, --quiet', 'print nothing; answer with the exit code only')
    .addHelpText(
      'after',
      `
Exit code 0: match, 1: no match, 2: invalid pattern (AWS's InvalidEventPatternException text).

Examples:
  amiwatch test-pattern --pattern '{"source":["aws.ec2"]}' --event '{"source":"aws.ec2","detail":{}}'
  amiwatch test-pattern --pattern file://rule.json --event file://event.json`,
    )
    .action(async (flags: { pattern: string; event: string; quiet?: boolean }) =>
      setExit(await (await import('./test-pattern.js')).runTestPattern(ctx, flags)),
    );

  const images = program.command('images').description('EC2 images (AMIs)');
  images
    .command('wait')
    .argument('<IMAGE-ID>', 'the image, ami-…')
    .description('wait until the image is available; exit 1 with the reason if it fails')
    .option('--timeout <SECONDS>', 'give up after this long (exit 5)', seconds, 600)
    .option('--interval <MS>', 'poll interval', positive, 500)
    .addHelpText(
      'after',
      `
Examples:
  amiwatch images wait ami-0123456789abcdef0
  ami=$(aws ec2 describe-images --owners amazon --filters Name=name,Values='al2023-ami-2023.*-x86_64' --query 'Images[0].ImageId' --output text)
  instance=$(aws ec2 run-instances --image-id "$ami" --instance-type t3.micro --query 'Instances[0].InstanceId' --output text)
  aws ec2 wait instance-running --instance-ids "$instance"
  id=$(aws ec2 create-image --instance-id "$instance" --name web-v2 --query ImageId --output text)
  amiwatch images wait "$id" && echo ready

${endpointHelp}`,
    )
    .action(async (id: string, flags: { timeout: number; interval: number }) =>
      setExit(await (await import('./images-wait.js')).runImagesWait(ctx, endpoint(), id, flags)),
    );

  const faults = program.command('faults').description('EC2 fault rules: make image operations fail on purpose');
  faults
    .command('add')
    .description('add a rule: matching operations fail with --message')
    .requiredOption('--message <TEXT>', 'the failure reason (the image StateReason and the event ErrorMessage)')
    .option(
      '--operation <OP>',
      'CreateImage, CopyImage, RegisterImage, CreateRestoreImageTask, CreateStoreImageTask, DeregisterImage, EnableImage, DisableImage, RunInstances, StopInstances, CreateSnapshot, CopySnapshot or *',
      '*',
    )
    .option('--name <PATTERN>', 'only images whose name matches (wildcards * and ?)')
    .option('--tag <KEY[=VALUE]>', 'only images with this tag')
    .option('--code <CODE>', 'the StateReason / error code (default Server.InternalError)')
    .option('--delay <MS>', 'time pending before failing', positive)
    .addHelpText(
      'after',
      `
Prints the new rule's id.

Examples:
  amiwatch faults add --operation CreateImage --name 'nightly-*' --message 'Snapshot quota exceeded'
  amiwatch faults add --operation DeregisterImage --tag keep=yes --code OperationNotPermitted --message 'protected'`,
    )
    .action(async (flags: { message: string; operation?: string; name?: string; tag?: string; code?: string; delay?: number }) =>
      setExit(await (await import('./faults.js')).runFaultsAdd(ctx, endpoint(), flags)),
    );
  faults
    .command('list')
    .description('list the fault rules, oldest (winning) first')
    .option('--json', 'as JSON')
    .action(async (flags: { json?: boolean }) => setExit(await (await import('./faults.js')).runFaultsList(ctx, endpoint(), flags)));
  faults
    .command('remove')
    .argument('[ID]', 'the rule to remove')
    .option('--all', 'remove every rule')
    .description('remove a fault rule, or all of them')
    .addHelpText(
      'after',
      `
Examples:
  amiwatch faults remove fault-1a2b3c4d5e6f
  amiwatch faults remove --all`,
    )
    .action(async (id: string | undefined, flags: { all?: boolean }) =>
      setExit(await (await import('./faults.js')).runFaultsRemove(ctx, endpoint(), id, flags)),
    );

  program
    .command('status')
    .description('health, what the server holds, pending and failed deliveries, DLQ depth')
    .option('--json', 'as JSON')
    .option('--wait', 'first wait until the server answers healthy (a server just started in the background)')
    .option('--timeout <SECONDS>', 'with --wait: give up after this long (exit 5)', seconds, 60)
    .addHelpText(
      'after',
      `
Exit code 0 when the server is healthy, 1 when it answers but is not, 3 when nothing answers,
5 when --wait runs out of time.

Examples:
  amiwatch status
  amiwatch status --json | jq .deliveries.pending
  amiwatch start --in-memory & amiwatch status --wait --timeout 30   # in CI

${endpointHelp}`,
    )
    .action(async (flags: { json?: boolean; wait?: boolean; timeout: number }) =>
      setExit(await (await import('./status.js')).runStatus(ctx, endpoint(), flags)),
    );

  program
    .command('history')
    .description('export the event history: every event, the rules it matched and its deliveries, as JSON lines')
    .option('--bus <NAME>', 'only events on this bus (name or ARN)')
    .option('--since <TIME>', 'only events received at or after this time (ISO 8601 or epoch ms)')
    .option('--output <FILE>', 'write to this file instead of standard output')
    .addHelpText(
      'after',
      `
One JSON object per line, oldest first: seq, id, bus, ingestedAt, rules, event, deliveries
(status, attempts, last error). For a CI artifact when tests fail, or for jq.

Examples:
  amiwatch history --output amiwatch-history.jsonl
  amiwatch history --bus default | jq -c 'select(.deliveries[].status == "failed")'

${endpointHelp}`,
    )
    .action(async (flags: { bus?: string; since?: string; output?: string }) =>
      setExit(await (await import('./history.js')).runHistory(ctx, endpoint(), flags)),
    );

  for (const command of [program, ...program.commands, ...images.commands, ...faults.commands])
    command.exitOverride().showSuggestionAfterError(true);
  return program;
}

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds > 0');
  return n;
}

export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  let code: number = exitCodes.ok;
  const program = buildProgram(ctx, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; every parse error is a usage error.
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return exitCodes.ok;
      if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync') return exitCodes.ok;
      printErr(ctx, ctx.style.dim('(see --help)'));
      return exitCodes.usage;
    }
    if (err instanceof CliError) {
      printErr(ctx, `amiwatch: ${err.message}`);
      if (err.hint) printErr(ctx, `  → ${err.hint}`);
      return err.exitCode;
    }
    throw err;
  }
}

function entry(): void {
  // The SDK warns on every run that releases after January 2027 need Node 22; amiwatch pins its
  // SDK version (package-lock.json), so the warning says nothing a user can act on.
  // The SDK's own switch for it (@aws-sdk/core emitWarningIfUnsupportedVersion).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // `amiwatch tail | head` closes the pipe: that is the reader being done, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const interrupted = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const tty = process.stdout.isTTY === true;
  const ctx: CliContext = {
    out: process.stdout,
    err: process.stderr,
    tty,
    style: createStyle(tty && process.env.NO_COLOR === undefined && !process.argv.includes('--no-color')),
    env: process.env,
    cwd: process.cwd(),
    interrupted,
  };
  main(
    process.argv.slice(2).filter((a) => a !== '--no-color'),
    ctx,
  ).then(
    (code) => {
      // Flush before exiting: stdout to a pipe is asynchronous.
      process.stdout.write('', () => process.exit(code));
    },
    (err: unknown) => {
      process.stderr.write(
        `amiwatch: internal error: ${(err as Error).stack ?? String(err)}\nPlease report it with the command you ran.\n`,
      );
      process.exit(1);
    },
  );
}

entry();
