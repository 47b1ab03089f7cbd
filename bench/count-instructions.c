/* Runs a compiled model RUNS times on a zero input, bare metal. Built twice
 * (RUNS = 1 and 2) and executed under QEMU with one trace line per executed
 * instruction, the difference of the two counts is the exact number of
 * instructions of one inference (start-up and exit cancel out). */
#include "model.h"

static _Alignas(MODEL_SCRATCH_ALIGN) unsigned char scratch[MODEL_SCRATCH_BYTES];
static unsigned char input[MODEL_INPUT0_BYTES];
static unsigned char output[MODEL_OUTPUT0_BYTES];

int main(void) {
  for (int i = 0; i < RUNS; ++i)
    model_run((const void *)input, (void *)output, scratch);
  return 0;
}
