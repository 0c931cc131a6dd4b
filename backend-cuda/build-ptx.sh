#!/usr/bin/env bash
# Builds the PTX of the CUDA backend's kernels from src/main/cuda/*.cu and writes the manifest that the
# backend and PtxUpToDateTest read. The PTX is committed, so that a build without nvcc still works.
#
#   backend-cuda/build-ptx.sh            regenerate src/main/resources/org/sparselinear/backend/cuda/
#   backend-cuda/build-ptx.sh --out DIR  write to DIR instead (PtxUpToDateTest compares such a build)
#   backend-cuda/build-ptx.sh --check    also assemble every PTX for sm_90 (H100) and sm_75 with ptxas
#                                        and print each kernel's registers, shared memory and spills
#
# nvcc: $NVCC, else nvcc on the PATH, else /usr/local/cuda/bin/nvcc.
#
# Target: -arch=compute_75, virtual architecture only (PTX, no SASS). compute_75 (Turing) is the oldest
# architecture nvcc 13 still accepts, and PTX for it is compiled by the driver for the GPU it runs on,
# any newer one included (Ampere sm_80, Hopper sm_90, Blackwell sm_100/sm_120). The kernels use nothing
# newer than warp shuffles, __syncthreads_count and 64-bit atomics, so a higher target would gain nothing and
# lock out older GPUs. The driver JIT-compiles the PTX once and caches the result (~/.nv/ComputeCache).
# PTX from nvcc 13 declares ISA 9.0, which needs a CUDA 13 driver (580 series) or newer; the backend
# compiles the same sources with NVRTC where the driver is older (see the module's README).
#
# No -lineinfo or -G: the PTX must not depend on the checkout's path. No --use_fast_math: the kernels are
# checked against double-precision references.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src="$here/src/main/cuda"
out="$here/src/main/resources/org/sparselinear/backend/cuda"
check=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --check) check=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "build-ptx.sh: unknown argument '$1' (use --out DIR, --check)" >&2; exit 2 ;;
  esac
done

nvcc=${NVCC:-}
if [ -z "$nvcc" ]; then
  if command -v nvcc >/dev/null 2>&1; then nvcc=$(command -v nvcc);
  elif [ -x /usr/local/cuda/bin/nvcc ]; then nvcc=/usr/local/cuda/bin/nvcc;
  else echo "build-ptx.sh: nvcc not found (set NVCC=/path/to/nvcc)" >&2; exit 3; fi
fi

arch=compute_75
options="-ptx -arch=$arch -std=c++14"
mkdir -p "$out"
export LC_ALL=C

release=$("$nvcc" --version | sed -n 's/^Cuda compilation tools, release \(.*\)$/\1/p')
modules=()
for cu in "$src"/*.cu; do
  name=$(basename "$cu" .cu)
  modules+=("$name")
  # shellcheck disable=SC2086
  (cd "$src" && "$nvcc" $options -I "$src" -o "$out/$name.ptx" "$name.cu")
done

isa=$(sed -n 's/^\.version \([0-9.]*\)$/\1/p' "$out/${modules[0]}.ptx")
{
  echo "# Written by backend-cuda/build-ptx.sh from src/main/cuda; PtxUpToDateTest checks it. Do not edit."
  echo "nvcc.release=$release"
  echo "nvcc.options=$options"
  echo "ptx.isa=$isa"
  echo "modules=${modules[*]}"
  for file in "$src"/*.cuh "$src"/*.cu; do
    echo "sha256.$(basename "$file")=$(sha256sum "$file" | cut -d' ' -f1)"
  done
} > "$out/kernels.properties"

echo "build-ptx.sh: ${#modules[@]} modules (${modules[*]}), PTX ISA $isa, nvcc $release, into $out"

if [ "$check" = 1 ]; then
  ptxas=$(dirname "$nvcc")/ptxas
  for sm in sm_90 sm_75; do
    for name in "${modules[@]}"; do
      "$ptxas" -arch=$sm -v -o /dev/null "$out/$name.ptx" 2>&1 \
        | sed -n "s/^ptxas info    : Compiling entry function '\(.*\)' for '\(.*\)'$/\1 (\2):/p; s/^ptxas info    : Used \(.*\)$/  used \1/p; s/^ *\([0-9]* bytes stack frame.*\)$/  \1/p" \
        | paste -sd' ' | sed 's/ \([a-z_0-9]* (sm_[0-9]*):\)/\n\1/g'
    done
  done
  echo "build-ptx.sh: every module assembles for sm_90 and sm_75"
fi
