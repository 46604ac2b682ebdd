#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot Cairn on a deliberately broken device tree (docs/robustness.md).

    hostile_dtb.py ARCH IMAGE CASE

Dumps the DTB QEMU makes for ARCH's default boot path (-machine dumpdtb),
breaks it as CASE says (dtc to source, an edit, dtc back) and boots IMAGE
with it through ci/qemu-run.py, which judges the console and the status.
CASEs, each with the lines and the status it expects:

  wrap          a second memory range passing 2^64: fw005, capped to the
                address space the arch can map, the boot goes on (status 0)
  rsv-outside   a /memreserve/ entry and a no-map /reserved-memory node
                outside RAM: fw007 each, the boot goes on (status 0)
  cells-3       a memory node under a bus of #address-cells 3: fw002, the
                node is ignored, the boot goes on (status 0)
  no-memory     no memory node at all: a panic that says so (status 255)
  breaks-off    the structure block breaks off in a node after the memory
                node (a garbage token): fw001, what came before is used,
                the boot goes on (status 0)

Exits with qemu-run.py's status (0: the boot did what the case expects).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
QEMU_RUN = os.path.join(HERE, "..", "..", "ci", "qemu-run.py")
MEMORY = "512M"

# The default path's machine (ci/qemu-run.py PATHS) for -machine dumpdtb.
MACHINE = {
    "riscv64": ("qemu-system-riscv64", ["-M", "virt", "-bios", "default"],
                "opensbi"),
    "arm64": ("qemu-system-aarch64", ["-M", "virt", "-cpu", "cortex-a57"],
              "direct"),
}

RSV_NODE = """
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		hostile@2000000000 {
			reg = <0x20 0x0 0x0 0x100000>;
			no-map;
		};
	};
"""

THREE_CELLS = """
	hostile-bus {
		#address-cells = <3>;
		#size-cells = <1>;
		ranges;
		memory@90000000 {
			device_type = "memory";
			reg = <0x0 0x0 0x90000000 0x100000>;
		};
	};
"""

# case -> (expected lines, expected status)
CASES = {
    "wrap": (["fw005 range-wraps", "/memory@", "cairn: exit status 0"], 0),
    "rsv-outside": (["fw007 reserved-outside-memory: /memreserve/",
                     "fw007 reserved-outside-memory: "
                     "/reserved-memory/hostile@2000000000",
                     "cairn: exit status 0"], 0),
    "cells-3": (["fw002 bad-cells: /hostile-bus/memory@90000000",
                 "cairn: exit status 0"], 0),
    "breaks-off": (["fw001 bad-table: /: structure block breaks off",
                    "cairn: exit status 0"], 0),
    "no-memory": (["detect_memory: the firmware described no usable memory",
                   "powering off with status 255"], 255),
}


def memory_node_span(dts):
    """(start, end) of the first memory node's text in @dts."""
    m = re.search(r"\n\tmemory@[0-9a-f]+ \{.*?\n\t\};\n", dts, re.S)
    if m is None:
        sys.exit("hostile_dtb: no memory node in QEMU's DTB")
    return m.start(), m.end()


def add_root_nodes(dts, text):
    """@dts with @text inserted at the end of the root node."""
    end = dts.rstrip().rfind("};")
    return dts[:end] + text + dts[end:]


def break_tree(dts, case):
    if case == "wrap":
        # The real range stays; a second tuple runs 8 GiB past 2^64 - 4 GiB.
        s, e = memory_node_span(dts)
        node = dts[s:e]
        node = re.sub(r"reg = <([^>]*)>",
                      r"reg = <\1 0xffffffff 0x00000000 0x00000002 0x0>",
                      node, count=1)
        return dts[:s] + node + dts[e:]
    if case == "rsv-outside":
        dts = dts.replace("/dts-v1/;",
                          "/dts-v1/;\n\n/memreserve/ 0x1000000000 0x10000;",
                          1)
        if "reserved-memory {" in dts:
            sys.exit("hostile_dtb: QEMU's DTB has a reserved-memory node")
        return add_root_nodes(dts, RSV_NODE)
    if case == "cells-3":
        return add_root_nodes(dts, THREE_CELLS)
    if case == "breaks-off":
        return add_root_nodes(dts, "\n\tzz-hostile {\n\t};\n")
    if case == "no-memory":
        s, e = memory_node_span(dts)
        dts = dts[:s] + "\n" + dts[e:]
        if re.search(r"device_type = \"memory\"", dts):
            sys.exit("hostile_dtb: QEMU's DTB has more memory nodes")
        return dts
    sys.exit(f"hostile_dtb: unknown case {case}")


def corrupt_node(dtb, name):
    """@dtb with the FDT_BEGIN_NODE token of node @name made garbage."""
    off = dtb.find(b"\0\0\0\x01" + name.encode() + b"\0")
    if off < 0:
        sys.exit(f"hostile_dtb: node {name} not in the blob")
    return dtb[:off] + b"\x12\x34\x56\x78" + dtb[off + 4:]


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in MACHINE or \
            sys.argv[3] not in CASES:
        sys.exit(__doc__)
    arch, image, case = sys.argv[1:]
    qemu, machine, path = MACHINE[arch]
    for tool in (qemu, "dtc"):
        if shutil.which(tool) is None:
            sys.exit(f"hostile_dtb: {tool} not found: run ci/setup.sh")
    with tempfile.TemporaryDirectory(prefix="cairn-hostile-") as tmp:
        good = os.path.join(tmp, "qemu.dtb")
        bad = os.path.join(tmp, f"{case}.dtb")
        args = list(machine)
        args[1] += f",dumpdtb={good}"
        subprocess.run([qemu] + args + ["-m", MEMORY, "-display", "none"],
                       check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", good],
                             check=True, capture_output=True,
                             text=True).stdout
        dts = break_tree(dts, case)
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", bad,
                        "-"], input=dts, check=True, text=True)
        if case == "breaks-off":
            with open(bad, "rb") as f:
                blob = corrupt_node(f.read(), "zz-hostile")
            with open(bad, "wb") as f:
                f.write(blob)
        lines, status = CASES[case]
        cmd = [sys.executable, QEMU_RUN, arch, path, image,
               "--memory", MEMORY, "--timeout", "60",
               "--expect-status", str(status)]
        for line in lines:
            cmd += ["--expect", line]
        cmd += ["--", "-dtb", bad]
        print("hostile_dtb:", case, "on", arch, flush=True)
        return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())
