#!/usr/bin/env bash
# Prints the distinct instruction mnemonics of the given object files, one
# per line (llvm-objdump's second tab-separated column of each instruction).
set -euo pipefail
llvm-objdump -d --no-show-raw-insn "$@" |
  awk -F'\t' '$1 ~ /^ *[0-9a-f]+: *$/ { print $2 }' | sort -u
