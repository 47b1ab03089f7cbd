// Writes ONNX Runtime's per-layer values of one input as a layer dump
// (docs/tools.md), for `qnn-diff --common --tolerance N` against qnn-run's
// or the compiled code's dump of the imported module.
//
// The model is one whose extra graph outputs are layer values named as the
// module's layers are (qnn-train's student-qdq-layers.onnx: the uint8 codes
// of "layer0.rescale", "layer1.pool", ...). The dump takes the layer names,
// ops, types and order from REFERENCE_DIR/layers.txt and keeps the layers
// the model outputs, each stored in the container of the reference's type.
//
// Usage: NODE_PATH=... node ort-dump-layers.js MODEL INPUT.raw REFERENCE_DIR OUT_DIR
//   INPUT.raw: the model's only input, uint8, in its declared shape.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function fail(message) {
  process.stderr.write(`ort-dump-layers: ${message}\n`);
  process.exit(1);
}

// "tensor<1x16x28x28xui4>" -> { shape: [1, 16, 28, 28], descr: '|u1', bytes: 1 }
function parseType(type) {
  const match = /^tensor<((?:\d+x)*)(u?i)(\d+)>$/.exec(type);
  if (!match) fail(`unsupported layer type ${type}`);
  const shape = match[1].split('x').filter((d) => d !== '').map(Number);
  const bits = Number(match[3]);
  const bytes = bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
  const kind = match[2] === 'ui' ? 'u' : 'i';
  return { shape, bytes, kind, descr: `${bytes === 1 ? '|' : '<'}${kind}${bytes}` };
}

// A .npy 1.0 file whose data starts at a multiple of 64 bytes.
function npy(type, values) {
  const shape = type.shape.length === 1 ? `(${type.shape[0]},)`
                                        : `(${type.shape.join(', ')})`;
  let dict = `{'descr': '${type.descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const header = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(header);
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(dict.length, 8);
  const data = Buffer.alloc(values.length * type.bytes);
  const write = {
    u1: (v, i) => data.writeUInt8(v, i), i1: (v, i) => data.writeInt8(v, i),
    u2: (v, i) => data.writeUInt16LE(v, i), i2: (v, i) => data.writeInt16LE(v, i),
    u4: (v, i) => data.writeUInt32LE(v, i), i4: (v, i) => data.writeInt32LE(v, i),
    u8: (v, i) => data.writeBigUInt64LE(BigInt(v), i),
    i8: (v, i) => data.writeBigInt64LE(BigInt(v), i),
  }[`${type.kind}${type.bytes}`];
  values.forEach((v, i) => write(Number(v), i * type.bytes));
  return Buffer.concat([header, Buffer.from(dict, 'latin1'), data]);
}

async function main() {
  const [modelPath, inputPath, referenceDir, outDir] = process.argv.slice(2);
  if (!outDir) fail('usage: ort-dump-layers.js MODEL INPUT.raw REFERENCE_DIR OUT_DIR');
  const session = await ort.InferenceSession.create(modelPath);
  const reference = fs.readFileSync(path.join(referenceDir, 'layers.txt'), 'utf8')
    .split('\n').filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(' '));
  const argument = reference.find(([, , op]) => op === 'argument');
  if (!argument) fail(`${referenceDir}/layers.txt: no argument layer`);
  const inputType = parseType(argument[3]);
  const pixels = fs.readFileSync(inputPath);
  const input = new ort.Tensor('uint8', pixels, inputType.shape);
  const outputs = await session.run({ [session.inputNames[0]]: input });

  fs.mkdirSync(outDir, { recursive: true });
  const index = ['# qnn-mlir layer dump (docs/tools.md): order name op type; ' +
                 'the values of each layer in <order>_<name>.npy'];
  for (const [, name, op, type] of reference) {
    if (!(name in outputs)) continue;
    const order = index.length - 1;
    const parsed = parseType(type);
    const count = parsed.shape.reduce((a, b) => a * b, 1);
    if (outputs[name].data.length !== count)
      fail(`output '${name}' has ${outputs[name].data.length} values, ${type} has ${count}`);
    const file = `${String(order).padStart(3, '0')}_${name}.npy`;
    fs.writeFileSync(path.join(outDir, file), npy(parsed, Array.from(outputs[name].data)));
    index.push(`${order} ${name} ${op} ${type}`);
  }
  if (index.length === 1) fail('the model outputs none of the reference layers');
  fs.writeFileSync(path.join(outDir, 'layers.txt'), index.join('\n') + '\n');
}

main().catch((error) => fail(error.message));
