/* Minimal start-up of a bare-metal Cortex-M3 program under QEMU: a vector
 * table (initial stack pointer, reset handler, faults), .data/.bss set-up,
 * newlib's semihosting file handles, then main; its status leaves QEMU
 * through semihosting's exit. Any fault exits with status 3. */
#include <stdint.h>
#include <stdlib.h>

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start__[], __bss_end__[];
extern uint32_t __stack_top[];
extern void initialise_monitor_handles(void);
extern int main(void);

void reset_handler(void) {
  for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;)
    *dst++ = *src++;
  for (uint32_t *p = __bss_start__; p < __bss_end__;)
    *p++ = 0;
  initialise_monitor_handles();
  exit(main());
}

static void fault_handler(void) { exit(3); }

__attribute__((section(".vectors"), used)) static void *const vectors[16] = {
    __stack_top,   reset_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, fault_handler,
};

/* newlib's exit runs the .fini array; with -nostartfiles there is no crti.o
 * to provide these. */
void _init(void) {}
void _fini(void) {}
