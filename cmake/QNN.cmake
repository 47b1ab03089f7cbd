# Helpers shared by qnn-mlir's CMake files.

# qnn_add_library(name sources... [DEPENDS targets...] [LINK libs...])
# A static library of the compiler, linked against the shared MLIR and LLVM.
function(qnn_add_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PUBLIC ${ARG_LINK} MLIR LLVM)
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
endfunction()
