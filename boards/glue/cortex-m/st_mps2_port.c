/*
 * Port for QEMU's mps2-an385 (Cortex-M3, no FPU): start-up (vector table, .data/.bss set-up),
 * CMSDK UART0 output (0x40004000), semihosting exit, stack high-water mark (stack painted at reset),
 * and a microsecond clock from SysTick (1 ms interrupts at the 25 MHz system clock). Under
 * `qemu -icount shift=0` virtual time advances 1 ns per instruction, so µs × 1000 = instructions.
 */
#include <stdint.h>
#include "../portable/st_port.h"

extern uint32_t _data_load, _data_start, _data_end, _bss_start, _bss_end, _stack_bottom, _stack_top;
int main(void);

#define UART0_DATA (*(volatile uint32_t *)0x40004000u)
#define UART0_STATE (*(volatile uint32_t *)0x40004004u)
#define UART0_CTRL (*(volatile uint32_t *)0x40004008u)
#define UART0_BAUDDIV (*(volatile uint32_t *)0x40004010u)
#define STACK_PAINT 0x5aa5c33cu

/* Semihosting call (bkpt 0xab): r0 = operation, r1 = argument. */
static int semihost(int op, void *arg) {
  register int r0 __asm__("r0") = op;
  register void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

/* SYS_EXIT (0x18): on AArch32 r1 holds the reason itself; QEMU exits 0 for ADP_Stopped_ApplicationExit
 * (0x20026) and 1 for any other reason (here ADP_Stopped_RunTimeErrorUnknown, 0x20023). */
void st_port_exit(int status) {
  semihost(0x18, (void *)(status == 0 ? 0x20026u : 0x20023u));
  for (;;) {}
}

void st_port_serial_write(const char *text, uint32_t len) {
  for (uint32_t i = 0; i < len; i++) {
    while (UART0_STATE & 1u) {}
    UART0_DATA = (uint8_t)text[i];
  }
}

static void put_u32(uint32_t v) {
  char b[10];
  int n = 0;
  do { b[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) { char c = b[--n]; st_port_serial_write(&c, 1); }
}

void st_port_fatal(const char *what, uint32_t code) {
  uint32_t n = 0;
  while (what[n]) n++;
  st_port_serial_write("! ", 2);
  st_port_serial_write(what, n);
  st_port_serial_write(" ", 1);
  put_u32(code);
  st_port_serial_write("\n", 1);
  st_port_exit(1);
}

/* Bytes of stack ever used: the painted words no longer holding the pattern. */
uint32_t st_port_stack_used(void) {
  uint32_t *p = &_stack_bottom;
  while (p < &_stack_top && *p == STACK_PAINT) p++;
  return (uint32_t)((uint8_t *)&_stack_top - (uint8_t *)p);
}

static void systick_start(void);

__attribute__((noreturn)) void st_reset(void) {
  uint32_t *src = &_data_load, *dst = &_data_start;
  while (dst < &_data_end) *dst++ = *src++;
  for (dst = &_bss_start; dst < &_bss_end;) *dst++ = 0;
  uint32_t *sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (dst = &_stack_bottom; dst < sp - 16;) *dst++ = STACK_PAINT;
  UART0_BAUDDIV = 16;
  UART0_CTRL = 1u; /* TX enable */
  systick_start();
  st_port_exit(main());
}

static void fault(void) { st_port_fatal("hard fault", 0); }


#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYSCLK_PER_US 25u
static volatile uint32_t millis;

static void systick(void) { millis++; }

static void systick_start(void) {
  SYST_RVR = 1000u * SYSCLK_PER_US - 1u;
  SYST_CVR = 0;
  SYST_CSR = 7u; /* enable, interrupt, processor clock */
}

uint32_t st_port_micros(void) {
  uint32_t ms, v;
  do {
    ms = millis;
    v = SYST_CVR;
  } while (ms != millis);
  return ms * 1000u + (1000u * SYSCLK_PER_US - 1u - v) / SYSCLK_PER_US;
}

__attribute__((section(".vectors"), used)) static const void *const vectors[16] = {
  &_stack_top, (const void *)st_reset, (const void *)fault, (const void *)fault, (const void *)fault,
  (const void *)fault, (const void *)fault, 0, 0, 0, 0, 0, 0, 0, 0, (const void *)systick,
};
