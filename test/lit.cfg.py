# lit configuration of qnn-mlir's regression tests.
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QNN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qnn_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%qnn_src_root", config.qnn_src_root))

llvm_config.use_default_substitutions()  # FileCheck, not, count, split-file
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
# Helper scripts called from RUN lines find the project's tools on PATH.
llvm_config.with_environment("PATH", config.qnn_tools_dir, append_path=True)


tools = ["qnn-diff", "qnn-opt", "qnn-run", "qnn-train", "qnn-translate"]
llvm_config.add_tool_substitutions(
    [ToolSubst(t, unresolved="ignore") for t in tools], [config.qnn_tools_dir])

# Debian's dataset-fashion-mnist, which the training tests read.
if os.path.isdir("/usr/share/datasets/fashion-mnist"):
    config.available_features.add("fashion-mnist")
