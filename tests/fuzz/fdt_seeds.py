#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Seed corpus of fuzz_fdt, made at build time (no blob is committed).

  fdt_seeds.py OUTDIR STAMP DTC DTB...

Copies the DTBs compiled from dts/ into OUTDIR (build/fuzz/seeds/fuzz_fdt,
where ci/fuzz.sh looks), adds the DTBs QEMU hands over on riscv64 virt and
sifive_u and aarch64 virt (NUMA too), repacked by dtc (QEMU pads them to
1 MiB), and writes STAMP. A missing QEMU is an error: ci/setup.sh installs it.
"""
import os
import shutil
import subprocess
import sys
import tempfile

QEMU = [
    ('riscv64-virt', ['qemu-system-riscv64', '-machine', 'virt', '-m', '256M', '-smp', '2']),
    ('riscv64-sifive_u', ['qemu-system-riscv64', '-machine', 'sifive_u', '-m', '1G']),
    ('aarch64-virt', ['qemu-system-aarch64', '-machine', 'virt', '-cpu', 'cortex-a57',
                      '-m', '1G']),
    ('aarch64-virt-numa', ['qemu-system-aarch64', '-machine', 'virt', '-cpu', 'cortex-a57',
                           '-m', '2G', '-smp', '2',
                           '-object', 'memory-backend-ram,id=m0,size=1G',
                           '-object', 'memory-backend-ram,id=m1,size=1G',
                           '-numa', 'node,nodeid=0,memdev=m0,cpus=0',
                           '-numa', 'node,nodeid=1,memdev=m1,cpus=1']),
]


def main():
    outdir, stamp, dtc, dtbs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    os.makedirs(outdir, exist_ok=True)
    for d in dtbs:
        shutil.copyfile(d, os.path.join(outdir, os.path.basename(d)))
    with tempfile.TemporaryDirectory() as tmp:
        for name, cmd in QEMU:
            raw = os.path.join(tmp, name + '.dtb')
            cmd = cmd[:]
            cmd[2] += ',dumpdtb=' + raw
            subprocess.run(cmd + ['-display', 'none'], check=True,
                           stdin=subprocess.DEVNULL, capture_output=True)
            subprocess.run([dtc, '-q', '-I', 'dtb', '-O', 'dtb', '-o',
                            os.path.join(outdir, 'qemu-' + name + '.dtb'), raw],
                           check=True)
    with open(stamp, 'w') as f:
        f.write('%d seeds\n' % len(os.listdir(outdir)))


if __name__ == '__main__':
    main()
