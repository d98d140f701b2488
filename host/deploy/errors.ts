/** Typed errors of edge deployment (`spintrain build`, board modules, native builds). */

export class DeployError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An unknown board (boards/errors.ts, below the host; re-exported for the build's callers). */
export { UnknownBoardError } from '../../boards/errors.ts';

/** The board cannot run the WebAssembly module itself (e.g. the Firmata-tethered Arduino Uno). */
export class BoardCannotHostWasmError extends DeployError {
  constructor(readonly board: string, readonly reason: string) {
    super(`board ${board} cannot host a WebAssembly runtime: ${reason}`);
  }
}

/** The layout's training memory does not fit the board's linear-memory budget. */
export class LayoutTooLargeError extends DeployError {
  constructor(
    readonly board: string,
    readonly layout: number[],
    readonly neededBytes: number,
    readonly planBytes: number,
    readonly availableBytes: number,
    readonly ramBytes: number,
  ) {
    super(
      `layout ${layout.join('-')} does not fit board ${board}: it needs ${neededBytes} bytes of linear memory ` +
        `(training plan ${planBytes} bytes from sizeofTrainingMemory(), plus static data and the input buffer), ` +
        `the board has ${availableBytes} bytes for WebAssembly linear memory (of ${ramBytes} bytes of RAM)`,
    );
  }
}

/** The runtime's own memory plus the module's linear memory exceed the board's RAM (host/deploy/runtime-ram.ts). */
export class RuntimeRamError extends DeployError {
  constructor(readonly board: string, readonly runtime: string, readonly neededBytes: number, readonly ramBytes: number, readonly detail: string) {
    super(`board ${board}: ${runtime} and the module need ${neededBytes} bytes of RAM (${detail}), the board has ${ramBytes} bytes of RAM`);
  }
}

/** A system tool `spintrain build` runs is not installed: the message names the Debian package. */
export class MissingToolError extends DeployError {
  constructor(readonly tool: string, readonly debianPackage: string, readonly purpose: string) {
    super(`${tool} not found on PATH: ${purpose} needs it (Debian/Ubuntu: apt-get install ${debianPackage})`);
  }
}

/** A prebuilt module (--wasm) was built for another layout/board, or is not a spintrain board module. */
export class ModuleMismatchError extends DeployError {
  constructor(readonly file: string, readonly field: string, readonly detail: string) {
    super(`${file}: ${field}: ${detail}`);
  }
}

/** A bad command-line argument of `spintrain build`. */
export class BuildArgumentError extends DeployError {
  constructor(readonly option: string, readonly detail: string) {
    super(`${option}: ${detail}`);
  }
}

/** An external tool (asc, wasm2c, cc, arm-none-eabi-gcc, qemu) failed. */
export class ToolFailedError extends DeployError {
  constructor(readonly tool: string, readonly output: string) {
    super(`${tool} failed:\n${output.slice(-4000)}`);
  }
}

/** A system tool of another version than the glue is written for. */
export class ToolVersionError extends DeployError {
  constructor(readonly tool: string, readonly found: string, readonly expected: string) {
    super(`${tool} ${found}: the board glue is written for ${expected}`);
  }
}

/** The Uno firmware could not be built from source (a tool or the Arduino core missing, a compile error). */
export class FirmwareBuildError extends DeployError {
  constructor(readonly reason: string) {
    super(`cannot build the Uno firmware: ${reason}`);
  }
}

/** `spintrain flash` refused or failed: the message names the port (or file) and why. */
export class FlashError extends DeployError {}
