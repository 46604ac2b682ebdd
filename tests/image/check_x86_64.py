#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check the two x86_64 Cairn files: the PVH ELF and the bzImage.

    check_x86_64.py BZIMAGE ELF

The ELF boots through PVH (QEMU -kernel); the bzImage, made from the same
ELF by arch/x86/mkbzimage.py, boots through the Linux boot protocol (QEMU
-kernel, U-Boot's zboot) and as a PE32+ EFI application (OVMF, U-Boot's
bootefi). A wrong field breaks a path that a board may be the first to
try; this catches it at build time. Checked: the Xen PVH note and where
it points; the setup header (magics, version, setup_sects, syssize,
loadflags, code32_start, pref_address, alignment, xloadflags, init_size)
and the zero-page fields the file must leave 0; the PE headers (MZ, PE
signature, machine, sizes, alignments, the entry inside an executable
section at efi_pe_entry); and that the bzImage's kernel bytes are the
ELF's loadable bytes, so the two files never diverge.

Prints one line per problem and exits 1 if there is any.

Sources: Linux Documentation/arch/x86/boot.rst and zero-page.rst, the Xen
public header elfnote.h (XEN_ELFNOTE_PHYS32_ENTRY), the Microsoft PE
format specification, UEFI 2.10 §2.1.1.
"""
import struct
import sys

PAGE = 4096
EM_X86_64 = 62
PT_LOAD = 1
PT_NOTE = 4
PF_X = 1
SHT_SYMTAB = 2
XEN_ELFNOTE_PHYS32_ENTRY = 18

HDRS = b"HdrS"
BOOT_FLAG = 0xAA55
LOADED_HIGH = 0x01
XLF_KERNEL_64 = 0x0001
BZ_LOAD_ADDR = 0x100000        # where loaders put code32_start
ENTRY64_OFFSET = 0x200
MIN_PROTOCOL = 0x020C

PE_SIGNATURE = b"PE\0\0"
MACHINE_X86_64 = 0x8664
PE32PLUS = 0x20B
SUBSYSTEM_EFI_APPLICATION = 10
FILE_EXECUTABLE_IMAGE = 0x0002
SCN_MEM_EXECUTE = 0x20000000
OPT_FIXED_SIZE = 112
SECTION_SIZE = 40

problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)
    return cond


def pow2(x):
    return x > 0 and x & (x - 1) == 0


def read_elf(data):
    """Return (program headers, symbols) of an ELF64 little-endian file."""
    if not check(data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1,
                 "ELF: not a little-endian ELF64 file"):
        return [], {}
    machine, = struct.unpack_from("<H", data, 0x12)
    check(machine == EM_X86_64, f"ELF: e_machine {machine}, not x86_64")
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum = struct.unpack_from(
        "<HHHH", data, 0x36)
    phdrs = [struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
             for i in range(phnum)]
    shdrs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
             for i in range(shnum)]
    syms = {}
    for sh in shdrs:
        if sh[1] != SHT_SYMTAB:
            continue
        strtab = shdrs[sh[6]]
        for off in range(sh[4], sh[4] + sh[5], 24):
            name, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data,
                                                         off)
            end = data.index(b"\0", strtab[4] + name)
            syms[data[strtab[4] + name:end].decode()] = value
    return phdrs, syms


def check_pvh(data, phdrs, syms):
    """The Xen note QEMU reads for PVH, and the segments it loads."""
    loads = [p for p in phdrs if p[0] == PT_LOAD]
    check(loads, "ELF: no PT_LOAD segment")
    for p in loads:
        check(p[4] >= 0x100000, f"ELF: PT_LOAD at {p[4]:#x} is below 1 MiB "
              f"(BIOS area)")
    notes = [p for p in phdrs if p[0] == PT_NOTE]
    found = None
    for _, _, off, _, _, filesz, _, align in notes:
        # QEMU 7.2 pads the note name to the segment's alignment.
        check(align == 4, f"ELF: PT_NOTE aligned to {align}, QEMU needs 4")
        pos = off
        while pos + 12 <= off + filesz:
            namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
            name = data[pos + 12:pos + 12 + namesz]
            desc = pos + 12 + (namesz + 3) // 4 * 4
            if name == b"Xen\0" and ntype == XEN_ELFNOTE_PHYS32_ENTRY:
                found = (desc, descsz)
            pos = desc + (descsz + 3) // 4 * 4
    if not check(found, "ELF: no Xen PHYS32_ENTRY note (PVH)"):
        return
    desc, descsz = found
    check(descsz == 4, f"ELF: PVH note desc is {descsz} bytes, not 4")
    entry, = struct.unpack_from("<I", data, desc)
    # QEMU 7.2 reads the desc of an ELF64 note as 8 bytes.
    check(data[desc + 4:desc + 8] == b"\0" * 4,
          "ELF: the 4 bytes after the PVH note desc are not 0")
    check(entry == syms.get("pvh_start"),
          f"ELF: PVH entry {entry:#x} is not pvh_start")
    check(any(p[1] & PF_X and p[4] <= entry < p[4] + p[5] for p in loads),
          f"ELF: PVH entry {entry:#x} is not in an executable segment")


def flat_image(data, phdrs):
    """The ELF's loadable bytes from the lowest load address."""
    loads = [p for p in phdrs if p[0] == PT_LOAD and p[5] > 0]
    if not loads:
        return 0, b""
    base = min(p[4] for p in loads)
    end = max(p[4] + p[5] for p in loads)
    flat = bytearray(end - base)
    for _, _, off, _, paddr, filesz, _, _ in loads:
        flat[paddr - base:paddr - base + filesz] = data[off:off + filesz]
    return base, bytes(flat)


def check_setup(img, syms, base, flat):
    """The Linux setup header and the zero-page bytes around it."""
    if not check(len(img) >= 0x1000, "bzImage: shorter than a zero page"):
        return 0
    setup_sects = img[0x1f1] or 4
    setup = (setup_sects + 1) * 512
    syssize, = struct.unpack_from("<I", img, 0x1f4)
    boot_flag, = struct.unpack_from("<H", img, 0x1fe)
    jump = img[0x200:0x202]
    version, = struct.unpack_from("<H", img, 0x206)
    loadflags = img[0x211]
    code32_start, = struct.unpack_from("<I", img, 0x214)
    kernel_alignment, = struct.unpack_from("<I", img, 0x230)
    relocatable, min_align = img[0x234], img[0x235]
    xloadflags, = struct.unpack_from("<H", img, 0x236)
    cmdline_size, = struct.unpack_from("<I", img, 0x238)
    pref_address, = struct.unpack_from("<Q", img, 0x258)
    init_size, = struct.unpack_from("<I", img, 0x260)

    check(boot_flag == BOOT_FLAG, f"setup: boot_flag {boot_flag:#x}")
    check(img[0x202:0x206] == HDRS, "setup: no HdrS at 0x202")
    check(version >= MIN_PROTOCOL, f"setup: protocol {version:#x} < 2.12")
    if check(jump[0] == 0xEB, "setup: 0x200 is not a short jump"):
        target = 0x202 + struct.unpack("<b", jump[1:])[0]
        check(0x202 < target < setup, f"setup: jump to {target:#x} leaves "
              f"the setup")
    check(setup == 0x2000, f"setup: {setup:#x} bytes, header.S makes 0x2000")
    check(len(img) == setup + syssize * 16,
          f"setup: file is {len(img):#x} bytes, setup + syssize says "
          f"{setup + syssize * 16:#x}")
    check(loadflags & LOADED_HIGH, "setup: LOADED_HIGH not set")
    check(code32_start == BZ_LOAD_ADDR,
          f"setup: code32_start {code32_start:#x}, loaders use 0x100000")
    check(relocatable == 0 and pref_address == base,
          f"setup: not relocatable, so pref_address {pref_address:#x} must "
          f"be the link address {base:#x}")
    if check(pow2(kernel_alignment),
             f"setup: kernel_alignment {kernel_alignment:#x}"):
        check(pref_address % kernel_alignment == 0,
              "setup: pref_address not kernel_alignment-aligned")
        check(1 << min_align <= kernel_alignment,
              f"setup: min_alignment 2^{min_align} > kernel_alignment")
    check(pref_address % PAGE == 0, "setup: pref_address not page-aligned")
    check(xloadflags & XLF_KERNEL_64, "setup: XLF_KERNEL_64 not set")
    check(syms.get("linux32_start") == base,
          "setup: linux32_start is not the image start")
    check(syms.get("linux64_start", 0) - base == ENTRY64_OFFSET,
          "setup: linux64_start is not at image + 0x200")
    image_size = syms.get("__image_end", 0) - syms.get("__image_start", 0)
    check(init_size == image_size, f"setup: init_size {init_size:#x}, "
          f"image with BSS is {image_size:#x}")
    check(init_size >= syssize * 16, "setup: init_size < syssize")
    check(cmdline_size >= 255, f"setup: cmdline_size {cmdline_size}")
    # Loaders that copy the setup verbatim hand these bytes over as
    # boot_params: everything but MZ, e_lfanew and the header must be 0.
    check(img[0x02:0x3c] == bytes(0x3a) and img[0x40:0x1f1] == bytes(0x1b1),
          "setup: zero-page fields before the header are not 0")
    check(img[0x290:0x1000] == bytes(0x1000 - 0x290),
          "setup: zero-page fields after the header (e820_table...) "
          "are not 0")
    check(img[setup:] == flat, "bzImage: kernel bytes differ from the ELF's "
          "loadable segments (not the same link)")
    return setup


def check_pe(img, syms, setup):
    """The PE32+ headers UEFI firmware reads."""
    if not check(img[:2] == b"MZ", "PE: no MZ at 0"):
        return
    lfanew, = struct.unpack_from("<I", img, 0x3c)
    if not check(lfanew % 8 == 0 and lfanew + 24 + OPT_FIXED_SIZE <= setup,
                 f"PE: e_lfanew {lfanew:#x} outside the setup"):
        return
    check(img[lfanew:lfanew + 4] == PE_SIGNATURE, "PE: no PE signature")
    machine, nsect, _, _, _, optsize, chars = struct.unpack_from(
        "<HHIIIHH", img, lfanew + 4)
    check(machine == MACHINE_X86_64, f"PE: machine {machine:#x}")
    check(chars & FILE_EXECUTABLE_IMAGE, "PE: not EXECUTABLE_IMAGE")
    opt = lfanew + 24
    magic, = struct.unpack_from("<H", img, opt)
    check(magic == PE32PLUS, f"PE: optional header magic {magic:#x}")
    entry, = struct.unpack_from("<I", img, opt + 16)
    image_base, sect_align, file_align = struct.unpack_from(
        "<QII", img, opt + 24)
    size_of_image, size_of_headers = struct.unpack_from("<II", img, opt + 56)
    subsystem, = struct.unpack_from("<H", img, opt + 68)
    ndirs, = struct.unpack_from("<I", img, opt + 108)
    check(subsystem == SUBSYSTEM_EFI_APPLICATION,
          f"PE: subsystem {subsystem}")
    check(ndirs <= 16 and optsize == OPT_FIXED_SIZE + 8 * ndirs,
          f"PE: SizeOfOptionalHeader {optsize} for {ndirs} directories")
    check(image_base % 0x10000 == 0, "PE: ImageBase not 64 KiB-aligned")
    check(pow2(file_align) and 512 <= file_align <= 0x10000,
          f"PE: FileAlignment {file_align:#x}")
    check(pow2(sect_align) and sect_align >= file_align,
          f"PE: SectionAlignment {sect_align:#x}")
    check(size_of_image % sect_align == 0,
          "PE: SizeOfImage not a multiple of SectionAlignment")
    check(size_of_headers % file_align == 0,
          "PE: SizeOfHeaders not a multiple of FileAlignment")
    table = opt + optsize
    check(lfanew + 24 + optsize + nsect * SECTION_SIZE <= size_of_headers,
          "PE: headers extend past SizeOfHeaders")
    entry_ok = False
    for i in range(nsect):
        s = table + i * SECTION_SIZE
        name = img[s:s + 8].rstrip(b"\0").decode(errors="replace")
        vsize, va, rawsize, rawptr = struct.unpack_from("<IIII", img, s + 8)
        schars, = struct.unpack_from("<I", img, s + 36)
        check(va % sect_align == 0, f"PE: {name} VirtualAddress {va:#x}")
        check(rawptr % file_align == 0 and rawsize % file_align == 0,
              f"PE: {name} raw data not FileAlignment-aligned")
        check(rawptr >= size_of_headers, f"PE: {name} overlaps the headers")
        check(rawptr + rawsize <= len(img), f"PE: {name} past end of file")
        check(va + vsize <= size_of_image,
              f"PE: {name} past SizeOfImage {size_of_image:#x}")
        if schars & SCN_MEM_EXECUTE and va <= entry < va + vsize:
            entry_ok = True
            # The copy efi_pe_entry makes must hold the whole image.
            check(vsize == syms.get("__image_end", 0) -
                  syms.get("__image_start", 0),
                  f"PE: {name} VirtualSize {vsize:#x} is not the image "
                  f"with BSS")
            check(rawptr == setup and va == setup,
                  f"PE: {name} must map the kernel at file offset == RVA "
                  f"== setup size")
    check(entry_ok, f"PE: entry RVA {entry:#x} not in an executable section")
    want = setup + syms.get("efi_pe_entry", 0) - syms.get("__image_start", 0)
    check(entry == want, f"PE: entry RVA {entry:#x} is not efi_pe_entry "
          f"({want:#x})")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        img = f.read()
    with open(sys.argv[2], "rb") as f:
        data = f.read()
    phdrs, syms = read_elf(data)
    for sym in ("pvh_start", "linux32_start", "linux64_start",
                "efi_pe_entry", "__image_start", "__image_end"):
        check(sym in syms, f"ELF: no symbol {sym}")
    check_pvh(data, phdrs, syms)
    base, flat = flat_image(data, phdrs)
    setup = check_setup(img, syms, base, flat)
    if setup:
        check_pe(img, syms, setup)
    for p in problems:
        print(f"{sys.argv[1]}: {p}")
    if problems:
        return 1
    print(f"{sys.argv[1]}: PVH note, setup header and PE header OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
