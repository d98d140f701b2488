/**
 * The Uno's bootloader (optiboot, STK500v1 at 115200 baud) as a model of its protocol: what avrdude
 * `-c arduino` talks to when `spintrain flash` writes a board. A stand-in, said so: avr8js implements no
 * SPM instruction, so the genuine optiboot cannot write flash in the emulator. The model follows
 * optiboot.c's command loop (Debian's arduino-core-avr, bootloaders/optiboot/optiboot.c) byte for byte:
 *   every command ends with CRC_EOP 0x20 and is answered STK_INSYNC 0x14 … STK_OK 0x10;
 *   GET_PARAMETER 0x41 p → 4 (0x81), 4 (0x82, optiboot 4.4), else 3;  SET_DEVICE 0x42 (20 bytes),
 *   SET_DEVICE_EXT 0x45 (5) → ok;  LOAD_ADDRESS 0x55 lo hi (a word address);  UNIVERSAL 0x56 (4) → 0;
 *   PROG_PAGE 0x64 len_hi len_lo type data… (flash written at the address);  READ_PAGE 0x74 len_hi len_lo
 *   type → the bytes;  READ_SIGN 0x75 → 1E 95 0F (ATmega328P);  anything else (GET_SYNC 0x30,
 *   ENTER_PROGMODE 0x50, LEAVE_PROGMODE 0x51 …) → ok. A command not ended by 0x20 makes optiboot wait
 *   for its watchdog and start the application: the model stops answering and says so (`abandoned`).
 * LEAVE_PROGMODE sets `left`: the board would now run the written program.
 */
const INSYNC = 0x14;
const OK = 0x10;
const EOP = 0x20;

export class OptibootModel {
  /** The ATmega328P's 32 KiB flash, erased. */
  readonly flash = new Uint8Array(32768).fill(0xff);
  /** Bytes written by PROG_PAGE. */
  written = 0;
  left = false;
  abandoned = false;
  private buf: number[] = [];
  private address = 0;

  constructor(readonly signature: readonly [number, number, number] = [0x1e, 0x95, 0x0f]) {}

  /** Bytes from the host; returns the bytes the bootloader answers. */
  feed(bytes: Uint8Array): Uint8Array {
    const out: number[] = [];
    for (const b of bytes) {
      if (this.abandoned) break;
      this.buf.push(b);
      const reply = this.step();
      if (reply) {
        out.push(...reply);
        this.buf = [];
      }
    }
    return Uint8Array.from(out);
  }

  /** A reply when buf holds a whole command, else undefined. */
  private step(): number[] | undefined {
    const b = this.buf;
    const need = (n: number): boolean => b.length >= n;
    const end = (n: number, body: number[] = []): number[] | undefined => {
      if (!need(n)) return undefined;
      if (b[n - 1] !== EOP) {
        this.abandoned = true;
        return [];
      }
      return [INSYNC, ...body, OK];
    };
    switch (b[0]) {
      case 0x41:
        return end(3, [b[1] === 0x81 || b[1] === 0x82 ? 4 : 3]);
      case 0x42:
        return end(22);
      case 0x45:
        return end(7);
      case 0x55: {
        const r = end(4);
        if (r?.length) this.address = (b[1] | (b[2] << 8)) * 2;
        return r;
      }
      case 0x56:
        return end(6, [0x00]);
      case 0x64: {
        if (!need(4)) return undefined;
        const len = (b[1] << 8) | b[2];
        const r = end(5 + len);
        if (r?.length) {
          if (b[3] === 0x46) this.flash.set(b.slice(4, 4 + len), this.address); // 'F': flash
          this.written += len;
        }
        return r;
      }
      case 0x74: {
        if (!need(5)) return undefined;
        const len = (b[1] << 8) | b[2];
        return end(5, Array.from(this.flash.subarray(this.address, this.address + len)));
      }
      case 0x75:
        return end(2, [...this.signature]);
      case 0x51: {
        const r = end(2);
        if (r?.length) this.left = true;
        return r;
      }
      default:
        return end(2);
    }
  }
}
