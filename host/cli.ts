/** spintrain command line: `spintrain <command> [options]`. */
import { trainCommand, TRAIN_USAGE } from './commands/train.ts';
import { calibrateCommand, CALIBRATE_USAGE } from './commands/calibrate.ts';
import { CliError } from './commands/cli-error.ts';
import { powerCommand, POWER_USAGE } from './commands/power.ts';
import { reportCommand, REPORT_USAGE } from './commands/report.ts';
import { buildCommand, BUILD_USAGE } from './commands/build.ts';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  train: { run: trainCommand, usage: TRAIN_USAGE },
  calibrate: { run: calibrateCommand, usage: CALIBRATE_USAGE },
  power: { run: (argv) => powerCommand(argv), usage: POWER_USAGE },
  report: { run: reportCommand, usage: REPORT_USAGE },
  build: { run: buildCommand, usage: BUILD_USAGE },
};

const USAGE = `spintrain — on-device learning with spintronic stochastic hardware

usage: spintrain <command> [options]     (spintrain <command> --help for its options)
commands: ${Object.keys(COMMANDS).join(', ')}`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(USAGE + '\n');
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`spintrain: unknown command "${name}"\n${USAGE}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    const err = (e instanceof Error ? e : new Error(String(e))) as Error & { code?: string };
    // Argument errors (ours and node:util parseArgs') exit 2; everything else 1.
    const usage = e instanceof CliError || (err.code ?? '').startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`spintrain ${name}: ${err.message}\n`);
    if (process.env.SPINTRAIN_DEBUG && !usage) process.stderr.write(`${err.stack}\n`);
    if (usage) process.stderr.write(`see: spintrain ${name} --help\n`);
    return usage ? 2 : 1;
  }
}

/**
 * The last line of defence of the executable: an error no command caught (e.g. an 'error' event a driver
 * emits after its command has failed) ends the process with its message and exit code 1, never a stack
 * trace (set SPINTRAIN_DEBUG=1 for one).
 */
export function installFatalHandlers(): void {
  const fatal = (e: unknown): void => {
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`spintrain: ${err.message}\n`);
    if (process.env.SPINTRAIN_DEBUG) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

const isEntry = process.argv[1] !== undefined && /cli\.(ts|mjs|js)$/.test(process.argv[1]);
if (isEntry) {
  installFatalHandlers();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    // The command is done: a handle a driver left open (a serial port, a timer) must not keep the process alive.
    setTimeout(() => process.exit(), 2000).unref();
  });
}
