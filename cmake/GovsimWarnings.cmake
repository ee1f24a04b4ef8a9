# Warnings and sanitizers as INTERFACE targets so every project target opts in the same way.
add_library(govsim_warnings INTERFACE)
target_compile_options(govsim_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
  -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
# GCC 12 reports false -Wrestrict positives on `"literal" + std::string` at -O2 (GCC bug 105329).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(govsim_warnings INTERFACE -Wno-restrict)
endif()
if(GOVSIM_WERROR)
  target_compile_options(govsim_warnings INTERFACE -Werror)
endif()
if(GOVSIM_SANITIZE)
  target_compile_options(govsim_warnings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(govsim_warnings INTERFACE -fsanitize=address,undefined)
endif()
# Fuzzing (clang only): coverage and sanitizers on every library; the fuzz targets link libFuzzer.
if(GOVSIM_FUZZ)
  target_compile_options(govsim_warnings INTERFACE -fsanitize=fuzzer-no-link,address,undefined
    -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(govsim_warnings INTERFACE -fsanitize=address,undefined)
endif()
