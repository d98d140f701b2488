// Every command's --help names every option the command accepts (issue 13: "help that is complete"), and
// each is printed by the real command line (`spintrain <command> --help`, exit 0).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../host/cli.ts';
import { TRAIN_OPTIONS } from '../../host/commands/train.ts';
import { BUILD_OPTIONS } from '../../host/commands/build.ts';
import { POWER_OPTION_CONFIG } from '../../host/commands/power.ts';
import { EVAL_OPTIONS } from '../../host/commands/eval.ts';
import { PREDICT_OPTIONS } from '../../host/commands/predict.ts';
import { PORTS_OPTIONS } from '../../host/commands/ports.ts';
import { CALIBRATE_OPTIONS } from '../../host/commands/calibrate.ts';
import { BOARD_OPTIONS } from '../../host/commands/board.ts';
import { FLASH_OPTIONS } from '../../host/commands/flash.ts';
import { DEEP_OPTIONS } from '../../host/commands/deep.ts';
import { captureOutput } from '../support/capture-output.ts';

afterEach(() => vi.restoreAllMocks());

const COMMANDS: [string, object][] = [
  ['train', TRAIN_OPTIONS],
  ['build', BUILD_OPTIONS],
  ['power', { ...TRAIN_OPTIONS, ...POWER_OPTION_CONFIG }],
  ['eval', EVAL_OPTIONS],
  ['predict', PREDICT_OPTIONS],
  ['ports', PORTS_OPTIONS],
  ['calibrate', CALIBRATE_OPTIONS],
  ['board', BOARD_OPTIONS],
  ['flash', FLASH_OPTIONS],
  ['deep', DEEP_OPTIONS],
];

it('the table above covers every command the CLI has', async () => {
  const io = captureOutput();
  expect(await main(['--help'])).toBe(0);
  const listed = /commands: (.*)/.exec(io.out())![1].split(', ');
  expect(listed.sort()).toEqual([...COMMANDS.map(([n]) => n), 'report'].sort());
});

describe('--help', () => {
  it.each(COMMANDS)('spintrain %s --help names every option it accepts', async (name, options) => {
    const io = captureOutput();
    expect(await main([name, '--help'])).toBe(0);
    const usage = io.out();
    const missing = Object.keys(options).filter((o) => o !== 'help' && !usage.includes(`--${o}`));
    expect(missing).toEqual([]);
  });
});
