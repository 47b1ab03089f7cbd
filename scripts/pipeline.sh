#!/usr/bin/env bash
# The main job after the build: train the BN teacher and the BN-free integer
# student (qnn-train), which exports it to ONNX; import the ONNX model with
# the python-free frontend (qnn-translate --import-onnx), integerize and
# prove it integer-only (qnn-opt), compile it for this machine
# (qnn-translate), link it into a plain C program (examples/classify.c),
# classify the whole Fashion-MNIST test set, check the compiled logits
# against the training module's integer simulation byte for byte and layer
# by layer (qnn-diff), check the object is float-free, run a few images on a
# bare-metal Cortex-M3 under QEMU, measure ONNX Runtime on the same student
# and LibTorch on the FP32 teacher as baselines, and write OUT/report.md with
# the accuracy-per-stage plot (OUT/train/accuracy.svg).
#
# Usage: scripts/pipeline.sh [--quick] [--resume] [--out DIR] [--build DIR]
#                            [--model NAME] [--bits WxAy]
#   --quick   a small training (3000 images, one epoch per stage, 1000 test
#             images simulated): a couple of minutes; the end-to-end test
#   --resume  continue an interrupted job in --out (fails if it holds none);
#             any re-run with the same --out resumes training from its
#             checkpoint anyway, and redoes the steps after it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/out
build=$root/build
quick=0
resume=0
train_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --resume) resume=1 ;;
    --out) out=$2; shift ;;
    --build) build=$2; shift ;;
    --model|--bits) train_args+=("$1" "$2"); shift ;;
    *) echo "pipeline.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
bin=$build/bin
data=/usr/share/datasets/fashion-mnist
mkdir -p "$out"
out=$(cd "$out" && pwd)

current=""
step() { current=$1; printf '\n== %s\n' "$1"; }
die() { printf 'pipeline: step "%s" failed: %s\n' "$current" "$*" >&2; exit 1; }
trap 'die "exit status $? at line $LINENO"' ERR

#===--- 1. Training ---------------------------------------------------------===#
step "train the FP-BN teacher and the BN-free student (qnn-train)"
train=$out/train
[ $quick -eq 1 ] && train_args+=(--train-limit 3000 --epoch-size 3000
  --validation-size 500 --test-limit 1000 --teacher-epochs 1 --layer-epochs 1
  --finetune-epochs 1 --patience 1)
[ $resume -eq 1 ] && [ ! -f "$train/checkpoint.pt" ] &&
  die "--resume: $train/checkpoint.pt does not exist (nothing to resume)"
[ -f "$train/checkpoint.pt" ] && train_args+=(--resume) &&
  echo "resuming from $train/checkpoint.pt"
"$bin/qnn-train" --data "$data" --out "$train" "${train_args[@]}"
summary() { awk -v k="$1" '$1 == k { print $2 }' "$train/summary.txt"; }
teacher=$(summary teacher_fp_bn_test_accuracy)
student=$(summary student_integer_test_accuracy)
ptq=$(summary bnfold_ptq_integer_test_accuracy)

#===--- 2. Import, integerize and prove --------------------------------------===#
step "import the ONNX student with the python-free frontend (qnn-translate)"
# --mlir-print-debuginfo keeps the ONNX node names ("layer0.conv", ...) as
# locations: the layer names that qnn-diff matches below.
"$bin/qnn-translate" --import-onnx "$train/student.onnx" --mlir-print-debuginfo \
  -o "$out/student-imported.mlir"
echo "imported $train/student.onnx (QONNX Quant, true bit widths)"

step "integerize, prove the ranges and that no float remains (qnn-opt)"
"$bin/qnn-opt" "$out/student-imported.mlir" --qnn-integerize --mlir-print-debuginfo \
  -o "$out/student.mlir"
"$bin/qnn-opt" "$out/student.mlir" --qnn-verify-integer-only -o /dev/null
echo "integer-only: $out/student.mlir"

#===--- 3. Compile and link --------------------------------------------------===#
step "compile for this machine and link examples/classify.c"
cpu=baseline
grep -qw avx2 /proc/cpuinfo && cpu=avx2
grep -qw avx512_vnni /proc/cpuinfo && cpu=avx512-vnni
compiled=$out/compiled
mkdir -p "$compiled"
"$bin/qnn-translate" --emit-obj --target=x86_64-linux-gnu --target-cpu=$cpu \
  "$out/student.mlir" -o "$compiled/model.o"
"$bin/qnn-translate" --emit-header "$out/student.mlir" -o "$compiled/model.h"
clang=$(command -v clang-22 || echo /usr/lib/llvm-22/bin/clang)
"$clang" -O2 -std=c11 -I"$compiled" "$root/examples/classify.c" \
  "$compiled/model.o" -o "$compiled/classify"
echo "built $compiled/classify (x86-64, $cpu)"

#===--- 4. Classify the test set ---------------------------------------------===#
step "classify the Fashion-MNIST test set with the compiled model"
mkdir -p "$out/data"
gunzip -c "$data/t10k-images-idx3-ubyte.gz" > "$out/data/test-images.idx"
gunzip -c "$data/t10k-labels-idx1-ubyte.gz" > "$out/data/test-labels.idx"
"$compiled/classify" "$out/data/test-images.idx" "$out/data/test-labels.idx" \
  "$compiled/logits.bin" 2000 | tee "$compiled/classify.txt"
field() { awk -v k="$1" '$1 == k { print $2 }' "$compiled/classify.txt"; }
compiled_accuracy=$(field accuracy)
throughput=$(field throughput)
latency=$(awk '$1 == "latency" { print $3 }' "$compiled/classify.txt")

#===--- 5. Checks -------------------------------------------------------------===#
step "check the compiled logits against the integer simulation, byte for byte"
expected=$train/student-test-logits.bin
logit_bytes=$(awk '/^#define MODEL_OUTPUT0_BYTES/ { print $3 }' "$compiled/model.h")
checked=$(( $(stat -c %s "$expected") / logit_bytes ))
mismatches=$({ cmp -l -n "$(stat -c %s "$expected")" "$expected" \
                 "$compiled/logits.bin" || true; } |
             awk -v b="$logit_bytes" '{ print int(($1 - 1) / b) }' | sort -u | wc -l)
bit_exact=$([ "$mismatches" -eq 0 ] && echo yes || echo no)
echo "$checked images checked, $mismatches with different logits"

step "compare every layer on one image: direct export, ONNX route, compiled code (qnn-diff)"
layers=$out/layers
harness=$root/test/Target/Inputs
rm -rf "$layers" && mkdir -p "$layers/compiled"
pixels=$(( $(stat -c %s "$out/data/test-images.idx") / 10000 ))
dd if="$out/data/test-images.idx" of="$layers/image.raw" bs=1 skip=16 \
  count="$pixels" status=none
"$bin/qnn-train" --data "$data" --out "$train" "${train_args[@]}" \
  --dump-layers "$layers/training" --dump-image 0
"$bin/qnn-run" "$train/student.mlir" --input "$layers/image.raw" --dump-dir "$layers/direct"
"$bin/qnn-run" "$out/student.mlir" --input "$layers/image.raw" --dump-dir "$layers/onnx-route"
# The debug object returns every layer (qnn-opt --qnn-expose-layers);
# dump-layers.c writes them in qnn-run's format.
"$bin/qnn-opt" --qnn-expose-layers "$out/student.mlir" -o "$layers/debug.mlir"
"$bin/qnn-translate" --emit-obj --target=x86_64-linux-gnu --target-cpu=$cpu \
  "$layers/debug.mlir" -o "$layers/debug.o"
"$bin/qnn-translate" --emit-header "$layers/debug.mlir" -o "$layers/model.h"
"$clang" -O2 -std=c11 -I"$layers" -I"$harness" "$harness/dump-layers.c" \
  "$layers/debug.o" -o "$layers/dump-layers"
"$layers/dump-layers" "$layers/compiled" "$layers/image.raw"
training_diff=$("$bin/qnn-diff" "$layers/training" "$layers/direct") ||
  die "the interpreter differs from the training module's integer simulation:"$'\n'"$training_diff"
route_diff=$("$bin/qnn-diff" --common "$layers/direct" "$layers/onnx-route") ||
  die "the ONNX route differs from the direct export:"$'\n'"$route_diff"
compiled_diff=$("$bin/qnn-diff" "$layers/onnx-route" "$layers/compiled") ||
  die "the compiled code differs from the interpreter:"$'\n'"$compiled_diff"
echo "training simulation vs direct export: $training_diff"
echo "direct export vs ONNX route: $(echo "$route_diff" | tail -1)"
echo "interpreter vs compiled code: $compiled_diff"
layers_identical=$(echo "$compiled_diff" | awk '/^identical:/ { print $2 }')

step "check that the object is self-contained and float-free"
float_free=$("$root/scripts/check-float-free.sh" x86_64 "$compiled/model.o") ||
  die "$float_free"
echo "$float_free"

step "run on a bare-metal Cortex-M3 (qemu-system-arm mps2-an385)"
m3_result="not run (arm-none-eabi-gcc or qemu-system-arm missing)"
if command -v arm-none-eabi-gcc >/dev/null && command -v qemu-system-arm >/dev/null; then
  m3=$out/cortex-m3
  mkdir -p "$m3"
  cp "$compiled/model.h" "$m3/"
  "$bin/qnn-translate" --emit-obj --target=thumbv7m-none-eabi "$out/student.mlir" \
    -o "$m3/model.o"
  "$root/scripts/check-float-free.sh" thumbv7m "$m3/model.o"
  arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -O2 -std=c11 -nostartfiles \
    --specs=rdimon.specs -Wl,--no-warn-execstack -T "$harness/cortex-m/mps2-an385.ld" \
    -I"$m3" "$harness/cortex-m/startup.c" "$harness/run-model.c" "$m3/model.o" \
    -o "$m3/run"
  images=3 identical=0
  for i in $(seq 0 $((images - 1))); do
    dd if="$out/data/test-images.idx" of="$m3/in.raw" bs=1 skip=$((16 + i * 784)) \
      count=784 status=none
    dd if="$expected" of="$m3/expected.raw" bs=1 skip=$((i * logit_bytes)) \
      count="$logit_bytes" status=none
    (cd "$m3" && timeout 120 qemu-system-arm -M mps2-an385 -nographic \
      -semihosting-config enable=on,target=native -kernel ./run)
    cmp -s "$m3/expected.raw" "$m3/actual.raw" && identical=$((identical + 1))
  done
  m3_result="$identical of $images images bit-identical"
fi
echo "Cortex-M3: $m3_result"

#===--- 6. Baselines ----------------------------------------------------------===#
step "LibTorch FP32 teacher (with BatchNorm), batch 1"
"$bin/qnn-train" --data "$data" --out "$train" "${train_args[@]}" \
  --bench-teacher | tee "$out/teacher-fp32.txt"
# teacher-fp32: threads=T batch=1 median_us=... images_per_s=... runs=N
fp32() {
  awk -v t="threads=$1" -v k="$2" '$2 == t {
    for (i = 3; i <= NF; ++i) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' \
    "$out/teacher-fp32.txt"
}

step "ONNX Runtime on the same student (QDQ form), one thread"
ort_note="not measured: node/npm missing"
if command -v node >/dev/null && command -v npm >/dev/null; then
  # A baseline, not a check: without the npm registry the job goes on.
  if node_path=$("$root/scripts/ort-install.sh" "$build/onnxruntime" 2>"$out/ort-install.log"); then
    NODE_PATH=$node_path node "$root/scripts/ort-classify.js" \
      "$train/student-qdq.onnx" "$out/data/test-images.idx" \
      "$out/data/test-labels.idx" "$compiled/logits.bin" | tee "$out/ort.txt"
    # Its activation codes of image 0, layer by layer, as statistics: its
    # requantization is float32, not the student's exact rule.
    NODE_PATH=$node_path node "$root/scripts/ort-dump-layers.js" \
      "$train/student-qdq-layers.onnx" "$layers/image.raw" \
      "$layers/onnx-route" "$layers/onnxruntime"
    "$bin/qnn-diff" --common --tolerance 1 "$layers/onnx-route" \
      "$layers/onnxruntime" | tee "$out/ort-layers.txt"
    ort_note=""
  else
    ort_note="not measured: npm install onnxruntime-node failed ($out/ort-install.log)"
  fi
fi
ort() { awk -v k="$1" '$1 == k { print $2 }' "$out/ort.txt"; }

#===--- 7. Report -------------------------------------------------------------===#
step "write the report"
sizes=$(size -A "$compiled/model.o" |
        awk '$1 ~ /^\.text/ { t += $2 } $1 ~ /^\.rodata/ { r += $2 } END { print t + r, r }')
scratch=$(awk '/^#define MODEL_SCRATCH_BYTES/ { print $3 }' "$compiled/model.h")
gap=$(awk -v t="$teacher" -v s="$student" 'BEGIN { printf "%+.2f", s - t }')
{
  echo "# qnn-mlir main job report"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $( [ $quick -eq 1 ] && echo 'quick mode' || echo 'default settings')."
  echo "Training log: train/log.csv; summary: train/summary.txt."
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| FP teacher with BatchNorm, test accuracy | $teacher % |"
  echo "| BN-fold + post-training quantization (integer) | $ptq % |"
  echo "| BN-free PTL student, integer simulation | $student % |"
  echo "| gap, student - teacher | $gap points |"
  echo "| compiled student on the full test set (10000 images) | $(awk -v a="$compiled_accuracy" 'BEGIN { printf "%.2f", 100 * a }') % |"
  echo "| bit-exact with the integer simulation | $bit_exact ($checked images, $mismatches mismatches) |"
  echo "| object float-free, nothing undefined | yes |"
  echo "| object size (.text + .rodata) | ${sizes% *} bytes |"
  echo "| read-only data (weights, biases, rescale parameters) | ${sizes#* } bytes |"
  echo "| scratch arena | $scratch bytes |"
  echo "| latency per image (x86-64 $cpu, median of 2000) | $latency us |"
  echo "| throughput, whole test set, one thread | $throughput images/s |"
  echo "| Cortex-M3 (QEMU, bare metal) | $m3_result |"
  echo "| route | train/student.onnx (QONNX) imported by the python-free frontend; every layer equal to the direct export |"
  echo "| every layer of test image 0 (qnn-diff): training simulation = interpreter = compiled | identical ($layers_identical layers) |"
  echo
  echo "Baselines, measured in this run on the same machine, one thread, one image per call:"
  echo
  ratio() { awk -v b="$1" -v c="$latency" 'BEGIN { printf "%.2fx", b / c }'; }
  echo "| runtime | accuracy | latency (median) | images/s | latency / compiled's | logits vs compiled |"
  echo "|---|---|---|---|---|---|"
  echo "| qnn-mlir compiled W4A4 student (x86-64 $cpu) | $(awk -v a="$compiled_accuracy" 'BEGIN { printf "%.2f", 100 * a }') % | $latency us | $throughput | 1.00x | - |"
  if [ -z "$ort_note" ]; then
    echo "| ONNX Runtime 1.30, same student (student-qdq.onnx) | $(awk -v a="$(ort accuracy)" 'BEGIN { printf "%.2f", 100 * a }') % | $(ort latency_median_us) us | $(ort throughput) | $(ratio "$(ort latency_median_us)") | identical for $(ort identical_logits) of $(ort compared) images, same class for $(ort same_class), largest difference $(ort largest_logit_difference) |"
  else
    echo "| ONNX Runtime 1.30 | $ort_note | | | | |"
  fi
  for t in 1 2; do
    echo "| LibTorch 1.13 FP32 teacher with BN, $t thread$([ $t = 2 ] && echo s) | $teacher % | $(fp32 $t median_us) us | $(fp32 $t images_per_s) | $(ratio "$(fp32 $t median_us)") | - |"
  done
  echo
  echo "Accuracy is on the full test set for the compiled model and ONNX"
  echo "Runtime, and as train/summary.txt reports it for the teacher."
  echo "Latency: median of repeated single-image runs after warm-up."
  echo
  echo "ONNX Runtime runs the QDQ form of the student (8-bit containers, a Clip"
  echo "for the 4-bit range): its QuantizeLinear rounds half to even in float32"
  echo "where the student rounds half up exactly, so a logit may differ at a tie."
  if [ -z "$ort_note" ]; then
    echo "Its activation codes on test image 0 against the interpreter's"
    echo "(qnn-diff --common --tolerance 1, layers/onnx-route vs layers/onnxruntime):"
    echo
    sed 's/^/    /' "$out/ort-layers.txt"
  fi
  echo
  echo "Validation accuracy per epoch of every stage (train/accuracy.svg):"
  echo
  echo "![accuracy per stage](train/accuracy.svg)"
} > "$out/report.md"
echo "report: $out/report.md"
cat "$out/report.md"
[ "$bit_exact" = yes ] || die "compiled logits differ from the integer simulation"
