#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Idempotent set-up for a Debian 12 machine: installs the packages Cairn
# builds and tests with, and extracts upstream libfdt from Debian's
# linux-source-6.1 package into the cache (ci/cache-dir.sh). A second run
# does nothing and takes well under a second.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
SUDO=
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
fi

packages=(
    clang lld llvm libclang-rt-14-dev   # compiler, linker, objcopy/ar, sanitizer and fuzzer runtimes
    meson ninja-build python3           # build and test runners
    qemu-system-misc qemu-system-arm qemu-system-x86
    opensbi u-boot-qemu ovmf qemu-efi-aarch64
    device-tree-compiler                # dtc for the fixtures in dts/
    xz-utils dosfstools mtools          # unpacking sources; FAT images for firmware boots
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "${missing[@]}"
fi

# libfdt: the upstream sources that Linux 6.1 carries in scripts/dtc/libfdt.
# Debian serves no source packages here, so take them from linux-source-6.1.
cache=$("$here/cache-dir.sh")
libfdt="$cache/libfdt"
if [ ! -f "$libfdt/fdt.c" ] || [ ! -f "$libfdt/.complete" ]; then
    echo "setup: fetching libfdt sources into $libfdt"
    mkdir -p "$cache"
    tmp=$(mktemp -d "$cache/tmp.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    download() {
        (cd "$tmp" && apt-get download -q linux-source-6.1 2>&1 |
            grep -v '^W: Download is performed unsandboxed' >&2 || true)
        ls "$tmp"/linux-source-6.1_*_all.deb 2>/dev/null | head -n 1
    }
    deb=$(download)
    if [ -z "$deb" ]; then
        # Stale or missing package lists: refresh once and try again.
        $SUDO apt-get update -q >/dev/null
        deb=$(download)
    fi
    if [ -z "$deb" ]; then
        echo "setup: could not download linux-source-6.1 from the Debian archive" >&2
        exit 1
    fi
    version=$(dpkg-deb -f "$deb" Version)
    # Stream: .deb -> data tar -> the kernel tarball -> only scripts/dtc/libfdt.
    dpkg-deb --fsys-tarfile "$deb" |
        tar -xO ./usr/src/linux-source-6.1.tar.xz |
        tar -xJ -C "$tmp" --wildcards 'linux-source-6.1/scripts/dtc/libfdt/*'
    rm -rf "$libfdt"
    mv "$tmp/linux-source-6.1/scripts/dtc/libfdt" "$libfdt"
    echo "linux-source-6.1 $version" > "$libfdt/.complete"
    rm -rf "$tmp"
    trap - EXIT
fi
echo "setup: ready (libfdt from $(cat "$libfdt/.complete"))"
