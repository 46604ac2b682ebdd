#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Real device trees from QEMU, checked against the QEMU command line.

Makes the DTB a QEMU machine hands over, either with -machine ...,dumpdtb=
(what QEMU gives the firmware) or, with --firmware, by booting OpenSBI with
a payload that only spins and saving the DTB OpenSBI hands on (it adds
/reserved-memory/mmode_resv*) with QMP's pmemsave. Then runs
fdt_expect on it with the memory QEMU must describe, derived from the
arguments: DRAM at 0x80000000 (riscv64) or 0x40000000 (aarch64), of the
-m size, split in two nodes with --numa. Output is fdt_expect's TAP.

Nothing is skipped: a missing QEMU or firmware is a failure (ci/setup.sh
installs both). It writes only into a temporary folder.

  qemu_dtb.py FDT_EXPECT ARCH MACHINE MEM_MIB SMP [--numa] [--secure]
              [--firmware FILE --fdt-addr ADDR --fw-resv SIZE] [EXPECT...]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

DRAM_BASE = {'riscv64': 0x80000000, 'aarch64': 0x40000000}
# A riscv64 "j ." at the payload address: the hart waits there forever.
SPIN = {'riscv64': bytes([0x6f, 0x00, 0x00, 0x00])}
FDT_MAGIC = bytes([0xd0, 0x0d, 0xfe, 0xed])


def bail(msg):
    print('Bail out! ' + msg)
    sys.exit(1)


def qemu_command(a, qemu, machine):
    cmd = [qemu, '-machine', machine, '-m', '%dM' % a.mem_mib,
           '-smp', str(a.smp), '-display', 'none']
    if a.arch == 'aarch64':
        cmd += ['-cpu', 'cortex-a57']
    if a.numa:
        half = a.mem_mib // 2
        cmd += ['-object', 'memory-backend-ram,id=m0,size=%dM' % half,
                '-object', 'memory-backend-ram,id=m1,size=%dM' % half,
                '-numa', 'node,nodeid=0,memdev=m0,cpus=0',
                '-numa', 'node,nodeid=1,memdev=m1,cpus=1']
    return cmd


def dump(a, qemu, out):
    machine = a.machine + (',secure=on' if a.secure else '') + ',dumpdtb=' + out
    cmd = qemu_command(a, qemu, machine)
    print('# ' + ' '.join(cmd))
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=60)
    if p.returncode != 0 or not os.path.exists(out):
        bail('QEMU could not dump its DTB: ' + p.stderr.strip())


def qmp(p, command, **arguments):
    """One QMP command; its answer (events in between are skipped)."""
    msg = {'execute': command}
    if arguments:
        msg['arguments'] = arguments
    p.stdin.write(json.dumps(msg) + '\n')
    p.stdin.flush()
    while True:
        line = p.stdout.readline()
        if not line:
            bail('QEMU exited during %s' % command)
        answer = json.loads(line)
        if 'return' in answer or 'error' in answer:
            return answer


def capture(a, qemu, out, tmp):
    """Boot the firmware and save the DTB it hands on, once it is done."""
    payload = os.path.join(tmp, 'spin.bin')
    with open(payload, 'wb') as f:
        f.write(SPIN[a.arch])
    cmd = qemu_command(a, qemu, a.machine) + [
        '-bios', a.firmware, '-kernel', payload, '-serial', 'null',
        '-monitor', 'none', '-qmp', 'stdio']
    print('# ' + ' '.join(cmd))
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    blob = b''
    try:
        p.stdout.readline()     # the greeting
        qmp(p, 'qmp_capabilities')
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.2)
            r = qmp(p, 'pmemsave', val=int(a.fdt_addr, 0), size=0x20000,
                    filename=out)
            if 'error' in r:
                bail('pmemsave: %s' % r['error'])
            with open(out, 'rb') as f:
                blob = f.read()
            # OpenSBI edits the tree in place (fw_dynamic) or copies it
            # (fw_jump): wait until its reservation is there.
            if blob[:4] == FDT_MAGIC and b'mmode_resv' in blob:
                break
            blob = b''
        qmp(p, 'quit')
        p.wait(timeout=10)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    if not blob:
        bail('no DTB with an OpenSBI reservation at %s within 60 s' % a.fdt_addr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('checker')
    ap.add_argument('arch', choices=sorted(DRAM_BASE))
    ap.add_argument('machine')
    ap.add_argument('mem_mib', type=int)
    ap.add_argument('smp', type=int)
    ap.add_argument('--numa', action='store_true')
    ap.add_argument('--secure', action='store_true')
    ap.add_argument('--firmware')
    ap.add_argument('--fdt-addr')
    ap.add_argument('--fw-resv', type=lambda s: int(s, 0), default=0)
    ap.add_argument('expect', nargs='*')
    a = ap.parse_intermixed_args()

    qemu = shutil.which('qemu-system-' + a.arch)
    if qemu is None:
        bail('qemu-system-%s not found (ci/setup.sh installs it)' % a.arch)
    if a.firmware and not os.path.exists(a.firmware):
        bail('firmware %s not found (ci/setup.sh installs it)' % a.firmware)

    base, size = DRAM_BASE[a.arch], a.mem_mib << 20
    if a.numa:
        expect = ['memory=%#x+%#x@0' % (base, size // 2),
                  'memory=%#x+%#x@1' % (base + size // 2, size // 2)]
    elif a.fw_resv:
        expect = ['memory=%#x+%#x@none:nomap' % (base, a.fw_resv),
                  'memory=%#x+%#x@none' % (base + a.fw_resv, size - a.fw_resv),
                  'reserved=%#x+%#x' % (base, a.fw_resv)]
    else:
        expect = ['memory=%#x+%#x@none' % (base, size)]
    if not a.fw_resv:
        expect.append('reserved=none')
    expect.append('hole=0x0+%#x' % base)

    with tempfile.TemporaryDirectory(prefix='cairn-qemu-dtb-') as tmp:
        out = os.path.join(tmp, 'qemu.dtb')
        if a.firmware:
            capture(a, qemu, out, tmp)
        else:
            dump(a, qemu, out)
        sys.stdout.flush()
        p = subprocess.run([a.checker, out] + expect + a.expect)
    sys.exit(p.returncode)


if __name__ == '__main__':
    main()
