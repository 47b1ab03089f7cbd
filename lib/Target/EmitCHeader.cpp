//===- EmitCHeader.cpp - The C header of a compiled qnn model -------------===//
//
// Declares <name>_run and states every number a caller needs: shapes,
// element types and their containers, buffer sizes, the scratch arena's
// size and alignment, and any quantization parameters the model recorded on
// its inputs (as comments: the header itself holds no float). For a module
// from --qnn-expose-layers, also a table of its layers (docs/tools.md) from
// which one generic driver writes the per-layer dump of any model.
//
//===----------------------------------------------------------------------===//

#include "qnn/Target/Native.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// The C type of an element type's container.
std::string cType(IntegerType type) {
  return llvm::formatv("{0}int{1}_t", type.isUnsigned() ? "u" : "",
                       containerBits(type));
}

/// Bytes of a tensor in its containers.
int64_t bufferBytes(RankedTensorType type) {
  return type.getNumElements() *
         (containerBits(cast<IntegerType>(type.getElementType())) / 8);
}

std::string typeString(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

struct Tensor {
  std::string kind; // "INPUT" or "OUTPUT"
  unsigned index;
  RankedTensorType type;
};

void emitTensorMacros(llvm::raw_ostream &os, StringRef prefix,
                      const Tensor &t, DictionaryAttr attrs) {
  auto element = cast<IntegerType>(t.type.getElementType());
  rules::IntRange range = integerRange(element);
  std::string name = llvm::formatv("{0}_{1}{2}", prefix, t.kind, t.index);
  os << "/* " << (t.kind == "INPUT" ? "Input " : "Output ") << t.index << ": "
     << typeString(t.type) << ", one " << cType(element)
     << " per element, values in [" << range.min << ", " << range.max
     << "]. */\n";
  // Attributes the model recorded on the input, e.g. the real scale and
  // zero point of the caller's preprocessing.
  if (attrs)
    for (NamedAttribute a : attrs)
      os << "/*   " << a.getName().getValue() << " = " << a.getValue()
         << " */\n";
  os << "#define " << name << "_RANK " << t.type.getRank() << "\n";
  os << "#define " << name << "_SHAPE {"
     << llvm::join(llvm::map_range(t.type.getShape(),
                                   [](int64_t d) { return std::to_string(d); }),
                   ", ")
     << "}\n";
  os << "#define " << name << "_ELEMENTS " << t.type.getNumElements() << "\n";
  os << "#define " << name << "_BYTES " << bufferBytes(t.type) << "\n\n";
}

/// A layer named by --qnn-expose-layers: an input or an output.
struct Layer {
  StringRef name, op;
  RankedTensorType type;
};

/// The layers of a run function from --qnn-expose-layers, inputs first; none
/// if some input or output has no `qnn.layer` name.
SmallVector<Layer> exposedLayers(ArrayAttr inputs, ArrayAttr inputAttrs,
                                 ArrayAttr outputs, ArrayAttr outputAttrs) {
  SmallVector<Layer> layers;
  auto collect = [&](ArrayAttr types, ArrayAttr attrs, bool areInputs) {
    for (auto [i, t] : llvm::enumerate(types)) {
      auto dict = attrs ? dyn_cast<DictionaryAttr>(attrs[i]) : DictionaryAttr();
      auto name = dict ? dict.getAs<StringAttr>("qnn.layer") : StringAttr();
      auto op = dict ? dict.getAs<StringAttr>("qnn.layer_op") : StringAttr();
      if (!name || (!areInputs && !op))
        return false;
      layers.push_back({name.getValue(),
                        areInputs ? StringRef("argument") : op.getValue(),
                        cast<RankedTensorType>(cast<TypeAttr>(t).getValue())});
    }
    return true;
  };
  if (!collect(inputs, inputAttrs, /*areInputs=*/true) ||
      !collect(outputs, outputAttrs, /*areInputs=*/false) || layers.empty())
    return {};
  return layers;
}

/// The layer table: everything dump-layers.c needs to store and name each
/// buffer, and <name>_run_layers to call <name>_run with them.
void emitLayerTable(llvm::raw_ostream &os, StringRef name, StringRef prefix,
                    ArrayRef<Layer> layers, size_t numInputs) {
  int64_t maxRank = 1, totalBytes = 0;
  for (const Layer &l : layers) {
    maxRank = std::max(maxRank, l.type.getRank());
    totalBytes += llvm::alignTo(bufferBytes(l.type), 64);
  }
  os << "/* Layers (qnn-opt --qnn-expose-layers): the inputs, then every op "
        "result in\n * execution order, named as in per-layer dumps "
        "(docs/tools.md). Layer i is\n * input i for i < "
     << prefix << "_NUM_INPUTS, else output i - " << prefix
     << "_NUM_INPUTS. */\n"
     << "#define " << prefix << "_NUM_INPUTS " << numInputs << "\n"
     << "#define " << prefix << "_NUM_LAYERS " << layers.size() << "\n"
     << "#define " << prefix << "_LAYER_MAX_RANK " << maxRank << "\n"
     << "/* The bytes of all layers, each rounded up to a multiple of 64. */\n"
     << "#define " << prefix << "_LAYERS_BYTES " << totalBytes << "\n\n"
     << "typedef struct {\n"
     << "  const char *name; /* its dump file: <index, 3 digits>_<name>.npy */\n"
     << "  const char *op;   /* qnn.conv2d, ..., or argument */\n"
     << "  const char *type; /* its MLIR tensor type */\n"
     << "  int32_t is_signed, container_bytes, rank;\n"
     << "  int64_t shape[" << prefix << "_LAYER_MAX_RANK];\n"
     << "  int64_t bytes;\n"
     << "} " << name << "_layer_t;\n\n"
     << "static const " << name << "_layer_t " << name << "_layers["
     << prefix << "_NUM_LAYERS] = {\n";
  for (const Layer &l : layers) {
    auto element = cast<IntegerType>(l.type.getElementType());
    SmallVector<std::string> shape = llvm::map_to_vector(
        l.type.getShape(), [](int64_t d) { return std::to_string(d); });
    os << "  {\"" << l.name << "\", \"" << l.op << "\", \""
       << typeString(l.type) << "\", " << (element.isUnsigned() ? 0 : 1)
       << ", " << containerBits(element) / 8 << ", " << l.type.getRank()
       << ", {" << (shape.empty() ? "0" : llvm::join(shape, ", ")) << "}, "
       << bufferBytes(l.type) << "},\n";
  }
  os << "};\n\n/* " << name << "_run with buffers[i] holding layer i. */\n"
     << "static inline int32_t " << name << "_run_layers(void *const buffers["
     << prefix << "_NUM_LAYERS], void *scratch) {\n  return " << name
     << "_run(";
  for (auto [i, l] : llvm::enumerate(layers))
    os << "(" << (i < numInputs ? "const " : "")
       << cType(cast<IntegerType>(l.type.getElementType())) << " *)buffers["
       << i << "],\n      ";
  os << "scratch);\n}\n\n";
}

} // namespace

LogicalResult mlir::qnn::emitCHeader(ModuleOp module, llvm::raw_ostream &os) {
  func::FuncOp run;
  module.walk([&](func::FuncOp f) {
    if (f->hasAttr("qnn.model_name"))
      run = f;
  });
  if (!run)
    return module.emitError("no function lowered by qnn-lower-to-loops");
  StringRef name = run->getAttrOfType<StringAttr>("qnn.model_name").getValue();
  std::string prefix = name.upper();
  auto inputs = run->getAttrOfType<ArrayAttr>("qnn.inputs");
  auto outputs = run->getAttrOfType<ArrayAttr>("qnn.outputs");
  auto inputAttrs = run->getAttrOfType<ArrayAttr>("qnn.input_attributes");
  auto outputAttrs = run->getAttrOfType<ArrayAttr>("qnn.output_attributes");
  int64_t scratch =
      run->getAttrOfType<IntegerAttr>("qnn.scratch_bytes").getInt();
  int64_t align =
      run->getAttrOfType<IntegerAttr>("qnn.scratch_align").getInt();

  os << "/* " << name << ".h: generated by qnn-translate --emit-header for the "
     << "qnn-mlir model '" << name << "'. Do not edit.\n"
     << " *\n"
     << " * Link with the object from qnn-translate --emit-obj. The model "
        "runs on integers\n"
     << " * only: no float, no heap, no global mutable state; calls on "
        "distinct scratch\n"
     << " * arenas may run concurrently. Sub-byte types are stored one "
        "value per byte. */\n"
     << "#ifndef " << prefix << "_H\n#define " << prefix << "_H\n\n"
     << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  SmallVector<std::string> params;
  for (auto [i, t] : llvm::enumerate(inputs)) {
    auto type = cast<RankedTensorType>(cast<TypeAttr>(t).getValue());
    DictionaryAttr attrs =
        inputAttrs ? dyn_cast<DictionaryAttr>(inputAttrs[i]) : DictionaryAttr();
    emitTensorMacros(os, prefix, {"INPUT", unsigned(i), type}, attrs);
    params.push_back("const " +
                     cType(cast<IntegerType>(type.getElementType())) +
                     " *input" + std::to_string(i));
  }
  for (auto [i, t] : llvm::enumerate(outputs)) {
    auto type = cast<RankedTensorType>(cast<TypeAttr>(t).getValue());
    emitTensorMacros(os, prefix, {"OUTPUT", unsigned(i), type}, nullptr);
    params.push_back(cType(cast<IntegerType>(type.getElementType())) +
                     " *output" + std::to_string(i));
  }
  params.push_back("void *scratch");
  os << "/* The caller-provided working memory of one call: at least "
     << prefix << "_SCRATCH_BYTES\n * bytes, aligned to " << prefix
     << "_SCRATCH_ALIGN bytes (e.g. a static _Alignas array). */\n"
     << "#define " << prefix << "_SCRATCH_BYTES " << std::max<int64_t>(scratch, 1)
     << "\n#define " << prefix << "_SCRATCH_ALIGN " << align << "\n\n"
     << "/* Runs one inference: reads the inputs, writes the outputs. "
        "Returns 0. */\n"
     << "int32_t " << name << "_run(" << llvm::join(params, ", ") << ");\n\n";
  SmallVector<Layer> layers =
      exposedLayers(inputs, inputAttrs, outputs, outputAttrs);
  if (!layers.empty())
    emitLayerTable(os, name, prefix, layers, inputs.size());
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << prefix << "_H */\n";
  return success();
}
