#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot-cost matrix: arch x RAM size x memory model, in guest instructions.

    boot_bench.py [--build-root DIR] [--arch A]... [--model M]... [--mem S]...
                  [--csv FILE] [--svg FILE] [--jobs N] [--timeout S]
    boot_bench.py --from-csv FILE [--svg FILE]

Boots build/bench-<cross>-<model>/cairn-hello.{img,elf} (ci/bench.sh
configures and builds them) with ci/qemu-run.py, PATH 'default', under
`-icount shift=0`: one guest instruction is 1 ns of guest time, so the
phase costs that init/main.c report_phases() prints before main() are
instruction counts, the same on any host, loaded or not. Boots run in
parallel for that reason.

Writes the CSV (arch, model, mem_mib, one column per phase, total) and an
SVG line chart of total cost against RAM size, one line per arch and model,
and prints Markdown tables: total to main() per arch x RAM x model, the
per-phase breakdown at 1 GiB, and per arch the image sizes, the static
footprint (llvm-size), the Memory: line's reserved part at 1 GiB and the
memmap bytes per page. docs/performance.md holds a run's results.
"""
import argparse
import concurrent.futures
import csv
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
QEMU_RUN = os.path.join(ROOT, "ci", "qemu-run.py")

# qemu-run.py arch -> (cross file / build-dir name, image suffix to boot)
ARCHES = {
    "riscv64": ("riscv64", ".img"),
    "arm64": ("aarch64", ".img"),
    "x86_64": ("x86_64", ".elf"),
}
MODELS = ["flatmem", "sparsemem", "sparsemem_vmemmap"]
MEMS = ["128M", "1G", "4G", "16G"]
# Issue 8's targets, in guest instructions, by RAM size in MiB.
TARGETS = {1024: 500_000, 16384: 1_000_000}

PHASE_RE = re.compile(r"boot:\s{3}(\S.*?)\s+(\d+)\s*$")
MEMORY_RE = re.compile(r"Memory: (\d+)K/(\d+)K available .*?, (\d+)K reserved")
MEMMAP_RE = re.compile(r"memmap_init: .*\((\d+) bytes each\)")


def mem_mib(size):
    num, unit = int(size[:-1]), size[-1].upper()
    return num * {"M": 1, "G": 1024}[unit]


def build_dir(root, arch, model):
    return os.path.join(root, f"bench-{ARCHES[arch][0]}-{model}")


def boot(root, arch, model, mem, timeout):
    """Boot one image; return a dict of what its console said."""
    image = os.path.join(build_dir(root, arch, model),
                         "cairn-hello" + ARCHES[arch][1])
    cmd = [sys.executable, QEMU_RUN, arch, "default", image, "--interactive",
           "--memory", mem, "--timeout", str(timeout), "--",
           "-icount", "shift=0"]
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace")
    row = {"arch": arch, "model": model, "mem_mib": mem_mib(mem),
           "phases": {}, "wall_s": time.monotonic() - start}
    for line in proc.stdout.splitlines():
        m = PHASE_RE.search(line)
        if m:
            row["phases"][m.group(1).strip()] = int(m.group(2))
        m = MEMORY_RE.search(line)
        if m:
            row["reserved_kib"] = int(m.group(3))
        m = MEMMAP_RE.search(line)
        if m:
            row["page_bytes"] = int(m.group(1))
    if proc.returncode != 0 or "total to main()" not in row["phases"]:
        tail = "\n".join(proc.stdout.splitlines()[-15:])
        raise RuntimeError(f"{arch} {model} {mem}: boot failed "
                           f"(status {proc.returncode}):\n{tail}")
    return row


def tool(name, *args):
    return subprocess.run([name, *args], check=True, stdout=subprocess.PIPE,
                          text=True).stdout


def sizes(root, arch):
    """Image sizes and static footprint of the flatmem build's hello image."""
    d = build_dir(root, arch, "flatmem")
    elf = os.path.join(d, "cairn-hello.elf")
    out = {"arch": arch, "elf": os.path.getsize(elf)}
    img = os.path.join(d, "cairn-hello.img")
    out["img"] = os.path.getsize(img) if os.path.exists(img) else None
    with tempfile.TemporaryDirectory() as tmp:
        stripped = os.path.join(tmp, "stripped.elf")
        tool("llvm-objcopy", "--strip-all", elf, stripped)
        out["stripped"] = os.path.getsize(stripped)
        raw = os.path.join(tmp, "raw.bin")
        tool("llvm-objcopy", "-O", "binary", elf, raw)
        out["loadable"] = os.path.getsize(raw)
    # Berkeley format: text (code + rodata), data, bss, dec, hex, filename.
    fields = tool("llvm-size", elf).splitlines()[1].split()
    out["text"], out["data"], out["bss"] = (int(x) for x in fields[:3])
    return out


def write_csv(path, rows, phases):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["arch", "model", "mem_mib", *phases])
        for r in rows:
            w.writerow([r["arch"], r["model"], r["mem_mib"],
                        *(r["phases"].get(p, "") for p in phases)])


def read_csv(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        head = next(reader)
        phases = head[3:]
        rows = [{"arch": r[0], "model": r[1], "mem_mib": int(r[2]),
                 "phases": {p: int(v) for p, v in zip(phases, r[3:]) if v}}
                for r in reader]
    return rows, phases


def fmt_mem(mib):
    return f"{mib // 1024}G" if mib >= 1024 else f"{mib}M"


def svg_chart(rows, path):
    """Total to main() against RAM (log2 x axis), one polyline per series."""
    w, h, left, right, top, bottom = 760, 460, 80, 220, 40, 60
    pw, ph = w - left - right, h - top - bottom
    mems = sorted({r["mem_mib"] for r in rows})
    ymax = max([r["phases"]["total to main()"] for r in rows]
               + list(TARGETS.values()))
    step = 500_000
    while ymax / step > 10:
        step *= 2
    ymax = (ymax // step + 1) * step

    def x(mib):
        if len(mems) == 1:
            return left + pw / 2
        i = mems.index(mib)
        return left + pw * i / (len(mems) - 1)

    def y(v):
        return top + ph * (1 - v / ymax)

    colours = {"riscv64": "#1f77b4", "arm64": "#d62728", "x86_64": "#2ca02c"}
    dashes = {"flatmem": "", "sparsemem": "6,3", "sparsemem_vmemmap": "2,3"}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" '
           f'height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="14">Cairn: guest instructions'
           ' from entry to main() (-icount shift=0)</text>']
    v = 0
    while v <= ymax:
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(v):.1f}" '
                   f'y2="{y(v):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" '
                   f'text-anchor="end">{v / 1e6:g} M</text>')
        v += step
    for m in mems:
        out.append(f'<text x="{x(m):.1f}" y="{top + ph + 18}" '
                   f'text-anchor="middle">{fmt_mem(m)}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{h - 15}" '
               'text-anchor="middle">RAM (-m)</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" '
               'fill="none" stroke="black"/>')
    # Issue 8's targets, as crosses.
    for mib, t in TARGETS.items():
        if mib in mems:
            cx, cy = x(mib), y(t)
            out.append(f'<path d="M{cx - 6:.1f},{cy - 6:.1f}l12,12m0,-12'
                       f'l-12,12" stroke="black" stroke-width="2"/>')
    series = sorted({(r["arch"], r["model"]) for r in rows})
    for i, (arch, model) in enumerate(series):
        pts = sorted((r["mem_mib"], r["phases"]["total to main()"])
                     for r in rows if (r["arch"], r["model"]) == (arch, model))
        d = " ".join(f"{x(m):.1f},{y(t):.1f}" for m, t in pts)
        col = colours.get(arch, "black")
        dash = dashes.get(model, "")
        out.append(f'<polyline points="{d}" fill="none" stroke="{col}" '
                   f'stroke-width="2" stroke-dasharray="{dash}"/>')
        for m, t in pts:
            out.append(f'<circle cx="{x(m):.1f}" cy="{y(t):.1f}" r="3" '
                       f'fill="{col}"/>')
        ly = top + 10 + 18 * i
        lx = left + pw + 15
        out.append(f'<line x1="{lx}" x2="{lx + 30}" y1="{ly}" y2="{ly}" '
                   f'stroke="{col}" stroke-width="2" '
                   f'stroke-dasharray="{dash}"/>')
        out.append(f'<text x="{lx + 36}" y="{ly + 4}">{arch} {model}</text>')
    ly = top + 10 + 18 * len(series) + 8
    lx = left + pw + 15
    out.append(f'<path d="M{lx + 9},{ly - 6}l12,12m0,-12l-12,12" '
               'stroke="black" stroke-width="2"/>')
    out.append(f'<text x="{lx + 36}" y="{ly + 4}">issue 8 target</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def table(head, body, nleft=1):
    """A Markdown table: the first nleft columns text, the rest numbers."""
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join("---" if i < nleft else "---:"
                            for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in body]
    return "\n".join(lines)


def report(rows, phases, size_rows, extra):
    mems = sorted({r["mem_mib"] for r in rows})
    series = sorted({(r["arch"], r["model"]) for r in rows},
                    key=lambda s: (list(ARCHES).index(s[0])
                                   if s[0] in ARCHES else 9, s[1]))
    cell = {(r["arch"], r["model"], r["mem_mib"]): r for r in rows}
    print("## Total to main(), guest instructions\n")
    body = [[a, m, *(f'{cell[(a, m, s)]["phases"]["total to main()"]:,}'
                     if (a, m, s) in cell else "-" for s in mems)]
            for a, m in series]
    print(table(["arch", "model", *map(fmt_mem, mems)], body, 2))
    at = 1024 if 1024 in mems else mems[0]
    print(f"\n## Phases at {fmt_mem(at)}, guest instructions\n")
    body = [[a, m, *(f'{cell[(a, m, at)]["phases"].get(p, 0):,}'
                     for p in phases)]
            for a, m in series if (a, m, at) in cell]
    print(table(["arch", "model", *phases], body, 2))
    if size_rows:
        print("\n## Image size and footprint (flatmem hello), bytes\n")
        body = []
        for s in size_rows:
            e = extra.get(s["arch"], {})
            body.append([s["arch"],
                         f'{s["img"]:,}' if s["img"] else "-",
                         f'{s["elf"]:,}', f'{s["stripped"]:,}',
                         f'{s["loadable"]:,}', f'{s["text"]:,}',
                         f'{s["data"]:,}', f'{s["bss"]:,}',
                         f'{e["reserved_kib"]:,} KiB'
                         if "reserved_kib" in e else "-",
                         e.get("page_bytes", "-")])
        print(table(["arch", ".img", "ELF", "ELF stripped",
                     "loadable (-O binary)", "text", "data", "bss",
                     "reserved at 1G", "memmap B/page"], body))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build-root", default=os.path.join(ROOT, "build"))
    ap.add_argument("--arch", action="append", choices=list(ARCHES))
    ap.add_argument("--model", action="append", choices=MODELS)
    ap.add_argument("--mem", action="append")
    ap.add_argument("--csv")
    ap.add_argument("--svg")
    ap.add_argument("--from-csv", help="only tabulate and plot this CSV")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()

    if args.from_csv:
        rows, phases = read_csv(args.from_csv)
        if args.svg:
            svg_chart(rows, args.svg)
        report(rows, phases, [], {})
        return 0

    arches = args.arch or list(ARCHES)
    models = args.model or MODELS
    mems = args.mem or MEMS
    jobs = [(a, m, s) for a in arches for m in models for s in mems]
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futs = [pool.submit(boot, args.build_root, a, m, s, args.timeout)
                for a, m, s in jobs]
        rows = [f.result() for f in futs]
    wall = time.monotonic() - start

    phases = []
    for r in rows:
        for p in r["phases"]:
            if p not in phases:
                phases.append(p)
    if args.csv:
        write_csv(args.csv, rows, phases)
    if args.svg:
        svg_chart(rows, args.svg)
    extra = {r["arch"]: r for r in rows
             if r["mem_mib"] == 1024 and r["model"] == "flatmem"}
    size_rows = [sizes(args.build_root, a) for a in arches
                 if os.path.exists(os.path.join(
                     build_dir(args.build_root, a, "flatmem"),
                     "cairn-hello.elf"))]
    report(rows, phases, size_rows, extra)
    slowest = max(rows, key=lambda r: r["wall_s"])
    print(f"\n{len(rows)} boots in {wall:.1f} s wall with {args.jobs} jobs "
          f"(slowest: {slowest['arch']} {slowest['model']} "
          f"{fmt_mem(slowest['mem_mib'])}, {slowest['wall_s']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
