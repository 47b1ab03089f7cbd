//===- TargetSpec.cpp - The targets qnn-translate emits code for ----------===//

#include "qnn/Target/Native.h"

#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

struct KnownFlavour {
  llvm::StringLiteral name, cpu, features, kernels;
};

// x86-64 microarchitecture levels; VNNI is not part of x86-64-v4. The
// kernels are lib/Target/Kernels/conv.c built for the same level.
constexpr KnownFlavour kX86Flavours[] = {
    {"baseline", "x86-64", "", "none"},
    {"avx2", "x86-64-v3", "", "avx2"},
    {"avx512-vnni", "x86-64-v4", "+avx512vnni", "avx512-vnni"},
};

// AArch64: any ARMv8-A with NEON (the loops), or one with the dot-product
// instructions (ARMv8.2-A's optional FEAT_DotProd, mandatory from
// ARMv8.4-A: Cortex-A55/A76 and later, Neoverse, Apple M1), whose sdot
// kernels conv.c holds too.
constexpr KnownFlavour kAArch64Flavours[] = {
    {"generic", "generic", "", "none"},
    {"dotprod", "generic", "+v8.2a,+dotprod", "neon-dotprod"},
};

struct KnownTarget {
  llvm::StringLiteral name, triple, cpu;
  /// The --target-cpu values, the first the default; none for a target of
  /// one CPU.
  llvm::ArrayRef<KnownFlavour> flavours;
};

// Linux targets are position-independent; the Cortex-M3 has no FPU, so its
// float ABI is soft, though the code we emit uses no float at all.
const KnownTarget kTargets[] = {
    {"x86_64-linux-gnu", "x86_64-unknown-linux-gnu", "x86-64", kX86Flavours},
    {"aarch64-linux-gnu", "aarch64-unknown-linux-gnu", "generic",
     kAArch64Flavours},
    {"thumbv7m-none-eabi", "thumbv7m-none-unknown-eabi", "cortex-m3", {}},
};

template <typename Range>
std::string joinNames(const Range &range) {
  std::string names;
  for (const auto &entry : range)
    names += (names.empty() ? "" : ", ") + entry.name.str();
  return names;
}

} // namespace

llvm::Expected<TargetSpec> mlir::qnn::resolveTarget(llvm::StringRef target,
                                                    llvm::StringRef flavour) {
  const KnownTarget *known = llvm::find_if(
      kTargets, [&](const KnownTarget &t) { return t.name == target; });
  if (known == std::end(kTargets))
    return llvm::createStringError("unknown target '" + target +
                                   "' (supported: " + joinNames(kTargets) +
                                   ")");
  TargetSpec spec{known->triple.str(), known->cpu.str(), ""};
  // Targets with kernels plan their scratch at every CPU level, so that
  // one header fits every level's object.
  spec.planKernelScratch = !known->flavours.empty();
  if (flavour.empty())
    return spec;
  if (known->flavours.empty())
    return llvm::createStringError("--target-cpu does not apply to " + target +
                                   " (its only CPU is " + known->cpu + ")");
  const KnownFlavour *f = llvm::find_if(
      known->flavours, [&](const KnownFlavour &k) { return k.name == flavour; });
  if (f == known->flavours.end())
    return llvm::createStringError("unknown " + target + " CPU '" + flavour +
                                   "' (supported: " +
                                   joinNames(known->flavours) + ")");
  spec.cpu = f->cpu.str();
  spec.features = f->features.str();
  spec.kernels = f->kernels.str();
  return spec;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
mlir::qnn::createTargetMachine(const TargetSpec &spec) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  llvm::Triple triple(spec.triple);
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("no LLVM target for '" + spec.triple +
                                   "': " + error);
  llvm::TargetOptions options;
  auto relocation = triple.isOSLinux() ? llvm::Reloc::PIC_ : llvm::Reloc::Static;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, spec.cpu, spec.features, options, relocation, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for '" +
                                   spec.triple + "'");
  return machine;
}
