// ONNX Runtime baseline of the main job: classifies an IDX image set with an
// ONNX model whose input is one uint8 image [1, C, H, W] and whose output is
// int32 logits [1, K] (the QDQ student that qnn-train writes), on one
// thread, one image per run, as examples/classify.c does with the compiled
// model. Compares the logits with a reference file (int32, little-endian,
// image-major, e.g. the compiled model's) and prints, one `key value` per
// line: accuracy, latency_median_us, throughput, compared images, images
// with identical logits, images whose predicted class agrees, and the
// largest |logit difference|.
//
// Usage: NODE_PATH=... node ort-classify.js MODEL IMAGES.idx LABELS.idx
//                                           REFERENCE_LOGITS [LIMIT]
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function fail(message) {
  process.stderr.write(`ort-classify: ${message}\n`);
  process.exit(1);
}

// An uncompressed IDX file: { count, itemBytes, data }.
function readIdx(path, rank) {
  const bytes = fs.readFileSync(path);
  const magic = 0x800 | rank;
  if (bytes.length < 4 + 4 * rank || bytes.readUInt32BE(0) !== magic)
    fail(`${path}: not an uncompressed IDX file of rank ${rank}`);
  const count = bytes.readUInt32BE(4);
  let itemBytes = 1;
  for (let d = 1; d < rank; ++d) itemBytes *= bytes.readUInt32BE(4 + 4 * d);
  const offset = 4 + 4 * rank;
  if (bytes.length < offset + count * itemBytes) fail(`${path}: truncated`);
  return { count, itemBytes, data: bytes.subarray(offset) };
}

function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; ++i) if (values[i] > values[best]) best = i;
  return best;
}

function median(values) {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const [modelPath, imagesPath, labelsPath, referencePath, limitArg] =
    process.argv.slice(2);
  if (!referencePath)
    fail('usage: ort-classify.js MODEL IMAGES LABELS REFERENCE_LOGITS [LIMIT]');
  const images = readIdx(imagesPath, 3);
  const labels = readIdx(labelsPath, 1);
  const reference = fs.readFileSync(referencePath);
  const count = Math.min(images.count, labels.count,
                         limitArg ? Number(limitArg) : Infinity);
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const input = session.inputNames[0], output = session.outputNames[0];
  const dims = [1, 1, Math.sqrt(images.itemBytes), Math.sqrt(images.itemBytes)];

  let correct = 0, identical = 0, agree = 0, compared = 0, largest = 0;
  const times = [];
  for (let i = 0; i < count; ++i) {
    const pixels = images.data.subarray(i * images.itemBytes,
                                        (i + 1) * images.itemBytes);
    const feeds = { [input]: new ort.Tensor('uint8', pixels, dims) };
    const start = process.hrtime.bigint();
    const result = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e3);
    const logits = result[output].data;
    const k = logits.length;
    if (argmax(logits) === labels.data[i]) ++correct;
    if ((i + 1) * 4 * k > reference.length) continue;
    const expected = new Int32Array(k);
    for (let j = 0; j < k; ++j) expected[j] = reference.readInt32LE(4 * (i * k + j));
    let difference = 0;
    for (let j = 0; j < k; ++j)
      difference = Math.max(difference, Math.abs(Number(logits[j]) - expected[j]));
    ++compared;
    if (difference === 0) ++identical;
    if (argmax(logits) === argmax(expected)) ++agree;
    largest = Math.max(largest, difference);
  }
  const total = times.reduce((a, b) => a + b, 0);
  console.log(`images ${count}`);
  console.log(`accuracy ${(correct / count).toFixed(4)}`);
  console.log(`latency_median_us ${median(times).toFixed(1)}`);
  console.log(`throughput ${(count / (total / 1e6)).toFixed(0)}`);
  console.log(`compared ${compared}`);
  console.log(`identical_logits ${identical}`);
  console.log(`same_class ${agree}`);
  console.log(`largest_logit_difference ${largest}`);
}

main().catch((error) => fail(error.message));
