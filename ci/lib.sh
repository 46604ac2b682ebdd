# SPDX-License-Identifier: BSD-2-Clause
# Shared by the ci/ scripts: the repo top, arch names, and configuring a build dir.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Cairn's arch names as users type them -> the cross file's name.
cross_name() {
    case "$1" in
        riscv64|riscv) echo riscv64 ;;
        arm64|aarch64) echo aarch64 ;;
        x86_64|x86|amd64) echo x86_64 ;;
        *) echo "unknown arch '$1' (riscv64, arm64, x86_64)" >&2; return 1 ;;
    esac
}

# configure DIR MESON-ARGS...: set up a build dir once, reconfigure after.
configure() {
    local dir=$1
    shift
    if [ -f "$top/$dir/build.ninja" ]; then
        meson setup --reconfigure "$top/$dir" "$@" >/dev/null
    else
        meson setup "$top/$dir" "$@" >/dev/null
    fi
}
