#!/usr/bin/env bash
# Checks that object files compiled by qnn-translate are self-contained and
# float-free: no undefined symbol (so no soft-float helper such as
# __aeabi_fadd or __adddf3 can be called) and no floating-point arithmetic,
# comparison or conversion instruction in the code. Prints the offenders and
# exits 1 if there are any.
#
# Usage: check-float-free.sh x86_64|aarch64|thumbv7m OBJECT...
#   x86_64    no x87 (f...), no SSE/AVX FP (...ss/sd/ps/pd/sh/ph arithmetic,
#             fma, cvt, comis); integer SIMD (vpmaddwd, ...) is fine
#   aarch64   no FP arithmetic/compare/round/convert (fmov, which moves
#             integer data into SIMD registers, is fine)
#   thumbv7m  no VFP instruction at all (v...)
set -euo pipefail
arch=${1:?usage: check-float-free.sh x86_64|aarch64|thumbv7m OBJECT...}
shift
case $arch in
  x86_64) float='^(f[a-z0-9]*|v?(add|sub|mul|div|sqrt|min|max|cmp|round|rcp|rsqrt|dp|hadd|hsub)[a-z]*(ss|sd|ps|pd|sh|ph)|vf(n)?m(add|sub)[a-z0-9]*|v?cvt[a-z0-9]*|v?u?comis[sd])$' ;;
  aarch64) float='^(f(add|sub|mul|div|madd|msub|nmadd|nmsub|nmul|sqrt|cmp|cmpe|ccmp|ccmpe|csel|abs|neg|cvt[a-z]*|rint[a-z]*|min[a-z]*|max[a-z]*|recp[a-z]*|rsqrt[a-z]*)|scvtf|ucvtf)$' ;;
  thumbv7m) float='^v' ;;
  *) echo "check-float-free: unknown architecture '$arch'" >&2; exit 2 ;;
esac
llvm=/usr/lib/llvm-22/bin
status=0
undefined=$(for object in "$@"; do "$llvm/llvm-nm" --undefined-only --format=just-symbols "$object"; done)
if [ -n "$undefined" ]; then
  echo "check-float-free: undefined symbols:" $undefined
  status=1
fi
mnemonics=$("$llvm/llvm-objdump" -d --no-show-raw-insn "$@" |
  awk -F'\t' '$1 ~ /^ *[0-9a-f]+: *$/ { print $2 }' | sort -u)
if [ -z "$mnemonics" ]; then
  echo "check-float-free: no instructions found in $*" >&2
  exit 2
fi
offenders=$(grep -E "$float" <<<"$mnemonics" || true)
if [ -n "$offenders" ]; then
  echo "check-float-free: floating-point instructions:" $offenders
  status=1
fi
[ $status -eq 0 ] && echo "check-float-free: $arch: $(wc -l <<<"$mnemonics") distinct instructions, none floating-point, nothing undefined"
exit $status
