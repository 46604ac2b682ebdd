#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Build the libFuzzer targets (tests/fuzz/, meson -Dfuzz=true) with ASan and
# UBSan in build/fuzz; replay every past finding (tests/fuzz/regress/NAME/,
# each input once), then run each fuzz_* executable for a bounded time:
# FUZZ_SECONDS (default 30) each, starting from the committed seed corpus
# (tests/fuzz/corpus/NAME/, minimized: docs/robustness.md says how).
# Exits non-zero on the first crash, leaving the crashing input in
# build/fuzz/artifacts/. Assumes ci/setup.sh has run.
set -euo pipefail

cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-30}
build=build/fuzz

# ci/fuzz.sh --coverage [CORPORA]: no fuzzing; a clang source-coverage build
# of the fuzzers (build/fuzz-cov) replays each corpus (CORPORA/NAME, default
# the committed tests/fuzz/corpus/NAME, plus the build-time seeds) and
# llvm-cov reports line and region coverage of drivers/firmware/ and
# generic/mm/memblock.c over all fuzzers together.
if [ "${1:-}" = "--coverage" ]; then
    corpora=${2:-tests/fuzz/corpus}
    cov=build/fuzz-cov
    if [ ! -f "$cov/build.ninja" ]; then
        meson setup "$cov" --native-file ci/native.ini -Dfuzz=true \
            -Dsanitize=false \
            -Dc_args="-fprofile-instr-generate -fcoverage-mapping" \
            -Dc_link_args="-fprofile-instr-generate"
    fi
    # Only the fuzzers (and fuzz_fdt's seeds): the other host programs
    # would need the fuzzer runtime the coverage flags expect.
    LLVM_PROFILE_FILE="$cov/build-%p.profraw" \
        ninja -C "$cov" tests/fuzz/fuzz_fdt tests/fuzz/fuzz_efi \
        tests/fuzz/fuzz_e820 tests/fuzz/fuzz_memmap_text \
        tests/fuzz/fuzz_memblock tests/fuzz/fuzz_fdt-seeds.stamp
    rm -rf "$cov/profiles"
    mkdir -p "$cov/profiles"
    objects=()
    for name in fuzz_fdt fuzz_efi fuzz_e820 fuzz_memmap_text fuzz_memblock; do
        dirs=()
        for d in "$corpora/$name" "$cov/seeds/$name" "tests/fuzz/regress/$name"; do
            if [ -d "$d" ]; then
                dirs+=("$d")
            fi
        done
        LLVM_PROFILE_FILE="$cov/profiles/$name.profraw" \
            "$cov/tests/fuzz/$name" -runs=0 "${dirs[@]}" 2>&1 |
            grep -E "^#[0-9]+[[:space:]]+DONE" | sed "s/^/$name: /" || true
        objects+=(-object "$cov/tests/fuzz/$name")
    done
    llvm-profdata merge -o "$cov/fuzz.profdata" "$cov"/profiles/*.profraw
    # Source filters do not narrow a multi-object report: pick the lines.
    llvm-cov report "${objects[@]:1}" -instr-profile="$cov/fuzz.profdata" |
        grep -E '^Filename|drivers/firmware/[a-z0-9_]+\.c |generic/mm/memblock\.c ' |
        sed "s|^${PWD#/}/||"
    exit 0
fi

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
    if [ -d "tests/fuzz/regress/$name" ]; then
        echo "fuzz: $name replays tests/fuzz/regress/$name"
        "$fuzzer" -runs=1 "tests/fuzz/regress/$name"/*
    fi
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
