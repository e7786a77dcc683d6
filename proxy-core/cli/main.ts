#!/usr/bin/env node
// The `portico` command: dispatch to a subcommand, turn failures into one clear message
// on stderr and an exit code (2: the command line is wrong; 1: the work failed).
import { closest } from './args.js';
import { CliError, UsageError } from './errors.js';
import { ca } from './ca.js';
import { caHelp, COMMANDS, doctorHelp, hostsHelp, mainHelp, passwdHelp, serveHelp, trustHelp, uiHelp } from './help.js';
import { ui } from './ui.js';
import { doctor } from './doctor.js';
import { hosts } from './hosts.js';
import { passwd } from './passwd.js';
import { trustCommand } from './trust.js';
import { serve } from './serve.js';
import { restartWithServeFlags } from './v8-flags.js';
import { porticoVersion } from './version.js';

const HELP: Record<string, () => string> = {
  serve: serveHelp,
  ui: uiHelp,
  ca: caHelp,
  trust: trustHelp,
  untrust: trustHelp,
  doctor: doctorHelp,
  hosts: hostsHelp,
  passwd: passwdHelp,
  help: mainHelp,
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
      process.stderr.write(mainHelp());
      return 2;
    case '-h':
    case '--help':
      process.stdout.write(mainHelp());
      return 0;
    case '-v':
    case '--version':
      process.stdout.write(`${porticoVersion()}\n`);
      return 0;
    case 'help': {
      const topic = rest[0];
      const text = topic === undefined ? mainHelp : HELP[topic];
      if (!text) throw unknownCommand(topic ?? '');
      process.stdout.write(text());
      return 0;
    }
    case 'serve':
      restartWithServeFlags(); // returns only when there is nothing to restart for
      return serve(rest);
    case 'ui':
      return ui(rest);
    case 'ca':
      return ca(rest);
    case 'trust':
    case 'untrust':
      return trustCommand(command, rest);
    case 'doctor':
      return doctor(rest);
    case 'hosts':
      return hosts(rest);
    case 'passwd':
      return passwd(rest);
    default:
      if (command.startsWith('-')) throw new UsageError(`unknown option ${command} — run 'portico --help'`);
      throw unknownCommand(command);
  }
}

function unknownCommand(command: string): UsageError {
  const guess = closest(command, COMMANDS);
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
