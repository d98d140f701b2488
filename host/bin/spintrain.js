#!/usr/bin/env node
// The `spintrain` executable: runs the bundled CLI (build/cli/cli.js: `npm run build:cli`, run by `npm ci`'s
// prepare, by `npm run build` and before `npm pack`) with plain Node; no TypeScript at run time.
import { existsSync, readdirSync, statSync } from 'node:fs';

const bundle = new URL('../../build/cli/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('spintrain: the CLI is not built (build/cli/cli.js is missing); run `npm run build:cli`\n');
  process.exit(1);
}
// In a checkout (the TypeScript host is here; an installed package has none): say so when a source is newer
// than the bundle, which would otherwise run the old code silently. About 150 stats, ~2 ms.
const sources = new URL('../', import.meta.url);
if (existsSync(new URL('cli.ts', sources))) {
  const built = statSync(bundle).mtimeMs;
  const newer = readdirSync(sources, { recursive: true }).find((f) => String(f).endsWith('.ts') && statSync(new URL(String(f), sources)).mtimeMs > built);
  if (newer) process.stderr.write(`spintrain: host/${newer} is newer than the bundle (build/cli/); run \`npm run build:cli\` to use it\n`);
}
const { main, installFatalHandlers } = await import(bundle.href);
installFatalHandlers();
process.exitCode = await main(process.argv.slice(2));
// The command is done: a handle a driver left open (a serial port, a timer) must not keep the process alive.
setTimeout(() => process.exit(), 2000).unref();
