/**
 * An emulated Arduino Uno (ATmega328P @ 16 MHz) on avr8js: CPU, timers 0–2, ports B/C/D, USART0, ADC.
 * TWI (I²C master) is present; attach slaves with EmulatedI2cBus (test/harness/uno/emulated-i2c-bus.ts).
 * Runs in emulated time: the CPU is stepped in chunks of `chunkS` emulated seconds on setImmediate, so
 * Node's event loop (johnny-five, the test) runs between chunks. `delay(s)` resolves after s emulated seconds.
 * The USART is bridged to `onSerialOut` / `serialIn`, paced at the firmware's baud rate by avr8js.
 */
import {
  AVRADC,
  AVRIOPort,
  AVRTimer,
  AVRTWI,
  AVRUSART,
  CPU,
  PinState,
  adcConfig,
  avrInstruction,
  portBConfig,
  portCConfig,
  portDConfig,
  timer0Config,
  timer1Config,
  timer2Config,
  twiConfig,
  usart0Config,
} from 'avr8js';
import intelHex from 'nrf-intel-hex';

/** avr8js's interrupt descriptor (not exported by its index). */
type AVRInterruptConfig = Parameters<CPU['setInterruptFlag']>[0];

// nrf-intel-hex is CommonJS (`module.exports = MemoryMap`) but its typings say `export default`:
// under NodeNext the default import is the class at run time and the namespace for the type checker.
type MemoryMapClass = typeof intelHex.default;
const MemoryMap: MemoryMapClass = ((intelHex as unknown as { default?: MemoryMapClass }).default ??
  intelHex) as unknown as MemoryMapClass;

export const UNO_CLOCK_HZ = 16_000_000;
const FLASH_BYTES = 0x8000;
/** Characters the ATmega328P's receiver holds unread: the two-level UDR0 FIFO and the shift register. */
const RX_HELD_CHARS = 3;

export interface UnoEmulatorOptions {
  /** Emulated seconds per event-loop turn. Default 0.5 ms. */
  chunkS?: number;
}

/** Arduino digital pin → (port, bit): D0–7 PORTD, D8–13 PORTB, A0–A5 (D14–19) PORTC. */
export function unoPin(pin: number): { port: 'B' | 'C' | 'D'; bit: number } {
  if (pin >= 0 && pin <= 7) return { port: 'D', bit: pin };
  if (pin >= 8 && pin <= 13) return { port: 'B', bit: pin - 8 };
  if (pin >= 14 && pin <= 19) return { port: 'C', bit: pin - 14 };
  throw new RangeError(`Arduino Uno has no digital pin ${pin}`);
}

/** Timer compare outputs of the Uno's pins (ATmega328P datasheet: OC0A = PD6, OC0B = PD5, OC1A = PB1, OC1B = PB2, OC2A = PB3, OC2B = PD3). */
const TIMER_OUTPUTS: Record<number, { timer: number; channel: 'A' | 'B' }> = {
  6: { timer: 0, channel: 'A' },
  5: { timer: 0, channel: 'B' },
  9: { timer: 1, channel: 'A' },
  10: { timer: 1, channel: 'B' },
  11: { timer: 2, channel: 'A' },
  3: { timer: 2, channel: 'B' },
};

/** avr8js's timer mode number for phase-correct PWM (its internal enum: Normal 0, PWMPhaseCorrect 1, …). */
const PHASE_CORRECT_MODE = 1;

/** The parts of avr8js's AVRTimer state (private there) that time a compare match. */
interface TimerState {
  count: (reschedule?: boolean, external?: boolean) => void;
  lastCycle: number;
  tcnt: number;
  countingUp: boolean;
  ocrA: number;
  ocrB: number;
  TOP: number;
  divider: number;
  timerMode: number;
}

export class UnoEmulator {
  readonly cpu: CPU;
  readonly ports: Record<'B' | 'C' | 'D', AVRIOPort>;
  readonly adc: AVRADC;
  readonly usart: AVRUSART;
  /** I²C (A4 = SDA, A5 = SCL); NACKs every address until a bus is attached to its eventHandler. */
  readonly twi: AVRTWI;
  readonly timers: AVRTimer[];
  /** Bytes the firmware transmitted since the last flush go here at the end of each chunk. */
  onSerialOut: ((bytes: Buffer) => void) | null = null;
  /** Bytes the host wrote that are still on the wire (the USB bridge sends them back to back at the baud rate). */
  private readonly rxWire: number[] = [];
  /** A character is being shifted in. */
  private rxShifting = false;
  /**
   * The receiver's two-level buffer (UDR0 FIFO) plus the receive shift register: the ATmega328P holds two
   * received characters unread in the FIFO and a third complete one in the shift register (ATmega328P datasheet,
   * USART0, receiving frames and the DOR0 flag). avr8js keeps only one and overwrites it, so this class models the FIFO itself.
   */
  private readonly rxFifo: number[] = [];
  /**
   * Received characters lost because the firmware left the FIFO and the shift register full when the next
   * character arrived (the DOR condition of the datasheet). A firmware that reads UDR0 in its RX interrupt,
   * as every Arduino core does, never overruns; the HIL tests assert this stays 0.
   */
  rxOverruns = 0;
  /** avr8js's RX-complete interrupt of USART0 (private there; its flag is RXC0 in UCSR0A). */
  private readonly rxcInterrupt: AVRInterruptConfig;
  private readonly txBuffer: number[] = [];
  private readonly waiters: { cycles: number; resolve: () => void }[] = [];
  private readonly chunkCycles: number;
  /** Per timer, while its count() runs: the cycle, value and direction it counts on from. */
  private readonly countStart: ({ lastCycle: number; tcnt: number; up: boolean } | null)[] = [null, null, null];
  private running = false;
  private handle: NodeJS.Immediate | null = null;

  constructor(hexText: string, options: UnoEmulatorOptions = {}) {
    const program = new Uint16Array(FLASH_BYTES / 2);
    const bytes = new Uint8Array(program.buffer);
    for (const [addr, block] of MemoryMap.fromHex(hexText)) bytes.set(block, addr);
    this.cpu = new CPU(program);
    this.timers = [timer0Config, timer1Config, timer2Config].map((c) => new AVRTimer(this.cpu, c));
    // Each count() is wrapped to note where the counter starts from (timerEdgeCycle); avr8js schedules
    // `this.count` by reference, so the wrapper is what runs.
    this.timers.forEach((timer, i) => {
      const t = timer as unknown as TimerState;
      const count = t.count;
      t.count = (reschedule?: boolean, external?: boolean) => {
        this.countStart[i] = { lastCycle: t.lastCycle, tcnt: t.tcnt, up: t.countingUp };
        try {
          count(reschedule, external);
        } finally {
          this.countStart[i] = null;
        }
      };
    });
    this.ports = {
      B: new AVRIOPort(this.cpu, portBConfig),
      C: new AVRIOPort(this.cpu, portCConfig),
      D: new AVRIOPort(this.cpu, portDConfig),
    };
    this.adc = new AVRADC(this.cpu, adcConfig);
    this.usart = new AVRUSART(this.cpu, usart0Config, UNO_CLOCK_HZ);
    this.twi = new AVRTWI(this.cpu, twiConfig, UNO_CLOCK_HZ);
    this.usart.onByteTransmit = (b) => this.txBuffer.push(b);
    this.cpu.readHooks[usart0Config.UDR] = () => this.readUdr();
    this.rxcInterrupt = (this.usart as unknown as { RXC: AVRInterruptConfig }).RXC;
    this.chunkCycles = Math.round((options.chunkS ?? 0.5e-3) * UNO_CLOCK_HZ);
  }

  /** Emulated time since reset [s]. */
  get timeS(): number {
    return this.cpu.cycles / UNO_CLOCK_HZ;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Queue bytes for the board's RX line (host → board). */
  serialIn(data: Uint8Array | number[]): void {
    for (const b of data) this.rxWire.push(b);
    this.shiftNext();
  }

  /**
   * External reset, as a real Uno's when the host opens its port (DTR → 100 nF → RESET): the program restarts
   * at address 0 and the I/O registers return to their reset values (pins become inputs; timers, ADC,
   * USART and TWI stop; bytes in flight are lost). The peripherals outside the MCU stay as they are.
   */
  reset(): void {
    const cpu = this.cpu;
    for (const port of Object.values(this.ports)) {
      // through the write hooks, so pin listeners (the MTJ circuit) see the pins released
      cpu.writeData(port.portConfig.PORT, 0);
      cpu.writeData(port.portConfig.DDR, 0);
    }
    cpu.reset(); // PC = 0, SP = RAMEND, pending interrupts and clock events dropped
    cpu.data.fill(0, 0, 0x100); // registers and I/O space; SRAM keeps its contents as on the chip
    cpu.SP = cpu.data.length - 1;
    for (const timer of this.timers) {
      timer.reset();
      // avr8js's reset() leaves the counter counting down (countingUp = false), unlike the chip, whose timers
      // count up from 0 after a reset: in phase-correct PWM (timer 1: pins 9, 10) the counter then runs down
      // from TOP = 0xFFFF first, and the pins get no PWM for ~0.26 s after the port opens.
      (timer as unknown as { countingUp: boolean }).countingUp = true;
    }
    this.usart.reset();
    (this.adc as unknown as { converting: boolean }).converting = false;
    (this.twi as unknown as { busy: boolean }).busy = false;
    this.rxWire.length = 0;
    this.rxFifo.length = 0;
    this.rxShifting = false;
    this.txBuffer.length = 0;
  }

  /** Resolves after `seconds` of emulated time (immediately if not running: time does not pass). */
  delay(seconds: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ cycles: this.cpu.cycles + Math.max(0, seconds) * UNO_CLOCK_HZ, resolve });
    });
  }

  /** Level of an Arduino digital pin as driven by the MCU (output latch or timer override). */
  pinLevel(pin: number): 0 | 1 {
    const { port, bit } = unoPin(pin);
    return this.ports[port].pinState(bit) === PinState.High ? 1 : 0;
  }

  /**
   * Call `cb(level, timeS)` whenever the MCU changes the output level of `pin`. Returns an unsubscribe function.
   * A software write is timed at the end of its instruction. A timer's compare output (PWM on pins 3, 5, 6, 9,
   * 10, 11) is timed at the exact compare match (`timerEdgeCycle`): avr8js advances a timer after each instruction,
   * by the 1–5 ticks the instruction took at prescaler 1, so the plain cycle count would place PWM edges up to 4
   * cycles late, a jitter of ±1 % of a 510-cycle period.
   */
  onPinChange(pin: number, cb: (level: 0 | 1, timeS: number) => void): () => void {
    const { port, bit } = unoPin(pin);
    const mask = 1 << bit;
    const output = TIMER_OUTPUTS[pin];
    const listener = (value: number, old: number) => {
      if (!((value ^ old) & mask)) return;
      const exact = output ? this.timerEdgeCycle(output.timer, output.channel) : null;
      cb(value & mask ? 1 : 0, exact === null ? this.timeS : exact / UNO_CLOCK_HZ);
    };
    this.ports[port].addListener(listener);
    return () => this.ports[port].removeListener(listener);
  }

  /**
   * The CPU cycle of the compare match that is switching a timer's output now, or null when the timer is not
   * counting (a software write to the pin). While `count()` runs, `countStart` holds the counter's value and
   * direction at the tick it starts from; phase-correct PWM counts 0 → TOP → 0 and matches OCR once each way,
   * fast PWM counts 0 → TOP and matches OCR on the way up (its BOTTOM edge comes with the overflow, at TOP + 1).
   */
  private timerEdgeCycle(timer: number, channel: 'A' | 'B'): number | null {
    const start = this.countStart[timer];
    if (!start) return null;
    const t = this.timers[timer] as unknown as TimerState;
    const ocr = channel === 'A' ? t.ocrA : t.ocrB;
    const top = t.TOP;
    let ticks: number;
    if (t.timerMode === PHASE_CORRECT_MODE) {
      // ticks from the start value to OCR, in the direction of counting, turning at TOP or 0
      if (start.up) ticks = ocr > start.tcnt ? ocr - start.tcnt : 2 * top - start.tcnt - ocr;
      else ticks = ocr < start.tcnt ? start.tcnt - ocr : start.tcnt + ocr;
    } else ticks = ocr > start.tcnt ? ocr - start.tcnt : top + 1 - start.tcnt; // fast PWM: match, or the overflow
    const cycle = start.lastCycle + ticks * t.divider;
    // a match that cannot belong to this count() call (OCR written meanwhile, a reset): the instruction's end
    return ticks > 0 && cycle <= this.cpu.cycles ? cycle : null;
  }

  /** Present `volts` on analog channel `ch` (A0 = 0). */
  setAnalogVoltage(ch: number, volts: number): void {
    this.adc.channelValues[ch] = volts;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.handle) clearImmediate(this.handle);
    this.handle = null;
  }

  /** Run `seconds` of emulated time synchronously (no event loop turns). */
  runFor(seconds: number): void {
    this.step(Math.round(seconds * UNO_CLOCK_HZ));
  }

  private schedule(): void {
    this.handle = setImmediate(() => {
      if (!this.running) return;
      this.step(this.chunkCycles);
      this.schedule();
    });
  }

  private step(cycles: number): void {
    const cpu = this.cpu;
    const end = cpu.cycles + cycles;
    while (cpu.cycles < end) {
      avrInstruction(cpu);
      cpu.tick();
    }
    if (this.txBuffer.length) {
      const out = Buffer.from(this.txBuffer);
      this.txBuffer.length = 0;
      this.onSerialOut?.(out);
    }
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].cycles <= cpu.cycles) this.waiters.splice(i, 1)[0].resolve();
    }
  }

  /** Start shifting in the next byte on the wire, one character time (start + 8 data + stop bits) long. */
  private shiftNext(): void {
    if (this.rxShifting || !this.rxWire.length) return;
    const byte = this.rxWire.shift()!;
    if (!this.usart.rxEnable) return void this.shiftNext(); // receiver off: the character passes unseen
    this.rxShifting = true;
    this.cpu.addClockEvent(() => {
      this.rxShifting = false;
      this.received(byte);
      this.shiftNext();
    }, this.characterCycles());
  }

  /** One character time [CPU cycles]: (UBRR0 + 1)·(16 or 8 with U2X0)·(start + data + parity + stop bits). */
  private characterCycles(): number {
    return (this.usart as unknown as { cyclesPerChar: number }).cyclesPerChar;
  }

  /** A character complete in the shift register: into the FIFO, or lost if FIFO and shift register are full. */
  private received(byte: number): void {
    if (this.rxFifo.length === RX_HELD_CHARS) {
      this.rxFifo.pop(); // the unread character in the shift register is overwritten (DOR)
      this.rxOverruns++;
    }
    this.rxFifo.push(byte);
    this.cpu.setInterruptFlag(this.rxcInterrupt);
  }

  /** Reading UDR0 pops the FIFO; RXC0 stays set while characters remain. */
  private readUdr(): number {
    const byte = this.rxFifo.shift() ?? 0;
    if (this.rxFifo.length) this.cpu.setInterruptFlag(this.rxcInterrupt);
    else this.cpu.clearInterrupt(this.rxcInterrupt);
    return byte;
  }
}
