//===- qnn-onnx-test.cpp - Run an ONNX backend test through qnn -----------===//
//
//   qnn-onnx-test DIR [--no-integerize] [--print-ir] [--save-dir OUT]
//
// DIR is in ONNX's backend-test layout: model.onnx and test_data_set_*/
// holding input_<i>.pb and output_<i>.pb (serialized TensorProtos, inputs
// in the order of the graph's non-initializer inputs). For each data set:
// import (the backend tests feed scales and zero points as inputs; those the
// importer needs as constants are taken from the data set), integerize
// (--qnn-integerize with boundary quantize/dequantize allowed), run on the
// reference interpreter, and compare every output exactly. Prints one line
// per data set and a summary; exits 1 on any failure.
//
// --save-dir OUT also writes, per passing data set, what running it as
// compiled code needs (test/Frontend/ONNX/Inputs/check-compiled.sh):
// OUT/<data set>/model.mlir (the integerized module), input<i>.raw (the
// arguments of main) and expected<i>.raw (the data set's outputs), in
// qnn-run's raw layout, which is the compiled code's.
//
//===----------------------------------------------------------------------===//

#include "TensorData.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Frontend/ONNX/Import.h"
#include "qnn/Reference/Interpreter.h"
#include "qnn/Reference/Npy.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <map>

using namespace mlir;
using namespace mlir::qnn;
namespace cl = llvm::cl;

static cl::opt<std::string> testDir(cl::Positional, cl::Required,
                                    cl::desc("<backend test directory>"));
static cl::opt<bool> noIntegerize(
    "no-integerize",
    cl::desc("run the pre-folding module (real scales) instead"));
static cl::opt<bool> printIR("print-ir",
                             cl::desc("print the module that runs"));
static cl::opt<std::string> saveDir(
    "save-dir",
    cl::desc("write each passing data set's module, inputs and expected "
             "outputs (raw) under this directory, to compile and run"),
    cl::value_desc("directory"));

namespace {

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(message.str());
}

llvm::Expected<::onnx::TensorProto> readTensorFile(llvm::StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return error("cannot read '" + path + "'");
  ::onnx::TensorProto tensor;
  if (!tensor.ParseFromArray((*file)->getBufferStart(),
                             int((*file)->getBufferSize())))
    return error("'" + path + "' is not a TensorProto");
  return tensor;
}

/// The files `prefix`_0.pb, `prefix`_1.pb, ... of a data set, in order.
std::vector<std::string> numberedFiles(llvm::StringRef dir,
                                       llvm::StringRef prefix) {
  std::vector<std::string> files;
  for (int i = 0;; ++i) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, prefix + "_" + llvm::Twine(i) + ".pb");
    if (!llvm::sys::fs::exists(path))
      return files;
    files.push_back(path.str().str());
  }
}

llvm::Expected<reference::Tensor>
toReference(const ::onnx::TensorProto &proto, RankedTensorType type) {
  llvm::Expected<frontend::TensorData> data = frontend::decodeTensor(proto, "");
  if (!data)
    return data.takeError();
  if (ArrayRef<int64_t>(data->shape) != type.getShape())
    return error("the data has another shape than the argument");
  reference::Tensor t = reference::Tensor::zeros(type);
  if (t.isFloat())
    t.floats.assign(data->reals.begin(), data->reals.end());
  else
    t.ints = data->ints;
  if (t.isFloat() == data->isInteger())
    return error("the data has another element type than the argument");
  return t;
}

/// Compares a result to the expected TensorProto exactly (floats bit for
/// bit, except that any NaN equals any NaN).
llvm::Error compare(const reference::Tensor &actual,
                    const ::onnx::TensorProto &expectedProto) {
  llvm::Expected<frontend::TensorData> expected =
      frontend::decodeTensor(expectedProto, "");
  if (!expected)
    return expected.takeError();
  if (ArrayRef<int64_t>(expected->shape) != actual.shape())
    return error("shape differs from the expected one");
  if (actual.isFloat() == expected->isInteger())
    return error("element type differs from the expected one");
  int64_t mismatches = 0, first = -1;
  double maxDifference = 0;
  for (int64_t i = 0; i < actual.numElements(); ++i) {
    bool same;
    double difference;
    if (actual.isFloat()) {
      float want = float(expected->reals[i]), got = actual.floats[i];
      same = std::memcmp(&want, &got, sizeof(float)) == 0 ||
             (std::isnan(want) && std::isnan(got));
      difference = std::fabs(double(got) - double(want));
    } else {
      same = actual.ints[i] == expected->ints[i];
      difference = std::fabs(double(actual.ints[i] - expected->ints[i]));
    }
    if (same)
      continue;
    if (mismatches++ == 0)
      first = i;
    maxDifference = std::max(maxDifference, difference);
  }
  if (mismatches == 0)
    return llvm::Error::success();
  std::string got = actual.isFloat() ? std::to_string(actual.floats[first])
                                     : std::to_string(actual.ints[first]);
  std::string want = actual.isFloat()
                         ? std::to_string(expected->reals[first])
                         : std::to_string(expected->ints[first]);
  std::string difference =
      actual.isFloat() ? llvm::formatv("{0:e}", maxDifference).str()
                       : std::to_string(int64_t(maxDifference));
  return error(llvm::formatv("{0} of {1} elements differ by up to {2}; "
                             "first: element {3} is {4}, expected {5}",
                             mismatches, actual.numElements(), difference,
                             first, got, want)
                   .str());
}

/// Refuses a `main` that takes or returns floats: compiled code is
/// integer-only.
llvm::Error checkIntegerOnly(func::FuncOp main,
                             const frontend::ImportedModel &model) {
  auto check = [](TypeRange types, ArrayRef<std::string> names,
                  llvm::StringRef kind) -> llvm::Error {
    for (auto [name, type] : llvm::zip(names, types))
      if (isa<FloatType>(cast<RankedTensorType>(type).getElementType()))
        return error(llvm::formatv("--save-dir: {0} '{1}' is {2}; compiled "
                                   "code takes and returns integer tensors "
                                   "only",
                                   kind, name, type)
                         .str());
    return llvm::Error::success();
  };
  if (llvm::Error e = check(main.getFunctionType().getInputs(),
                            model.inputNames, "input"))
    return e;
  return check(main.getFunctionType().getResults(), model.outputNames,
               "output");
}

/// Writes `dir`/model.mlir, input<i>.raw and expected<i>.raw (see the file
/// comment).
llvm::Error saveForCompiling(llvm::StringRef dir, ModuleOp module,
                             ArrayRef<reference::Tensor> args,
                             ArrayRef<reference::Tensor> expected) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return error("cannot create '" + dir + "': " + ec.message());
  auto path = [&](const llvm::Twine &file) {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, file);
    return p.str().str();
  };
  std::error_code ec;
  llvm::raw_fd_ostream moduleFile(path("model.mlir"), ec);
  if (ec)
    return error("cannot write '" + path("model.mlir") + "': " + ec.message());
  module.print(moduleFile);
  moduleFile.close();
  if (moduleFile.has_error()) {
    moduleFile.clear_error();
    return error("cannot write '" + path("model.mlir") + "'");
  }
  for (auto [i, arg] : llvm::enumerate(args))
    if (llvm::Error e = reference::writeTensorFile(
            path("input" + llvm::Twine(i) + ".raw"), arg))
      return e;
  for (auto [i, result] : llvm::enumerate(expected))
    if (llvm::Error e = reference::writeTensorFile(
            path("expected" + llvm::Twine(i) + ".raw"), result))
      return e;
  return llvm::Error::success();
}

/// Imports, integerizes and runs the model on one data set.
llvm::Error runDataSet(llvm::StringRef modelPath, llvm::StringRef dataSet,
                       ArrayRef<std::string> graphInputs) {
  std::vector<std::string> inputFiles = numberedFiles(dataSet, "input");
  std::vector<std::string> outputFiles = numberedFiles(dataSet, "output");
  if (inputFiles.size() != graphInputs.size())
    return error(llvm::formatv("{0} input files for {1} graph inputs",
                               inputFiles.size(), graphInputs.size()));
  std::map<std::string, ::onnx::TensorProto> inputs;
  frontend::ImportOptions options;
  for (auto [name, path] : llvm::zip(graphInputs, inputFiles)) {
    llvm::Expected<::onnx::TensorProto> t = readTensorFile(path);
    if (!t)
      return t.takeError();
    inputs[name] = std::move(*t);
    options.inputValues[name] = &inputs[name];
  }

  DialectRegistry registry;
  frontend::registerImportDialects(registry);
  MLIRContext context(registry);
  FailureOr<frontend::ImportedModel> model =
      frontend::importModelFile(modelPath, &context, options);
  if (failed(model))
    return error("import failed");
  if (!noIntegerize) {
    PassManager pm(&context);
    IntegerizeOptions integerize;
    integerize.allowBoundary = true;
    buildIntegerizePipeline(pm, integerize);
    if (failed(pm.run(*model->module)))
      return error("--qnn-integerize failed");
  }
  if (printIR)
    model->module->print(llvm::outs());

  auto main = model->module->lookupSymbol<func::FuncOp>("main");
  if (!saveDir.empty())
    if (llvm::Error e = checkIntegerOnly(main, *model))
      return e;
  std::vector<reference::Tensor> args;
  for (auto [name, type] :
       llvm::zip(model->inputNames, main.getFunctionType().getInputs())) {
    llvm::Expected<reference::Tensor> t =
        toReference(inputs[name], cast<RankedTensorType>(type));
    if (!t)
      return error("input '" + name + "': " + llvm::toString(t.takeError()));
    args.push_back(std::move(*t));
  }
  llvm::Expected<std::vector<reference::Tensor>> results =
      reference::runFunction(main, args);
  if (!results)
    return results.takeError();
  if (results->size() != outputFiles.size())
    return error(llvm::formatv("{0} results for {1} output files",
                               results->size(), outputFiles.size()));
  std::vector<reference::Tensor> expectedResults;
  for (auto [i, result] : llvm::enumerate(*results)) {
    llvm::Expected<::onnx::TensorProto> expected =
        readTensorFile(outputFiles[i]);
    if (!expected)
      return expected.takeError();
    if (llvm::Error e = compare(result, *expected))
      return error("output '" + model->outputNames[i] +
                   "': " + llvm::toString(std::move(e)));
    if (saveDir.empty())
      continue;
    llvm::Expected<reference::Tensor> t = toReference(*expected, result.type);
    if (!t)
      return t.takeError();
    expectedResults.push_back(std::move(*t));
  }
  if (saveDir.empty())
    return llvm::Error::success();
  llvm::SmallString<256> dir(saveDir);
  llvm::sys::path::append(dir, llvm::sys::path::filename(dataSet));
  return saveForCompiling(dir, *model->module, args, expectedResults);
}

/// The names of the graph's inputs that are not initializers.
llvm::Expected<std::vector<std::string>>
graphInputNames(llvm::StringRef modelPath) {
  auto file = llvm::MemoryBuffer::getFile(modelPath, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  ::onnx::ModelProto model;
  if (!file || !model.ParseFromArray((*file)->getBufferStart(),
                                     int((*file)->getBufferSize())))
    return error("cannot read the model '" + modelPath + "'");
  std::vector<std::string> names;
  for (const ::onnx::ValueInfoProto &input : model.graph().input())
    if (llvm::none_of(model.graph().initializer(),
                      [&](const ::onnx::TensorProto &init) {
                        return init.name() == input.name();
                      }))
      names.push_back(input.name());
  return names;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "Run an ONNX backend test through qnn\n");
  std::string name = llvm::sys::path::filename(testDir).str();
  if (noIntegerize && !saveDir.empty()) {
    llvm::errs() << "FAIL: " << name
                 << ": --save-dir writes the integerized module; it does "
                    "not combine with --no-integerize\n";
    return 1;
  }
  llvm::SmallString<256> modelPath(testDir);
  llvm::sys::path::append(modelPath, "model.onnx");
  llvm::Expected<std::vector<std::string>> graphInputs =
      graphInputNames(modelPath);
  if (!graphInputs) {
    llvm::errs() << "FAIL: " << name << ": "
                 << llvm::toString(graphInputs.takeError()) << "\n";
    return 1;
  }
  std::vector<std::string> dataSets;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(testDir, ec), end;
       it != end && !ec; it.increment(ec))
    if (llvm::sys::path::filename(it->path()).starts_with("test_data_set_"))
      dataSets.push_back(it->path());
  llvm::sort(dataSets);
  if (dataSets.empty()) {
    llvm::errs() << "FAIL: " << name << ": no test_data_set_* directory\n";
    return 1;
  }
  int failures = 0;
  for (const std::string &dataSet : dataSets) {
    llvm::Error e = runDataSet(modelPath, dataSet, *graphInputs);
    std::string set = llvm::sys::path::filename(dataSet).str();
    if (e) {
      ++failures;
      llvm::outs() << "FAIL: " << name << "/" << set << ": "
                   << llvm::toString(std::move(e)) << "\n";
    } else {
      llvm::outs() << "PASS: " << name << "/" << set << "\n";
    }
  }
  return failures ? 1 : 0;
}
