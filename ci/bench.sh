#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Build the benchmarks (bench/) optimised and without sanitizers in
# build/bench, run every bench_* executable and print what it measures;
# then build the hello image of every arch x memory model in
# build/bench-<cross>-<model> and run the boot-cost matrix
# (bench/boot_bench.py), writing build/bench/boot.csv and boot.svg.
# Benchmarks are never tests (ci/test.sh never calls this); docs/memblock.md
# and docs/performance.md record their results. Assumes ci/setup.sh has run.
# BENCH_BOOT=0 skips the boot matrix.
set -euo pipefail

cd "$(dirname "$0")/.."

build=build/bench

if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" -Dsanitize=false -Dbuildtype=release \
        --native-file ci/native.ini
fi
ninja -C "$build"

while IFS= read -r bench; do
    echo "== $(basename "$bench")"
    "$bench"
done < <(find "$build" -type f -name 'bench_*' -perm -u+x | sort)

[ "${BENCH_BOOT:-1}" = 0 ] && exit 0

for cross in riscv64 aarch64 x86_64; do
    for model in flatmem sparsemem sparsemem_vmemmap; do
        dir=build/bench-$cross-$model
        if [ ! -f "$dir/build.ninja" ]; then
            meson setup "$dir" --cross-file "ci/cross/$cross.ini" \
                -Dmemory_model="$model" -Dqemu_tests=none
        fi
        ninja -C "$dir"
    done
done

echo "== boot_bench"
python3 bench/boot_bench.py --csv "$build/boot.csv" --svg "$build/boot.svg"

# ---- Linux side by side (issue 8; ci/linux-bench.py) ----
# Debian's own kernels on the same QEMU machines under -icount shift=0:
# instructions to Linux's "Memory:" line, beside Cairn's entry->main()
# when bench/boot_bench.py has written its CSV. Fetches into the cache.
echo "== linux side by side"
linux_args=("$build/linux.csv")
if [ -f "$build/boot.csv" ]; then
    linux_args+=(--cairn-csv "$build/boot.csv")
fi
python3 ci/linux-bench.py "${linux_args[@]}"
