/* Runs a model compiled by qnn-translate on one saved ONNX data set
 * (qnn-onnx-test --save-dir): reads input0.raw, input1.raw, ... from the
 * working directory, calls model_run once and writes output0.raw, ... in
 * qnn-run's raw layout (model-io.h). The generated header model.h, found on
 * the include path, says how many inputs and outputs model_run has; this
 * driver takes up to three inputs and one or two outputs. */
#include <stddef.h>
#include <stdio.h>

#include "model-io.h"
#include "model.h"

#if defined(MODEL_INPUT3_BYTES) || defined(MODEL_OUTPUT2_BYTES)
#error "run-data-set.c takes at most three inputs and two outputs"
#endif

static _Alignas(MODEL_SCRATCH_ALIGN) unsigned char scratch[MODEL_SCRATCH_BYTES];
#ifdef MODEL_INPUT0_BYTES
static _Alignas(64) unsigned char input0[MODEL_INPUT0_BYTES];
#define INPUT0 (const void *)input0,
#else
#define INPUT0
#endif
#ifdef MODEL_INPUT1_BYTES
static _Alignas(64) unsigned char input1[MODEL_INPUT1_BYTES];
#define INPUT1 (const void *)input1,
#else
#define INPUT1
#endif
#ifdef MODEL_INPUT2_BYTES
static _Alignas(64) unsigned char input2[MODEL_INPUT2_BYTES];
#define INPUT2 (const void *)input2,
#else
#define INPUT2
#endif
static _Alignas(64) unsigned char output0[MODEL_OUTPUT0_BYTES];
#ifdef MODEL_OUTPUT1_BYTES
static _Alignas(64) unsigned char output1[MODEL_OUTPUT1_BYTES];
#define OUTPUT1 (void *)output1,
#else
#define OUTPUT1
#endif

struct File {
  const char *path;
  unsigned char *data;
  size_t bytes;
};

/* Each list ends with a null path. */
static const struct File inputs[] = {
#ifdef MODEL_INPUT0_BYTES
    {"input0.raw", input0, sizeof input0},
#endif
#ifdef MODEL_INPUT1_BYTES
    {"input1.raw", input1, sizeof input1},
#endif
#ifdef MODEL_INPUT2_BYTES
    {"input2.raw", input2, sizeof input2},
#endif
    {0, 0, 0},
};

static const struct File outputs[] = {
    {"output0.raw", output0, sizeof output0},
#ifdef MODEL_OUTPUT1_BYTES
    {"output1.raw", output1, sizeof output1},
#endif
    {0, 0, 0},
};

int main(void) {
  for (const struct File *f = inputs; f->path; ++f)
    if (transfer(f->path, "rb", f->data, f->bytes))
      return 1;
  if (model_run(INPUT0 INPUT1 INPUT2 (void *)output0, OUTPUT1 scratch) != 0) {
    fprintf(stderr, "run-data-set: model_run failed\n");
    return 1;
  }
  for (const struct File *f = outputs; f->path; ++f)
    if (transfer(f->path, "wb", f->data, f->bytes))
      return 1;
  return 0;
}
