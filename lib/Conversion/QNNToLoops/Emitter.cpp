//===- Emitter.cpp - Shared state of the qnn loop emitters ----------------===//

#include "Emitter.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::qnn;

Emitter::Emitter(OpBuilder &builder, ModuleOp module, const MemoryPlan &plan,
                 ValueRange inputs, ValueRange outputs, Value scratch,
                 StringRef symbolPrefix)
    : b(builder), module(module), symbols(module), plan(plan),
      inputs(inputs), outputs(outputs), scratch(scratch),
      symbolPrefix(symbolPrefix.str()) {}

Value Emitter::constant(Location loc, int64_t value, Type type) {
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

Value Emitter::index(Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

StringAttr Emitter::uniqueSymbol(StringRef stem) {
  std::string name = symbolPrefix + "_" + stem.str();
  for (unsigned n = 0; symbols.lookup(name); ++n)
    name = symbolPrefix + "_" + stem.str() + "_" + std::to_string(n);
  return b.getStringAttr(name);
}

/// Defines a private constant memref.global named `name` holding
/// `storage` in its own shape and element type, 64-byte aligned, and returns
/// its memref type.
static MemRefType defineGlobal(ModuleOp module, SymbolTable &symbols,
                               Location loc, StringAttr name,
                               DenseElementsAttr storage) {
  auto type = cast<ShapedType>(storage.getType());
  auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
  auto moduleBuilder = OpBuilder::atBlockBegin(module.getBody());
  auto global = memref::GlobalOp::create(
      moduleBuilder, loc, name, moduleBuilder.getStringAttr("private"),
      memrefType, storage, /*constant=*/true,
      moduleBuilder.getI64IntegerAttr(kScratchAlignment));
  symbols.insert(global);
  return memrefType;
}

/// `value` re-encoded in the containers of its element type (each value
/// extended by its signedness).
static DenseElementsAttr containerStorage(DenseIntElementsAttr value) {
  auto type = cast<RankedTensorType>(value.getType());
  auto element = cast<IntegerType>(type.getElementType());
  IntegerType container = containerType(element);
  if (element.getWidth() != container.getWidth()) {
    SmallVector<APInt> widened;
    for (const APInt &v : value.getValues<APInt>())
      widened.push_back(element.isUnsigned() ? v.zext(container.getWidth())
                                             : v.sext(container.getWidth()));
    return DenseElementsAttr::get(
        RankedTensorType::get(type.getShape(), container), widened);
  }
  if (element != container)
    return value.bitcast(container); // ui8 -> i8: same bits
  return value;
}

/// Bits each element of a packed constant takes: its width rounded up to
/// 1, 2 or 4, so that a byte holds a whole number of elements.
static unsigned packedSlotBits(IntegerType element) {
  return unsigned(llvm::PowerOf2Ceil(element.getWidth()));
}

/// `value` (of at most 4 bits per element) packed 8 / slot elements to a
/// byte, element k in bits [(k % per) * slot, +slot) of byte k / per, as a
/// 1-D byte array.
static DenseElementsAttr packedStorage(DenseIntElementsAttr value) {
  auto element = cast<IntegerType>(value.getElementType());
  unsigned slot = packedSlotBits(element), perByte = 8 / slot;
  std::vector<char> bytes(llvm::divideCeil(value.getNumElements(), perByte));
  int64_t k = 0;
  for (const APInt &v : value.getValues<APInt>()) {
    uint64_t bits = v.getZExtValue() & ((1u << slot) - 1);
    bytes[k / perByte] |= char(bits << (k % perByte * slot));
    ++k;
  }
  auto type = RankedTensorType::get({int64_t(bytes.size())},
                                    IntegerType::get(value.getContext(), 8));
  return DenseElementsAttr::getFromRawBuffer(type, bytes);
}

bool Emitter::isPacked(Value v) const {
  auto element = cast<IntegerType>(
      cast<RankedTensorType>(v.getType()).getElementType());
  return element.getWidth() <= 4 &&
         plan.placements.find(v)->second.base == Placement::Base::Constant;
}

Value Emitter::constantGlobal(Location loc, Value v) {
  // A constant may be reached through reshapes: same values, v's shape.
  Value root = v;
  while (auto reshape = root.getDefiningOp<ReshapeOp>())
    root = reshape.getInput();
  auto value = cast<DenseIntElementsAttr>(
      cast<DenseIntElementsAttr>(root.getDefiningOp<ConstantOp>().getValue())
          .reshape(cast<ShapedType>(v.getType())));
  StringAttr name = uniqueSymbol("const");
  MemRefType type = defineGlobal(
      module, symbols, loc, name,
      isPacked(v) ? packedStorage(value) : containerStorage(value));
  return memref::GetGlobalOp::create(b, loc, type, name);
}

Value Emitter::constantArray(Location loc, DenseIntElementsAttr values) {
  auto it = arrays.find(values);
  if (it != arrays.end())
    return it->second;
  StringAttr name = uniqueSymbol("params");
  MemRefType memrefType =
      defineGlobal(module, symbols, loc, name, containerStorage(values));
  // Hoisted to the function entry so that every use is dominated.
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(scratch.getParentBlock());
  Value array = memref::GetGlobalOp::create(b, loc, memrefType, name);
  arrays[values] = array;
  return array;
}

Value Emitter::i32Array(Location loc, ArrayRef<int32_t> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, b.getI32Type());
  return constantArray(loc, DenseIntElementsAttr::get(type, values));
}

Value Emitter::addressOf(Location loc, Value m) {
  return memref::ExtractAlignedPointerAsIndexOp::create(b, loc, m);
}

Value Emitter::scratchAddress(Location loc, int64_t offset) {
  return arith::AddIOp::create(b, loc, addressOf(loc, scratch),
                               index(loc, offset));
}

void Emitter::callExternal(Location loc, StringRef name, ValueRange args) {
  if (!symbols.lookup(name)) {
    auto moduleBuilder = OpBuilder::atBlockEnd(module.getBody());
    auto callee = func::FuncOp::create(
        moduleBuilder, loc, name,
        moduleBuilder.getFunctionType(args.getTypes(), {}));
    callee.setPrivate();
    symbols.insert(callee);
  }
  func::CallOp::create(b, loc, name, TypeRange(), args);
}

Value Emitter::viewOf(Location loc, Value buffer, int64_t offset,
                      RankedTensorType type) {
  auto element = cast<IntegerType>(type.getElementType());
  auto memrefType = MemRefType::get(type.getShape(), containerType(element));
  return memref::ViewOp::create(b, loc, memrefType, buffer,
                                index(loc, offset), ValueRange{});
}

Value Emitter::memrefOf(Value v) {
  auto it = memrefs.find(v);
  if (it != memrefs.end())
    return it->second;
  Location loc = v.getLoc();
  auto type = cast<RankedTensorType>(v.getType());
  const Placement &p = plan.placements.find(v)->second;
  Value m;
  // Views are created at the function entry: the plan's storage exists for
  // the whole call, and hoisting keeps every later use dominated.
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(scratch.getParentBlock());
  switch (p.base) {
  case Placement::Base::Input:
    m = viewOf(loc, inputs[p.index], 0, type);
    break;
  case Placement::Base::Output:
    m = viewOf(loc, outputs[p.index], 0, type);
    break;
  case Placement::Base::Scratch:
    m = viewOf(loc, scratch, p.offset, type);
    break;
  case Placement::Base::Constant:
    m = constantGlobal(loc, v);
    break;
  }
  memrefs[v] = m;
  return m;
}

/// Element `indices` of packed constant `v` (packedStorage) in an
/// i8: the byte that holds it, shifted so that the element's top bit is bit
/// 7, then shifted back down, arithmetically for a signed type.
Value Emitter::loadPacked(Location loc, Value v, ValueRange indices) {
  auto type = cast<RankedTensorType>(v.getType());
  auto element = cast<IntegerType>(type.getElementType());
  unsigned slot = packedSlotBits(element), perByte = 8 / slot;
  Value linear = index(loc, 0);
  for (auto [i, size] : llvm::zip(indices, type.getShape()))
    linear = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, linear, index(loc, size)), i);
  Value byte = memref::LoadOp::create(
      b, loc, memrefOf(v),
      ValueRange{arith::DivUIOp::create(b, loc, linear, index(loc, perByte))});
  IntegerType i8 = b.getI8Type();
  Value position = arith::IndexCastOp::create(
      b, loc, i8,
      arith::RemUIOp::create(b, loc, linear, index(loc, perByte)));
  Value up = arith::SubIOp::create(
      b, loc, constant(loc, 8 - slot, i8),
      arith::MulIOp::create(b, loc, position, constant(loc, slot, i8)));
  Value top = arith::ShLIOp::create(b, loc, byte, up);
  Value down = constant(loc, 8 - slot, i8);
  if (element.isUnsigned())
    return arith::ShRUIOp::create(b, loc, top, down);
  return arith::ShRSIOp::create(b, loc, top, down);
}

Value Emitter::load(Location loc, Value v, ValueRange indices,
                    IntegerType type) {
  Value raw = isPacked(v)
                  ? loadPacked(loc, v, indices)
                  : Value(memref::LoadOp::create(b, loc, memrefOf(v), indices));
  auto element = cast<IntegerType>(
      cast<RankedTensorType>(v.getType()).getElementType());
  if (raw.getType() == type)
    return raw;
  if (element.isUnsigned())
    return arith::ExtUIOp::create(b, loc, type, raw);
  return arith::ExtSIOp::create(b, loc, type, raw);
}

void Emitter::store(Location loc, Value x, Value result, ValueRange indices) {
  Value m = memrefOf(result);
  Type container = cast<MemRefType>(m.getType()).getElementType();
  if (x.getType() != container)
    x = arith::TruncIOp::create(b, loc, container, x);
  memref::StoreOp::create(b, loc, x, m, indices);
}

void Emitter::forEachIndex(Location loc, ArrayRef<int64_t> shape,
                           function_ref<void(ValueRange)> body) {
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t size : shape) {
    lbs.push_back(index(loc, 0));
    ubs.push_back(index(loc, size));
    steps.push_back(index(loc, 1));
  }
  scf::buildLoopNest(b, loc, lbs, ubs, steps,
                     [&](OpBuilder &nested, Location, ValueRange ivs) {
                       OpBuilder::InsertionGuard guard(b);
                       b.setInsertionPoint(nested.getInsertionBlock(),
                                           nested.getInsertionPoint());
                       body(ivs);
                     });
}

SmallVector<Value>
Emitter::reduce(Location loc, int64_t size, ValueRange init,
                function_ref<SmallVector<Value>(Value, ValueRange)> body) {
  auto loop = scf::ForOp::create(b, loc, index(loc, 0), index(loc, size),
                                 index(loc, 1), init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    SmallVector<Value> next =
        body(loop.getInductionVar(), loop.getRegionIterArgs());
    scf::YieldOp::create(b, loc, next);
  }
  return loop.getResults();
}

void Emitter::copyToOutput(Location loc, Value from, unsigned outputIndex) {
  auto type = cast<RankedTensorType>(from.getType());
  Value target = viewOf(loc, outputs[outputIndex], 0, type);
  auto container =
      cast<IntegerType>(cast<MemRefType>(target.getType()).getElementType());
  forEachIndex(loc, type.getShape(), [&](ValueRange ivs) {
    memref::StoreOp::create(b, loc, load(loc, from, ivs, container), target,
                            ivs);
  });
}

/// Spatial input index `out * stride - padBefore + k * dilation`, and
/// whether it lies inside [0, size).
static std::pair<Value, Value> windowIndex(Emitter &e, Location loc,
                                           Value out, Value k, int64_t stride,
                                           int64_t padBefore, int64_t dilation,
                                           int64_t size) {
  OpBuilder &b = e.builder();
  Value i = arith::AddIOp::create(
      b, loc,
      arith::SubIOp::create(
          b, loc, arith::MulIOp::create(b, loc, out, e.index(loc, stride)),
          e.index(loc, padBefore)),
      arith::MulIOp::create(b, loc, k, e.index(loc, dilation)));
  Value geZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, i,
                                       e.index(loc, 0));
  Value ltSize = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i,
                                       e.index(loc, size));
  return {i, arith::AndIOp::create(b, loc, geZero, ltSize)};
}

Value Emitter::foldWindow(Location loc, const Window2D &w, int64_t height,
                          int64_t width, Value oy, Value ox, Value init,
                          WindowStep step) {
  // Without padding every window lies inside the input (the output size
  // is computed so): no bounds check, which lets LLVM vectorize pools.
  if (llvm::all_of(w.padding, [](int64_t p) { return p == 0; }))
    return reduce(loc, w.kernel[0], init, [&](Value ky, ValueRange acc) {
      Value iy = windowIndex(*this, loc, oy, ky, w.strides[0], 0,
                             w.dilations[0], height).first;
      return reduce(loc, w.kernel[1], acc, [&](Value kx, ValueRange acc) {
        Value ix = windowIndex(*this, loc, ox, kx, w.strides[1], 0,
                               w.dilations[1], width).first;
        return SmallVector<Value>{step(acc[0], iy, ix, ky, kx)};
      });
    })[0];
  return reduce(loc, w.kernel[0], init, [&](Value ky, ValueRange acc) {
    Value iy, yInside;
    std::tie(iy, yInside) = windowIndex(*this, loc, oy, ky, w.strides[0],
                                        w.padding[0], w.dilations[0], height);
    return reduce(loc, w.kernel[1], acc, [&](Value kx, ValueRange acc) {
      Value ix, xInside;
      std::tie(ix, xInside) = windowIndex(*this, loc, ox, kx, w.strides[1],
                                          w.padding[1], w.dilations[1], width);
      Value inside = arith::AndIOp::create(b, loc, yInside, xInside);
      auto branch = scf::IfOp::create(b, loc, acc.getTypes(), inside,
                                      /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(branch.thenBlock());
      scf::YieldOp::create(b, loc, step(acc[0], iy, ix, ky, kx));
      b.setInsertionPointToStart(branch.elseBlock());
      scf::YieldOp::create(b, loc, acc[0]);
      return SmallVector<Value>{branch.getResult(0)};
    });
  })[0];
}
