#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Build the benchmarks (bench/) optimised and without sanitizers in
# build/bench, run every bench_* executable and print what it measures.
# Benchmarks are never tests; docs/memblock.md records their results.
# Assumes ci/setup.sh has run.
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
