/* classify: a plain C program that classifies an IDX image set (MNIST /
 * Fashion-MNIST, uncompressed) with a model compiled by qnn-translate:
 * model.h on the include path, the model's object linked in, nothing else.
 *
 *   classify IMAGES LABELS [LOGITS_OUT [REPEAT]]
 *
 * Prints the accuracy, the throughput over the whole set and the median
 * latency of one image over REPEAT runs (default 1000); writes every
 * image's logits (int32, little-endian, image-major) to LOGITS_OUT so that
 * they can be compared bit for bit with the training module's integer
 * simulation. The model must take one 1x1xHxW ui8 image and return int32
 * logits. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"

_Static_assert(MODEL_OUTPUT0_BYTES == 4 * MODEL_OUTPUT0_ELEMENTS,
               "classify expects int32 logits");

static _Alignas(MODEL_SCRATCH_ALIGN) unsigned char scratch[MODEL_SCRATCH_BYTES];
static int32_t logits[MODEL_OUTPUT0_ELEMENTS];

static void die(const char *what, const char *path) {
  fprintf(stderr, "classify: %s: %s\n", path, what);
  exit(1);
}

static uint32_t bigEndian32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads a whole IDX file and checks its magic number and rank. */
static unsigned char *readIdx(const char *path, uint32_t magic, size_t *count,
                              size_t *itemBytes) {
  FILE *f = fopen(path, "rb");
  if (!f)
    die("cannot open", path);
  unsigned char header[16];
  unsigned rank = magic & 0xff;
  if (fread(header, 4, 1 + rank, f) != 1 + rank || bigEndian32(header) != magic)
    die("not an uncompressed IDX file of the expected kind (bad magic)", path);
  *count = bigEndian32(header + 4);
  *itemBytes = 1;
  for (unsigned d = 1; d < rank; ++d)
    *itemBytes *= bigEndian32(header + 4 + 4 * d);
  unsigned char *data = malloc(*count * *itemBytes);
  if (!data || fread(data, *itemBytes, *count, f) != *count)
    die("truncated IDX file", path);
  fclose(f);
  return data;
}

static long long nanoseconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int compareLongLong(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

static int argmax(const int32_t *v, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i)
    if (v[i] > v[best])
      best = i;
  return best;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: classify IMAGES LABELS [LOGITS_OUT [REPEAT]]\n");
    return 2;
  }
  size_t images, imageBytes, labels, labelBytes;
  unsigned char *pixels = readIdx(argv[1], 0x803, &images, &imageBytes);
  unsigned char *truth = readIdx(argv[2], 0x801, &labels, &labelBytes);
  if (imageBytes != MODEL_INPUT0_BYTES)
    die("images do not have the model's input size", argv[1]);
  if (labels != images)
    die("label count differs from the image count", argv[2]);
  FILE *out = argc > 3 ? fopen(argv[3], "wb") : NULL;
  if (argc > 3 && !out)
    die("cannot create", argv[3]);

  size_t correct = 0;
  long long start = nanoseconds();
  for (size_t i = 0; i < images; ++i) {
    if (model_run(pixels + i * imageBytes, logits, scratch) != 0)
      die("model_run failed", argv[1]);
    correct += argmax(logits, MODEL_OUTPUT0_ELEMENTS) == truth[i];
    if (out && fwrite(logits, sizeof logits, 1, out) != 1)
      die("write failed", argv[3]);
  }
  double seconds = (nanoseconds() - start) / 1e9;
  if (out)
    fclose(out);

  int repeat = argc > 4 ? atoi(argv[4]) : 1000;
  if (repeat < 1)
    repeat = 1;
  long long *times = malloc(repeat * sizeof *times);
  for (int r = 0; r < repeat; ++r) {
    long long t = nanoseconds();
    model_run(pixels, logits, scratch);
    times[r] = nanoseconds() - t;
  }
  qsort(times, repeat, sizeof *times, compareLongLong);

  printf("images %zu\n", images);
  printf("correct %zu\n", correct);
  printf("accuracy %.4f\n", (double)correct / images);
  printf("throughput %.0f images/s\n", images / seconds);
  printf("latency median %.1f us over %d runs\n", times[repeat / 2] / 1e3,
         repeat);
  free(times);
  free(pixels);
  free(truth);
  return 0;
}
