#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Make cairn-APP.bzimage from cairn-APP.elf.

    mkbzimage.py KERNEL.elf OUT.bzimage

The bzImage is the ELF's .bzsetup section (header.S: the Linux setup
sectors, the PE header and the real-mode code, linked with the kernel but
not allocated) followed by the ELF's loadable bytes as they lie in memory
from the link address (pref_address, 2 MiB) to the end of the last file-backed byte,
gaps zero-filled: what QEMU, U-Boot's zboot and a UEFI loader place in
memory (at 1 MiB, or where UEFI chooses) and the entry code then moves to
its link address. Every size in the header comes from the link; this script
only checks that the file it writes agrees with them, so a mismatch fails
the build.
"""
import struct
import sys

PT_LOAD = 1


def fail(msg):
    sys.exit(f"mkbzimage: {msg}")


def read_elf(data):
    """Return (loadable segments, {section name: bytes})."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        fail("not a little-endian ELF64 file")
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from(
        "<HHHHH", data, 0x36)
    segs = []
    for i in range(phnum):
        p_type, _, offset, _, paddr, filesz, _, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == PT_LOAD and filesz > 0:
            segs.append((paddr, data[offset:offset + filesz]))
    headers = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
               for i in range(shnum)]
    strtab = headers[shstrndx]
    sections = {}
    for name, sh_type, _, _, offset, size in headers:
        end = data.index(b"\0", strtab[4] + name)
        key = data[strtab[4] + name:end].decode()
        sections[key] = data[offset:offset + size] if sh_type != 8 else b""
    return segs, sections


def main():
    if len(sys.argv) != 3:
        fail("usage: mkbzimage.py KERNEL.elf OUT.bzimage")
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    segs, sections = read_elf(data)
    setup = sections.get(".bzsetup")
    if not setup:
        fail("no .bzsetup section (arch/x86/header.S not linked?)")
    if not segs:
        fail("no loadable segment")

    base = min(paddr for paddr, _ in segs)
    end = max(paddr + len(body) for paddr, body in segs)
    flat = bytearray(end - base)
    for paddr, body in segs:
        flat[paddr - base:paddr - base + len(body)] = body

    setup_sects = setup[0x1f1]
    syssize, = struct.unpack_from("<I", setup, 0x1f4)
    pref_address, = struct.unpack_from("<Q", setup, 0x258)
    if len(setup) != (setup_sects + 1) * 512:
        fail(f".bzsetup is {len(setup):#x} bytes, setup_sects says "
             f"{(setup_sects + 1) * 512:#x}")
    if pref_address != base:
        fail(f"pref_address {pref_address:#x} is not the link address "
             f"{base:#x}")
    if syssize * 16 != len(flat) or len(flat) % 512:
        fail(f"loadable part is {len(flat):#x} bytes, syssize says "
             f"{syssize * 16:#x} (must be whole 512-byte sectors)")
    with open(sys.argv[2], "wb") as f:
        f.write(setup)
        f.write(flat)


if __name__ == "__main__":
    main()
