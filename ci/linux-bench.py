#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot Debian's own Linux kernels on Cairn's QEMU machines, for comparison.

    linux-bench.py OUT.csv [--mem 128M,1G,4G] [--arch x86_64,arm64,riscv64]
                   [--cairn-csv FILE] [--timeout S] [--cache DIR]

Fetches the linux-image package that linux-image-<debarch> currently depends
on into a cache outside the checkout ($(ci/cache-dir.sh)/linux); amd64 with
the machine's own apt, other architectures through a private apt state
directory, so the machine's configured architectures never change. Each
kernel boots under -icount shift=0 (one guest instruction = 1 ns) with no
root filesystem; the printk timestamp of Linux's "Memory:" line is the time
from sched_clock's start to a ready page allocator, in instructions. QEMU is
killed as soon as that line appears (without a root fs Linux panics later).

Writes OUT.csv (arch, mem, linux_memory_line_ns, kernel) and prints a table;
with --cairn-csv (bench/boot_bench.py's CSV: arch, model, mem_mib, the
phases, "total to main()") Cairn's entry->main() of its flatmem rows
is printed beside it, with the ratio. A benchmark, never a test: an arch
that cannot be measured is reported and skipped, not failed.

Two ways to read Linux's cost (--method):
  stamp  the printk timestamp of the Memory: line (x86_64's default). It
         leaves out what runs before sched_clock starts (on x86 the
         decompressor and the earliest setup), so it understates Linux.
  trace  count every guest instruction from the first one to the moment
         the UART has written the Memory: line, from QEMU's TCG trace
         (-d in_asm,exec,nochain) and the UART's register-write trace
         event in the same ordered log (bench/tcgtrace.py), with
         `earlycon` so that printk writes as it goes. arm64's default: it
         starts sched_clock in time_init(), after mm_init(), so its
         Memory: line is always stamped 0.000000. About 20-60 s a boot.
"""
import argparse
import csv
import glob
import os
import re
import selectors
import subprocess
import sys
import tempfile
import time

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    ".."))
sys.path.insert(0, os.path.join(TOP, "bench"))
from tcgtrace import count_to_output  # noqa: E402

KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"

# Cairn arch -> Debian arch, QEMU and its arguments (the machines of
# ci/qemu-run.py's direct boot paths) and the kernel's serial console.
# "uart": the QEMU trace event of a UART register write and a regex that
# captures the byte written to the data register; "method": the default.
ARCHES = {
    "x86_64": {"debarch": "amd64", "qemu": "qemu-system-x86_64",
               "args": ["-M", "q35"], "console": "ttyS0",
               # No trace: bzImage's decompressor alone makes it run for
               # more than 6 minutes; the printk stamps work on x86.
               "uart": None, "method": "stamp"},
    "arm64": {"debarch": "arm64", "qemu": "qemu-system-aarch64",
              "args": ["-M", "virt", "-cpu", "cortex-a57"],
              "console": "ttyAMA0", "earlycon": "earlycon",
              "uart": ("pl011_write",
                       r"pl011_write addr 0x0+ value 0x([0-9a-f]+)"),
              "method": "trace"},
    "riscv64": {"debarch": "riscv64", "qemu": "qemu-system-riscv64",
                "args": ["-M", "virt", "-bios", "default"],
                "console": "ttyS0", "earlycon": "earlycon",
                "uart": ("serial_write",
                         r"serial_write .*addr 0x0+ val 0x([0-9a-f]+)"),
                "method": "trace"},
}
# Suites that have no port for an arch (riscv64 became official in trixie).
NO_PORT = {"riscv64": {"bookworm", "bookworm-updates", "bookworm-security"}}

MEMORY_LINE = re.compile(r"^\[\s*(\d+)\.(\d+)\]\s.*\bMemory: ")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True,
                          stdout=subprocess.PIPE, **kw).stdout


def cache_dir():
    return os.path.join(run([os.path.join(TOP, "ci", "cache-dir.sh")]).strip(),
                        "linux")


def debian_sources():
    """The machine's Debian (URI, suite) pairs, from deb822 or one-line files."""
    found = []
    files = glob.glob("/etc/apt/sources.list.d/*.sources")
    for path in files:
        with open(path) as f:
            for stanza in re.split(r"\n\s*\n", f.read()):
                fields = {}
                for line in stanza.splitlines():
                    m = re.match(r"^([A-Za-z-]+):\s*(.*)$", line)
                    if m:
                        fields[m.group(1).lower()] = m.group(2).split()
                if "deb" not in fields.get("types", []) or \
                        fields.get("enabled", ["yes"])[0] == "no":
                    continue
                for uri in fields.get("uris", []):
                    for suite in fields.get("suites", []):
                        found.append((uri, suite))
    lists = ["/etc/apt/sources.list"] + \
        glob.glob("/etc/apt/sources.list.d/*.list")
    for path in lists:
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for line in f:
                words = re.sub(r"\[[^]]*\]", "", line.split("#")[0]).split()
                if len(words) >= 3 and words[0] == "deb":
                    found.append((words[1], words[2]))
    # Only Debian's own archive: other repositories carry no kernels.
    return [(u, s) for u, s in found if re.search(r"/debian(-security)?/?$", u)]


def apt_options(debarch, state):
    """apt options for a private state directory holding only DEBARCH."""
    # As root apt downloads unsandboxed into our cache anyway: say so.
    quiet = ["-o", "APT::Sandbox::User=root"] if os.geteuid() == 0 else []
    if debarch == "amd64" and os.uname().machine == "x86_64":
        return quiet
    return quiet + ["-o", "Dir::State=" + os.path.join(state, "state"),
            "-o", "Dir::State::status=" + os.path.join(state, "status"),
            "-o", "Dir::Cache=" + os.path.join(state, "cache"),
            "-o", "Dir::Etc::SourceList=" + os.path.join(state, "sources.list"),
            "-o", "Dir::Etc::SourceParts=" + os.path.join(state, "none"),
            "-o", "APT::Architecture=" + debarch,
            "-o", "APT::Architectures=" + debarch]


def private_apt_update(debarch, state, sources):
    for sub in ("state/lists/partial", "cache/archives/partial", "none"):
        os.makedirs(os.path.join(state, sub), exist_ok=True)
    open(os.path.join(state, "status"), "a").close()
    with open(os.path.join(state, "sources.list"), "w") as f:
        for uri, suite in sources:
            f.write("deb [arch=%s signed-by=%s] %s %s main\n"
                    % (debarch, KEYRING, uri, suite))
    run(["apt-get"] + apt_options(debarch, state) + ["-q", "update"],
        stderr=subprocess.DEVNULL)


def fetch_kernel(arch, cache, sources):
    """Path of the vmlinuz of linux-image-<debarch>'s current kernel."""
    debarch = ARCHES[arch]["debarch"]
    state = os.path.join(cache, "apt-" + debarch)
    opts = apt_options(debarch, state)
    if any(o.startswith("Dir::State=") for o in opts):
        private_apt_update(debarch, state, sources)
    deps = run(["apt-cache"] + opts + ["depends", "linux-image-" + debarch])
    m = re.search(r"Depends: (linux-image-\S+-%s)\b" % debarch, deps)
    if not m:
        raise RuntimeError("no versioned kernel in linux-image-%s's depends"
                           % debarch)
    pkg = m.group(1)
    ver = run(["apt-cache"] + opts + ["show", "--no-all-versions", pkg])
    ver = re.search(r"^Version: (\S+)", ver, re.M).group(1)
    where = os.path.join(cache, debarch)
    os.makedirs(where, exist_ok=True)
    deb = os.path.join(where, "%s_%s_%s.deb"
                       % (pkg, ver.replace(":", "%3a"), debarch))
    if not os.path.exists(deb):
        log("linux-bench: downloading %s %s (%s)" % (pkg, ver, debarch))
        subprocess.run(["apt-get"] + opts + ["-q", "download", pkg + "=" + ver],
                       check=True, cwd=where, stdout=subprocess.DEVNULL)
    tree = os.path.join(where, "%s_%s" % (pkg, ver))
    kernels = glob.glob(os.path.join(tree, "boot", "vmlinuz-*"))
    if not kernels:
        # Only boot/ (vmlinuz, config): the modules are 400 MB we never use.
        os.makedirs(tree, exist_ok=True)
        tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb],
                               stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", tree, "--wildcards", "./boot/*"],
                       stdin=tar.stdout, check=True)
        tar.stdout.close()
        tar.wait()
        kernels = glob.glob(os.path.join(tree, "boot", "vmlinuz-*"))
    return kernels[0], "%s %s" % (pkg, ver)


def boot(arch, kernel, mem, timeout):
    """ns (= instructions) of the Memory: line's printk stamp, or None."""
    a = ARCHES[arch]
    cmd = [a["qemu"]] + a["args"] + [
        "-m", mem, "-kernel", kernel,
        "-append", "console=%s printk.time=1 panic=-1 nokaslr" % a["console"],
        "-icount", "shift=0", "-nographic", "-no-reboot"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    buf, tail, ns = b"", [], None
    try:
        while ns is None and time.monotonic() < deadline:
            if not sel.select(timeout=1):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for raw in lines:
                line = raw.decode(errors="replace").rstrip("\r")
                tail = (tail + [line])[-20:]
                m = MEMORY_LINE.search(line)
                if m:
                    ns = int(m.group(1)) * 10**9 + \
                        int(m.group(2).ljust(9, "0")[:9])
                    break
    finally:
        proc.kill()
        proc.wait()
    if ns is None:
        log("linux-bench: %s -m %s: no Memory: line; last lines:\n  %s"
            % (arch, mem, "\n  ".join(tail)))
    elif ns == 0:
        # arm64 registers sched_clock in time_init(), after mm_init(): its
        # Memory: line is stamped 0.000000 and measures nothing.
        log("linux-bench: %s -m %s: Memory: line stamped 0 (sched_clock not "
            "yet running); no measurement" % (arch, mem))
        ns = None
    return ns


def trace_boot(arch, kernel, mem, timeout):
    """Instructions from the first one to the UART's Memory: line, or None."""
    a = ARCHES[arch]
    event, uart_re = a["uart"]
    tmp = tempfile.mkdtemp(prefix="linux-trace-")
    fifo = os.path.join(tmp, "trace")
    os.mkfifo(fifo)
    cmd = [a["qemu"]] + a["args"] + [
        "-m", mem, "-kernel", kernel,
        "-append", "console=%s %s printk.time=1 panic=-1 nokaslr"
        % (a["console"], a["earlycon"]),
        "-icount", "shift=0", "-display", "none", "-serial", "null",
        "-monitor", "none", "-no-reboot",
        "-d", "in_asm,exec,nochain", "-trace", event, "-D", fifo]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    timer = __import__("threading").Timer(timeout, proc.kill)
    timer.start()
    try:
        n, line = count_to_output(fifo, re.compile(uart_re),
                                  re.compile(r"\bMemory: "))
    finally:
        timer.cancel()
        proc.kill()
        proc.wait()
        os.unlink(fifo)
        os.rmdir(tmp)
    if line is None:
        log("linux-bench: %s -m %s: no Memory: line in the trace" %
            (arch, mem))
        return None
    return n


def mem_bytes(text):
    """'128M', '1G', '1GiB', '134217728' -> bytes ('128' alone means MiB)."""
    m = re.match(r"^\s*(\d+)\s*([KMGT]?)(i?B)?\s*$", str(text), re.I)
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2).upper()
    if not unit:
        return n if n >= 1 << 20 else n << 20
    return n << {"K": 10, "M": 20, "G": 30, "T": 40}[unit]


def cairn_totals(path):
    """{(arch, bytes): entry->main()} of the flatmem rows of Cairn's bench CSV.

    bench/boot_bench.py writes arch, model, mem_mib, the phases and
    "total to main()"; a "mem" column with units and a plain "total" are
    accepted too.
    """
    alias = {"aarch64": "arm64", "amd64": "x86_64", "x86": "x86_64",
             "riscv": "riscv64"}
    out = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            total = next((v for k, v in row.items()
                          if k and k.startswith("total") and v), None)
            if row.get("model", "flatmem") != "flatmem" or total is None:
                continue
            if row.get("mem_mib"):
                size = int(row["mem_mib"]) << 20
            else:
                size = mem_bytes(row.get("mem", ""))
            arch = alias.get(row["arch"], row["arch"])
            out[(arch, size)] = int(float(total))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="CSV to write")
    ap.add_argument("--mem", default="128M,1G,4G")
    ap.add_argument("--arch", default="x86_64,arm64,riscv64")
    ap.add_argument("--cairn-csv")
    ap.add_argument("--timeout", type=float, default=180)
    ap.add_argument("--cache", help="default: $(ci/cache-dir.sh)/linux")
    ap.add_argument("--method", choices=["default", "stamp", "trace"],
                    default="default",
                    help="how to read Linux's cost (see above)")
    args = ap.parse_args()

    cache = args.cache or cache_dir()
    sources = debian_sources()
    suites = {s for _, s in sources}
    if not sources:
        sys.exit("linux-bench: no Debian archive in the apt sources")
    cairn = cairn_totals(args.cairn_csv) if args.cairn_csv else {}

    rows = []
    for arch in args.arch.split(","):
        if suites and suites <= NO_PORT.get(arch, set()):
            print("%s: Debian %s has no %s port; skipped"
                  % (arch, "/".join(sorted(suites)), ARCHES[arch]["debarch"]))
            continue
        try:
            kernel, name = fetch_kernel(arch, cache, sources)
        except (subprocess.CalledProcessError, RuntimeError) as e:
            print("%s: cannot fetch a kernel (%s); skipped" % (arch, e))
            continue
        method = ARCHES[arch]["method"] if args.method == "default" \
            else args.method
        if method == "trace" and ARCHES[arch]["uart"] is None:
            print("%s: no trace method; using the printk stamp" % arch)
            method = "stamp"
        for mem in args.mem.split(","):
            if method == "trace":
                ns = trace_boot(arch, kernel, mem, args.timeout)
            else:
                ns = boot(arch, kernel, mem, args.timeout)
            rows.append((arch, mem, ns, name, method))

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["arch", "mem", "linux_memory_line_ns", "method",
                    "kernel"])
        for arch, mem, ns, name, method in rows:
            w.writerow([arch, mem, "" if ns is None else ns, method, name])

    fmt = "%-8s %6s %16s %6s %14s %8s  %s"
    print(fmt % ("arch", "mem", "linux Memory: ns", "method",
                 "cairn main ns", "ratio", "kernel"))
    for arch, mem, ns, name, method in rows:
        c = cairn.get((arch, mem_bytes(mem)))
        ratio = "%.0fx" % (ns / c) if ns and c else "-"
        print(fmt % (arch, mem, "-" if ns is None else "{:,}".format(ns),
                     method, "-" if c is None else "{:,}".format(c), ratio,
                     name))


if __name__ == "__main__":
    main()
