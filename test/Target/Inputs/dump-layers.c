/* Writes the per-layer dump (docs/tools.md) of a debug object: a model
 * compiled by qnn-translate after qnn-opt --qnn-expose-layers, whose header
 * model.h (found with -I) lists the layers. Reads each input from a raw
 * file (qnn-run's raw layout), runs the model once, and writes
 * DIR/layers.txt and DIR/<index, 3 digits>_<name>.npy for every layer,
 * byte for byte what qnn-run --dump-dir writes for the same values. DIR
 * must exist.
 *
 * Usage: dump-layers DIR INPUT0.raw [INPUT1.raw ...]
 *
 * Bare metal (a Cortex-M under QEMU, newlib with semihosting) main takes no
 * arguments: it reads in0.raw, in1.raw, ... and writes into layers/,
 * relative to QEMU's directory. */
#include <stdio.h>

#include "model-io.h"
#include "model.h"

static _Alignas(MODEL_SCRATCH_ALIGN) unsigned char scratch[MODEL_SCRATCH_BYTES];
/* The layers one after another, each at a multiple of 64 bytes. */
static _Alignas(64) unsigned char arena[MODEL_LAYERS_BYTES];

/* The .npy 1.0 file of lib/Reference/Npy.cpp: magic, version, header
 * length, the header dict padded with spaces and a newline so that the
 * data starts at a multiple of 64 bytes, then the data. */
static int writeNpy(const char *path, const model_layer_t *layer,
                    const void *data) {
  char dict[256 + 24 * MODEL_LAYER_MAX_RANK];
  int n = snprintf(dict, sizeof dict,
                   "{'descr': '%c%c%d', 'fortran_order': False, 'shape': (",
                   layer->container_bytes == 1 ? '|' : '<',
                   layer->is_signed ? 'i' : 'u', (int)layer->container_bytes);
  for (int d = 0; d < layer->rank; ++d)
    n += snprintf(dict + n, sizeof dict - n, "%s%lld", d ? ", " : "",
                  (long long)layer->shape[d]);
  n += snprintf(dict + n, sizeof dict - n, "%s), }",
                layer->rank == 1 ? "," : "");
  while ((10 + n + 1) % 64 != 0)
    dict[n++] = ' ';
  dict[n++] = '\n';
  const unsigned char preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                      n & 0xff, n >> 8};
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "%s: cannot open\n", path);
    return 1;
  }
  int ok = fwrite(preamble, 1, sizeof preamble, f) == sizeof preamble &&
           fwrite(dict, 1, n, f) == (size_t)n &&
           fwrite(data, 1, layer->bytes, f) == (size_t)layer->bytes;
  if (fclose(f) != 0 || !ok) {
    fprintf(stderr, "%s: cannot write\n", path);
    return 1;
  }
  return 0;
}

static int dumpLayers(const char *dir, const char *const inputs[]) {
  void *buffers[MODEL_NUM_LAYERS];
  size_t offset = 0;
  for (int i = 0; i < MODEL_NUM_LAYERS; ++i) {
    buffers[i] = arena + offset;
    offset += (model_layers[i].bytes + 63) / 64 * 64;
  }
  for (int i = 0; i < MODEL_NUM_INPUTS; ++i)
    if (transfer(inputs[i], "rb", buffers[i], model_layers[i].bytes))
      return 1;
  if (model_run_layers(buffers, scratch) != 0) {
    fprintf(stderr, "dump-layers: model_run failed\n");
    return 1;
  }
  char path[1024];
  snprintf(path, sizeof path, "%s/layers.txt", dir);
  FILE *index = fopen(path, "w");
  if (!index) {
    fprintf(stderr, "%s: cannot open\n", path);
    return 1;
  }
  /* The same comment line as qnn-run's (lib/Reference/LayerDump.cpp). */
  fprintf(index, "# qnn-mlir layer dump (docs/tools.md): order name op type; "
                 "the values of each layer in <order>_<name>.npy\n");
  for (int i = 0; i < MODEL_NUM_LAYERS; ++i) {
    const model_layer_t *layer = &model_layers[i];
    snprintf(path, sizeof path, "%s/%03d_%s.npy", dir, i, layer->name);
    if (writeNpy(path, layer, buffers[i]))
      return 1;
    fprintf(index, "%d %s %s %s\n", i, layer->name, layer->op, layer->type);
  }
  if (fclose(index) != 0) {
    fprintf(stderr, "%s/layers.txt: cannot write\n", dir);
    return 1;
  }
  return 0;
}

#if defined(__linux__)
int main(int argc, char **argv) {
  if (argc != 2 + MODEL_NUM_INPUTS) {
    fprintf(stderr, "usage: dump-layers DIR INPUT0.raw ... (%d inputs)\n",
            MODEL_NUM_INPUTS);
    return 2;
  }
  return dumpLayers(argv[1], (const char *const *)argv + 2);
}
#else
int main(void) {
  static char names[MODEL_NUM_INPUTS][32];
  const char *inputs[MODEL_NUM_INPUTS];
  for (int i = 0; i < MODEL_NUM_INPUTS; ++i) {
    snprintf(names[i], sizeof names[i], "in%d.raw", i);
    inputs[i] = names[i];
  }
  return dumpLayers("layers", inputs);
}
#endif
