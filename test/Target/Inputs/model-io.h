/* Raw tensor files for the C drivers of compiled models (run-model.c,
 * dump-layers.c): qnn-run's raw layout, one container per element,
 * little-endian, read or written whole. */
#ifndef QNN_TEST_MODEL_IO_H
#define QNN_TEST_MODEL_IO_H

#include <stdio.h>

/* Reads (mode "rb") or writes ("wb") exactly `bytes` bytes of `path`. */
static int transfer(const char *path, const char *mode, void *data,
                    size_t bytes) {
  FILE *f = fopen(path, mode);
  if (!f) {
    fprintf(stderr, "%s: cannot open\n", path);
    return 1;
  }
  size_t done = mode[0] == 'r' ? fread(data, 1, bytes, f)
                               : fwrite(data, 1, bytes, f);
  int extra = mode[0] == 'r' && fgetc(f) != EOF;
  fclose(f);
  if (done != bytes || extra) {
    fprintf(stderr, "%s: expected exactly %zu bytes\n", path, bytes);
    return 1;
  }
  return 0;
}

#endif /* QNN_TEST_MODEL_IO_H */
