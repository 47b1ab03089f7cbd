//===- qnn-diff.cpp - The first layer where two executions disagree -------===//
//
//   qnn-diff A B [--common] [--tolerance N]
//
// A and B are per-layer dumps (docs/tools.md) of two executions of one
// model: the interpreter, compiled code, the training module's integer
// simulation, ONNX Runtime. Layers pair up by name and are compared in A's
// order. By default the first layer whose values differ is reported with
// the number and fraction of differing elements, the largest |difference|
// and the first differing index with both values. With --tolerance every
// layer gets a line of statistics and only a |difference| above N fails
// (float requantization, as in ONNX Runtime, is not expected to be exact).
//
// Exit status: 0 identical (or within the tolerance), 1 different, 2 bad
// input (one line on stderr).
//
//===----------------------------------------------------------------------===//

#include "qnn/Reference/LayerDump.h"
#include "qnn/Reference/Npy.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn::reference;
namespace cl = llvm::cl;

static cl::opt<std::string> dumpA(cl::Positional, cl::Required,
                                  cl::desc("<dump A>"));
static cl::opt<std::string> dumpB(cl::Positional, cl::Required,
                                  cl::desc("<dump B>"));
static cl::opt<bool>
    commonOnly("common", cl::desc("compare only the layers both dumps hold "
                                  "(by name), e.g. against a partial dump"));
static cl::opt<double> tolerance(
    "tolerance",
    cl::desc("statistics of every layer; fail only where some |difference| "
             "exceeds this"),
    cl::value_desc("N"));

namespace {

enum ExitStatus { Identical = 0, Different = 1, BadInput = 2 };

[[noreturn]] void fail(const llvm::Twine &message) {
  llvm::errs() << "qnn-diff: error: " << message << "\n";
  std::exit(BadInput);
}

template <typename T> T orFail(llvm::Expected<T> value) {
  if (!value)
    fail(llvm::toString(value.takeError()));
  return std::move(*value);
}

/// A layer of both dumps.
struct LayerPair {
  const DumpedLayer *a, *b;
  RankedTensorType type;
};

/// Where two tensors of one type differ.
struct Difference {
  int64_t count = 0;  ///< differing elements
  double largest = 0; ///< largest |a - b|
  double sum = 0;     ///< sum of |a - b|
  int64_t first = -1; ///< flat index of the first differing element
};

/// |a[i] - b[i]| (exact for integers less than 2^53 apart).
double absDifference(const Tensor &a, const Tensor &b, int64_t i) {
  if (a.isFloat())
    return a.floats[i] == b.floats[i] ||
                   (std::isnan(a.floats[i]) && std::isnan(b.floats[i]))
               ? 0.0
               : std::fabs(double(a.floats[i]) - double(b.floats[i]));
  int64_t x = a.ints[i], y = b.ints[i];
  // In unsigned arithmetic, so that i64 extremes do not overflow.
  return double(x > y ? uint64_t(x) - uint64_t(y) : uint64_t(y) - uint64_t(x));
}

Difference compare(const Tensor &a, const Tensor &b) {
  Difference d;
  for (int64_t i = 0; i < a.numElements(); ++i) {
    double delta = absDifference(a, b, i);
    if (delta == 0)
      continue;
    if (d.count++ == 0)
      d.first = i;
    d.largest = std::max(d.largest, delta);
    d.sum += delta;
  }
  return d;
}

/// Integers (every difference of integer layers) without a fraction.
std::string number(double v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format(
      v == std::floor(v) && std::fabs(v) < 1e15 ? "%.0f" : "%.6g", v);
  return s;
}

std::string element(const Tensor &t, int64_t i) {
  return t.isFloat() ? number(t.floats[i]) : std::to_string(t.ints[i]);
}

/// "[0, 2, 5, 17]" for a flat row-major index.
std::string multiIndex(const Tensor &t, int64_t flat) {
  std::vector<int64_t> strides = rowMajorStrides(t.shape());
  std::string s = "[";
  for (auto [d, stride] : llvm::enumerate(strides)) {
    s += (d ? ", " : "") + std::to_string(flat / stride);
    flat %= stride;
  }
  return s + "]";
}

std::string percent(int64_t part, int64_t whole) {
  std::string s;
  llvm::raw_string_ostream(s)
      << llvm::format("%.3g%%", whole ? 100.0 * part / whole : 0.0);
  return s;
}

/// The layers of A that B also holds, in A's order, with their common type.
std::vector<LayerPair> pairLayers(MLIRContext &context,
                                  const std::vector<DumpedLayer> &a,
                                  const std::vector<DumpedLayer> &b) {
  llvm::StringMap<const DumpedLayer *> inB;
  for (const DumpedLayer &layer : b)
    inB[layer.name] = &layer;
  llvm::StringMap<bool> inA;
  std::vector<LayerPair> pairs;
  std::vector<std::string> onlyA, onlyB;
  for (const DumpedLayer &layer : a) {
    inA[layer.name] = true;
    const DumpedLayer *other = inB.lookup(layer.name);
    if (!other) {
      onlyA.push_back(layer.name);
      continue;
    }
    auto parse = [&](const DumpedLayer &l, llvm::StringRef dump) {
      // parseType reports through the context; the message below says it.
      ScopedDiagnosticHandler quiet(&context, [](Diagnostic &) {
        return success();
      });
      auto type = dyn_cast_or_null<RankedTensorType>(
          parseType(l.type, &context));
      if (!type || !type.hasStaticShape())
        fail(dump + ": layer '" + l.name + "' has type '" + l.type +
             "', not a static tensor type");
      return type;
    };
    RankedTensorType typeA = parse(layer, dumpA), typeB = parse(*other, dumpB);
    if (typeA != typeB)
      fail("layer '" + layer.name + "' is " + layer.type + " in " + dumpA +
           " but " + other->type + " in " + dumpB);
    pairs.push_back({&layer, other, typeA});
  }
  for (const DumpedLayer &layer : b)
    if (!inA.count(layer.name))
      onlyB.push_back(layer.name);
  if (!commonOnly) {
    if (!onlyA.empty())
      fail(dumpB + " has no layer '" + onlyA.front() + "' (" +
           llvm::Twine(onlyA.size()) + " of " + dumpA +
           "'s layers are missing there; --common compares the others)");
    if (!onlyB.empty())
      fail(dumpA + " has no layer '" + onlyB.front() + "' (" +
           llvm::Twine(onlyB.size()) + " of " + dumpB +
           "'s layers are missing there; --common compares the others)");
  }
  if (!onlyA.empty())
    llvm::outs() << "only in A (not compared): " << llvm::join(onlyA, ", ")
                 << "\n";
  if (!onlyB.empty())
    llvm::outs() << "only in B (not compared): " << llvm::join(onlyB, ", ")
                 << "\n";
  if (pairs.empty())
    fail(dumpA + " and " + dumpB + " have no layer name in common");
  return pairs;
}

std::pair<Tensor, Tensor> readPair(const LayerPair &pair) {
  auto read = [&](llvm::StringRef dump, const DumpedLayer &layer) {
    llvm::SmallString<256> path(dump);
    llvm::sys::path::append(path, layer.fileName());
    return orFail(readTensorFile(path, pair.type));
  };
  return {read(dumpA, *pair.a), read(dumpB, *pair.b)};
}

/// Default mode: the first differing layer, in detail.
ExitStatus reportFirstDifference(const std::vector<LayerPair> &pairs) {
  for (auto [position, pair] : llvm::enumerate(pairs)) {
    auto [a, b] = readPair(pair);
    Difference d = compare(a, b);
    if (d.count == 0)
      continue;
    llvm::outs() << "first difference: layer " << pair.a->order << " '"
                 << pair.a->name << "' (" << pair.a->op << ", "
                 << pair.a->type << "), after " << position << " identical "
                 << (position == 1 ? "layer" : "layers") << "\n"
                 << "  differing elements: " << d.count << " of "
                 << a.numElements() << " (" << percent(d.count, a.numElements())
                 << ")\n"
                 << "  largest |difference|: " << number(d.largest) << "\n"
                 << "  first differing index: " << multiIndex(a, d.first)
                 << ": A = " << element(a, d.first)
                 << ", B = " << element(b, d.first) << "\n";
    return Different;
  }
  llvm::outs() << "identical: " << pairs.size() << " layers\n";
  return Identical;
}

/// --tolerance: statistics of every layer.
ExitStatus reportStatistics(const std::vector<LayerPair> &pairs) {
  llvm::outs() << llvm::formatv("{0,-24} {1,10} {2,18} {3,12} {4,12}\n",
                                "layer", "elements", "differing",
                                "max |diff|", "mean |diff|");
  std::vector<std::string> exceeding;
  for (const LayerPair &pair : pairs) {
    auto [a, b] = readPair(pair);
    Difference d = compare(a, b);
    int64_t n = a.numElements();
    llvm::outs() << llvm::formatv(
        "{0,-24} {1,10} {2,18} {3,12} {4,12}\n", pair.a->name, n,
        llvm::formatv("{0} ({1})", d.count, percent(d.count, n)).str(),
        number(d.largest), llvm::format("%.4g", n ? d.sum / n : 0.0));
    if (d.largest > tolerance)
      exceeding.push_back(pair.a->name);
  }
  if (exceeding.empty()) {
    llvm::outs() << "within tolerance " << number(tolerance) << ": "
                 << pairs.size()
                 << " layers\n";
    return Identical;
  }
  llvm::outs() << "beyond tolerance " << number(tolerance) << ": "
               << exceeding.size()
               << " of " << pairs.size() << " layers, first '"
               << exceeding.front() << "'\n";
  return Different;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // Usage errors exit with status 2 like every bad input (1 means the dumps
  // differ).
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "compare two per-layer dumps (docs/tools.md): the first layer "
          "where they differ\n",
          &llvm::errs()))
    return BadInput;
  if (tolerance.getNumOccurrences() && !(tolerance >= 0))
    fail("--tolerance must be a number >= 0");
  std::vector<DumpedLayer> a = orFail(readLayerIndex(dumpA));
  std::vector<DumpedLayer> b = orFail(readLayerIndex(dumpB));
  MLIRContext context;
  std::vector<LayerPair> pairs = pairLayers(context, a, b);
  return tolerance.getNumOccurrences() ? reportStatistics(pairs)
                                       : reportFirstDifference(pairs);
}
