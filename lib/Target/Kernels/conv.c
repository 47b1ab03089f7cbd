/*===- conv.c - Fused integer conv/matmul micro-kernels -------------------===*
 *
 * Compiled at build time to LLVM bitcode, once per instruction set
 * (-DQNN_KERNEL_VNNI: x86-64 AVX-512 VNNI vpdpbusd; -DQNN_KERNEL_AVX2:
 * x86-64 vpmaddwd; -DQNN_KERNEL_DOTPROD: AArch64 NEON sdot), and linked
 * into a model's object by qnn-translate (lib/Target/EmitNative.cpp), which
 * keeps only the kernels the model calls and makes them internal. The
 * interface, the packed layouts and the arithmetic that makes the result
 * bit-identical to the interpreter are described in
 * include/qnn/Conversion/KernelABI.h. Only the block of vector primitives
 * below differs between instruction sets.
 *
 * Constraints of generated code hold here too: no float, no heap, no
 * global state, no library call (built -ffreestanding -fno-builtin), all
 * working memory in the caller's scratch arena or on the stack.
 *===----------------------------------------------------------------------===*/

#include "qnn/Conversion/KernelABI.h"

#include <stdint.h>
#if defined(QNN_KERNEL_DOTPROD)
#include <arm_neon.h>
#else
#include <immintrin.h>
#endif

#define INLINE static inline __attribute__((always_inline))
/* The register tile must be fully unrolled to live in registers. */
#define UNROLL _Pragma("clang loop unroll(full)")

/* Sixteen bytes, on every instruction set: what the packing, the depthwise
   and the max-pool kernels read of a row, every byte or (loadEvenBytes)
   every other one of 32. */
#if defined(QNN_KERNEL_DOTPROD)
typedef uint8x16_t Bytes;
#define loadBytes(p) vld1q_u8(p)
#define loadEvenBytes(p) vld2q_u8(p).val[0] /* of 32 */
#define storeBytes(p, v) vst1q_u8(p, v)
INLINE Bytes maxBytes(Bytes a, Bytes b, int isSigned) {
  return isSigned ? vreinterpretq_u8_s8(vmaxq_s8(vreinterpretq_s8_u8(a),
                                                 vreinterpretq_s8_u8(b)))
                  : vmaxq_u8(a, b);
}
#define POOL_NAME qnn_kernel_dotprod_maxpool
#else
typedef __m128i Bytes;
#define loadBytes(p) _mm_loadu_si128((const __m128i *)(p))
#define storeBytes(p, v) _mm_storeu_si128((__m128i *)(p), v)
INLINE Bytes loadEvenBytes(const uint8_t *p) { /* of 32 */
  const __m128i low = _mm_set1_epi16(0x00FF);
  return _mm_packus_epi16(_mm_and_si128(loadBytes(p), low),
                          _mm_and_si128(loadBytes(p + 16), low));
}
INLINE Bytes maxBytes(Bytes a, Bytes b, int isSigned) {
  return isSigned ? _mm_max_epi8(a, b) : _mm_max_epu8(a, b);
}
#if defined(QNN_KERNEL_VNNI)
#define POOL_NAME qnn_kernel_vnni_maxpool
#else
#define POOL_NAME qnn_kernel_avx2_maxpool
#endif
#endif
INLINE Bytes loadStridedBytes(const uint8_t *p, long step) {
  return step == 2 ? loadEvenBytes(p) : loadBytes(p);
}

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
/* Packs the 16 columns from q of four channel rows (u8; signed ones
   flipped to u8 by the xor), the rows from `present` on holding the pad
   value, read every `step` bytes (1 or 2): a 4 x 16 byte transposition. */
#define PACK_BLOCK 16
INLINE void packBlock(const uint8_t *const src[4], int present, int32_t pad,
                      long step, int q, uint8_t *out, int isSigned) {
  const __m128i flip = _mm_set1_epi8(isSigned ? (char)0x80 : 0);
  __m128i r[4];
  UNROLL for (int i = 0; i < 4; ++i) {
    const __m128i v = i < present ? loadStridedBytes(src[i] + q * step, step)
                                  : _mm_set1_epi8((char)pad);
    r[i] = _mm_xor_si128(v, flip);
  }
  const __m128i a = _mm_unpacklo_epi8(r[0], r[1]);
  const __m128i b = _mm_unpackhi_epi8(r[0], r[1]);
  const __m128i c = _mm_unpacklo_epi8(r[2], r[3]);
  const __m128i e = _mm_unpackhi_epi8(r[2], r[3]);
  __m128i *o = (__m128i *)(out + q * 4);
  _mm_storeu_si128(o, _mm_unpacklo_epi16(a, c));
  _mm_storeu_si128(o + 1, _mm_unpackhi_epi16(a, c));
  _mm_storeu_si128(o + 2, _mm_unpacklo_epi16(b, e));
  _mm_storeu_si128(o + 3, _mm_unpackhi_epi16(b, e));
}
/* The output stage's transposition: 16 rows of pixel-major bytes become
   16 channel rows of 16 pixels, in each 128-bit lane at once (lane L holds
   channels 16 L..16 L + 15). */
typedef __m512i ByteRows;
#define TRANSPOSE_LANES 4
#define loadRow(p) _mm512_load_si512((const void *)(p))
#define unpackLo8 _mm512_unpacklo_epi8
#define unpackHi8 _mm512_unpackhi_epi8
#define unpackLo16 _mm512_unpacklo_epi16
#define unpackHi16 _mm512_unpackhi_epi16
#define unpackLo32 _mm512_unpacklo_epi32
#define unpackHi32 _mm512_unpackhi_epi32
#define unpackLo64 _mm512_unpacklo_epi64
#define unpackHi64 _mm512_unpackhi_epi64
#define zeroRow _mm512_setzero_si512
/* Stores the first n (1..16) pixels of lane L of v (L a constant once
   the loops are unrolled: the switch folds). One pixel is a plain byte
   store: given a constant one-bit mask here, clang 22 compiled the masked
   store of even channels as vpextrb to a register and a 4-byte movl,
   overwriting the next three output bytes (qnn_kernel_vnni_o1_p17 on the
   conv-1x1-s2 shape of test/Target/kernels.mlir; a two-line reproducer
   did not show it). */
INLINE void storeLanePixels(uint8_t *p, __m128i v, int n) {
  if (n == 1)
    *p = (uint8_t)_mm_cvtsi128_si32(v);
  else
    _mm_mask_storeu_epi8(p, (__mmask16)((1u << n) - 1), v);
}
INLINE void storePixels(uint8_t *p, __m512i v, int L, int n) {
  switch (L) {
  case 0:
    storeLanePixels(p, _mm512_castsi512_si128(v), n);
    break;
  case 1:
    storeLanePixels(p, _mm512_extracti32x4_epi32(v, 1), n);
    break;
  case 2:
    storeLanePixels(p, _mm512_extracti32x4_epi32(v, 2), n);
    break;
  default:
    storeLanePixels(p, _mm512_extracti32x4_epi32(v, 3), n);
  }
}
/* Depthwise: LANES input bytes from p (every byte, or every other one at
   stride 2), widened to 32 bits. */
INLINE Vec widenPixels(const uint8_t *p, int step, int isSigned) {
  const __m128i v = loadStridedBytes(p, step);
  return isSigned ? _mm512_cvtepi8_epi32(v) : _mm512_cvtepu8_epi32(v);
}
#define vmullo(a, b) _mm512_mullo_epi32(a, b)
#define DEPTHWISE_NAME qnn_kernel_vnni_dw
#define HAS_VECTOR_TRANSPOSE 1
#define KERNEL_NAME(OB, PB) qnn_kernel_vnni_o##OB##_p##PB
#define NIBBLE_KERNEL_NAME(OB, PB) qnn_kernel_vnni_w4_o##OB##_p##PB
#define REGISTER_NIBBLE_KERNEL_NAME(OB, PB) qnn_kernel_vnni_w4r_o##OB##_p##PB
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
/* Packs the 8 columns from q of two channel rows as i16 pairs, the rows
   from `present` on holding the pad value, read every `step` bytes (1 or
   2). */
#define PACK_BLOCK 8
INLINE void packBlock(const uint8_t *const src[2], int present, int32_t pad,
                      long step, int q, int16_t *out, int isSigned) {
  __m128i w[2];
  UNROLL for (int i = 0; i < 2; ++i) {
    const uint8_t *p = src[i] + q * step;
    if (i >= present)
      w[i] = _mm_set1_epi16((short)pad);
    else if (step == 1)
      w[i] = isSigned ? _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)p))
                      : _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)p));
    else if (isSigned) /* the even bytes of 16, sign-extended */
      w[i] = _mm_srai_epi16(
          _mm_slli_epi16(_mm_loadu_si128((const __m128i *)p), 8), 8);
    else
      w[i] = _mm_and_si128(_mm_loadu_si128((const __m128i *)p),
                           _mm_set1_epi16(0x00FF));
  }
  __m128i *o = (__m128i *)(out + q * 2);
  _mm_storeu_si128(o, _mm_unpacklo_epi16(w[0], w[1]));
  _mm_storeu_si128(o + 1, _mm_unpackhi_epi16(w[0], w[1]));
}
/* No output transposition: with at most 16 channels and 13 pixels a tile
   and no masked byte store, it measured 5-8 % slower than the byte loop. */
/* Depthwise: LANES input bytes from p (every byte, or every other one at
   stride 2), widened to 32 bits. */
INLINE Vec widenPixels(const uint8_t *p, int step, int isSigned) {
  __m128i v = step == 2 ? _mm_packus_epi16(
                              _mm_and_si128(_mm_loadu_si128((const __m128i *)p),
                                            _mm_set1_epi16(0x00FF)),
                              _mm_setzero_si128())
                        : _mm_loadl_epi64((const __m128i *)p);
  return isSigned ? _mm256_cvtepi8_epi32(v) : _mm256_cvtepu8_epi32(v);
}
#define vmullo(a, b) _mm256_mullo_epi32(a, b)
#define DEPTHWISE_NAME qnn_kernel_avx2_dw
#define HAS_VECTOR_TRANSPOSE 0
#define KERNEL_NAME(OB, PB) qnn_kernel_avx2_o##OB##_p##PB
#define NIBBLE_KERNEL_NAME(OB, PB) qnn_kernel_avx2_w4_o##OB##_p##PB
#define REGISTER_NIBBLE_KERNEL_NAME(OB, PB) qnn_kernel_avx2_w4r_o##OB##_p##PB
#define MAX_OB 2
#define MAX_PB 13
#elif defined(QNN_KERNEL_DOTPROD)
#define LANES 4
typedef int32x4_t Vec; /* accumulators; weights and input as their bytes */
typedef int8_t Weight;
#define GROUP 4 /* input channels per 32-bit lane group: s8 x 4 */
#define vzero() vdupq_n_s32(0)
#define vload(p) vld1q_s32((const int32_t *)(p))
#define vstore(p, v) vst1q_s32((int32_t *)(p), v)
#define vbroadcast(x) vdupq_n_s32(x)
#define vdot(acc, x, w)                                                        \
  vdotq_s32(acc, vreinterpretq_s8_s32(x), vreinterpretq_s8_s32(w))
#define vadd(a, b) vaddq_s32(a, b)
/* A pair of weight vectors stored as nibbles, w + 8 (0..15): the low
   nibbles of 16 bytes are one vector, the high nibbles the next. */
#define NIBBLE_BYTES 16
INLINE Vec unpackLow(const uint8_t *p) {
  return vreinterpretq_s32_s8(vsubq_s8(
      vreinterpretq_s8_u8(vandq_u8(vld1q_u8(p), vdupq_n_u8(0x0F))),
      vdupq_n_s8(8)));
}
INLINE Vec unpackHigh(const uint8_t *p) {
  return vreinterpretq_s32_s8(
      vsubq_s8(vreinterpretq_s8_u8(vshrq_n_u8(vld1q_u8(p), 4)), vdupq_n_s8(8)));
}
/* Packs the 16 columns from q of four channel rows (s8; unsigned ones
   flipped to s8 by the xor), the rows from `present` on holding the pad
   value, read every `step` bytes (1 or 2): the de-interleaving load and
   the interleaving store do the transposition. */
#define PACK_BLOCK 16
INLINE void packBlock(const uint8_t *const src[4], int present, int32_t pad,
                      long step, int q, int8_t *out, int isSigned) {
  const uint8x16_t flip = vdupq_n_u8(isSigned ? 0 : 0x80);
  uint8x16x4_t r;
  UNROLL for (int i = 0; i < 4; ++i) {
    const uint8_t *p = src[i] + q * step;
    const uint8x16_t v =
        i < present ? loadStridedBytes(p, step) : vdupq_n_u8((uint8_t)pad);
    r.val[i] = veorq_u8(v, flip);
  }
  vst4q_u8((uint8_t *)out + q * 4, r);
}
/* Depthwise: LANES input bytes from p (every byte, or every other one at
   stride 2), widened to 32 bits (the loads read 8 or 16 bytes). */
INLINE Vec widenPixels(const uint8_t *p, int step, int isSigned) {
  const uint8x8_t v = step == 2 ? vld2_u8(p).val[0] : vld1_u8(p);
  if (isSigned)
    return vmovl_s16(vget_low_s16(vmovl_s8(vreinterpret_s8_u8(v))));
  return vreinterpretq_s32_u32(vmovl_u16(vget_low_u16(vmovl_u8(v))));
}
#define vmullo(a, b) vmulq_s32(a, b)
#define DEPTHWISE_NAME qnn_kernel_dotprod_dw
#define HAS_VECTOR_TRANSPOSE 0
#define KERNEL_NAME(OB, PB) qnn_kernel_dotprod_o##OB##_p##PB
#define NIBBLE_KERNEL_NAME(OB, PB) qnn_kernel_dotprod_w4_o##OB##_p##PB
#define REGISTER_NIBBLE_KERNEL_NAME(OB, PB) qnn_kernel_dotprod_w4r_o##OB##_p##PB
#define MAX_OB 4
#define MAX_PB 28
#else
#error "define QNN_KERNEL_VNNI, QNN_KERNEL_AVX2 or QNN_KERNEL_DOTPROD"
#endif

/* One input element in the packed domain: VNNI multiplies unsigned bytes,
   so signed input is offset by 128; sdot multiplies signed bytes, so
   unsigned input is offset by -128 (bias' corrects for either); AVX2 takes
   signed 16-bit values as they are. */
#if defined(QNN_KERNEL_VNNI)
typedef uint8_t Packed;
INLINE Packed toPacked(int32_t v, int isSigned) {
  return (Packed)(isSigned ? v + 128 : v);
}
#elif defined(QNN_KERNEL_DOTPROD)
typedef int8_t Packed;
INLINE Packed toPacked(int32_t v, int isSigned) {
  return (Packed)(isSigned ? v : v - 128);
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
/* Packs `count` columns: whole blocks of PACK_BLOCK, the last one moved
   back to the last column it may read (rewriting some columns with the
   same values), then the columns after it one by one: none at stride 1,
   one at stride 2 (a block reads 2 * PACK_BLOCK bytes, one past its last
   column's), all of a row shorter than a block. Channel rows from
   `present` on hold the pad value. */
INLINE void packRow(const uint8_t *const src[GROUP], int present, int32_t pad,
                    long step, int count, Packed *out, int isSigned) {
  int done = 0;
  if (step <= 2 && count >= PACK_BLOCK + step - 1) {
    const int last = count - PACK_BLOCK - (int)(step - 1);
    for (int q = 0; q < last; q += PACK_BLOCK)
      packBlock(src, present, pad, step, q, out, isSigned);
    packBlock(src, present, pad, step, last, out, isSigned);
    done = last + PACK_BLOCK;
  }
  for (int q = done; q < count; ++q)
    UNROLL for (int i = 0; i < GROUP; ++i)
      out[q * GROUP + i] = toPacked(
          i < present ? inputElement(src[i] + q * step, isSigned) : pad,
          isSigned);
}

/* Whether a window reads padded row r (r = oy * strideY + ky * dilationY)
   or stride-x phase ph (ph = (kx * dilationX) % strideX): a 1x1 conv of
   stride 2 reads one row in two and one phase of two, and packInput
   leaves the others alone. */
static int rowIsRead(const int32_t *d, int r) {
  const int strideY = d[QNN_KERNEL_STRIDE_Y];
  for (int ky = 0; ky < d[QNN_KERNEL_KERNEL_H]; ++ky) {
    const int t = r - ky * d[QNN_KERNEL_DILATION_Y];
    if (t >= 0 && t % strideY == 0 && t / strideY < d[QNN_KERNEL_OUT_HEIGHT])
      return 1;
  }
  return 0;
}

static int phaseIsRead(const int32_t *d, int ph) {
  for (int kx = 0; kx < d[QNN_KERNEL_KERNEL_W]; ++kx)
    if (kx * d[QNN_KERNEL_DILATION_X] % d[QNN_KERNEL_STRIDE_X] == ph)
      return 1;
  return 0;
}

/* What both packings read of the input from the descriptor. */
typedef struct {
  int channels, height, width, isSigned, groups, rows, padTop, padLeft;
  long strideC, strideY, strideX;
  int32_t padValue; /* the input zero point */
  Packed pad;       /* the same in the packed domain */
} Source;

INLINE Source sourceOf(const int32_t *d) {
  const int isSigned = d[QNN_KERNEL_IN_SIGNED];
  const Source s = {
      .channels = d[QNN_KERNEL_IN_CHANNELS],
      .height = d[QNN_KERNEL_IN_HEIGHT],
      .width = d[QNN_KERNEL_IN_WIDTH],
      .isSigned = isSigned,
      .groups = d[QNN_KERNEL_CHANNEL_GROUPS],
      .rows = d[QNN_KERNEL_PACKED_ROWS],
      .padTop = d[QNN_KERNEL_PAD_TOP],
      .padLeft = d[QNN_KERNEL_PAD_LEFT],
      .strideC = d[QNN_KERNEL_IN_STRIDE_C],
      .strideY = d[QNN_KERNEL_IN_STRIDE_Y],
      .strideX = d[QNN_KERNEL_IN_STRIDE_X],
      .padValue = d[QNN_KERNEL_PAD_VALUE],
      .pad = toPacked(d[QNN_KERNEL_PAD_VALUE], isSigned),
  };
  return s;
}

/* The window and output geometry the depthwise and pooling kernels read. */
typedef struct {
  int kh, kw, strideY, strideX, dilY, dilX, outHeight, outWidth;
} Window;

INLINE Window windowOf(const int32_t *d) {
  const Window w = {
      .kh = d[QNN_KERNEL_KERNEL_H],
      .kw = d[QNN_KERNEL_KERNEL_W],
      .strideY = d[QNN_KERNEL_STRIDE_Y],
      .strideX = d[QNN_KERNEL_STRIDE_X],
      .dilY = d[QNN_KERNEL_DILATION_Y],
      .dilX = d[QNN_KERNEL_DILATION_X],
      .outHeight = d[QNN_KERNEL_OUT_HEIGHT],
      .outWidth = d[QNN_KERNEL_OUT_WIDTH],
  };
  return w;
}

/* Packed row r (`length` values) of channel group g, if it is to be filled
   from the input: 0 when no window reads it, or when it lies in the
   vertical padding (then filled with the pad value here). */
INLINE Packed *rowToPack(const int32_t *d, const Source *s, Packed *dst,
                         int g, int r, long length) {
  if (!rowIsRead(d, r))
    return 0;
  Packed *row = dst + (long)(g * s->rows + r) * length;
  const int y = r - s->padTop;
  if (y >= 0 && y < s->height)
    return row;
  for (long k = 0; k < length; ++k)
    row[k] = s->pad;
  return 0;
}

INLINE void packInput(const int32_t *d, const uint8_t *in, Packed *dst) {
  const Source s = sourceOf(d);
  const int phases = d[QNN_KERNEL_STRIDE_X];
  const int phaseWidth = d[QNN_KERNEL_PHASE_WIDTH];
  for (int g = 0; g < s.groups; ++g)
    for (int r = 0; r < s.rows; ++r) {
      Packed *row =
          rowToPack(d, &s, dst, g, r, (long)phases * phaseWidth * GROUP);
      if (!row)
        continue;
      const int y = r - s.padTop;
      for (int ph = 0; ph < phases; ++ph) {
        if (!phaseIsRead(d, ph))
          continue;
        Packed *out = row + ph * phaseWidth * GROUP;
        /* Columns q with 0 <= q * phases + ph - padLeft < width. */
        int first =
            s.padLeft - ph > 0 ? (s.padLeft - ph + phases - 1) / phases : 0;
        int end = (s.width + s.padLeft - ph + phases - 1) / phases;
        first = first < phaseWidth ? first : phaseWidth;
        end = end < first ? first : (end < phaseWidth ? end : phaseWidth);
        for (int k = 0; k < first * GROUP; ++k)
          out[k] = s.pad;
        for (int k = end * GROUP; k < phaseWidth * GROUP; ++k)
          out[k] = s.pad;
        if (end == first)
          continue;
        const long x0 = (long)first * phases + ph - s.padLeft;
        const uint8_t *src[GROUP];
        const int present =
            s.channels - g * GROUP < GROUP ? s.channels - g * GROUP : GROUP;
        for (int i = 0; i < GROUP; ++i) /* a padded channel reads channel 0 */
          src[i] = in + (i < present ? g * GROUP + i : 0) * s.strideC +
                   y * s.strideY + x0 * s.strideX;
        const long step = phases * s.strideX;
        Packed *columns = out + first * GROUP;
        /* constant arguments: specialized copies for whole groups */
        if (present == GROUP && s.isSigned)
          packRow(src, GROUP, s.padValue, step, end - first, columns, 1);
        else if (present == GROUP)
          packRow(src, GROUP, s.padValue, step, end - first, columns, 0);
        else /* the last, partial group */
          packRow(src, present, s.padValue, step, end - first, columns,
                  s.isSigned);
      }
    }
}

/* Packing with the kx taps folded into the channel groups (descriptor
   field QNN_KERNEL_FOLD_KX; layers of one input channel): virtual channel
   v = c * kw + kx of column q holds input column q * strideX + kx *
   dilationX - padLeft of channel c, so the kernel reduces over kh taps of
   ceil(C * kw / GROUP) groups with stride 1 instead of kh * kw taps of
   ceil(C / GROUP). Columns where every virtual channel of the group lies
   inside the row go through packRow; the others (the padding) one by one. */
INLINE void packFoldedInput(const int32_t *d, const uint8_t *in,
                            Packed *dst) {
  const Source s = sourceOf(d);
  const int columns = d[QNN_KERNEL_PHASE_WIDTH];
  const int kw = d[QNN_KERNEL_KERNEL_W], step = d[QNN_KERNEL_STRIDE_X];
  const int dilX = d[QNN_KERNEL_DILATION_X];
  const int virtualChannels = s.channels * kw;
  for (int g = 0; g < s.groups; ++g) {
    const int present = virtualChannels - g * GROUP < GROUP
                            ? virtualChannels - g * GROUP
                            : GROUP;
    int shift[GROUP]; /* input column of virtual channel i at q = 0 */
    int first = 0, end = columns; /* columns inside for every channel */
    for (int i = 0; i < GROUP; ++i) {
      shift[i] = (i < present ? (g * GROUP + i) % kw : 0) * dilX - s.padLeft;
      if (i >= present)
        continue;
      const int lo = shift[i] < 0 ? (-shift[i] + step - 1) / step : 0;
      const int hi = s.width - shift[i] > 0
                         ? (s.width - shift[i] + step - 1) / step
                         : 0;
      first = lo > first ? lo : first;
      end = hi < end ? hi : end;
    }
    end = end < first ? first : end;
    for (int r = 0; r < s.rows; ++r) {
      Packed *out = rowToPack(d, &s, dst, g, r, (long)columns * GROUP);
      if (!out)
        continue;
      const uint8_t *src[GROUP];
      for (int i = 0; i < GROUP; ++i) {
        const int c = i < present ? (g * GROUP + i) / kw : 0;
        src[i] = in + c * s.strideC + (r - s.padTop) * s.strideY;
      }
      for (int q = 0; q < columns; ++q) {
        if (q == first && end > first) {
          const uint8_t *inside[GROUP];
          for (int i = 0; i < GROUP; ++i)
            inside[i] = src[i] + ((long)first * step + shift[i]) * s.strideX;
          packRow(inside, present, s.padValue, step * s.strideX, end - first,
                  out + first * GROUP, s.isSigned);
          q = end - 1;
          continue;
        }
        for (int i = 0; i < GROUP; ++i) {
          const int x = q * step + shift[i];
          out[q * GROUP + i] =
              i < present && x >= 0 && x < s.width
                  ? toPacked(inputElement(src[i] + x * s.strideX, s.isSigned),
                             s.isSigned)
                  : s.pad;
        }
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

#if HAS_VECTOR_TRANSPOSE
/* Writes the tile's bytes (PB pixel rows of the tile's channels) to an
   output whose pixels are consecutive (NCHW): channel c's `pixels` bytes
   at out + c * strideC. Sixteen pixel rows at a time, transposed by four
   rounds of unpacks, each doubling the run of one channel's pixels in a
   vector element (8, 16, 32, then 64 bits) and leaving vector k holding
   channel k (of each 128-bit lane). */
static __attribute__((noinline)) void
storeChannelRows(uint8_t bytes[][MAX_OB * LANES], int pixels, int ocCount,
                 uint8_t *out, long strideC) {
  for (int j0 = 0; j0 < pixels; j0 += 16) {
    const int n = pixels - j0 < 16 ? pixels - j0 : 16;
    ByteRows r[16], t[16];
    UNROLL for (int i = 0; i < 16; ++i)
      r[i] = j0 + i < pixels ? loadRow(bytes[j0 + i]) : zeroRow();
    UNROLL for (int p = 0; p < 8; ++p) { /* rows 2p, 2p+1; channels 8h.. */
      t[2 * p] = unpackLo8(r[2 * p], r[2 * p + 1]);
      t[2 * p + 1] = unpackHi8(r[2 * p], r[2 * p + 1]);
    }
    UNROLL for (int q = 0; q < 4; ++q) /* rows 4q..4q+3 */
      UNROLL for (int h = 0; h < 2; ++h) {
        r[4 * q + 2 * h] = unpackLo16(t[4 * q + h], t[4 * q + 2 + h]);
        r[4 * q + 2 * h + 1] = unpackHi16(t[4 * q + h], t[4 * q + 2 + h]);
      }
    UNROLL for (int u = 0; u < 2; ++u) /* rows 8u..8u+7 */
      UNROLL for (int h = 0; h < 4; ++h) {
        t[8 * u + 2 * h] = unpackLo32(r[8 * u + h], r[8 * u + 4 + h]);
        t[8 * u + 2 * h + 1] = unpackHi32(r[8 * u + h], r[8 * u + 4 + h]);
      }
    UNROLL for (int h = 0; h < 8; ++h) { /* all 16 rows */
      r[2 * h] = unpackLo64(t[h], t[8 + h]);
      r[2 * h + 1] = unpackHi64(t[h], t[8 + h]);
    }
    UNROLL for (int L = 0; L < TRANSPOSE_LANES; ++L)
      UNROLL for (int k = 0; k < 16; ++k) {
        const int c = 16 * L + k;
        if (c < ocCount)
          storePixels(out + c * strideC + j0, r[k], L, n);
      }
  }
}
#endif

/* acc[o][j] += x[j] . wv[o] over the register tile. */
INLINE void tileStep(Vec acc[MAX_OB][MAX_PB], const int32_t *x,
                     const Vec wv[MAX_OB], const int OB, const int PB) {
  UNROLL for (int j = 0; j < PB; ++j) {
    const Vec xv = vbroadcast(x[j]);
    UNROLL for (int o = 0; o < OB; ++o)
      acc[o][j] = vdot(acc[o][j], xv, wv[o]);
  }
}

/* What every tile of one kernel call reads: the arguments and the
   geometry of the descriptor. */
typedef struct {
  const int32_t *bias, *mult, *shift;
  uint8_t *out;
  int outChannels, outWidth;
  long outStrideN, outStrideC, outStrideY, outStrideX;
  int groups, taps, steps;
  long groupStride; /* 32-bit groups from one channel group to the next */
  const int32_t *tapOffset;
  int rescale, rounding;
  int64_t inZp, outZp, lo, hi;
} Conv;

/* The OB x PB tile of output channel block cb at pixels ox0.. of row oy of
   image n: the reduction over the packed input from rowBase, with the
   block's weights w (Weight values, or with `nibbles` pairs of steps as
   nibbles, the last step of an odd count alone in the low nibbles), then
   the output stage. */
INLINE void convolveTile(const Conv *k, const int32_t *rowBase, int n,
                         int oy, int cb, int ox0, const void *w,
                         const int nibbles, const int OB, const int PB) {
  const int tile = OB * LANES;
  const int oc0 = cb * tile;
  const int ocCount =
      k->outChannels - oc0 < tile ? k->outChannels - oc0 : tile;
  const int pixels = k->outWidth - ox0 < PB ? k->outWidth - ox0 : PB;
  Vec acc[MAX_OB][MAX_PB]; /* fixed sizes: no VLA, so SROA keeps them in registers */
  UNROLL for (int o = 0; o < OB; ++o)
    UNROLL for (int j = 0; j < PB; ++j)
      acc[o][j] = vzero();
  Vec wv[MAX_OB];
  if (nibbles) {
    const uint8_t *p = (const uint8_t *)w;
    int g = 0, t = 0; /* the step after the pair's first */
    for (int s = 0; s < k->steps; s += 2) {
      const int32_t *x = rowBase + g * k->groupStride + ox0 + k->tapOffset[t];
      g += ++t == k->taps;
      t = t == k->taps ? 0 : t;
      UNROLL for (int o = 0; o < OB; ++o)
        wv[o] = unpackLow(p + o * NIBBLE_BYTES);
      tileStep(acc, x, wv, OB, PB);
      if (s + 1 < k->steps) {
        x = rowBase + g * k->groupStride + ox0 + k->tapOffset[t];
        g += ++t == k->taps;
        t = t == k->taps ? 0 : t;
        UNROLL for (int o = 0; o < OB; ++o)
          wv[o] = unpackHigh(p + o * NIBBLE_BYTES);
        tileStep(acc, x, wv, OB, PB);
      }
      p += OB * NIBBLE_BYTES;
    }
  } else {
    const Weight *p = (const Weight *)w;
    for (int g = 0; g < k->groups; ++g) {
      const int32_t *groupBase = rowBase + g * k->groupStride + ox0;
      for (int t = 0; t < k->taps; ++t) {
        UNROLL for (int o = 0; o < OB; ++o)
          wv[o] = vload(p + o * LANES * GROUP);
        p += OB * LANES * GROUP;
        tileStep(acc, groupBase + k->tapOffset[t], wv, OB, PB);
      }
    }
  }

  /* Output stage: bias', then the rescale or the raw sums, written
     channel by channel into the output's layout. */
  int32_t sums[MAX_PB][MAX_OB * LANES] __attribute__((aligned(64)));
  UNROLL for (int o = 0; o < OB; ++o) {
    const Vec b = vload(k->bias + oc0 + o * LANES);
    UNROLL for (int j = 0; j < PB; ++j)
      vstore(&sums[j][o * LANES], vadd(acc[o][j], b));
  }
  const long first = (long)n * k->outStrideN + (long)oy * k->outStrideY +
                     (long)ox0 * k->outStrideX + (long)oc0 * k->outStrideC;
  const long strideC = k->outStrideC, strideX = k->outStrideX;
  if (!k->rescale) {
    int32_t *out = (int32_t *)k->out + first;
    for (int c = 0; c < ocCount; ++c)
      for (int j = 0; j < pixels; ++j)
        out[c * strideC + j * strideX] = sums[j][c];
    return;
  }
  const int32_t *mult = k->mult + oc0, *shift = k->shift + oc0;
  /* whole blocks of 16 pixel rows for storeChannelRows */
  uint8_t bytes[(MAX_PB + 15) / 16 * 16][MAX_OB * LANES]
      __attribute__((aligned(64)));
  for (int j = 0; j < PB; ++j) {
    if (k->rounding == 0 && k->inZp == 0)
      rescaleHalfUpLanes(sums[j], mult, shift, tile, k->outZp, k->lo, k->hi,
                         bytes[j]);
    else if (k->rounding == 0)
      rescaleLanes(sums[j], mult, shift, tile, k->inZp, k->outZp, k->lo,
                   k->hi, bytes[j], 0);
    else if (k->rounding == 1)
      rescaleLanes(sums[j], mult, shift, tile, k->inZp, k->outZp, k->lo,
                   k->hi, bytes[j], 1);
    else
      rescaleLanes(sums[j], mult, shift, tile, k->inZp, k->outZp, k->lo,
                   k->hi, bytes[j], 2);
  }
  uint8_t *out = k->out + first;
#if HAS_VECTOR_TRANSPOSE
  if (strideX == 1) {
    storeChannelRows(bytes, pixels, ocCount, out, strideC);
    return;
  }
#endif
  for (int c = 0; c < ocCount; ++c)
    for (int j = 0; j < pixels; ++j)
      out[c * strideC + j * strideX] = bytes[j][c];
}

/* Writes the nibble weights of one channel block (steps x OB vectors, in
   pairs of steps) to dst in the byte kernels' layout. */
INLINE void expandNibbles(const uint8_t *src, Weight *dst, int steps,
                          const int OB) {
  for (int s = 0; s < steps; s += 2) {
    UNROLL for (int o = 0; o < OB; ++o)
      vstore(dst + o * LANES * GROUP, unpackLow(src + o * NIBBLE_BYTES));
    dst += OB * LANES * GROUP;
    if (s + 1 < steps) {
      UNROLL for (int o = 0; o < OB; ++o)
        vstore(dst + o * LANES * GROUP, unpackHigh(src + o * NIBBLE_BYTES));
      dst += OB * LANES * GROUP;
    }
    src += OB * NIBBLE_BYTES;
  }
}

/* How a kernel takes its weights: OB vectors per step of Weight values;
   nibbles expanded into the scratch once per channel block, whose tiles
   then run the byte loop (rows in the inner loop); or nibbles unpacked in
   registers by every tile (for one tile per block: a matmul of one row).
   Each is a kernel of its own, so that each stays small enough for LLVM
   to specialize it on a constant descriptor. */
enum { BYTES, EXPANDED_NIBBLES, REGISTER_NIBBLES };

/* The convolution with an OB x PB register tile (OB vectors of LANES
   output channels, PB output pixels of one row); a step is one (channel
   group, tap) of the reduction. */
INLINE void convolve(intptr_t descArg, intptr_t inArg, intptr_t outArg,
                     intptr_t weightArg, intptr_t biasArg, intptr_t multArg,
                     intptr_t shiftArg, intptr_t scratchArg, const int OB,
                     const int PB, const int weightForm) {
  const int32_t *d = (const int32_t *)descArg;
  /* Folded kx taps live in the channel groups: one tap per row, stride 1. */
  const int foldKx = d[QNN_KERNEL_FOLD_KX];
  const int strideX = foldKx ? 1 : d[QNN_KERNEL_STRIDE_X];
  const int phaseWidth = d[QNN_KERNEL_PHASE_WIDTH];
  const int rowLength = strideX * phaseWidth; /* 32-bit groups per row */
  const int kh = d[QNN_KERNEL_KERNEL_H];
  const int kw = foldKx ? 1 : d[QNN_KERNEL_KERNEL_W];
  const int dilY = d[QNN_KERNEL_DILATION_Y], dilX = d[QNN_KERNEL_DILATION_X];

  /* Offset (in 32-bit groups) of each window position from the tile's
     first pixel. */
  const int taps = kh * kw;
  int32_t tapOffset[taps];
  for (int ky = 0; ky < kh; ++ky)
    for (int kx = 0; kx < kw; ++kx)
      tapOffset[ky * kw + kx] = ky * dilY * rowLength +
                                (kx * dilX) % strideX * phaseWidth +
                                (kx * dilX) / strideX;
  const Conv k = {
      .bias = (const int32_t *)biasArg,
      .mult = (const int32_t *)multArg,
      .shift = (const int32_t *)shiftArg,
      .out = (uint8_t *)outArg,
      .outChannels = d[QNN_KERNEL_OUT_CHANNELS],
      .outWidth = d[QNN_KERNEL_OUT_WIDTH],
      .outStrideN = d[QNN_KERNEL_OUT_STRIDE_N],
      .outStrideC = d[QNN_KERNEL_OUT_STRIDE_C],
      .outStrideY = d[QNN_KERNEL_OUT_STRIDE_Y],
      .outStrideX = d[QNN_KERNEL_OUT_STRIDE_X],
      .groups = d[QNN_KERNEL_CHANNEL_GROUPS],
      .taps = taps,
      .steps = d[QNN_KERNEL_CHANNEL_GROUPS] * taps,
      .groupStride = (long)d[QNN_KERNEL_PACKED_ROWS] * rowLength,
      .tapOffset = tapOffset,
      .rescale = d[QNN_KERNEL_RESCALE],
      .rounding = d[QNN_KERNEL_ROUNDING],
      .inZp = d[QNN_KERNEL_RESCALE_INPUT_ZP],
      .outZp = d[QNN_KERNEL_OUTPUT_ZP],
      .lo = d[QNN_KERNEL_CLAMP_MIN],
      .hi = d[QNN_KERNEL_CLAMP_MAX],
  };
  const int outHeight = d[QNN_KERNEL_OUT_HEIGHT];
  const long rowStep = (long)d[QNN_KERNEL_STRIDE_Y] * rowLength;
  const int channelBlocks = (k.outChannels + OB * LANES - 1) / (OB * LANES);
  const long blockWeights = (long)k.steps * OB * LANES * GROUP;
  const long blockNibbleBytes = (long)(k.steps + 1) / 2 * OB * NIBBLE_BYTES;
  Weight *expanded = (Weight *)(scratchArg + d[QNN_KERNEL_EXPANDED_WEIGHTS]);
  const uint8_t *in = (const uint8_t *)inArg;
  const int32_t *image = (const int32_t *)scratchArg;

  for (int n = 0; n < d[QNN_KERNEL_BATCH]; ++n) {
    const uint8_t *source = in + (long)n * d[QNN_KERNEL_IN_STRIDE_N];
    if (foldKx)
      packFoldedInput(d, source, (Packed *)scratchArg);
    else
      packInput(d, source, (Packed *)scratchArg);
    if (weightForm == EXPANDED_NIBBLES) {
      for (int cb = 0; cb < channelBlocks; ++cb) {
        expandNibbles((const uint8_t *)weightArg + cb * blockNibbleBytes,
                      expanded, k.steps, OB);
        for (int oy = 0; oy < outHeight; ++oy)
          for (int ox0 = 0; ox0 < k.outWidth; ox0 += PB)
            convolveTile(&k, image + oy * rowStep, n, oy, cb, ox0, expanded,
                         0, OB, PB);
      }
      continue;
    }
    for (int oy = 0; oy < outHeight; ++oy)
      for (int cb = 0; cb < channelBlocks; ++cb)
        for (int ox0 = 0; ox0 < k.outWidth; ox0 += PB) {
          const int nibbles = weightForm == REGISTER_NIBBLES;
          const void *w =
              nibbles ? (const void *)((const uint8_t *)weightArg +
                                       cb * blockNibbleBytes)
                      : (const void *)((const Weight *)weightArg +
                                       cb * blockWeights);
          convolveTile(&k, image + oy * rowStep, n, oy, cb, ox0, w, nibbles,
                       OB, PB);
        }
  }
}

#if defined(DEPTHWISE_NAME)
/* Depthwise convolution (groups = channels, one output channel each), on
   NCHW directly with output pixels in the lanes: per channel the kernel
   copies the input into a padded image in the scratch (PACKED_ROWS rows of
   PHASE_WIDTH bytes, the padding holding the input zero point, which
   bias' cancels as in the conv kernels), then for LANES output pixels of a
   row at a time sums widened input bytes times the tap's weight (32-bit
   products: an 8-bit input times a weight of up to 16 bits cannot
   overflow, and the sums wrap as the interpreter's do), and passes them
   through the output stage. Weights are int32 [channel][kh * kw]. */
void DEPTHWISE_NAME(intptr_t descArg, intptr_t inArg, intptr_t outArg,
                    intptr_t weightArg, intptr_t biasArg, intptr_t multArg,
                    intptr_t shiftArg, intptr_t scratchArg) {
  const int32_t *d = (const int32_t *)descArg;
  const Source s = sourceOf(d);
  const Window win = windowOf(d);
  const long rowBytes = d[QNN_KERNEL_PHASE_WIDTH];
  const int32_t *weights = (const int32_t *)weightArg;
  const int32_t *bias = (const int32_t *)biasArg;
  uint8_t *padded = (uint8_t *)scratchArg;
  const int rescale = d[QNN_KERNEL_RESCALE], rounding = d[QNN_KERNEL_ROUNDING];
  const int64_t inZp = d[QNN_KERNEL_RESCALE_INPUT_ZP];
  const int64_t outZp = d[QNN_KERNEL_OUTPUT_ZP];
  const int64_t lo = d[QNN_KERNEL_CLAMP_MIN], hi = d[QNN_KERNEL_CLAMP_MAX];
  for (int n = 0; n < d[QNN_KERNEL_BATCH]; ++n)
    for (int c = 0; c < s.channels; ++c) {
      const uint8_t *image =
          (const uint8_t *)inArg + (long)n * d[QNN_KERNEL_IN_STRIDE_N] +
          c * s.strideC;
      for (int r = 0; r < s.rows; ++r) {
        const int y = r - s.padTop;
        uint8_t *row = padded + r * rowBytes;
        /* columns [begin, end) of the padded row come from the input */
        long begin = s.padLeft < rowBytes ? s.padLeft : rowBytes;
        long end = s.padLeft + s.width < rowBytes ? s.padLeft + s.width
                                                   : rowBytes;
        if (y < 0 || y >= s.height)
          begin = end = rowBytes;
        for (long x = 0; x < begin; ++x)
          row[x] = (uint8_t)s.padValue;
        for (long x = begin; x < end; ++x)
          row[x] = image[y * s.strideY + (x - s.padLeft) * s.strideX];
        for (long x = end; x < rowBytes; ++x)
          row[x] = (uint8_t)s.padValue;
      }
      const int32_t *w = weights + (long)c * win.kh * win.kw;
      int32_t mult[LANES], shift[LANES];
      for (int i = 0; i < LANES; ++i) {
        mult[i] = ((const int32_t *)multArg)[c];
        shift[i] = ((const int32_t *)shiftArg)[c];
      }
      for (int oy = 0; oy < win.outHeight; ++oy)
        for (int ox0 = 0; ox0 < win.outWidth; ox0 += LANES) {
          Vec acc = vbroadcast(bias[c]);
          for (int ky = 0; ky < win.kh; ++ky) {
            const uint8_t *row =
                padded + (long)(oy * win.strideY + ky * win.dilY) * rowBytes +
                (long)ox0 * win.strideX;
            for (int kx = 0; kx < win.kw; ++kx)
              acc = vadd(acc, vmullo(widenPixels(row + kx * win.dilX,
                                                 win.strideX, s.isSigned),
                                     vbroadcast(w[ky * win.kw + kx])));
          }
          int32_t sums[LANES] __attribute__((aligned(64)));
          vstore(sums, acc);
          const int pixels =
              win.outWidth - ox0 < LANES ? win.outWidth - ox0 : LANES;
          const long first = (long)n * d[QNN_KERNEL_OUT_STRIDE_N] +
                             (long)c * d[QNN_KERNEL_OUT_STRIDE_C] +
                             (long)oy * d[QNN_KERNEL_OUT_STRIDE_Y] +
                             (long)ox0 * d[QNN_KERNEL_OUT_STRIDE_X];
          const long step = d[QNN_KERNEL_OUT_STRIDE_X];
          if (!rescale) {
            for (int j = 0; j < pixels; ++j)
              ((int32_t *)outArg)[first + j * step] = sums[j];
            continue;
          }
          uint8_t bytes[LANES];
          if (rounding == 0 && inZp == 0)
            rescaleHalfUpLanes(sums, mult, shift, LANES, outZp, lo, hi, bytes);
          else
            rescaleLanes(sums, mult, shift, LANES, inZp, outZp, lo, hi, bytes,
                         rounding);
          for (int j = 0; j < pixels; ++j)
            ((uint8_t *)outArg)[first + j * step] = bytes[j];
        }
    }
}
#endif

/* Max pooling without padding on NCHW bytes (the descriptor's geometry
   fields; the other arguments are unused): 16 output pixels of a row at a
   time (every byte, or every other one at stride 2), the last block of a
   row partial (lanes past the row read the next row and are not stored),
   as long as the block's reads stay inside the input tensor; the rest one
   by one. A max is exact in the container with the elements' signedness. */
void POOL_NAME(intptr_t descArg, intptr_t inArg, intptr_t outArg,
               intptr_t weightArg, intptr_t biasArg, intptr_t multArg,
               intptr_t shiftArg, intptr_t scratchArg) {
  (void)weightArg, (void)biasArg, (void)multArg, (void)shiftArg;
  (void)scratchArg;
  const int32_t *d = (const int32_t *)descArg;
  const Source s = sourceOf(d);
  const Window win = windowOf(d);
  const long inputBytes = (long)d[QNN_KERNEL_BATCH] * d[QNN_KERNEL_IN_STRIDE_N];
  for (int n = 0; n < d[QNN_KERNEL_BATCH]; ++n)
    for (int c = 0; c < s.channels; ++c)
      for (int oy = 0; oy < win.outHeight; ++oy) {
        const uint8_t *plane = (const uint8_t *)inArg +
                               (long)n * d[QNN_KERNEL_IN_STRIDE_N] +
                               c * s.strideC;
        uint8_t *row = (uint8_t *)outArg +
                       (long)n * d[QNN_KERNEL_OUT_STRIDE_N] +
                       (long)c * d[QNN_KERNEL_OUT_STRIDE_C] +
                       (long)oy * d[QNN_KERNEL_OUT_STRIDE_Y];
        int ox = 0;
        /* The offset past the last byte a block reads in the input: its
           last window's, plus one at stride 2 (a 32-byte load). */
        const long rowEnd = (long)n * d[QNN_KERNEL_IN_STRIDE_N] +
                            c * s.strideC +
                            (long)(oy * win.strideY + (win.kh - 1) * win.dilY) *
                                s.strideY +
                            (win.kw - 1) * win.dilX + win.strideX;
        for (; ox < win.outWidth &&
               rowEnd + (ox + 15) * win.strideX <= inputBytes;
             ox += 16) {
          Bytes best;
          for (int ky = 0; ky < win.kh; ++ky)
            for (int kx = 0; kx < win.kw; ++kx) {
              const uint8_t *p = plane +
                                 (long)(oy * win.strideY + ky * win.dilY) *
                                     s.strideY +
                                 ox * win.strideX + kx * win.dilX;
              const Bytes v = loadStridedBytes(p, win.strideX);
              best = ky == 0 && kx == 0 ? v : maxBytes(best, v, s.isSigned);
            }
          if (ox + 16 <= win.outWidth) {
            storeBytes(row + ox, best);
            continue;
          }
          uint8_t bytes[16];
          storeBytes(bytes, best);
          for (int j = 0; j < win.outWidth - ox; ++j)
            row[ox + j] = bytes[j];
        }
        for (; ox < win.outWidth; ++ox) {
          int32_t best = 0;
          for (int ky = 0; ky < win.kh; ++ky)
            for (int kx = 0; kx < win.kw; ++kx) {
              const int32_t v = inputElement(
                  plane + (long)(oy * win.strideY + ky * win.dilY) * s.strideY +
                      (long)(ox * win.strideX + kx * win.dilX) * s.strideX,
                  s.isSigned);
              best = (ky == 0 && kx == 0) || v > best ? v : best;
            }
          row[ox] = (uint8_t)best;
        }
      }
}

/* Each tile in the three weight forms. */
#define DEFINE_FORM(NAME, OB, PB, FORM)                                        \
  void NAME(OB, PB)(intptr_t d, intptr_t in, intptr_t out, intptr_t w,        \
                    intptr_t bias, intptr_t mult, intptr_t shift,             \
                    intptr_t scratch) {                                        \
    convolve(d, in, out, w, bias, mult, shift, scratch, OB, PB, FORM);        \
  }
#define DEFINE_KERNEL(OB, PB)                                                  \
  DEFINE_FORM(KERNEL_NAME, OB, PB, BYTES)                                      \
  DEFINE_FORM(NIBBLE_KERNEL_NAME, OB, PB, EXPANDED_NIBBLES)                    \
  DEFINE_FORM(REGISTER_NIBBLE_KERNEL_NAME, OB, PB, REGISTER_NIBBLES)

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

/* The tiles the code generator may choose (EmitKernels.cpp: ISAInfo::tiles):
   the accumulators, the OB weight vectors and one broadcast (and on AVX2
   one product) fit the 32 zmm / 32 NEON q / 16 ymm registers. */
#if defined(QNN_KERNEL_VNNI) || defined(QNN_KERNEL_DOTPROD)
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
