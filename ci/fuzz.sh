#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Build the libFuzzer targets (tests/fuzz/, meson -Dfuzz=true) with ASan and
# UBSan in build/fuzz and run each fuzz_* executable for a bounded time:
# FUZZ_SECONDS (default 30) each. Exits non-zero on the first crash, leaving
# the crashing input in build/fuzz/artifacts/. Assumes ci/setup.sh has run.
set -euo pipefail

cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-30}
build=build/fuzz

if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" --native-file ci/native.ini -Dfuzz=true -Dsanitize=true
fi
ninja -C "$build"

mkdir -p "$build/artifacts" "$build/corpus"
found=0
while IFS= read -r fuzzer; do
    found=1
    name=$(basename "$fuzzer")
    mkdir -p "$build/corpus/$name"
    # New inputs go to the first folder; committed seeds
    # (tests/fuzz/corpus/NAME) and seeds made at build time
    # (build/fuzz/seeds/NAME) are read too.
    seeds=()
    for d in "tests/fuzz/corpus/$name" "$build/seeds/$name"; do
        if [ -d "$d" ]; then
            seeds+=("$d")
        fi
    done
    echo "fuzz: $name for ${seconds}s"
    # -timeout: one input running 10 s is a hang, and a failure.
    "$fuzzer" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$name-" "$build/corpus/$name" \
        "${seeds[@]}"
done < <(find "$build" -type f -name 'fuzz_*' -perm -u+x | sort)

if [ "$found" = 0 ]; then
    echo "fuzz: no fuzz_* executables in $build" >&2
    exit 1
fi
