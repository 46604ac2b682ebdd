#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check the layering rules of docs/boot-flow.md ("Who may include whom").

- Outside arch/ (and the host tests' fake arch), nothing includes an arch
  header other than through <cairn/arch.h> (the hooks), <cairn/types.h>
  (which alone includes <cairn/arch/types.h>) and <cairn/pgtable.h> (which
  alone includes <cairn/arch/pgtable.h>), and nothing tests an
  architecture macro.
- generic/ knows no firmware format and no driver: no libfdt, fdt, efi,
  e820 or serial headers.
- lib/ is a leaf: standard headers and <cairn/compiler.h>/<cairn/printf.h>.
- Only <cairn/fdt.h> includes <libfdt.h> (it supplies Cairn's libfdt_env.h).
Prints one line per violation; exits 1 if there is any.
"""
import pathlib
import re
import sys

top = pathlib.Path(__file__).resolve().parent.parent
inc_re = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
arch_macro_re = re.compile(r'\b(__riscv\w*|__aarch64__|__arm__|__x86_64__|__i386__)\b')
FIRMWARE = ("libfdt.h", "cairn/fdt.h", "cairn/efi.h", "cairn/e820.h",
            "cairn/serial.h", "cairn/libfdt_env.h")
# The generic headers that alone include an arch header (and check it).
ARCH_GATES = ("include/cairn/types.h", "include/cairn/pgtable.h")
LIB_OK = ("cairn/compiler.h", "cairn/printf.h")

errors = []
for path in sorted(top.rglob("*")):
    rel = path.relative_to(top).as_posix()
    if path.suffix not in (".c", ".h", ".S") or rel.startswith(("build/", "subprojects/")):
        continue
    text = path.read_text(errors="replace")
    incs = inc_re.findall(text)
    in_arch = rel.startswith(("arch/", "tests/host/arch/"))
    for inc in incs:
        if not in_arch and "cairn/arch/" in inc and rel not in ARCH_GATES:
            errors.append(f"{rel}: includes arch header <{inc}>")
        if inc == "libfdt.h" and rel != "include/cairn/fdt.h":
            errors.append(f"{rel}: includes <libfdt.h>; include <cairn/fdt.h>")
        if rel.startswith("generic/") and inc in FIRMWARE:
            errors.append(f"{rel}: generic code includes firmware/driver header <{inc}>")
        if rel.startswith("lib/") and inc.startswith("cairn/") and inc not in LIB_OK:
            errors.append(f"{rel}: lib/ is a leaf but includes <{inc}>")
    if not in_arch and rel.startswith(("init/", "generic/", "drivers/", "lib/", "include/", "examples/")):
        for m in arch_macro_re.finditer(text):
            errors.append(f"{rel}: tests architecture macro {m.group(1)}")
            break

for e in errors:
    print(e)
print(f"check-includes: {len(errors)} violation(s)")
sys.exit(1 if errors else 0)
