#!/usr/bin/env node
// The `spintrain` executable: runs the bundled CLI (build/cli/cli.js: `npm run build:cli`, run by `npm ci`'s
// prepare, by `npm run build` and before `npm pack`) with plain Node; no TypeScript at run time.
import { existsSync } from 'node:fs';

const bundle = new URL('../../build/cli/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('spintrain: the CLI is not built (build/cli/cli.js is missing); run `npm run build:cli`\n');
  process.exit(1);
}
const { main, installFatalHandlers } = await import(bundle.href);
installFatalHandlers();
process.exitCode = await main(process.argv.slice(2));
// The command is done: a handle a driver left open (a serial port, a timer) must not keep the process alive.
setTimeout(() => process.exit(), 2000).unref();
