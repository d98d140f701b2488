#!/usr/bin/env node
// The `spintrain` executable: runs the TypeScript CLI through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
const { main, installFatalHandlers } = await import('../cli.ts');
installFatalHandlers();
process.exitCode = await main(process.argv.slice(2));
// The command is done: a handle a driver left open (a serial port, a timer) must not keep the process alive.
setTimeout(() => process.exit(), 2000).unref();
