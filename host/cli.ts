/** spintrain command line: `spintrain <command> [options]`. */
import { CliError } from './commands/errors.ts';
import { packageVersion } from './package-root.ts';

/**
 * Each command's module is loaded only when that command runs (or prints its help): `spintrain --help`
 * loads none, and a command never pays for another's dependencies.
 */
interface Command {
  run: (argv: string[]) => Promise<number>;
  usage: string;
}
const COMMANDS: Record<string, () => Promise<Command>> = {
  train: () => import('./commands/train.ts').then((m) => ({ run: (argv) => m.trainCommand(argv), usage: m.TRAIN_USAGE })),
  calibrate: () => import('./commands/calibrate.ts').then((m) => ({ run: m.calibrateCommand, usage: m.CALIBRATE_USAGE })),
  power: () => import('./commands/power.ts').then((m) => ({ run: (argv) => m.powerCommand(argv), usage: m.POWER_USAGE })),
  report: () => import('./commands/report.ts').then((m) => ({ run: m.reportCommand, usage: m.REPORT_USAGE })),
  build: () => import('./commands/build.ts').then((m) => ({ run: m.buildCommand, usage: m.BUILD_USAGE })),
  eval: () => import('./commands/eval.ts').then((m) => ({ run: m.evalCommand, usage: m.EVAL_USAGE })),
  predict: () => import('./commands/predict.ts').then((m) => ({ run: m.predictCommand, usage: m.PREDICT_USAGE })),
  ports: () => import('./commands/ports.ts').then((m) => ({ run: (argv) => m.portsCommand(argv), usage: m.PORTS_USAGE })),
  board: () => import('./commands/board.ts').then((m) => ({ run: (argv) => m.boardCommand(argv), usage: m.BOARD_USAGE })),
  flash: () => import('./commands/flash.ts').then((m) => ({ run: (argv) => m.flashCommand(argv), usage: m.FLASH_USAGE })),
  deep: () => import('./commands/deep.ts').then((m) => ({ run: (argv) => m.deepCommand(argv), usage: m.DEEP_USAGE })),
};

const USAGE = `spintrain — on-device learning with spintronic stochastic hardware

usage: spintrain <command> [options]     (spintrain <command> --help for its options; spintrain --version)
commands: ${Object.keys(COMMANDS).join(', ')}`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    process.stdout.write(`spintrain ${await packageVersion()}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(USAGE + '\n');
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    process.stderr.write(`spintrain: unknown command "${name}"\n${USAGE}\n`);
    return 2;
  }
  const cmd = await load();
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
