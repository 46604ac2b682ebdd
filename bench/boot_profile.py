#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Flat instruction profile of one boot, by function, from QEMU's TCG trace.

    boot_profile.py ARCH IMAGE [--path P] [--memory M] [--top N] [--all]
               [--keep-trace FILE] [--from-trace FILE --offset HEX]

Boots IMAGE (a .img or .elf of build/*; the symbols come from the .elf
beside it) with ci/qemu-run.py under `-icount shift=0 -d in_asm,exec,nochain`
and counts guest instructions per function: every translated block's
instruction count (from the in_asm listing) times the number of times the
trace shows it executed. Execution is counted from the kernel's first
instruction up to the application's main() (--all: to the end of the run);
code outside the image (firmware) is reported as one line.

The image is position independent on riscv64 and arm64: its load offset is
read from the boot log's "early_reserve_memory: image 0x..." line.

This is a measuring tool for issue 8 (docs/performance.md), never a test.
It is slow (the trace of one boot is ~200 MB; a 16G boot takes a minute).
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tcgtrace import blocks  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
QEMU_RUN = os.path.join(ROOT, "ci", "qemu-run.py")

IMAGE_RE = re.compile(r"early_reserve_memory: image (0x[0-9a-f]+)-")


def symbols(elf):
    """Sorted (address, name) of the ELF's text symbols."""
    out = subprocess.run(["llvm-nm", "-n", "--defined-only", elf],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW" and not parts[2].startswith(".L"):
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("arch", choices=["riscv64", "arm64", "x86_64"])
    ap.add_argument("image")
    ap.add_argument("--path", default="default")
    ap.add_argument("--memory", default="1G")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--all", action="store_true",
                    help="count to the end of the run, not to main()")
    ap.add_argument("--keep-trace", help="keep the QEMU trace in FILE")
    ap.add_argument("--from-trace", help="profile an existing trace")
    ap.add_argument("--offset", help="load offset for --from-trace")
    args = ap.parse_args()

    elf = os.path.splitext(args.image)[0] + ".elf"
    syms = symbols(elf)
    addrs = [a for a, _ in syms]
    start_sym = dict((n, a) for a, n in syms)

    if args.from_trace:
        trace = args.from_trace
        offset = int(args.offset or "0", 16)
    else:
        trace = args.keep_trace or tempfile.mktemp(prefix="cairn-trace-")
        cmd = [sys.executable, QEMU_RUN, args.arch, args.path, args.image,
               "--interactive", "--memory", args.memory, "--timeout", "600",
               "--", "-icount", "shift=0", "-d", "in_asm,exec,nochain",
               "-D", trace]
        log = subprocess.run(cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True,
                             errors="replace").stdout
        m = IMAGE_RE.search(log)
        if not m:
            sys.exit("profile: no 'early_reserve_memory: image' line in the "
                     "boot log:\n" + log[-2000:])
        offset = int(m.group(1), 16) - start_sym.get("__image_start", 0)

    lo = addrs[0] + offset
    hi = start_sym.get("__image_end", addrs[-1] + 0x100000) + offset
    main_pc = start_sym.get("main")
    main_pc = None if main_pc is None or args.all else main_pc + offset

    counts = collections.Counter()
    total = 0
    started = False
    for pc, n in blocks(trace):
        if main_pc is not None and pc == main_pc:
            break
        if lo <= pc < hi:
            started = True
            i = bisect.bisect_right(addrs, pc - offset) - 1
            name = syms[i][1] if i >= 0 else "?"
        elif not started:
            continue	# firmware before the kernel's first instruction
        else:
            name = "[outside the image]"
        counts[name] += n
        total += n
    if not args.keep_trace and not args.from_trace:
        os.unlink(trace)

    print(f"{total:,} instructions from kernel entry to "
          f"{'the end' if main_pc is None else 'main()'}")
    for name, n in counts.most_common(args.top):
        print(f"{n:12,} {100.0 * n / max(total, 1):5.1f}%  {name}")


if __name__ == "__main__":
    main()
