#!/usr/bin/env -S node --max-semi-space-size=16
// The `portico` command: dispatch to a subcommand, turn failures into one clear message
// on stderr and an exit code (2: the command line is wrong; 1: the work failed).
//
// Start-up speed: `portico --version` and `portico run` run dozens of times a day, so this
// file loads nothing heavy. Each command's module (and with it the engine, zod, the TLS
// code) is imported only when that command runs, and Node's compile cache keeps the
// compiled bytecode of what was loaded before. The first line gives Node serve's V8 flags
// (v8-flags.ts) when `portico` is run as a program, so serve need not restart itself;
// started any other way (`node main.js serve`), serve restarts itself with them before it
// imports anything.
import module from 'node:module';
import { CliError, UsageError } from './errors.js';

// The cache lives in the OS temp dir (Node's default); a failure only costs speed.
try {
  module.enableCompileCache?.();
} catch {
  // no cache: start as before
}

type Command = (argv: readonly string[]) => Promise<number>;

/** Each command's module, loaded on use. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => {
    const { restartWithServeFlags } = await import('./v8-flags.js');
    restartWithServeFlags(); // returns only when there is nothing to restart for
    return (await import('./serve.js')).serve;
  },
  run: async () => (await import('./run.js')).run,
  ui: async () => (await import('./ui.js')).ui,
  stop: async () => (await import('./stop.js')).stop,
  status: async () => (await import('./status.js')).status,
  list: async () => (await import('./status.js')).status,
  ca: async () => (await import('./ca.js')).ca,
  trust: async () => {
    const { trustCommand } = await import('./trust.js');
    return (argv) => trustCommand('trust', argv);
  },
  untrust: async () => {
    const { trustCommand } = await import('./trust.js');
    return (argv) => trustCommand('untrust', argv);
  },
  doctor: async () => (await import('./doctor.js')).doctor,
  hosts: async () => (await import('./hosts.js')).hosts,
  passwd: async () => (await import('./passwd.js')).passwd,
};

/** The engine relies on Node 22+ (http-proxy-3 2.x does); say so instead of failing oddly. */
const MIN_NODE_MAJOR = 22;

async function main(argv: readonly string[]): Promise<number> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    throw new CliError(`Portico needs Node.js ${MIN_NODE_MAJOR} or newer; this is ${process.version} (${process.execPath})`);
  }
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      process.stderr.write((await import('./help.js')).mainHelp());
      return 2;
    case '-h':
    case '--help':
      process.stdout.write((await import('./help.js')).mainHelp());
      return 0;
    case '-v':
    case '--version':
      process.stdout.write(`${(await import('./version.js')).porticoVersion()}\n`);
      return 0;
    case 'help': {
      const { helpFor } = await import('./help.js');
      const text = helpFor(rest[0]);
      if (text === undefined) throw await unknownCommand(rest[0] ?? '');
      process.stdout.write(text);
      return 0;
    }
    default: {
      const load = COMMANDS[command];
      if (load) return (await load())(rest);
      if (command.startsWith('-')) throw new UsageError(`unknown option ${command} — run 'portico --help'`);
      throw await unknownCommand(command);
    }
  }
}

async function unknownCommand(command: string): Promise<UsageError> {
  const [{ closest }, { COMMANDS: NAMES }] = await Promise.all([import('./args.js'), import('./help.js')]);
  const guess = closest(command, NAMES);
  return new UsageError(`unknown command "${command}"${guess ? ` (did you mean "${guess}"?)` : ''} — run 'portico --help'`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof CliError) {
      process.stderr.write(`portico: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    // Not one of ours: a bug, so the stack is worth having.
    process.stderr.write(`portico: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
