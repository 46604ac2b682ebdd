#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check a riscv64 Cairn image: the Image header and the PE/COFF headers.

    check_riscv64.py IMAGE [ELF]

The one file boots through OpenSBI and QEMU (-kernel), U-Boot's booti and
UEFI (bootefi), so a header that is wrong by one field breaks a boot path
that a board may be the first to try: this catches it at build time. IMAGE
is cairn-APP.img (objcopy -O binary of the ELF); with the ELF as well, the
sizes are also checked against its sections (BSS must be covered).
Prints one line per problem and exits 1 if there is any.

Sources: Linux Documentation/riscv/boot-image-header.rst, the Microsoft PE
format, U-Boot's PE loader (lib/efi_loader/efi_image_loader.c) for what it
assumes, OpenSBI fw_jump's fixed DTB address (0x82200000 on QEMU virt).
"""
import struct
import sys

IMAGE_MAGIC = b"RISCV\0\0\0"
IMAGE_MAGIC2 = b"RSC\x05"
TEXT_OFFSET = 0x200000
# fw_jump puts the Image at 0x80200000 and the DTB at 0x82200000.
FW_JUMP_ROOM = 0x82200000 - 0x80200000
PE_MACHINE_RISCV64 = 0x5064
PE32PLUS = 0x20B
SUBSYSTEM_EFI_APPLICATION = 10
FILE_EXECUTABLE_IMAGE = 0x0002
FILE_RELOCS_STRIPPED = 0x0001
SCN_CNT_CODE = 0x00000020
SCN_MEM_EXECUTE = 0x20000000
SCN_MEM_WRITE = 0x80000000
DIR_BASERELOC = 5
PAGE = 4096

problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)
    return cond


def jal_target(insn, pc):
    """Target of a JAL x0 (the Image's code1 jump), or None if it is not one."""
    if insn & 0x7F != 0x6F or (insn >> 7) & 0x1F != 0:
        return None
    imm = (((insn >> 31) & 1) << 20) | (((insn >> 12) & 0xFF) << 12) | \
          (((insn >> 20) & 1) << 11) | (((insn >> 21) & 0x3FF) << 1)
    if imm & (1 << 20):
        imm -= 1 << 21
    return pc + imm


def elf_bss_end(path):
    """End of the highest allocated section of the ELF (BSS), or None."""
    with open(path, "rb") as f:
        elf = f.read()
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        return None
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    end = 0
    for i in range(shnum):
        (_name, _type, flags, addr, _off, size) = struct.unpack_from(
            "<IIQQQQ", elf, shoff + i * shentsize)
        if flags & 0x2:             # SHF_ALLOC
            end = max(end, addr + size)
    return end


def check_image_header(img):
    """The 64-byte RISC-V Image header; returns (image_size, code1 target)."""
    (code0, text_offset, image_size, flags, version, _res1, _res2,
     magic, magic2, pe_off) = struct.unpack_from("<QQQQIIQ8s4sI", img, 0)
    check(img[:2] == b"MZ", f"code0 starts {img[:2]!r}, not the DOS 'MZ' "
          f"(c.li s4, -13) that makes the Image a PE file too")
    target = jal_target(struct.unpack_from("<I", img, 2)[0], 2)
    check(target is not None, "code0 bytes 2..5 are not a 4-byte 'j' to the entry")
    check(text_offset == TEXT_OFFSET,
          f"text_offset {text_offset:#x}, expected {TEXT_OFFSET:#x} (RV64)")
    check(flags == 0, f"flags {flags:#x}: expected 0 (little-endian)")
    check(version == 0x2, f"header version {version:#x}, expected 0.2")
    check(magic == IMAGE_MAGIC, f"magic {magic!r}, expected {IMAGE_MAGIC!r}")
    check(magic2 == IMAGE_MAGIC2, f"magic2 {magic2!r}, expected {IMAGE_MAGIC2!r}")
    check(image_size >= len(img),
          f"image_size {image_size:#x} is less than the file ({len(img):#x})")
    check(image_size % PAGE == 0, f"image_size {image_size:#x} not page-aligned")
    check(image_size <= FW_JUMP_ROOM,
          f"image_size {image_size:#x} reaches fw_jump's DTB at +{FW_JUMP_ROOM:#x}")
    # U-Boot copies the PE headers from offset 0 as if they followed the
    # 64-byte DOS header directly.
    check(pe_off == 0x40, f"PE header offset (0x3c) is {pe_off:#x}, expected 0x40")
    return image_size, target, pe_off


def check_pe(img, pe_off, image_size, code1_target):
    if not check(pe_off + 24 <= len(img) and img[pe_off:pe_off + 4] == b"PE\0\0",
                 "no PE signature at the PE header offset"):
        return
    machine, nsec, _ts, _sym, _nsym, opt_size, chars = struct.unpack_from(
        "<HHIIIHH", img, pe_off + 4)
    check(machine == PE_MACHINE_RISCV64,
          f"Machine {machine:#x}, expected {PE_MACHINE_RISCV64:#x} (RISCV64)")
    check(chars & FILE_EXECUTABLE_IMAGE, "Characteristics lack EXECUTABLE_IMAGE")
    check(not chars & FILE_RELOCS_STRIPPED,
          "RELOCS_STRIPPED set: a loader would refuse to move the image")
    opt = pe_off + 24
    (magic, _lv, size_code, size_data, size_bss, entry, base_of_code,
     image_base, sect_align, file_align) = struct.unpack_from(
        "<HHIIIIIQII", img, opt)
    (size_of_image, size_of_headers, _cksum, subsystem) = struct.unpack_from(
        "<IIIH", img, opt + 56)
    ndirs, = struct.unpack_from("<I", img, opt + 108)
    if not check(magic == PE32PLUS, f"optional header magic {magic:#x}, "
                 f"expected {PE32PLUS:#x} (PE32+)"):
        return
    check(opt_size == 112 + 8 * ndirs,
          f"SizeOfOptionalHeader {opt_size} does not match {ndirs} directories")
    check(ndirs > DIR_BASERELOC, f"{ndirs} data directories: U-Boot reads "
          f"the base relocation one (index {DIR_BASERELOC}) regardless")
    dirs = [struct.unpack_from("<II", img, opt + 112 + 8 * i)
            for i in range(ndirs)]
    check(all(d == (0, 0) for d in dirs),
          "a data directory is set: the image relocates itself and needs none")
    check(subsystem == SUBSYSTEM_EFI_APPLICATION,
          f"Subsystem {subsystem}, expected {SUBSYSTEM_EFI_APPLICATION}")
    check(image_base == 0, f"ImageBase {image_base:#x}, expected 0 (link address)")
    check(sect_align == PAGE, f"SectionAlignment {sect_align:#x}, expected {PAGE:#x}")
    check(512 <= file_align <= sect_align and file_align & (file_align - 1) == 0,
          f"FileAlignment {file_align:#x} not a power of 2 in [512, "
          f"SectionAlignment]")
    if sect_align == 0 or file_align == 0:
        return
    check(size_of_image % sect_align == 0,
          f"SizeOfImage {size_of_image:#x} not a multiple of SectionAlignment")
    check(size_of_image == image_size,
          f"SizeOfImage {size_of_image:#x} differs from the Image header's "
          f"image_size {image_size:#x}")
    table = opt + opt_size
    check(size_of_headers % file_align == 0,
          f"SizeOfHeaders {size_of_headers:#x} not a multiple of FileAlignment")
    check(size_of_headers >= table + 40 * nsec,
          f"SizeOfHeaders {size_of_headers:#x} ends before the section table")

    if not check(nsec >= 1, "no sections"):
        return
    sections = []
    for i in range(nsec):
        name, vsize, va, raw_size, raw_ptr, _r, _l, _nr, _nl, schars = \
            struct.unpack_from("<8sIIIIIIHHI", img, table + 40 * i)
        sections.append((name.rstrip(b"\0").decode("ascii", "replace"),
                         vsize, va, raw_size, raw_ptr, schars))
    expect_va = size_of_headers
    code_size = 0
    for name, vsize, va, raw_size, raw_ptr, schars in sections:
        where = f"section {name}"
        check(va % sect_align == 0, f"{where}: VirtualAddress {va:#x} unaligned")
        check(va == expect_va, f"{where}: starts at {va:#x}, expected "
              f"{expect_va:#x} (sections must follow the headers and each "
              f"other without gap or overlap)")
        # The image runs where the Image layout put it: RVA == file offset.
        check(raw_ptr == va, f"{where}: PointerToRawData {raw_ptr:#x} differs "
              f"from VirtualAddress {va:#x}")
        check(raw_ptr % file_align == 0 and raw_size % file_align == 0,
              f"{where}: raw data not FileAlignment-aligned")
        check(raw_size <= vsize or raw_size - vsize < file_align,
              f"{where}: SizeOfRawData {raw_size:#x} exceeds VirtualSize")
        check(raw_ptr + raw_size <= len(img),
              f"{where}: raw data ends at {raw_ptr + raw_size:#x}, past the "
              f"file ({len(img):#x})")
        check(not (schars & SCN_MEM_EXECUTE and schars & SCN_MEM_WRITE),
              f"{where}: both writable and executable")
        if schars & SCN_CNT_CODE:
            code_size += vsize
        expect_va = va + (vsize + sect_align - 1) // sect_align * sect_align
    last = sections[-1]
    check(last[4] + last[3] == len(img),
          f"the sections' raw data ends at {last[4] + last[3]:#x}, the file at "
          f"{len(img):#x}: a loader would copy garbage or drop bytes")
    check(expect_va == size_of_image,
          f"sections end at {expect_va:#x}, SizeOfImage is {size_of_image:#x}: "
          f"BSS must be the last section's VirtualSize")
    check(size_code == code_size,
          f"SizeOfCode {size_code:#x} differs from the code sections' "
          f"{code_size:#x}")
    text = [s for s in sections if s[5] & SCN_MEM_EXECUTE]
    if check(text, "no executable section"):
        _n, vsize, va, raw_size, _p, _c = text[0]
        check(base_of_code == va, f"BaseOfCode {base_of_code:#x}, expected {va:#x}")
        check(va <= entry < va + raw_size and entry % 4 == 0,
              f"AddressOfEntryPoint {entry:#x} not an aligned address in "
              f"the executable section [{va:#x}, {va + raw_size:#x})")
        if code1_target is not None:
            check(va <= code1_target < va + raw_size and code1_target != entry,
                  f"the Image entry {code1_target:#x} is not in .text or is "
                  f"the PE entry")
    check(size_bss == size_of_image - len(img),
          f"SizeOfUninitializedData {size_bss:#x}, expected "
          f"{size_of_image - len(img):#x} (SizeOfImage minus the file)")
    check(size_data + size_code + size_of_headers == len(img),
          f"SizeOfCode + SizeOfInitializedData + headers "
          f"({size_code + size_data + size_of_headers:#x}) is not the file "
          f"size {len(img):#x}")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.split("\n\n")[1])
    with open(sys.argv[1], "rb") as f:
        img = f.read()
    if len(img) < PAGE:
        print(f"{sys.argv[1]}: {len(img)} bytes: too small for the headers")
        return 1
    image_size, code1_target, pe_off = check_image_header(img)
    check_pe(img, pe_off, image_size, code1_target)
    if len(sys.argv) == 3:
        end = elf_bss_end(sys.argv[2])
        if check(end is not None, f"{sys.argv[2]}: not an ELF64 file"):
            check(image_size >= end, f"image_size {image_size:#x} does not "
                  f"cover the ELF's sections (BSS ends at {end:#x})")
    for p in problems:
        print(f"{sys.argv[1]}: {p}")
    if not problems:
        print(f"{sys.argv[1]}: Image + PE/COFF headers OK "
              f"({len(img):#x} bytes, image_size {image_size:#x})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
