#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot test-canary twice on one path and compare the canaries (TAP).

    canary_boots.py QEMU_RUN ARCH PATH IMAGE

Each boot must log which source seeded the canary ("random: canary seeded
from ...") and print a canary of the right form (the app checks it and
fails otherwise). Where the source is real entropy (a DT seed, the EFI RNG,
the CPU's RNG) the two canaries must differ; with only the arch counter
they may not, and the check is skipped with the reason.
"""
import re
import subprocess
import sys

WEAK = "the arch counter"


def boot(qemu_run, arch, path, image):
    r = subprocess.run([sys.executable, qemu_run, arch, path, image,
                        "--expect", "random: canary seeded from",
                        "--expect", "canary: 0x",
                        "--expect", "cairn: exit status 0"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=300)
    src = re.search(r"random: canary seeded from (.*?)\r?$", r.stdout, re.M)
    val = re.search(r"canary: (0x[0-9a-f]+)", r.stdout)
    return (r.returncode, src.group(1) if src else None,
            val.group(1) if val else None, r.stdout)


def main():
    qemu_run, arch, path, image = sys.argv[1:5]
    boots = [boot(qemu_run, arch, path, image) for _ in range(2)]
    print("1..4")
    ok = True
    for i, (rc, src, val, out) in enumerate(boots, 1):
        good = rc == 0 and src is not None and val is not None
        ok &= good
        print("%s %d - boot %d: source %r, canary %s" %
              ("ok" if good else "not ok", i, i, src, "printed" if val else None))
        if not good:
            print("# " + out.replace("\n", "\n# "))
    srcs = {b[1] for b in boots}
    good = len(srcs) == 1 and None not in srcs
    ok &= good
    print("%s 3 - both boots name one source: %s" %
          ("ok" if good else "not ok", sorted(s for s in srcs if s)))
    src, v1, v2 = boots[0][1], boots[0][2], boots[1][2]
    if src is None or src.startswith(WEAK):
        print("ok 4 # SKIP the canaries may match: seeded from %r" % src)
    else:
        good = v1 is not None and v2 is not None and v1 != v2
        ok &= good
        print("%s 4 - the canaries of two boots differ" %
              ("ok" if good else "not ok"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
