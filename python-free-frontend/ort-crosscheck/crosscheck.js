// Cross-checks the ONNX frontend against ONNX Runtime (npm onnxruntime-node).
//
//   node crosscheck.js WORK_DIR QNN_ONNX_TEST [MODELS_PER_PATTERN] [SEED]
//
// For each supported QDQ/QOperator pattern, generates random models
// (protobuf text, encoded with protoc) with integer inputs and outputs, runs
// them in ONNX Runtime, writes each as an ONNX backend-test directory with
// ORT's outputs as the expected data, and runs qnn-onnx-test on it
// (integerized and pre-folding). Prints, per pattern, how many output
// elements differ from ORT and by how much. scripts/ort-crosscheck.sh sets
// it up.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const ort = require('onnxruntime-node');

const [workDir, runner, perPatternArg, seedArg] = process.argv.slice(2);
const perPattern = Number(perPatternArg || 20);
let state = Number(seedArg || 1) >>> 0;

// mulberry32: a small deterministic generator, so a run can be repeated.
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (xs) => xs[int(0, xs.length - 1)];
// Scales as exporters write them: float32 values.
const scale = (lo, hi) => Math.fround(lo * Math.pow(hi / lo, random()));
const ints = (n, lo, hi) => Array.from({ length: n }, () => int(lo, hi));
const product = (dims) => dims.reduce((a, b) => a * b, 1);

const ONNX_PROTO = '/usr/include/onnx/onnx.proto';
function encode(type, text) {
  return execFileSync('protoc', ['-I/usr/include', ONNX_PROTO,
                                 `--encode=onnx.${type}`], { input: text });
}

// Element types: [ONNX code, typed array, min, max].
const U8 = [2, Uint8Array, 0, 255];
const I8 = [3, Int8Array, -128, 127];
const I32 = [6, Int32Array, -(2 ** 31), 2 ** 31 - 1];

// A graph under construction, written as protobuf text.
class Graph {
  constructor() { this.parts = []; this.inputs = []; this.outputs = []; this.n = 0; }
  input(name, type, dims) {
    this.inputs.push({ name, type, dims });
    this.parts.push(`input { name: "${name}" type { tensor_type { elem_type: ${type[0]} shape { ${dims.map((d) => `dim { dim_value: ${d} }`).join(' ')} } } } }`);
    return name;
  }
  output(name, type) {
    this.outputs.push(name);
    this.parts.push(`output { name: "${name}" type { tensor_type { elem_type: ${type[0]} } } }`);
  }
  init(type, dims, values) {
    const name = `c${this.n++}`;
    const field = type[0] === 1 ? 'float_data' : 'int32_data';
    this.parts.push(`initializer { name: "${name}" data_type: ${type[0]} ${dims.map((d) => `dims: ${d}`).join(' ')} ${field}: [${values.join(', ')}] }`);
    return name;
  }
  scalar(v) { return this.init([1], [], [v]); }
  zp(type, v) { return this.init(type, [], [v]); }
  node(op, inputs, attrs = '', domain = '') {
    const out = `t${this.n++}`;
    this.parts.push(`node { op_type: "${op}" ${domain ? `domain: "${domain}"` : ''} input: [${inputs.map((i) => `"${i}"`).join(', ')}] output: "${out}" ${attrs} }`);
    return out;
  }
  dq(x, s, z) { return this.node('DequantizeLinear', [x, this.scalar(s), this.zp(z.type, z.v)]); }
  q(x, s, type, zpValue) { return this.node('QuantizeLinear', [x, this.scalar(s), this.zp(type, zpValue)]); }
  text(opset) {
    return `ir_version: 8\nopset_import { version: ${opset} }\nopset_import { domain: "com.microsoft" version: 1 }\ngraph {\n  name: "g"\n  ${this.parts.join('\n  ')}\n}\n`;
  }
}
const ints_ = (name, xs) => `attribute { name: "${name}" type: INTS ints: [${xs.join(', ')}] }`;
const int_ = (name, x) => `attribute { name: "${name}" type: INT i: ${x} }`;

// Per-channel int8 weights with their float32 scales.
function weights(g, dims, axis) {
  const channels = dims[axis];
  const scales = Array.from({ length: channels }, () => scale(0.002, 0.05));
  const w = g.init(I8, dims, ints(product(dims), -127, 127));
  const s = g.init([1], [channels], scales);
  const z = g.init(I8, [channels], new Array(channels).fill(0));
  return { wf: g.node('DequantizeLinear', [w, s, z], int_('axis', axis)), scales };
}
// An int32 bias at scale in_scale * w_scale[c], as exporters write it.
function bias(g, inScale, wScales) {
  const s = wScales.map((ws) => Math.fround(inScale * ws));
  const b = g.init(I32, [s.length], ints(s.length, -2000, 2000));
  return g.node('DequantizeLinear', [b, g.init([1], [s.length], s),
                                     g.init(I32, [s.length], new Array(s.length).fill(0))],
                int_('axis', 0));
}

// Each pattern builds a graph with integer inputs and one integer output.
const patterns = {
  conv(g) {
    const c = pick([1, 2, 4]), group = pick([1, c]), o = group * pick([1, 2]);
    const h = int(3, 8), w = int(3, 8), k = int(1, 3), stride = int(1, 2), pad = int(0, k - 1);
    const sx = scale(0.005, 0.1), zx = int(0, 255);
    const x = g.dq(g.input('x', U8, [1, c, h, w]), sx, { type: U8, v: zx });
    const { wf, scales } = weights(g, [o, c / group, k, k], 0);
    let y = g.node('Conv', [x, wf, bias(g, sx, scales)],
                   int_('group', group) + ints_('strides', [stride, stride]) + ints_('pads', [pad, pad, pad, pad]));
    if (random() < 0.5) y = g.node('Relu', [y]);
    g.output(g.q(y, scale(0.01, 0.5), U8, int(0, 255)), U8);
  },
  convClip(g) {
    const sx = scale(0.005, 0.1);
    const x = g.dq(g.input('x', I8, [1, 3, 6, 6]), sx, { type: I8, v: int(-20, 20) });
    const { wf, scales } = weights(g, [4, 3, 3, 3], 0);
    const y = g.node('Clip', [g.node('Conv', [x, wf, bias(g, sx, scales)], ints_('pads', [1, 1, 1, 1])),
                              g.scalar(0), g.scalar(6)]);
    g.output(g.q(y, scale(0.01, 0.1), I8, int(-128, -100)), I8);
  },
  gemm(g) {
    const m = int(1, 4), k = int(2, 32), n = int(1, 16), sx = scale(0.005, 0.1);
    const x = g.dq(g.input('x', I8, [m, k]), sx, { type: I8, v: int(-10, 10) });
    const { wf, scales } = weights(g, [n, k], 0);
    const y = g.node('Gemm', [x, wf, bias(g, sx, scales)], int_('transB', 1));
    g.output(g.q(y, scale(0.01, 1), I8, int(-10, 10)), I8);
  },
  matmul(g) {
    const b = int(1, 3), m = int(1, 4), k = int(2, 16), n = int(1, 8);
    const x = g.dq(g.input('x', U8, [b, m, k]), scale(0.005, 0.1), { type: U8, v: int(0, 255) });
    const wf = g.dq(g.init(I8, [k, n], ints(k * n, -127, 127)), scale(0.002, 0.05), { type: I8, v: 0 });
    g.output(g.q(g.node('MatMul', [x, wf]), scale(0.01, 1), U8, int(0, 255)), U8);
  },
  add(g) {
    const dims = [1, int(1, 4), int(1, 5), int(1, 5)];
    const a = g.dq(g.input('a', U8, dims), scale(0.005, 0.1), { type: U8, v: int(0, 255) });
    const b = g.dq(g.input('b', U8, dims), scale(0.005, 0.1), { type: U8, v: int(0, 255) });
    let y = g.node('Add', [a, b]);
    if (random() < 0.5) y = g.node('Relu', [y]);
    g.output(g.q(y, scale(0.005, 0.1), U8, int(0, 255)), U8);
  },
  pool(g) {
    const sx = scale(0.005, 0.1), zx = int(0, 255);
    const x = g.dq(g.input('x', U8, [1, 2, 6, 6]), sx, { type: U8, v: zx });
    const kind = pick(['AveragePool', 'GlobalAveragePool', 'MaxPool']);
    const attrs = kind === 'GlobalAveragePool' ? '' :
      ints_('kernel_shape', [2, 2]) + ints_('strides', [2, 2]) +
      (kind === 'AveragePool' ? ints_('pads', [1, 1, 1, 1]) + int_('count_include_pad', 1) : '');
    g.output(g.q(g.node(kind, [x], attrs), scale(0.005, 0.1), U8, int(0, 255)), U8);
  },
  concat(g) {
    const a = g.dq(g.input('a', U8, [1, 2, 3]), scale(0.005, 0.1), { type: U8, v: int(0, 255) });
    const b = g.dq(g.input('b', U8, [1, 3, 3]), scale(0.005, 0.1), { type: U8, v: int(0, 255) });
    g.output(g.q(g.node('Concat', [a, b], int_('axis', 1)), scale(0.005, 0.1), U8, int(0, 255)), U8);
  },
  qlinearConv(g) {
    const x = g.input('x', U8, [1, 2, 5, 5]);
    const o = 3, sx = scale(0.005, 0.1), ws = Array.from({ length: o }, () => scale(0.002, 0.05));
    const w = g.init(I8, [o, 2, 3, 3], ints(o * 18, -127, 127));
    const y = g.node('QLinearConv', [x, g.scalar(sx), g.zp(U8, int(0, 255)), w,
      g.init([1], [o], ws), g.init(I8, [o], [0, 0, 0]), g.scalar(scale(0.01, 0.5)),
      g.zp(U8, int(0, 255)), g.init(I32, [o], ints(o, -1000, 1000))], ints_('pads', [1, 1, 1, 1]));
    g.output(y, U8);
  },
  qlinearMatMul(g) {
    const a = g.input('a', U8, [int(1, 4), 8]);
    const y = g.node('QLinearMatMul', [a, g.scalar(scale(0.005, 0.1)), g.zp(U8, int(0, 255)),
      g.init(U8, [8, 5], ints(40, 0, 255)), g.scalar(scale(0.002, 0.05)), g.zp(U8, int(0, 255)),
      g.scalar(scale(0.01, 1)), g.zp(U8, int(0, 255))]);
    g.output(y, U8);
  },
  qlinearAdd(g) {
    const dims = [1, 8];
    const y = g.node('QLinearAdd', [g.input('a', U8, dims), g.scalar(scale(0.005, 0.1)),
      g.zp(U8, int(0, 255)), g.input('b', U8, dims), g.scalar(scale(0.005, 0.1)),
      g.zp(U8, int(0, 255)), g.scalar(scale(0.005, 0.1)), g.zp(U8, int(0, 255))], '', 'com.microsoft');
    g.output(y, U8);
  },
};

const tensorText = (type, dims, values) =>
  `${dims.map((d) => `dims: ${d}`).join(' ')} data_type: ${type[0]} int32_data: [${Array.from(values).join(', ')}]`;

async function runPattern(name, build) {
  const totals = { models: 0, elements: 0, differing: 0, maxDiff: 0, failures: [] };
  for (let i = 0; i < perPattern; ++i) {
    const g = new Graph();
    build(g);
    const dir = path.join(workDir, `${name}_${i}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'test_data_set_0'), { recursive: true });
    const model = encode('ModelProto', g.text(pick([13, 17, 19, 21])));
    fs.writeFileSync(path.join(dir, 'model.onnx'), model);
    const feeds = {};
    g.inputs.forEach((input, k) => {
      const values = ints(product(input.dims), input.type[2], input.type[3]);
      feeds[input.name] = new ort.Tensor(input.type[1] === Uint8Array ? 'uint8' : 'int8',
                                         input.type[1].from(values), input.dims);
      fs.writeFileSync(path.join(dir, 'test_data_set_0', `input_${k}.pb`),
                       encode('TensorProto', tensorText(input.type, input.dims, values)));
    });
    const session = await ort.InferenceSession.create(model);
    const result = await session.run(feeds);
    g.outputs.forEach((out, k) => {
      const t = result[out];
      const type = t.type === 'uint8' ? U8 : I8;
      fs.writeFileSync(path.join(dir, 'test_data_set_0', `output_${k}.pb`),
                       encode('TensorProto', tensorText(type, t.dims, t.data)));
      totals.elements += t.data.length;
    });
    totals.models += 1;
    for (const mode of [[], ['--no-integerize']]) {
      const run = spawnSync(runner, [...mode, dir], { encoding: 'utf8' });
      const differ = /(\d+) of \d+ elements differ by up to (\d+)/.exec(run.stdout);
      if (differ) {
        if (mode.length === 0) {
          totals.differing += Number(differ[1]);
          totals.maxDiff = Math.max(totals.maxDiff, Number(differ[2]));
        }
        totals.failures.push(`${dir}${mode.length ? ' (pre-folding)' : ''}: ${differ[0]}`);
      } else if (run.status !== 0) {
        totals.failures.push(`${dir}: ${(run.stdout + run.stderr).trim()}`);
      }
    }
  }
  return totals;
}

(async () => {
  fs.mkdirSync(workDir, { recursive: true });
  let bad = 0;
  console.log('pattern         models  elements  differing  max |diff|');
  for (const [name, build] of Object.entries(patterns)) {
    const t = await runPattern(name, build);
    console.log(`${name.padEnd(15)} ${String(t.models).padStart(6)} ${String(t.elements).padStart(9)} ` +
                `${String(t.differing).padStart(10)} ${String(t.maxDiff).padStart(11)}`);
    for (const f of t.failures) console.log(`  ${f}`);
    bad += t.failures.filter((f) => !/elements differ by up to 1\b/.test(f)).length;
  }
  // Differences of one step are float32-vs-double rounding (docs/frontend.md);
  // anything else is a bug.
  process.exit(bad ? 1 : 0);
})();
