#!/usr/bin/env bash
# Rebuilds tlx-kernels.wasm from tlx-kernels.c. Needs clang and lld (Debian: apt-get
# install clang lld). The .wasm is committed, so users and `npm ci` do not need them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/tlx-kernels.wasm}
clang --target=wasm32 -O3 -msimd128 -nostdlib -ffreestanding -fno-builtin \
  -Wl,--no-entry -Wl,--import-memory -Wl,-z,stack-size=0 -Wl,--strip-all \
  -o "$out" "$here/tlx-kernels.c"
