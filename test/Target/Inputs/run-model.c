/* A plain C program that runs a model compiled by qnn-translate: the
 * generated header model.h is found on the include path (-I) and the
 * object linked in. Reads input 0 from a raw file (the layout of qnn-run's raw
 * files: one container per element, little-endian), runs model_run, writes
 * output 0 raw. The bit-exact tests compare that file with qnn-run's.
 *
 * Usage: run-model INPUT.raw OUTPUT.raw [REPEAT]
 * With REPEAT > 1 it also prints the median time of one inference in ns.
 *
 * The same file runs bare-metal on a Cortex-M under QEMU (newlib with
 * semihosting: files are the host's; no clock, so no timing). There main
 * takes no arguments: the paths are fixed, relative to QEMU's directory. */
#if defined(__linux__)
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model-io.h"
#include "model.h"

static _Alignas(MODEL_SCRATCH_ALIGN) unsigned char scratch[MODEL_SCRATCH_BYTES];
static _Alignas(64) unsigned char input[MODEL_INPUT0_BYTES];
static _Alignas(64) unsigned char output[MODEL_OUTPUT0_BYTES];

static long long nanoseconds(void) {
#if defined(__linux__)
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
#else
  return 0;
#endif
}

static int compare(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

static int runModel(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: run-model INPUT.raw OUTPUT.raw [REPEAT]\n");
    return 2;
  }
  if (transfer(argv[1], "rb", input, sizeof input))
    return 1;
  int repeat = argc > 3 ? atoi(argv[3]) : 1;
  long long *times = calloc(repeat > 0 ? repeat : 1, sizeof *times);
  for (int i = 0; i < repeat; ++i) {
    long long start = nanoseconds();
    if (model_run((const void *)input, (void *)output, scratch) != 0) {
      fprintf(stderr, "run-model: model_run failed\n");
      return 1;
    }
    times[i] = nanoseconds() - start;
  }
  if (repeat > 1) {
    qsort(times, repeat, sizeof *times, compare);
    printf("median %lld ns over %d runs\n", times[repeat / 2], repeat);
  }
  free(times);
  return transfer(argv[2], "wb", output, sizeof output);
}

#if defined(__linux__)
int main(int argc, char **argv) { return runModel(argc, argv); }
#else
int main(void) {
  char *argv[] = {"run-model", "in.raw", "actual.raw", 0};
  return runModel(3, argv);
}
#endif
