#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
#   ci/run.sh [ARCH] [BOOT-PATH] [--app NAME] [-- QEMU-ARGS...]
#   ci/run.sh --list
#
# Set up if needed, build, and boot a Cairn application in QEMU with the
# serial console on this terminal. ARCH: riscv64 (default), arm64, x86_64.
# BOOT-PATH: one of the paths ci/qemu-run.py lists for ARCH (default: the
# arch's most direct one). Exits with the application's status. --list
# prints every supported ARCH PATH pair, one a line.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

arch=riscv64
path=default
app=hello
pos=0
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --app) app=$2; shift 2 ;;
        --list) exec python3 "$top/ci/qemu-run.py" --list ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *)
            if [ $pos = 0 ]; then arch=$1; else path=$1; fi
            pos=$((pos + 1)); shift ;;
    esac
done

cross=$(cross_name "$arch")
bash "$top/ci/setup.sh" >/dev/null
configure "build/$cross" --cross-file "$top/ci/cross/$cross.ini"
ninja -C "$top/build/$cross" >/dev/null

image="$top/build/$cross/cairn-$app.img"
[ -f "$image" ] || image="$top/build/$cross/cairn-$app.elf"
if [ ! -f "$top/build/$cross/cairn-$app.elf" ]; then
    echo "run.sh: no application '$app' (see examples/)" >&2
    exit 2
fi
exec python3 "$top/ci/qemu-run.py" "$cross" "$path" "$image" \
    --interactive --timeout 600 -- "${extra[@]}"
