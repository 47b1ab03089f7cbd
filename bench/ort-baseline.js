// ONNX Runtime (npm onnxruntime-node) time of a bench/make-model.sh model:
// builds the QDQ int8 ONNX model of the layer list (u8 activations after each
// ReLU, per-channel int8 weights, int32 biases: the form exporters write,
// which ORT's optimizer turns into QLinearConv/QGemm), runs it on one thread
// and prints the median latency of one image. The u8 image is the input and
// the float logits the output, so ORT does the same integer work as ours.
//
//   node ort-baseline.js "C H W" "LAYERS" WORK_DIR REPEAT
//
// The model is written as protobuf text and encoded with protoc, as
// python-free-frontend/ort-crosscheck/crosscheck.js does, to
// WORK_DIR/model.onnx, which a second run with the same WORK_DIR reuses.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const ort = require('onnxruntime-node');

const [inputArg, layersArg, workDir, repeatArg] = process.argv.slice(2);
let state = 1;
function random() { // mulberry32, deterministic
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const ints = (n, lo, hi) => Array.from({ length: n }, () => int(lo, hi));
const U8 = 2, I8 = 3, I32 = 6, F32 = 1;

const parts = [];
let counter = 0;
function init(type, dims, values) {
  const name = `c${counter++}`;
  const field = type === F32 ? 'float_data' : 'int32_data';
  parts.push(`initializer { name: "${name}" data_type: ${type} ${dims.map((d) => `dims: ${d}`).join(' ')} ${field}: [${values.join(',')}] }`);
  return name;
}
function node(op, inputs, attrs = '') {
  const out = `t${counter++}`;
  parts.push(`node { op_type: "${op}" input: [${inputs.map((i) => `"${i}"`).join(', ')}] output: "${out}" ${attrs} }`);
  return out;
}
const ints_ = (name, xs) => `attribute { name: "${name}" type: INTS ints: [${xs.join(', ')}] }`;
const int_ = (name, x) => `attribute { name: "${name}" type: INT i: ${x} }`;
const actScale = 0.05;
const dq = (x) => node('DequantizeLinear', [x, init(F32, [], [actScale]), init(U8, [], [0])]);
const q = (x) => node('QuantizeLinear', [x, init(F32, [], [actScale]), init(U8, [], [0])]);

// [out, ...] int8 weights, per output channel, and the int32 bias.
function weightsAndBias(dims) {
  const out = dims[0], n = dims.reduce((a, b) => a * b, 1);
  const scales = Array.from({ length: out }, () => 0.001 + 0.01 * random());
  const w = node('DequantizeLinear', [init(I8, dims, ints(n, -127, 127)),
    init(F32, [out], scales), init(I8, [out], new Array(out).fill(0))], int_('axis', 0));
  const b = node('DequantizeLinear', [init(I32, [out], ints(out, -100, 100)),
    init(F32, [out], scales.map((s) => Math.fround(s * actScale))),
    init(I32, [out], new Array(out).fill(0))], int_('axis', 0));
  return [w, b];
}

let [c, h, w] = inputArg.split(' ').map(Number);
parts.push(`input { name: "image" type { tensor_type { elem_type: ${U8} shape { dim { dim_value: 1 } dim { dim_value: ${c} } dim { dim_value: ${h} } dim { dim_value: ${w} } } } } }`);
let x = 'image';
function conv(xq, out, k, s, p) {
  const [wf, bf] = weightsAndBias([out, c, k, k]);
  const y = node('Conv', [dq(xq), wf, bf], ints_('strides', [s, s]) + ints_('pads', [p, p, p, p]) + ints_('kernel_shape', [k, k]));
  c = out; h = Math.floor((h + 2 * p - k) / s) + 1; w = Math.floor((w + 2 * p - k) / s) + 1;
  return q(node('Relu', [y]));
}
const layers = layersArg.split(';').map((l) => l.trim().split(/\s+/)).filter((l) => l[0]);
let flat = false;
layers.forEach((l, i) => {
  const [kind, ...a] = [l[0], ...l.slice(1).map(Number)];
  if (kind === 'conv') x = conv(x, a[0], a[1], a[2], a[3]);
  else if (kind === 'pool') {
    x = node('MaxPool', [x], ints_('kernel_shape', [a[0], a[0]]) + ints_('strides', [a[1], a[1]]));
    h = Math.floor((h - a[0]) / a[1]) + 1; w = Math.floor((w - a[0]) / a[1]) + 1;
  } else if (kind === 'block') {
    const [c0, h0, w0] = [c, h, w];
    const first = conv(x, a[0], 3, a[1], 1), second = conv(first, a[0], 3, 1, 1);
    let skip = x;
    if (a[1] !== 1 || c0 !== a[0]) {
      const [c1, h1, w1] = [c, h, w];
      [c, h, w] = [c0, h0, w0];
      skip = conv(x, a[0], 1, a[1], 0);
      [c, h, w] = [c1, h1, w1];
    }
    x = q(node('Relu', [node('Add', [dq(skip), dq(second)])]));
  } else if (kind === 'gap') {
    x = q(node('GlobalAveragePool', [dq(x)]));
    h = w = 1;
  } else if (kind === 'fc') {
    if (!flat) { x = node('Flatten', [x]); flat = true; }
    const k = c * h * w;
    const [wf, bf] = weightsAndBias([a[0], k]);
    const y = node('Gemm', [dq(x), wf, bf], int_('transB', 1));
    c = a[0]; h = w = 1;
    x = i === layers.length - 1 ? y : q(node('Relu', [y]));
  } else throw new Error(`unknown layer ${kind}`);
});
parts.push(`output { name: "${x}" type { tensor_type { elem_type: ${F32} } } }`);
const text = `ir_version: 8\nopset_import { version: 17 }\ngraph {\n  name: "g"\n  ${parts.join('\n  ')}\n}\n`;
const file = path.join(workDir, 'model.onnx');
if (!fs.existsSync(file))
  fs.writeFileSync(file, execFileSync('protoc', ['-I/usr/include', '/usr/include/onnx/onnx.proto',
  '--encode=onnx.ModelProto'], { input: text, maxBuffer: 1 << 30 }));

(async () => {
  const session = await ort.InferenceSession.create(file, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all' });
  const [c0, h0, w0] = inputArg.split(' ').map(Number);
  const feeds = { image: new ort.Tensor('uint8', Uint8Array.from(ints(c0 * h0 * w0, 0, 255)), [1, c0, h0, w0]) };
  await session.run(feeds);
  const times = [];
  for (let r = 0; r < Number(repeatArg); r++) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start));
  }
  times.sort((a, b) => a - b);
  console.log(`median ${times[times.length >> 1]} ns`);
})();
