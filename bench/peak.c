/* Measures what bench/kernels.sh divides by: the core clock (a chain of
 * dependent 64-bit adds, one per cycle) and the int8 multiply-accumulate
 * rate of independent vpdpbusd zmm chains (AVX-512 VNNI), one thread.
 * Prints "clock_ghz G" and "vnni_gmacs M" (M / G = MACs per cycle).
 * bench/kernels.sh takes the larger of 128 x G and M as the peak.
 * Build: clang -O2 -mavx512vnni -mavx512f peak.c */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* 8 dependent adds per iteration: 8 cycles. */
static double clockGhz(long iterations) {
  uint64_t x = 0;
  double start = seconds();
  for (long i = 0; i < iterations; ++i)
    __asm__ volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                     "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
                     : "+r"(x));
  return 8.0 * iterations / (seconds() - start) * 1e-9;
}

/* 16 independent accumulators: enough to cover the latency at 2 per cycle. */
static double vnniGmacs(long iterations) {
  __m512i acc[16];
  for (int j = 0; j < 16; ++j)
    acc[j] = _mm512_set1_epi32(j);
  __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-2);
  double start = seconds();
  for (long i = 0; i < iterations; ++i)
    for (int j = 0; j < 16; ++j)
      __asm__ volatile("vpdpbusd %1, %2, %0" : "+v"(acc[j]) : "v"(b), "v"(a));
  double s = seconds() - start;
  int sink = 0;
  for (int j = 0; j < 16; ++j)
    sink += _mm512_reduce_add_epi32(acc[j]);
  __asm__ volatile("" ::"r"(sink));
  return 16.0 * 64 * iterations / s * 1e-9;
}

int main(void) {
  double ghz = 0, gmacs = 0;
  /* Best of many short runs: a run that the scheduler or the hypervisor
     interrupts, or that shares its core, only reads low. */
  for (int round = 0; round < 400; ++round) {
    double g = clockGhz(250000), m = vnniGmacs(100000);
    ghz = g > ghz ? g : ghz;
    gmacs = m > gmacs ? m : gmacs;
  }
  printf("clock_ghz %.3f\nvnni_gmacs %.1f\n", ghz, gmacs);
  return 0;
}
