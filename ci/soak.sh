#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
#   ci/soak.sh [ARCH...] [--ops N] [--mem SIZE] [--seed S] [--corrupt K]
#              [--image FILE] [--timeout S] [-- QEMU-ARGS...]
#
# The allocator soak (tests/qemu/apps/soak.c, docs/mm.md "Soak"): boot the
# test-soak application on each ARCH's default boot path (riscv64, arm64,
# x86_64; all three by default) with N random page and kmalloc operations
# (default 2000000) in SIZE of memory (default 6G, so that DMA32 and Normal
# both have memory), seed S (default 0x5eed; "random" picks one and prints
# it). Passes when the summary line says every page came back and no
# error, and the status is 0. The seed and count are patched into a copy
# of the image (main() has no bootargs). One soak.sh per build dir at a
# time: it reconfigures and builds build/ARCH.
#
# --corrupt K flips a byte of a live allocation at operation K: the run must
# then report it and fail (checks the checks). --image FILE boots FILE (one
# ARCH only) instead of building build/ARCH. QEMU-ARGS go to QEMU (e.g.
# -icount shift=0: the reported time is then instructions / 10^6). Not part
# of ci/test.sh: the QEMU suite runs a 20000-operation soak through this
# script instead.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ops=2000000
mem=6G
seed=0x5eed
corrupt=
image=
timeout=
arches=()
qemu_extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --ops) ops=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --corrupt) corrupt=$2; shift 2 ;;
        --image) image=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --) shift; qemu_extra=("$@"); break ;;
        -h|--help) sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "soak.sh: unknown option $1" >&2; exit 2 ;;
        *) arches+=("$1"); shift ;;
    esac
done
[ ${#arches[@]} -gt 0 ] || arches=(riscv64 arm64 x86_64)
if [ -n "$image" ] && [ ${#arches[@]} -ne 1 ]; then
    echo "soak.sh: --image takes exactly one ARCH" >&2
    exit 2
fi
if [ "$seed" = random ]; then
    seed=$(printf '%#x' $(( (RANDOM << 30) ^ (RANDOM << 15) ^ RANDOM )))
fi
# The app prints the seed as %#llx: the summary line must match it.
seed_hex=$(printf '%#x' "$seed")
# Under TCG about 60 us per operation at worst (docs/mm.md): allow 4x.
[ -n "$timeout" ] || timeout=$(( 60 + ops / 4000 ))

params="seed=$seed_hex ops=$ops${corrupt:+ corrupt=$corrupt}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# patch IN OUT: copy the image with the parameter text after the marker.
patch_image() {
    python3 - "$1" "$2" "$params" <<'EOF'
import sys
marker, size = b"CAIRN-SOAK-PARAMS:", 96
src, dst, params = sys.argv[1], sys.argv[2], sys.argv[3].encode()
data = bytearray(open(src, "rb").read())
room = size - len(marker) - 1
if len(params) > room:
    sys.exit(f"soak.sh: parameters longer than {room} bytes")
if data.count(marker) != 1:
    sys.exit(f"soak.sh: {src} holds the parameter marker "
             f"{data.count(marker)} times, not once (not test-soak?)")
at = data.find(marker) + len(marker)
data[at:at + room + 1] = params.ljust(room + 1, b"\0")
open(dst, "wb").write(data)
EOF
}

fail=0
for arch in "${arches[@]}"; do
    cross=$(cross_name "$arch")
    img=$image
    if [ -z "$img" ]; then
        if ! { bash "$top/ci/setup.sh" >/dev/null &&
               configure "build/$cross" --cross-file "$top/ci/cross/$cross.ini" &&
               ninja -C "$top/build/$cross" >/dev/null; }; then
            echo "soak.sh: building build/$cross failed" >&2
            exit 1
        fi
        img="$top/build/$cross/cairn-test-soak.img"
        [ -f "$img" ] || img="$top/build/$cross/cairn-test-soak.elf"
    fi
    copy="$work/$cross-$(basename "$img")"
    patch_image "$img" "$copy"
    if [ -n "$corrupt" ]; then
        expect=(--expect "corrupting" --expect "soak: ERROR"
                --expect "soak: summary: ops $ops seed $seed_hex"
                --expect-status 1)
    else
        expect=(--expect "soak: summary: ops $ops seed $seed_hex errors 0 pages back all ")
    fi
    echo "soak.sh: $arch: $params, $mem" >&2
    start=$(date +%s.%N)
    if python3 "$top/ci/qemu-run.py" "$cross" default "$copy" \
        --memory "$mem" --timeout "$timeout" "${expect[@]}" \
        -- "${qemu_extra[@]}" >"$work/log" 2>&1; then
        result=PASS
    else
        result=FAIL
        fail=1
        cat "$work/log"
    fi
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
    grep -a '^soak: ' "$work/log" || true
    printf 'soak.sh: %s %s: %s ops in %.1f s wall\n' "$result" "$arch" \
        "$ops" "$secs"
done
exit $fail
