#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
#   ci/test.sh
#
# Set up, build every target and run every test suite: the host unit tests
# (ASan + UBSan), the QEMU boot and allocator tests of each arch with each
# memory model, the include-rule check and a short run of every fuzzer. Prints "N passed, N failed" last and
# exits non-zero if anything failed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$top"

bash ci/setup.sh || exit 1

failed_steps=()
step() {
    local name=$1
    shift
    echo "=== $name"
    if ! "$@"; then
        failed_steps+=("$name")
    fi
}

build_and_test() {
    local dir=$1
    shift
    configure "$dir" "$@" && ninja -C "$dir" && meson test -C "$dir" --print-errorlogs
}

step "host" build_and_test build/host --native-file ci/native.ini
for cross in riscv64 aarch64 x86_64; do
    # The default build (FLATMEM) boots every path; the other memory
    # models boot the first path and run the allocator tests at every size.
    step "$cross" build_and_test "build/$cross" --cross-file "ci/cross/$cross.ini"
    for model in sparsemem sparsemem_vmemmap; do
        step "$cross-$model" build_and_test "build/$cross-$model" \
            --cross-file "ci/cross/$cross.ini" -Dmemory_model=$model \
            -Dqemu_tests=mm
    done
done
step "includes" python3 ci/check-includes.py
step "fuzz" env FUZZ_SECONDS="${FUZZ_SECONDS:-15}" bash ci/fuzz.sh

# Tally every meson test that ran, plus the non-meson steps.
python3 - "${failed_steps[@]}" <<'PY'
import glob, json, sys
passed = failed = 0
for log in glob.glob("build/*/meson-logs/testlog.json"):
    if log.startswith(("build/fuzz/", "build/bench/")):
        continue
    for line in open(log):
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r != "SKIP":
            failed += 1
steps = sys.argv[1:]
for s in steps:
    print(f"test.sh: step failed: {s}")
# Steps outside meson count once each.
failed += sum(1 for s in steps if s in ("includes", "fuzz"))
passed += sum(1 for s in ("includes", "fuzz") if s not in steps)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or steps else 0)
PY
