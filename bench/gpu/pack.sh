#!/usr/bin/env bash
# Packs what a GPU measurement needs into .gpu-pack/ (git-ignored) for a machine
# that can install nothing and reach nothing: this Node binary (xz), tlx built,
# its production node_modules pruned to what Node loads (Dawn's linux-x64 dawn.node
# only), the Vulkan/EGL loaders as Debian packages, and this machine's wasm figures
# from `tlx bench` to print beside the GPU's. Run from the repository root after
# `npm ci && npm run build`; then on the GPU machine: bash bench/gpu/run.sh.
set -euo pipefail
root=$(pwd)
pack="$root/.gpu-pack"
rm -rf "$pack" && mkdir -p "$pack"
xz -T0 -c "$(command -v node)" > "$pack/node.xz"
work=$(mktemp -d)
cp package.json package-lock.json "$work/"
(cd "$work" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)
cp -r dist schemas experiments "$work/"
mkdir -p "$work/src/engine/simd" && cp src/engine/simd/tlx-kernels.wasm "$work/src/engine/simd/"
# What Node never loads: browser bundles, source maps, TypeScript sources, other platforms' Dawn.
find "$work/node_modules" \( -name '*.map' -o -name '*.min.js' -o -name '*.ts' -o -name '*.md' \) -type f -delete
# tfjs' browser bundles (Node loads each package's tf-*.node.js).
find "$work/node_modules/@tensorflow" -path '*/dist/tf-*.js' ! -name '*.node.js' -type f -delete
find "$work/node_modules/@tensorflow" -type d -name miniprogram -prune -exec rm -rf {} +
find "$work/node_modules/webgpu/dist" -mindepth 1 -maxdepth 1 -type d ! -name linux-x64 -exec rm -rf {} +
tar -C "$work" -cJf "$pack/tlx.tar.xz" package.json dist schemas experiments src node_modules
rm -rf "$work"
# The loaders the device notes name (the GPU machine has the NVIDIA driver, not them).
mkdir -p "$pack/gl" /tmp/amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
# shellcheck disable=SC2086
apt-get $o update -qq && (cd "$pack/gl" && apt-get $o download -qq libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
# shellcheck disable=SC2086
TLX_BACKEND=wasm node dist/src/cli/bin.js bench --backend wasm --no-pytorch ${TLX_GPU_BENCH_ARGS:-} --json "$pack/wasm.json" > "$pack/wasm.txt"
du -sh "$pack" "$pack"/*
