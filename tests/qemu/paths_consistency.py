#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Every boot path of a machine must yield the same usable memory.

    paths_consistency.py ARCH MACHINE IMAGE [--memory SIZE]

Boots IMAGE (the test-memmap application, which prints memblock with
__memblock_dump_all()) through every boot path of ARCH that runs on QEMU
MACHINE (ci/qemu-run.py's PATHS), with the same -m, and compares each with
the first path: the memory (memblock.memory less NOMAP) must be the same
ranges, and the usable total (that memory less memblock.reserved) the same
size, except for what docs/boot-paths.md documents: ALLOWED_KIB below, per
path, is the memory that path's firmware keeps; SLACK_KIB covers the image,
the DTB and the kernel's boot allocations (memmap, page tables) that differ
in size or place from path to path. Prints TAP, one test per path.
"""
import argparse
import concurrent.futures
import importlib.util
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "ci", "qemu-run.py")

# KiB a path may differ by from the machine's first path, as
# docs/boot-paths.md explains row by row. SLACK_KIB: the DTB (QEMU pads it
# to 1 MiB on arm64) and page rounding differ on every path.
SLACK_KIB = 1024
ALLOWED_KIB = {
    # U-Boot's EFI runtime services (~36 KiB), the map buffer, its DT copy.
    ("riscv64", "uboot-efi"): 512,
    # U-Boot's EFI runtime regions and DT copy (~100 KiB).
    ("arm64", "uboot-efi"): 512,
    ("arm64", "uboot-efi-el2"): 512,
    # EDK2's runtime code and data (~7 MiB), ACPI-reclaim DT copy.
    ("arm64", "edk2"): 8192,
    ("arm64", "edk2-el2"): 8192,
    # OVMF: runtime services, ACPI tables and NVS (~5.5 MiB at 512M).
    ("x86_64", "ovmf"): 8192,
    # 64-bit U-Boot: its relocated image, heap and stack at the top of
    # low RAM, reported as runtime/reserved (~27 MiB at 512M).
    ("x86_64", "uboot"): 32768,
    # 32-bit U-Boot's e820 reserves the same for itself (~19 MiB).
    ("x86_64", "uboot-zboot"): 24576,
}

LINE_RE = re.compile(r" (memory|reserved)\[0x[0-9a-f]+\] \[0x([0-9a-f]+)-"
                     r"0x([0-9a-f]+)\], 0x[0-9a-f]+ bytes flags: (\S+)")


def load_paths():
    spec = importlib.util.spec_from_file_location("qemu_run", RUNNER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.PATHS


def machine_of(spec):
    args = spec["args"]
    for i, a in enumerate(args[:-1]):
        if a == "-M":
            return args[i + 1].split(",")[0]
    return None


def subtract(ranges, holes):
    """[start, end) ranges minus holes, both lists of pairs."""
    out = []
    for s, e in ranges:
        pieces = [(s, e)]
        for hs, he in holes:
            nxt = []
            for ps, pe in pieces:
                if he <= ps or hs >= pe:
                    nxt.append((ps, pe))
                    continue
                if ps < hs:
                    nxt.append((ps, hs))
                if he < pe:
                    nxt.append((he, pe))
            pieces = nxt
        out += pieces
    return out


def total(ranges):
    return sum(e - s for s, e in ranges)


def boot(arch, path, image, memory):
    with tempfile.NamedTemporaryFile(suffix=".log") as log:
        proc = subprocess.run(
            [sys.executable, RUNNER, arch, path, image, "--memory", memory,
             "--timeout", "240", "--log", log.name,
             "--expect", "MEMBLOCK configuration:"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        text = open(log.name, errors="replace").read()
    if proc.returncode != 0:
        return None, proc.stdout[-3000:]
    memory_r, reserved = [], []
    for m in LINE_RE.finditer(text):
        kind, base, last, flags = m.group(1), int(m.group(2), 16), \
            int(m.group(3), 16), m.group(4)
        if kind == "memory":
            if "NOMAP" not in flags:
                memory_r.append((base, last + 1))
        else:
            reserved.append((base, last + 1))
    return (memory_r, total(subtract(memory_r, reserved))), None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("arch")
    ap.add_argument("machine")
    ap.add_argument("image")
    ap.add_argument("--memory", default="512M")
    args = ap.parse_args()

    paths = [p for p, spec in load_paths()[args.arch].items()
             if machine_of(spec) == args.machine]
    if len(paths) < 2:
        print(f"Bail out! fewer than two {args.arch} paths on {args.machine}")
        return 1
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(
            lambda p: boot(args.arch, p, args.image, args.memory), paths))

    failed = 0
    ref_path, (ref, err) = paths[0], results[0]
    print(f"1..{len(paths)}")
    if ref is None:
        print(f"not ok 1 - {ref_path} boots (the reference)")
        print("# " + err.replace("\n", "\n# "))
        return 1
    ref_mem, ref_usable = ref
    print(f"ok 1 - {ref_path}: {total(ref_mem) >> 10} KiB of memory, "
          f"{ref_usable >> 10} KiB usable (the reference)")
    for i, (path, (res, err)) in enumerate(zip(paths[1:], results[1:]),
                                           start=2):
        if res is None:
            failed += 1
            print(f"not ok {i} - {path} boots")
            print("# " + err.replace("\n", "\n# "))
            continue
        mem, usable = res
        allowed = ALLOWED_KIB.get((args.arch, path), 0) + SLACK_KIB
        lost = total(subtract(ref_mem, mem)) >> 10
        gained = total(subtract(mem, ref_mem)) >> 10
        delta = (ref_usable - usable) >> 10
        ok = lost <= allowed and gained <= SLACK_KIB and \
            -SLACK_KIB <= delta <= allowed
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {i} - {path}: memory "
              f"{lost} KiB fewer, {gained} KiB more; usable {delta} KiB "
              f"fewer than {ref_path} (allowed: {allowed} fewer, "
              f"{SLACK_KIB} more)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
