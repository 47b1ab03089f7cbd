//===- qnn-run.cpp - Run a qnn module on the reference interpreter --------===//
//
//   qnn-run model.mlir [--function NAME] [--input x.npy]... [--output y.npy]...
//                      [--random-inputs SEED] [--save-inputs x.raw]... [--print]
//                      [--dump-dir DIR]
//
// Inputs are .npy files or raw little-endian data (docs/tools.md); with
// --random-inputs every argument is drawn uniformly from its element type's
// range instead. --dump-dir writes every layer's values as a per-layer dump
// (docs/tools.md) for qnn-diff. Any bad input ends the run with one line on
// stderr and exit status 1.
//
//===----------------------------------------------------------------------===//

#include "qnn/Debug/Layers.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Reference/Interpreter.h"
#include "qnn/Reference/LayerDump.h"
#include "qnn/Reference/Npy.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <random>

using namespace mlir;
using namespace mlir::qnn::reference;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<model.mlir>"),
                                          cl::init("-"));
static cl::opt<std::string>
    functionName("function", cl::desc("function to run (default: the only "
                                      "function, or 'main')"),
                 cl::value_desc("name"));
static cl::list<std::string>
    inputFiles("input", cl::desc("argument tensor file (.npy or raw), one per "
                                 "function argument, in order"),
               cl::value_desc("file"));
static cl::list<std::string>
    outputFiles("output", cl::desc("result tensor file (.npy or raw), one "
                                   "per result, in order"),
                cl::value_desc("file"));
static cl::opt<uint64_t>
    randomSeed("random-inputs",
               cl::desc("draw every argument uniformly from its type's range "
                        "with this seed"),
               cl::value_desc("seed"));
static cl::list<std::string>
    savedInputFiles("save-inputs",
                    cl::desc("also write each argument tensor (e.g. the "
                             "random ones) to a file, in order"),
                    cl::value_desc("file"));
static cl::opt<bool> printResults("print",
                                  cl::desc("print the results as text"));
static cl::opt<std::string>
    dumpDir("dump-dir",
            cl::desc("write the arguments and every op result to this "
                     "directory as a per-layer dump (docs/tools.md)"),
            cl::value_desc("dir"));

namespace {

[[noreturn]] void fail(const llvm::Twine &message) {
  llvm::errs() << "qnn-run: error: " << message << "\n";
  std::exit(1);
}

void failOnError(llvm::Error e) {
  if (e)
    fail(llvm::toString(std::move(e)));
}

func::FuncOp selectFunction(ModuleOp module) {
  auto funcs = llvm::to_vector(module.getOps<func::FuncOp>());
  if (!functionName.empty() || funcs.size() != 1) {
    StringRef wanted = functionName.empty() ? StringRef("main")
                                            : StringRef(functionName);
    if (auto f = module.lookupSymbol<func::FuncOp>(wanted))
      return f;
    fail(functionName.empty()
             ? "the module has " + llvm::Twine(funcs.size()) +
                   " functions and none is 'main': pass --function"
             : "no function '" + wanted + "' in the module");
  }
  return funcs.front();
}

Tensor randomTensor(RankedTensorType type, std::mt19937_64 &rng) {
  Tensor t = Tensor::zeros(type);
  if (t.isFloat()) {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (float &v : t.floats)
      v = dist(rng);
    return t;
  }
  ::qnn::rules::IntRange range =
      mlir::qnn::integerRange(cast<IntegerType>(type.getElementType()));
  std::uniform_int_distribution<int64_t> dist(range.min, range.max);
  for (int64_t &v : t.ints)
    v = dist(rng);
  return t;
}

std::vector<Tensor> gatherArguments(func::FuncOp func) {
  ArrayRef<Type> types = func.getFunctionType().getInputs();
  bool random = randomSeed.getNumOccurrences() > 0;
  if (random && !inputFiles.empty())
    fail("--random-inputs and --input exclude each other");
  if (!random && inputFiles.size() != types.size())
    fail("function '" + func.getSymName() + "' takes " +
         llvm::Twine(types.size()) + " arguments, got " +
         llvm::Twine(inputFiles.size()) + " --input files");
  std::mt19937_64 rng(randomSeed);
  std::vector<Tensor> args;
  for (auto [i, type] : llvm::enumerate(types)) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    if (!tensorType || !tensorType.hasStaticShape())
      fail("argument #" + llvm::Twine(i) + " is not a static tensor");
    if (random) {
      args.push_back(randomTensor(tensorType, rng));
      continue;
    }
    llvm::Expected<Tensor> t = readTensorFile(inputFiles[i], tensorType);
    if (!t)
      fail(llvm::toString(t.takeError()));
    args.push_back(std::move(*t));
  }
  return args;
}

/// Runs `func` on `args`; with --dump-dir, writes each layer as it comes.
std::vector<Tensor> run(func::FuncOp func, ArrayRef<Tensor> args) {
  OpObserver observer;
  std::optional<LayerDumpWriter> writer;
  std::vector<mlir::qnn::Layer> layers;
  llvm::DenseMap<Value, const mlir::qnn::Layer *> layerOf;
  // A function without a body has no layers; runFunction reports it.
  if (!dumpDir.empty() && !func.isExternal()) {
    llvm::Expected<LayerDumpWriter> created = LayerDumpWriter::create(dumpDir);
    if (!created)
      fail(llvm::toString(created.takeError()));
    writer.emplace(std::move(*created));
    layers = mlir::qnn::listLayers(func);
    for (const mlir::qnn::Layer &layer : layers) {
      layerOf[layer.value] = &layer;
      if (auto arg = dyn_cast<BlockArgument>(layer.value))
        failOnError(writer->write(layer.name, layer.op,
                                  args[arg.getArgNumber()]));
    }
    observer = [&](Operation *op, ArrayRef<Tensor> results) {
      for (auto [value, tensor] : llvm::zip(op->getResults(), results))
        if (const mlir::qnn::Layer *layer = layerOf.lookup(value))
          failOnError(writer->write(layer->name, layer->op, tensor));
    };
  }
  llvm::Expected<std::vector<Tensor>> results =
      runFunction(func, args, observer);
  if (!results)
    fail(llvm::toString(results.takeError()));
  return std::move(*results);
}

/// Prints elements as nested brackets, one innermost row per line.
void printTensor(const Tensor &t, llvm::raw_ostream &os) {
  ArrayRef<int64_t> shape = t.shape();
  // blockSize[d]: elements in one block of dimension d (its size times its
  // stride); a block opens and closes a bracket.
  std::vector<int64_t> blockSize = rowMajorStrides(shape);
  for (size_t d = 0; d < shape.size(); ++d)
    blockSize[d] *= shape[d];
  for (int64_t i = 0; i < t.numElements(); ++i) {
    for (int64_t size : blockSize)
      if (i % size == 0)
        os << "[";
    if (t.isFloat())
      os << t.floats[i];
    else
      os << t.ints[i];
    size_t closing = llvm::count_if(
        blockSize, [&](int64_t size) { return (i + 1) % size == 0; });
    os << std::string(closing, ']');
    if (i + 1 < t.numElements())
      os << (closing ? ",\n" : ", ");
  }
  os << "\n";
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "qnn-mlir reference interpreter\n");
  DialectRegistry registry;
  registry.insert<mlir::qnn::QNNDialect, func::FuncDialect,
                  arith::ArithDialect>();
  MLIRContext context(registry);

  llvm::SourceMgr sourceMgr;
  std::string errorMessage;
  auto file = openInputFile(inputFilename, &errorMessage);
  if (!file)
    fail(errorMessage);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr,
                                                           &context);
  if (!module)
    fail("cannot parse '" + inputFilename + "'");
  if (failed(verify(*module)))
    fail("'" + inputFilename + "' does not verify");

  func::FuncOp func = selectFunction(*module);
  std::vector<Tensor> args = gatherArguments(func);
  if (!savedInputFiles.empty() && savedInputFiles.size() != args.size())
    fail("function '" + func.getSymName() + "' takes " +
         llvm::Twine(args.size()) + " arguments, got " +
         llvm::Twine(savedInputFiles.size()) + " --save-inputs files");
  for (auto [path, tensor] : llvm::zip(savedInputFiles, args))
    failOnError(writeTensorFile(path, tensor));
  std::vector<Tensor> results = run(func, args);
  if (!outputFiles.empty() && outputFiles.size() != results.size())
    fail("function '" + func.getSymName() + "' returns " +
         llvm::Twine(results.size()) + " results, got " +
         llvm::Twine(outputFiles.size()) + " --output files");
  for (auto [path, tensor] : llvm::zip(outputFiles, results))
    failOnError(writeTensorFile(path, tensor));
  if (printResults)
    for (auto [i, tensor] : llvm::enumerate(results)) {
      llvm::outs() << "// result #" << i << ": " << tensor.type << "\n";
      printTensor(tensor, llvm::outs());
    }
  return 0;
}
