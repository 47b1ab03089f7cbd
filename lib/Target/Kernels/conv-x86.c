/*===- conv-x86.c - Fused integer conv/matmul micro-kernels for x86-64 ---===*
 *
 * Compiled at build time to LLVM bitcode, once per instruction set
 * (-DQNN_KERNEL_VNNI: AVX-512 VNNI vpdpbusd; -DQNN_KERNEL_AVX2: vpmaddwd),
 * and linked into a model's object by qnn-translate (lib/Target/
 * EmitNative.cpp), which keeps only the kernels the model calls and makes
 * them internal. The interface, the packed layouts and the arithmetic that
 * makes the result bit-identical to the interpreter are described in
 * include/qnn/Conversion/KernelABI.h.
 *
 * Constraints of generated code hold here too: no float, no heap, no
 * global state, no library call (built -ffreestanding -fno-builtin), all
 * working memory in the caller's scratch arena or on the stack.
 *===----------------------------------------------------------------------===*/

#include "qnn/Conversion/KernelABI.h"

#include <immintrin.h>
#include <stdint.h>

#define INLINE static inline __attribute__((always_inline))
/* The register tile must be fully unrolled to live in registers. */
#define UNROLL _Pragma("clang loop unroll(full)")

#if defined(QNN_KERNEL_VNNI)
#define LANES 16
typedef __m512i Vec;
typedef int8_t Weight;
#define GROUP 4 /* input channels per 32-bit lane group: u8 x 4 */
#define vzero() _mm512_setzero_si512()
#define vload(p) _mm512_load_si512((const void *)(p))
#define vstore(p, v) _mm512_store_si512((void *)(p), v)
#define vbroadcast(x) _mm512_set1_epi32(x)
#define vdot(acc, x, w) _mm512_dpbusd_epi32(acc, x, w)
#define vadd(a, b) _mm512_add_epi32(a, b)
/* A pair of weight vectors stored as nibbles, w + 8 (0..15): the low
   nibbles of 64 bytes are one vector, the high nibbles the next. */
#define NIBBLE_BYTES 64
INLINE Vec unpackLow(const uint8_t *p) {
  return _mm512_sub_epi8(
      _mm512_and_si512(_mm512_load_si512((const void *)p),
                       _mm512_set1_epi8(0x0F)),
      _mm512_set1_epi8(8));
}
INLINE Vec unpackHigh(const uint8_t *p) {
  return _mm512_sub_epi8(
      _mm512_and_si512(_mm512_srli_epi16(_mm512_load_si512((const void *)p), 4),
                       _mm512_set1_epi8(0x0F)),
      _mm512_set1_epi8(8));
}
#define KERNEL_NAME(OB, PB) qnn_kernel_vnni_o##OB##_p##PB
#define NIBBLE_KERNEL_NAME(OB, PB) qnn_kernel_vnni_w4_o##OB##_p##PB
#define MAX_OB 4
#define MAX_PB 28
#elif defined(QNN_KERNEL_AVX2)
#define LANES 8
typedef __m256i Vec;
typedef int16_t Weight;
#define GROUP 2 /* input channels per 32-bit lane group: i16 x 2 */
#define vzero() _mm256_setzero_si256()
#define vload(p) _mm256_load_si256((const __m256i *)(p))
#define vstore(p, v) _mm256_store_si256((__m256i *)(p), v)
#define vbroadcast(x) _mm256_set1_epi32(x)
#define vdot(acc, x, w) _mm256_add_epi32(acc, _mm256_madd_epi16(x, w))
#define vadd(a, b) _mm256_add_epi32(a, b)
/* A pair of weight vectors stored as nibbles, w + 8 (0..15): the low
   nibbles of 16 bytes are one vector of 16 i16, the high nibbles the next. */
#define NIBBLE_BYTES 16
INLINE Vec unpackLow(const uint8_t *p) {
  return _mm256_cvtepi8_epi16(
      _mm_sub_epi8(_mm_and_si128(_mm_load_si128((const __m128i *)p),
                                 _mm_set1_epi8(0x0F)),
                   _mm_set1_epi8(8)));
}
INLINE Vec unpackHigh(const uint8_t *p) {
  return _mm256_cvtepi8_epi16(_mm_sub_epi8(
      _mm_and_si128(_mm_srli_epi16(_mm_load_si128((const __m128i *)p), 4),
                    _mm_set1_epi8(0x0F)),
      _mm_set1_epi8(8)));
}
#define KERNEL_NAME(OB, PB) qnn_kernel_avx2_o##OB##_p##PB
#define NIBBLE_KERNEL_NAME(OB, PB) qnn_kernel_avx2_w4_o##OB##_p##PB
#define MAX_OB 2
#define MAX_PB 13
#else
#error "define QNN_KERNEL_VNNI or QNN_KERNEL_AVX2"
#endif

/* One input element in the packed domain: VNNI multiplies unsigned bytes,
   so signed input is offset by 128 (bias' corrects for it); AVX2 takes
   signed 16-bit values as they are. */
#if defined(QNN_KERNEL_VNNI)
typedef uint8_t Packed;
INLINE Packed toPacked(int32_t v, int isSigned) {
  return (Packed)(isSigned ? v + 128 : v);
}
#else
typedef int16_t Packed;
INLINE Packed toPacked(int32_t v, int isSigned) {
  (void)isSigned;
  return (Packed)v;
}
#endif

INLINE int32_t inputElement(const uint8_t *p, int isSigned) {
  return isSigned ? (int32_t)(int8_t)*p : (int32_t)*p;
}

/* Packs one image into dst: [channel group][padded row][stride-x phase]
   [phase column][GROUP channels]. Padded column X = column * strideX +
   phase, so the window position kx of output column ox is column
   ox + (kx * dilationX) / strideX of phase (kx * dilationX) % strideX:
   consecutive output pixels read consecutive 32-bit groups, whatever the
   stride. Positions outside the input hold the input zero point. The
   columns inside the input are a branch-free strided copy of GROUP
   channel rows. */
INLINE void packRow(const uint8_t *const src[GROUP], long step, int count,
                    Packed *out, int isSigned) {
  for (int q = 0; q < count; ++q)
    UNROLL for (int i = 0; i < GROUP; ++i)
      out[q * GROUP + i] = toPacked(inputElement(src[i] + q * step, isSigned),
                                    isSigned);
}

static void packInput(const int32_t *d, const uint8_t *in, Packed *dst) {
  const int channels = d[QNN_KERNEL_IN_CHANNELS];
  const int height = d[QNN_KERNEL_IN_HEIGHT], width = d[QNN_KERNEL_IN_WIDTH];
  const long strideC = d[QNN_KERNEL_IN_STRIDE_C];
  const long strideY = d[QNN_KERNEL_IN_STRIDE_Y];
  const long strideX = d[QNN_KERNEL_IN_STRIDE_X];
  const int isSigned = d[QNN_KERNEL_IN_SIGNED];
  const int groups = d[QNN_KERNEL_CHANNEL_GROUPS];
  const int rows = d[QNN_KERNEL_PACKED_ROWS];
  const int phases = d[QNN_KERNEL_STRIDE_X];
  const int phaseWidth = d[QNN_KERNEL_PHASE_WIDTH];
  const int padTop = d[QNN_KERNEL_PAD_TOP], padLeft = d[QNN_KERNEL_PAD_LEFT];
  const Packed pad = toPacked(d[QNN_KERNEL_PAD_VALUE], isSigned);
  for (int g = 0; g < groups; ++g)
    for (int r = 0; r < rows; ++r) {
      const int y = r - padTop;
      Packed *row = dst + ((long)(g * rows + r) * phases * phaseWidth) * GROUP;
      if (y < 0 || y >= height) {
        for (int k = 0; k < phases * phaseWidth * GROUP; ++k)
          row[k] = pad;
        continue;
      }
      for (int ph = 0; ph < phases; ++ph) {
        Packed *out = row + ph * phaseWidth * GROUP;
        /* Columns q with 0 <= q * phases + ph - padLeft < width. */
        int first = padLeft - ph > 0 ? (padLeft - ph + phases - 1) / phases : 0;
        int end = (width + padLeft - ph + phases - 1) / phases;
        first = first < phaseWidth ? first : phaseWidth;
        end = end < first ? first : (end < phaseWidth ? end : phaseWidth);
        for (int k = 0; k < first * GROUP; ++k)
          out[k] = pad;
        for (int k = end * GROUP; k < phaseWidth * GROUP; ++k)
          out[k] = pad;
        if (end == first)
          continue;
        const long x0 = (long)first * phases + ph - padLeft;
        const uint8_t *src[GROUP];
        int full = 1;
        for (int i = 0; i < GROUP; ++i) {
          const int c = g * GROUP + i;
          full &= c < channels;
          /* a padded channel (weights 0) reads the pad value instead */
          src[i] = in + (c < channels ? c : 0) * strideC + y * strideY +
                   x0 * strideX;
        }
        const long step = phases * strideX;
        if (full && isSigned) /* constant signedness: a specialized copy */
          packRow(src, step, end - first, out + first * GROUP, 1);
        else if (full)
          packRow(src, step, end - first, out + first * GROUP, 0);
        else /* the last, partial group */
          for (int q = first; q < end; ++q)
            for (int i = 0; i < GROUP; ++i) {
              const int c = g * GROUP + i;
              out[q * GROUP + i] =
                  c < channels
                      ? toPacked(inputElement(src[i] + (q - first) * step,
                                              isSigned),
                                 isSigned)
                      : pad;
            }
      }
    }
}

/* round((acc - inZp) * m / 2^s) + outZp, clamped: the rule of
   qnn::rules::rescale (include/qnn/Support/IntegerRules.h), step for step,
   on `count` lanes, for one tie rule. */
INLINE void rescaleLanes(const int32_t *acc, const int32_t *mult,
                         const int32_t *shift, int count, int64_t inZp,
                         int64_t outZp, int64_t lo, int64_t hi, uint8_t *res,
                         const int rounding) {
  for (int i = 0; i < count; ++i) {
    const int64_t p = ((int64_t)acc[i] - inZp) * (int64_t)mult[i];
    const uint64_t s = (uint64_t)shift[i];
    const int64_t floorQ = p >> s;
    const uint64_t pow = (uint64_t)1 << s;
    const uint64_t rem = (uint64_t)p & (pow - 1), half = pow >> 1;
    int tieUp = rounding == 0   ? 1
                : rounding == 1 ? (int)(floorQ & 1)
                                : floorQ >= 0;
    const int up = s != 0 && (rem > half || (rem == half && tieUp));
    int64_t y = floorQ + up + outZp;
    y = y < lo ? lo : (y > hi ? hi : y);
    res[i] = (uint8_t)y;
  }
}

/* The same rule for the common case, input zero point 0 and ties up:
   |acc * m| < 2^62 and 2^(s-1) <= 2^62, so p + 2^(s-1) cannot overflow and
   floor((p + 2^(s-1)) / 2^s) is round-half-up exactly (2^(s-1) is 0 for
   s = 0). Vectorizes to vpmuldq, vpaddq, vpsravq. */
INLINE void rescaleHalfUpLanes(const int32_t *acc, const int32_t *mult,
                               const int32_t *shift, int count, int64_t outZp,
                               int64_t lo, int64_t hi, uint8_t *res) {
  for (int i = 0; i < count; ++i) {
    const int64_t p = (int64_t)acc[i] * (int64_t)mult[i];
    const uint64_t s = (uint64_t)shift[i];
    int64_t y = ((p + (int64_t)(((uint64_t)1 << s) >> 1)) >> s) + outZp;
    y = y < lo ? lo : (y > hi ? hi : y);
    res[i] = (uint8_t)y;
  }
}

/* acc[o][j] += x[j] . wv[o] over the register tile. */
INLINE void tileStep(Vec acc[MAX_OB][MAX_PB], const int32_t *x,
                     const Vec wv[MAX_OB], const int OB, const int PB) {
  UNROLL for (int j = 0; j < PB; ++j) {
    const Vec xv = vbroadcast(x[j]);
    UNROLL for (int o = 0; o < OB; ++o)
      acc[o][j] = vdot(acc[o][j], xv, wv[o]);
  }
}

/* The convolution with an OB x PB register tile (OB vectors of LANES
   output channels, PB output pixels of one row). A step is one (channel
   group, tap) of the reduction; the weights of a channel block are OB
   vectors per step, as Weight values, or with `nibbles` two steps per
   NIBBLE_BYTES x OB bytes (the last step of an odd count alone in the low
   nibbles). */
INLINE void convolve(intptr_t descArg, intptr_t inArg, intptr_t outArg,
                     intptr_t weightArg, intptr_t biasArg, intptr_t multArg,
                     intptr_t shiftArg, intptr_t scratchArg, const int OB,
                     const int PB, const int nibbles) {
  const int32_t *d = (const int32_t *)descArg;
  const uint8_t *in = (const uint8_t *)inArg;
  const Weight *weights = (const Weight *)weightArg;
  const uint8_t *nibbleWeights = (const uint8_t *)weightArg;
  const int32_t *bias = (const int32_t *)biasArg;
  const int32_t *mult = (const int32_t *)multArg;
  const int32_t *shift = (const int32_t *)shiftArg;
  Packed *packed = (Packed *)scratchArg;

  const int outChannels = d[QNN_KERNEL_OUT_CHANNELS];
  const int outHeight = d[QNN_KERNEL_OUT_HEIGHT];
  const int outWidth = d[QNN_KERNEL_OUT_WIDTH];
  const long outStrideN = d[QNN_KERNEL_OUT_STRIDE_N];
  const long outStrideC = d[QNN_KERNEL_OUT_STRIDE_C];
  const long outStrideY = d[QNN_KERNEL_OUT_STRIDE_Y];
  const long outStrideX = d[QNN_KERNEL_OUT_STRIDE_X];
  const int kh = d[QNN_KERNEL_KERNEL_H], kw = d[QNN_KERNEL_KERNEL_W];
  const int strideY = d[QNN_KERNEL_STRIDE_Y], strideX = d[QNN_KERNEL_STRIDE_X];
  const int dilY = d[QNN_KERNEL_DILATION_Y], dilX = d[QNN_KERNEL_DILATION_X];
  const int groups = d[QNN_KERNEL_CHANNEL_GROUPS];
  const int rows = d[QNN_KERNEL_PACKED_ROWS];
  const int phaseWidth = d[QNN_KERNEL_PHASE_WIDTH];
  const int rowLength = strideX * phaseWidth; /* 32-bit groups per row */
  const int rescale = d[QNN_KERNEL_RESCALE];
  const int64_t inZp = d[QNN_KERNEL_RESCALE_INPUT_ZP];
  const int64_t outZp = d[QNN_KERNEL_OUTPUT_ZP];
  const int64_t lo = d[QNN_KERNEL_CLAMP_MIN], hi = d[QNN_KERNEL_CLAMP_MAX];
  const int rounding = d[QNN_KERNEL_ROUNDING];

  /* Offset (in 32-bit groups) of each window position from the tile's
     first pixel. */
  const int taps = kh * kw;
  int32_t tapOffset[taps];
  for (int ky = 0; ky < kh; ++ky)
    for (int kx = 0; kx < kw; ++kx)
      tapOffset[ky * kw + kx] = ky * dilY * rowLength +
                                (kx * dilX) % strideX * phaseWidth +
                                (kx * dilX) / strideX;
  const int tile = OB * LANES;
  const int channelBlocks = (outChannels + tile - 1) / tile;
  const int steps = groups * taps;
  const long blockWeights = (long)steps * tile * GROUP;
  const long blockNibbleBytes = (long)(steps + 1) / 2 * OB * NIBBLE_BYTES;
  const long groupStride = (long)rows * rowLength;

  for (int n = 0; n < d[QNN_KERNEL_BATCH]; ++n) {
    packInput(d, in + (long)n * d[QNN_KERNEL_IN_STRIDE_N], packed);
    const int32_t *image = (const int32_t *)packed;
    for (int oy = 0; oy < outHeight; ++oy) {
      const int32_t *rowBase = image + (long)oy * strideY * rowLength;
      for (int cb = 0; cb < channelBlocks; ++cb) {
        const int oc0 = cb * tile;
        const int ocCount =
            outChannels - oc0 < tile ? outChannels - oc0 : tile;
        for (int ox0 = 0; ox0 < outWidth; ox0 += PB) {
          const int pixels = outWidth - ox0 < PB ? outWidth - ox0 : PB;
          Vec acc[MAX_OB][MAX_PB]; /* fixed sizes: no VLA, so SROA keeps them in registers */
          UNROLL for (int o = 0; o < OB; ++o)
            UNROLL for (int j = 0; j < PB; ++j)
              acc[o][j] = vzero();
          Vec wv[MAX_OB];
          if (nibbles) {
            const uint8_t *w = nibbleWeights + cb * blockNibbleBytes;
            int g = 0, t = 0; /* the step after the pair's first */
            for (int s = 0; s < steps; s += 2) {
              const int32_t *x = rowBase + g * groupStride + ox0 + tapOffset[t];
              g += ++t == taps;
              t = t == taps ? 0 : t;
              UNROLL for (int o = 0; o < OB; ++o)
                wv[o] = unpackLow(w + o * NIBBLE_BYTES);
              tileStep(acc, x, wv, OB, PB);
              if (s + 1 < steps) {
                x = rowBase + g * groupStride + ox0 + tapOffset[t];
                g += ++t == taps;
                t = t == taps ? 0 : t;
                UNROLL for (int o = 0; o < OB; ++o)
                  wv[o] = unpackHigh(w + o * NIBBLE_BYTES);
                tileStep(acc, x, wv, OB, PB);
              }
              w += OB * NIBBLE_BYTES;
            }
          } else {
            const Weight *w = weights + cb * blockWeights;
            for (int g = 0; g < groups; ++g) {
              const int32_t *groupBase = rowBase + g * groupStride + ox0;
              for (int t = 0; t < taps; ++t) {
                UNROLL for (int o = 0; o < OB; ++o)
                  wv[o] = vload(w + o * LANES * GROUP);
                w += OB * LANES * GROUP;
                tileStep(acc, groupBase + tapOffset[t], wv, OB, PB);
              }
            }
          }

          /* Output stage: bias', then the rescale or the raw sums, written
             channel by channel into the output's layout. */
          int32_t sums[MAX_PB][MAX_OB * LANES] __attribute__((aligned(64)));
          UNROLL for (int o = 0; o < OB; ++o) {
            const Vec b = vload(bias + oc0 + o * LANES);
            UNROLL for (int j = 0; j < PB; ++j)
              vstore(&sums[j][o * LANES], vadd(acc[o][j], b));
          }
          const long first = (long)n * outStrideN + (long)oy * outStrideY +
                             (long)ox0 * outStrideX + (long)oc0 * outStrideC;
          if (!rescale) {
            int32_t *out = (int32_t *)outArg + first;
            for (int c = 0; c < ocCount; ++c)
              for (int j = 0; j < pixels; ++j)
                out[c * outStrideC + j * outStrideX] = sums[j][c];
            continue;
          }
          uint8_t bytes[MAX_PB][MAX_OB * LANES];
          for (int j = 0; j < PB; ++j) {
            if (rounding == 0 && inZp == 0)
              rescaleHalfUpLanes(sums[j], mult + oc0, shift + oc0, tile, outZp,
                                 lo, hi, bytes[j]);
            else if (rounding == 0)
              rescaleLanes(sums[j], mult + oc0, shift + oc0, tile, inZp,
                           outZp, lo, hi, bytes[j], 0);
            else if (rounding == 1)
              rescaleLanes(sums[j], mult + oc0, shift + oc0, tile, inZp,
                           outZp, lo, hi, bytes[j], 1);
            else
              rescaleLanes(sums[j], mult + oc0, shift + oc0, tile, inZp,
                           outZp, lo, hi, bytes[j], 2);
          }
          uint8_t *out = (uint8_t *)outArg + first;
          for (int c = 0; c < ocCount; ++c)
            for (int j = 0; j < pixels; ++j)
              out[c * outStrideC + j * outStrideX] = bytes[j][c];
        }
      }
    }
  }
}

/* Each tile twice: byte (or i16) weights and nibble weights. */
#define DEFINE_KERNEL(OB, PB)                                                  \
  void KERNEL_NAME(OB, PB)(intptr_t d, intptr_t in, intptr_t out,             \
                           intptr_t w, intptr_t bias, intptr_t mult,          \
                           intptr_t shift, intptr_t scratch) {                \
    convolve(d, in, out, w, bias, mult, shift, scratch, OB, PB, 0);           \
  }                                                                            \
  void NIBBLE_KERNEL_NAME(OB, PB)(intptr_t d, intptr_t in, intptr_t out,      \
                                  intptr_t w, intptr_t bias, intptr_t mult,   \
                                  intptr_t shift, intptr_t scratch) {         \
    convolve(d, in, out, w, bias, mult, shift, scratch, OB, PB, 1);           \
  }

#define DEFINE_UP_TO_6(OB)                                                     \
  DEFINE_KERNEL(OB, 1)                                                         \
  DEFINE_KERNEL(OB, 2)                                                         \
  DEFINE_KERNEL(OB, 3)                                                         \
  DEFINE_KERNEL(OB, 4)                                                         \
  DEFINE_KERNEL(OB, 5)                                                         \
  DEFINE_KERNEL(OB, 6)
#define DEFINE_7_TO_13(OB)                                                     \
  DEFINE_KERNEL(OB, 7)                                                         \
  DEFINE_KERNEL(OB, 8)                                                         \
  DEFINE_KERNEL(OB, 9)                                                         \
  DEFINE_KERNEL(OB, 10)                                                        \
  DEFINE_KERNEL(OB, 11)                                                        \
  DEFINE_KERNEL(OB, 12)                                                        \
  DEFINE_KERNEL(OB, 13)

/* The tiles the code generator may choose (EmitKernels.cpp: maxPixels):
   the accumulators, the OB weight vectors and one broadcast (and on AVX2
   one product) fit the 32 zmm / 16 ymm registers. */
#if defined(QNN_KERNEL_VNNI)
DEFINE_UP_TO_6(1)
DEFINE_7_TO_13(1)
DEFINE_KERNEL(1, 14)
DEFINE_KERNEL(1, 15)
DEFINE_KERNEL(1, 16)
DEFINE_KERNEL(1, 17)
DEFINE_KERNEL(1, 18)
DEFINE_KERNEL(1, 19)
DEFINE_KERNEL(1, 20)
DEFINE_KERNEL(1, 21)
DEFINE_KERNEL(1, 22)
DEFINE_KERNEL(1, 23)
DEFINE_KERNEL(1, 24)
DEFINE_KERNEL(1, 25)
DEFINE_KERNEL(1, 26)
DEFINE_KERNEL(1, 27)
DEFINE_KERNEL(1, 28)
DEFINE_UP_TO_6(2)
DEFINE_7_TO_13(2)
DEFINE_KERNEL(2, 14)
DEFINE_UP_TO_6(4)
#else
DEFINE_UP_TO_6(1)
DEFINE_7_TO_13(1)
DEFINE_UP_TO_6(2)
#endif
