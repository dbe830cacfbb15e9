#!/usr/bin/env bash
# Rebuilds tlx-kernels.wasm from tlx-kernels.c and optimizer-kernels.c. Needs clang
# and lld (Debian: apt-get install clang lld); the check needs llvm-objdump (llvm).
# The .wasm is committed, so users and `npm ci` do not need them.
# With TLX_SHARED_MEMORY=1 it builds the variant that imports a shared memory (4 GiB at
# most), as the threaded tfjs-backend-wasm has; tlx-kernels.ts derives that variant
# from the committed .wasm at load time, and a test checks the two are the same bytes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/tlx-kernels.wasm}
shared=()
if [[ ${TLX_SHARED_MEMORY:-} == 1 ]]; then
  shared=(-matomics -mbulk-memory -Wl,--shared-memory -Wl,--max-memory=4294967296)
fi
clang --target=wasm32 -O3 -msimd128 -nostdlib -ffreestanding -fno-builtin \
  -Wl,--no-entry -Wl,--import-memory -Wl,-z,stack-size=0 -Wl,--strip-all "${shared[@]}" \
  -o "$out" "$here/tlx-kernels.c" "$here/optimizer-kernels.c"
# The module shares tfjs' memory, so it must own none: no data segment, and no
# code touching a global (the stack pointer is the only one the linker makes).
if command -v llvm-objdump >/dev/null; then
  if llvm-objdump -h "$out" | grep -qw DATA; then echo "$out has a data segment" >&2; exit 1; fi
  if llvm-objdump -d "$out" | grep -q 'global\.[gs]et'; then echo "$out uses the stack" >&2; exit 1; fi
fi
