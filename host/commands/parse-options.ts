/**
 * node:util parseArgs for every command, with each of its refusals turned into a CliError that names the
 * option (exit 2), and two more refusals parseArgs does not make:
 *   - an option given twice (`--lr 0.1 --lr 0.2`): parseArgs keeps the last one silently;
 *   - an empty option name or stray argument: named as the argument itself.
 * Rule: whatever argv holds, the result is the parsed values or a CliError; never another error.
 * A renamed option keeps its old name as an alias (`renamed`: old → new, both in the options): its value is
 * returned under the new name, with one warning line for the caller to print (`--old is now --new`); both
 * names together are an option given twice.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The option a parseArgs message is about ('--dataset' from "Option '-d, --dataset <value>' argument missing"). */
function optionIn(message: string): string | undefined {
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  return /--[^\s<>,=]+/.exec(quoted)?.[0] ?? (/^-[^\s<>,=]/.exec(quoted)?.[0] || undefined);
}

/**
 * The first unknown option of argv as written: '--foo' (also for --foo=1), or a whole group of short options
 * ('-xyz': the commands have none). Scans as parseArgs does: a string option takes the next token as its value.
 */
function unknownOptionIn(argv: readonly string[], options: Options): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i];
    if (t === '--') return undefined;
    if (t.startsWith('--')) {
      const name = t.slice(2).split('=')[0];
      const o = Object.hasOwn(options, name) ? options[name] : undefined;
      if (!o) return `--${name}`;
      if (o.type === 'string' && !t.includes('=')) i++;
    } else if (t.startsWith('-') && t.length > 1) return t;
  }
  return undefined;
}

/** Index of the first argument that is neither an option nor an option's value (−1: none). */
function strayIndex(argv: readonly string[], options: Options): number {
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i];
    if (t === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (t.startsWith('--')) {
      const name = t.slice(2).split('=')[0];
      if (Object.hasOwn(options, name) && options[name].type === 'string' && !t.includes('=')) i++;
    } else if (!(t.startsWith('-') && t.length > 1)) return i;
  }
  return -1;
}

/** A parseArgs error as a CliError naming the option or the stray argument. */
function toCliError(e: unknown, argv: readonly string[], options: Options): CliError {
  const err = e as Error & { code?: string };
  const code = err.code ?? '';
  const message = err.message ?? String(e);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new CliError(unknownOptionIn(argv, options) ?? optionIn(message) ?? 'option', 'unknown option (see --help for the options of this command)');
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = optionIn(message) ?? 'option';
    const name = option.replace(/^--?/, '');
    if (options[name]?.type === 'boolean') return new CliError(option, 'is a flag and takes no value');
    if (/ambiguous/.test(message)) return new CliError(option, `expected a value, got the option-like "${argv[argv.indexOf(option) + 1] ?? ''}" (write ${option}=VALUE for a value starting with "-")`);
    return new CliError(option, 'expected a value');
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const i = strayIndex(argv, options);
    const arg = i >= 0 ? argv[i] : (/'([^']*)'/.exec(message)?.[1] ?? '');
    const before = i > 0 ? argv[i - 1] : undefined;
    if (before?.startsWith('--') && options[before.slice(2)]?.type === 'boolean') return new CliError(before, `is a flag and takes no value, got "${arg}"`);
    return new CliError(`"${arg}"`, 'unexpected argument: options are written --name VALUE (see --help)');
  }
  return new CliError('arguments', message);
}

/** parseArgs in strict mode; positionals only when `allowPositionals`; `renamed` maps old option names to new ones. */
export function parseOptions<T extends Options>(argv: readonly string[], options: T, allowPositionals = false, renamed: Readonly<Record<string, string>> = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals, tokens: true });
  } catch (e) {
    throw toCliError(e, argv, options);
  }
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    if (seen.has(t.name) && !options[t.name]?.multiple) throw new CliError(`--${t.name}`, 'given more than once');
    seen.add(t.name);
  }
  const warnings: string[] = [];
  const values: Record<string, unknown> = parsed.values;
  for (const [old, now] of Object.entries(renamed)) {
    if (!seen.has(old)) continue;
    if (seen.has(now)) throw new CliError(`--${now}`, `given more than once (--${old} is its old name)`);
    warnings.push(`--${old} is now --${now}`);
    values[now] = values[old];
    delete values[old];
  }
  return { values: parsed.values, positionals: parsed.positionals, warnings };
}

/** A path option: absent, or a non-empty string. */
export function pathOption(option: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '') throw new CliError(option, 'expected a path, got ""');
  return raw;
}
