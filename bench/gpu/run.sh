#!/usr/bin/env bash
# On the GPU machine (from the repository root, with .gpu-pack/ carried): unpacks
# what bench/gpu/pack.sh packed, installs the loaders, and runs `tlx bench --backend
# webgpu` and experiments/mnist-digits.yaml on the GPU, printing this machine's
# webgpu figures beside the packing machine's wasm ones. Results go to $OUT (or
# ./gpu-results). TLX_GPU_LOCAL=1 leaves / alone (a trial run where it was packed);
# TLX_GPU_BENCH_ARGS adds options to both tlx bench runs (e.g. --workload mnist-cnn),
# TLX_GPU_RUN_ARGS to the experiment's run (e.g. --set repeats=1).
set -euo pipefail
pack="$(pwd)/.gpu-pack"
out="${OUT:-$(pwd)/gpu-results}"
mkdir -p "$out"
if [ "${TLX_GPU_LOCAL:-}" != 1 ]; then
  for f in "$pack"/gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
  export __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json}
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
fi
app=$(mktemp -d)
xz -dc "$pack/node.xz" > "$app/node" && chmod +x "$app/node"
tar -C "$app" -xJf "$pack/tlx.tar.xz"
cd "$app"
echo "== wasm on the packing machine"; cat "$pack/wasm.txt"
echo "== webgpu here"
# shellcheck disable=SC2086
./node dist/src/cli/bin.js bench --backend webgpu --no-pytorch ${TLX_GPU_BENCH_ARGS:-} --json "$out/webgpu.json" | tee "$out/webgpu.txt"
echo "== experiments/mnist-digits.yaml on webgpu"
# shellcheck disable=SC2086
./node dist/src/cli/bin.js run experiments/mnist-digits.yaml --backend webgpu --results "$out/results" --cache "$app/cache" --no-report ${TLX_GPU_RUN_ARGS:-} 2>"$out/mnist-digits.err" | tee "$out/mnist-digits.txt"
./node -e '
const [w, g] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
const byName = new Map(w.rows.map((r) => [r.workload, r]));
console.log("| workload | wasm train | webgpu train | ratio | wasm infer | webgpu infer | ratio |");
for (const r of g.rows) {
  const c = byName.get(r.workload);
  const f = (x) => (x == null ? "-" : x.toFixed(1));
  const ratio = (a, b) => (a && b ? `${(b / a).toFixed(1)}x` : "-");
  console.log(`| ${r.title} | ${f(c?.train.samplesPerSec)} | ${f(r.train.samplesPerSec)} | ${ratio(c?.train.samplesPerSec, r.train.samplesPerSec)} | ${f(c?.infer.samplesPerSec)} | ${f(r.infer.samplesPerSec)} | ${ratio(c?.infer.samplesPerSec, r.infer.samplesPerSec)} |`);
}
' "$pack/wasm.json" "$out/webgpu.json" | tee "$out/side-by-side.md"
