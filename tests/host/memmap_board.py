#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Run cairn-memmap --dtb on a board device tree and check its report.

    memmap_board.py --tool EXE --dtb FILE EXPECT...

    memory=BASE+SIZE[:nomap]  the MEMBLOCK memory[] lines, all, in order
    reserved=BASE+SIZE        the MEMBLOCK reserved[] lines, all, in order
    diag=NAME:COUNT           a diagnostic the summary must count; every
                              one not named must be absent (none named:
                              "diagnostics: none")
    hart=N:off                /cpus/cpu@N is no hart for an OS: status
                              "disabled" and no mmu-type (fdtget)
    hart=N:smode              /cpus/cpu@N has an mmu-type and is enabled

What a person reads is checked, as they would read it: the tool's exit
status (0), no error-level line ("E:") and nothing on stderr, the memblock
lines, the diagnostics summary. Prints TAP; a missing tool or file fails
("Bail out!"), never skips. The board tests in tests/host/meson.build run
the same DTBs through fdt_scan_memory() directly (fdt_expect).
"""
import argparse
import re
import shutil
import subprocess
import sys

LINE_RE = re.compile(r" (memory|reserved)\[0x[0-9a-f]+\] \[0x([0-9a-f]+)-"
                     r"0x([0-9a-f]+)\], 0x[0-9a-f]+ bytes flags: (\S+)")
SUMMARY_RE = re.compile(r"^cairn-memmap: diagnostics: (.*)$", re.M)
DIAG_RE = re.compile(r"fw\d+ (\S+) (\d+)")

tests = 0
failed = 0


def ok(cond, what, detail=None):
    global tests, failed
    tests += 1
    failed += not cond
    print(f"{'ok' if cond else 'not ok'} {tests} - {what}")
    if not cond and detail is not None:
        for line in str(detail).splitlines():
            print(f"#   {line}")


def parse_range(text):
    base, size = text.split("+")
    return int(base, 0), int(size, 0)


def fdtget(dtb, node, prop, kind="s"):
    p = subprocess.run(["fdtget", "-t", kind, dtb, node, prop],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return p.stdout.decode().strip() if p.returncode == 0 else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--dtb", required=True)
    ap.add_argument("expect", nargs="+")
    args = ap.parse_args()

    want = {"memory": [], "reserved": []}
    diags = {}
    harts = []
    for e in args.expect:
        key, _, value = e.partition("=")
        if key == "memory":
            rng, _, flag = value.partition(":")
            want["memory"].append(parse_range(rng) +
                                  ("NOMAP" if flag == "nomap" else "NONE",))
        elif key == "reserved":
            want["reserved"].append(parse_range(value) + ("NONE",))
        elif key == "diag":
            name, _, count = value.partition(":")
            diags[name] = int(count)
        elif key == "hart":
            n, _, kind = value.partition(":")
            if kind not in ("off", "smode"):
                print(f"Bail out! bad expectation {e}")
                return 1
            harts.append((int(n), kind))
        else:
            print(f"Bail out! bad expectation {e}")
            return 1
    if harts and shutil.which("fdtget") is None:
        print("Bail out! fdtget not found (device-tree-compiler)")
        return 1

    try:
        p = subprocess.run([args.tool, "--dtb", args.dtb],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as err:
        print(f"Bail out! {args.tool}: {err}")
        return 1
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    ok(p.returncode == 0, f"cairn-memmap --dtb exits 0 (got {p.returncode})",
       out + err)
    errors = [line for line in out.splitlines() if "] E: " in line]
    ok(not errors and not err, "no error line, nothing on stderr",
       "\n".join(errors) + err)

    got = {"memory": [], "reserved": []}
    for m in LINE_RE.finditer(out):
        start, end = int(m.group(2), 16), int(m.group(3), 16)
        got[m.group(1)].append((start, end - start + 1, m.group(4)))
    for kind in ("memory", "reserved"):
        fmt = ["[%#x +%#x] %s" % r for r in want[kind]]
        ok(got[kind] == want[kind], f"{kind}: " + (", ".join(fmt) or "none"),
           "got: " + ", ".join("[%#x +%#x] %s" % r for r in got[kind]))

    m = SUMMARY_RE.search(out)
    seen = {}
    if m and m.group(1) != "none":
        seen = {name: int(n) for name, n in DIAG_RE.findall(m.group(1))}
    ok(m is not None and seen == diags,
       "diagnostics: " + (", ".join(f"{k} {v}" for k, v in diags.items())
                          or "none"),
       m.group(0) if m else "no summary line")

    for n, kind in harts:
        node = f"/cpus/cpu@{n}"
        status = fdtget(args.dtb, node, "status")
        mmu = fdtget(args.dtb, node, "mmu-type")
        reg = fdtget(args.dtb, node, "reg", "x")
        if kind == "off":
            ok(reg is not None and status == "disabled" and mmu is None,
               f"hart {n}: disabled, no mmu-type (no S-mode)",
               f"status {status!r} mmu-type {mmu!r}")
        else:
            ok(reg is not None and status in (None, "okay") and
               mmu is not None and mmu.startswith("riscv,sv"),
               f"hart {n}: enabled, mmu-type {mmu}",
               f"status {status!r} mmu-type {mmu!r}")

    print(f"1..{tests}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
