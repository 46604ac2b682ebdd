#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check an arm64 Cairn image: the Image header and the PE/COFF headers.

    check_arm64.py IMAGE [ELF]

One file boots through QEMU's -kernel, U-Boot's booti (the arm64 Image
header) and through EDK2 and U-Boot's bootefi (the same bytes read as a
PE32+ EFI application). A field that is wrong breaks a boot path that a
board may be the first to try; this catches it at build time. IMAGE is
cairn-APP.img (objcopy -O binary of the ELF, so file offset == link
address). With the ELF as well, the headers are checked against its
symbols, sections and relocations: BSS covered, the entry points where
entry.S put them, and every range the EFI stub writes or runs under the
firmware's page tables inside a PE section that allows it (EDK2 on QEMU
virt maps images by their section characteristics).

Prints one line per problem and exits 1 if there is any.

Sources: Linux Documentation/arm64/booting.rst (the Image header), the
Microsoft PE format specification (PE32+ headers), UEFI 2.10 §2.1.1.
"""
import struct
import sys

PAGE = 4096
IMAGE_MAGIC = b"ARM\x64"
CODE0_MZ = 0x91005A4D          # add x13, x18, #0x16: "MZ" in its low bytes
FLAG_BE = 1 << 0
FLAG_PAGE_SIZE_SHIFT = 1       # bits 1-2: 1 = 4 KiB
FLAG_ANYWHERE = 1 << 3
PE_SIGNATURE = b"PE\0\0"
MACHINE_ARM64 = 0xAA64
PE32PLUS = 0x20B
SUBSYSTEM_EFI_APPLICATION = 10
FILE_RELOCS_STRIPPED = 0x0001
FILE_EXECUTABLE_IMAGE = 0x0002
SCN_MEM_EXECUTE = 0x20000000
SCN_MEM_WRITE = 0x80000000
DIR_BASERELOC = 5
OPT_FIXED_SIZE = 112           # PE32+ optional header before the directories
SECTION_SIZE = 40

# ELF64 constants.
SHT_SYMTAB = 2
SHT_RELA = 4
SHT_NOBITS = 8
SHF_WRITE = 0x1
SHF_ALLOC = 0x2
SHF_EXECINSTR = 0x4
R_AARCH64_RELATIVE = 1027

problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)
    return cond


def is_pow2(v):
    return v > 0 and v & (v - 1) == 0


def b_target(insn, pc):
    """Target of an A64 unconditional branch B, or None if insn is not one."""
    if insn & 0xFC000000 != 0x14000000:
        return None
    imm = insn & 0x03FFFFFF
    if imm & (1 << 25):
        imm -= 1 << 26
    return pc + imm * 4


class Elf:
    """The parts of an ELF64 little-endian file this check needs."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = data = f.read()
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ValueError(f"{path}: not a little-endian ELF64 file")
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
        self.sections = []
        for i in range(shnum):
            (name, typ, flags, addr, off, size, link, _info, _align,
             entsize) = struct.unpack_from("<IIQQQQIIQQ", data,
                                           shoff + i * shentsize)
            self.sections.append({"name": name, "type": typ, "flags": flags,
                                  "addr": addr, "off": off, "size": size,
                                  "link": link, "entsize": entsize})
        strtab = self.sections[shstrndx]
        for s in self.sections:
            s["name"] = self._str(strtab, s["name"])
        self.symbols = {}
        for s in self.sections:
            if s["type"] != SHT_SYMTAB:
                continue
            names = self.sections[s["link"]]
            for off in range(s["off"], s["off"] + s["size"], 24):
                name, _info, _other, _shndx, value, _size = struct.unpack_from(
                    "<IBBHQQ", data, off)
                if name:
                    self.symbols[self._str(names, name)] = value

    def _str(self, strtab, off):
        start = strtab["off"] + off
        return self.data[start:self.data.index(b"\0", start)].decode()

    def alloc_sections(self):
        return [s for s in self.sections
                if s["flags"] & SHF_ALLOC and s["size"] > 0]

    def relative_relocs(self):
        """r_offset of every R_AARCH64_RELATIVE entry."""
        out = []
        for s in self.sections:
            if s["type"] != SHT_RELA:
                continue
            for off in range(s["off"], s["off"] + s["size"], 24):
                r_offset, r_info, _addend = struct.unpack_from("<QQq",
                                                               self.data, off)
                if r_info & 0xFFFFFFFF == R_AARCH64_RELATIVE:
                    out.append(r_offset)
        return out


def check_image_header(img):
    code0, code1, text_offset, image_size, flags, res2, res3, res4 = \
        struct.unpack_from("<IIQQQQQQ", img, 0)
    magic = img[0x38:0x3C]
    pe_off, = struct.unpack_from("<I", img, 0x3C)
    check(magic == IMAGE_MAGIC, f"Image magic at 0x38 is {magic!r}, "
          f"not {IMAGE_MAGIC!r}")
    check(code0 == CODE0_MZ, f"code0 {code0:#010x} is not {CODE0_MZ:#010x} "
          "(\"MZ\" as add x13, x18, #0x16)")
    check(img[:2] == b"MZ", f"the file starts with {img[:2]!r}, not b'MZ'")
    entry = b_target(code1, 4)
    check(entry is not None, f"code1 {code1:#010x} is not a branch (b)")
    check(text_offset == 0, f"text_offset {text_offset:#x}: entry.S "
          "assumes 0 (any 2 MiB-aligned base, flag bit 3)")
    check(image_size >= len(img), f"image_size {image_size:#x} is smaller "
          f"than the file ({len(img):#x})")
    check(image_size % PAGE == 0, f"image_size {image_size:#x} is not a "
          "multiple of 4 KiB")
    check(flags & FLAG_BE == 0, "flags: big-endian bit set")
    check((flags >> FLAG_PAGE_SIZE_SHIFT) & 3 == 1,
          f"flags {flags:#x}: page size field is not 1 (4 KiB)")
    check(flags & FLAG_ANYWHERE, f"flags {flags:#x}: bit 3 (placed "
          "anywhere) clear")
    check(flags >> 4 == 0, f"flags {flags:#x}: reserved bits set")
    check(res2 == res3 == res4 == 0, "res2..res4 are not zero")
    return {"entry": entry, "image_size": image_size, "pe_off": pe_off}


def check_pe(img, hdr):
    pe_off = hdr["pe_off"]
    if not check(pe_off != 0 and pe_off % 8 == 0 and
                 pe_off + 24 + OPT_FIXED_SIZE <= min(len(img), PAGE),
                 f"PE header offset {pe_off:#x} at 0x3c is not an 8-aligned "
                 "offset inside the first page"):
        return None
    check(img[pe_off:pe_off + 4] == PE_SIGNATURE,
          f"no PE signature at {pe_off:#x}")
    machine, nsec, _time, _symptr, _nsyms, opt_size, chars = \
        struct.unpack_from("<HHIIIHH", img, pe_off + 4)
    check(machine == MACHINE_ARM64, f"Machine {machine:#x}, not "
          f"{MACHINE_ARM64:#x}")
    check(chars & FILE_EXECUTABLE_IMAGE, "Characteristics: not "
          "EXECUTABLE_IMAGE")
    check(not chars & FILE_RELOCS_STRIPPED, "Characteristics: "
          "RELOCS_STRIPPED set: a loader could only place the image at "
          "ImageBase")
    opt = pe_off + 24
    (magic, _lmaj, _lmin, _code, _idata, _udata, entry_rva, _base_of_code,
     image_base, sect_align, file_align) = struct.unpack_from(
        "<HBBIIIIIQII", img, opt)
    size_of_image, size_of_headers, _csum, subsystem, _dllchars = \
        struct.unpack_from("<IIIHH", img, opt + 56)
    nr_dirs, = struct.unpack_from("<I", img, opt + 108)
    check(magic == PE32PLUS, f"optional header magic {magic:#x}, not PE32+")
    check(image_base == 0, f"ImageBase {image_base:#x}: the image is "
          "linked at 0 and relocates itself")
    check(sect_align == PAGE, f"SectionAlignment {sect_align:#x}, not 4 KiB "
          "(EDK2 protects images by page; entry.S needs 4 KiB alignment)")
    check(is_pow2(file_align) and 512 <= file_align <= 0x10000 and
          file_align <= sect_align, f"FileAlignment {file_align:#x} invalid")
    check(subsystem == SUBSYSTEM_EFI_APPLICATION,
          f"Subsystem {subsystem}, not EFI application (10)")
    check(size_of_image == hdr["image_size"], f"SizeOfImage "
          f"{size_of_image:#x} differs from the Image header's image_size "
          f"{hdr['image_size']:#x}")
    check(size_of_image % sect_align == 0, f"SizeOfImage {size_of_image:#x} "
          "is not a multiple of SectionAlignment")
    check(nr_dirs <= 16, f"NumberOfRvaAndSizes {nr_dirs} > 16")
    check(opt_size >= OPT_FIXED_SIZE + 8 * nr_dirs,
          f"SizeOfOptionalHeader {opt_size} too small for {nr_dirs} "
          "directories")
    for i in range(nr_dirs):
        rva, size = struct.unpack_from("<II", img, opt + OPT_FIXED_SIZE + 8 * i)
        what = "base relocation directory" if i == DIR_BASERELOC else \
            f"data directory {i}"
        check(rva == 0 and size == 0, f"{what} is not empty: the image "
              "relocates itself and carries no such table")

    table = opt + opt_size
    check(table + nsec * SECTION_SIZE <= size_of_headers,
          f"section table ends at {table + nsec * SECTION_SIZE:#x}, beyond "
          f"SizeOfHeaders {size_of_headers:#x}")
    check(size_of_headers % file_align == 0, f"SizeOfHeaders "
          f"{size_of_headers:#x} is not a multiple of FileAlignment")
    sections = []
    for i in range(nsec):
        name, vsize, va, raw_size, raw_ptr = struct.unpack_from(
            "<8sIIII", img, table + i * SECTION_SIZE)
        flags, = struct.unpack_from("<I", img, table + i * SECTION_SIZE + 36)
        sections.append({"name": name.rstrip(b"\0").decode(errors="replace"),
                         "vsize": vsize, "va": va, "raw_size": raw_size,
                         "raw_ptr": raw_ptr, "flags": flags})
    if not check(sections, "no PE sections"):
        return None

    # The sections tile [SizeOfHeaders, SizeOfImage) and the file.
    expect_va = size_of_headers
    for s in sections:
        n = s["name"]
        check(s["va"] % sect_align == 0, f"section {n}: VirtualAddress "
              f"{s['va']:#x} not SectionAlignment-aligned")
        check(s["va"] == expect_va, f"section {n}: starts at {s['va']:#x}, "
              f"expected {expect_va:#x} (sections must follow one another)")
        check(s["raw_ptr"] == s["va"], f"section {n}: PointerToRawData "
              f"{s['raw_ptr']:#x} != VirtualAddress (the file is the image)")
        check(s["raw_size"] % file_align == 0, f"section {n}: SizeOfRawData "
              f"{s['raw_size']:#x} not a multiple of FileAlignment")
        check(s["raw_ptr"] + s["raw_size"] <= len(img), f"section {n}: raw "
              "data beyond the end of the file")
        check(s["vsize"] >= s["raw_size"], f"section {n}: VirtualSize {s['vsize']:#x} < SizeOfRawData")
        check(s["vsize"] > 0, f"section {n}: empty")
        check(not (s["flags"] & SCN_MEM_WRITE and
                   s["flags"] & SCN_MEM_EXECUTE),
              f"section {n}: both writable and executable")
        expect_va = (s["va"] + s["vsize"] + sect_align - 1) & ~(sect_align - 1)
    last = sections[-1]
    check(last["raw_ptr"] + last["raw_size"] == len(img), f"the raw data "
          f"ends at {last['raw_ptr'] + last['raw_size']:#x}, the file at "
          f"{len(img):#x}")
    check(last["va"] + last["vsize"] == size_of_image, f"the last section "
          f"ends at {last['va'] + last['vsize']:#x}, SizeOfImage is "
          f"{size_of_image:#x}: BSS must be a section's virtual tail")

    home = section_of(sections, entry_rva)
    if check(home is not None, f"AddressOfEntryPoint {entry_rva:#x} is in "
             "no section"):
        check(home["flags"] & SCN_MEM_EXECUTE and
              not home["flags"] & SCN_MEM_WRITE,
              f"AddressOfEntryPoint {entry_rva:#x} is in section "
              f"{home['name']}, which is not read-execute")
    check(entry_rva % 4 == 0, f"AddressOfEntryPoint {entry_rva:#x} is not "
          "instruction-aligned")
    check(hdr["entry"] is None or hdr["entry"] >= size_of_headers,
          "code1 branches into the headers")
    return {"sections": sections, "entry": entry_rva,
            "headers": size_of_headers, "size": size_of_image}


def section_of(sections, rva):
    for s in sections:
        if s["va"] <= rva < s["va"] + s["vsize"]:
            return s
    return None


def covered(sections, start, end, need):
    """Whether [start, end) lies in sections whose flags include need."""
    addr = start
    while addr < end:
        s = section_of(sections, addr)
        if s is None or s["flags"] & need != need:
            return False
        addr = s["va"] + s["vsize"]
    return True


def check_against_elf(img, hdr, pe, elf):
    sym = elf.symbols
    for name in ("__image_end", "primary_entry", "efi_pe_entry",
                 "__pe_file_end"):
        if not check(name in sym, f"ELF: no symbol {name}"):
            return
    check(hdr["image_size"] == sym["__image_end"], f"image_size "
          f"{hdr['image_size']:#x} != __image_end {sym['__image_end']:#x}")
    check(hdr["entry"] == sym["primary_entry"], "code1 does not branch to "
          "primary_entry")
    check(pe["entry"] == sym["efi_pe_entry"], f"AddressOfEntryPoint "
          f"{pe['entry']:#x} != efi_pe_entry {sym['efi_pe_entry']:#x}")
    check(len(img) == sym["__pe_file_end"], f"file size {len(img):#x} != "
          f"__pe_file_end {sym['__pe_file_end']:#x}")
    for s in elf.alloc_sections():
        start, end = s["addr"], s["addr"] + s["size"]
        check(end <= pe["size"], f"ELF {s['name']} ends beyond SizeOfImage")
        if s["type"] == SHT_NOBITS:
            check(start >= len(img), f"ELF {s['name']} (NOBITS) starts "
                  "inside the file: objcopy would not zero it")
        # The stub runs code and writes data under the firmware's tables.
        start = max(start, pe["headers"])
        if start >= end:
            continue
        if s["flags"] & SHF_EXECINSTR:
            check(covered(pe["sections"], start, end, SCN_MEM_EXECUTE),
                  f"ELF {s['name']} [{start:#x}, {end:#x}) is code outside "
                  "an executable PE section")
        if s["flags"] & SHF_WRITE:
            check(covered(pe["sections"], start, end, SCN_MEM_WRITE),
                  f"ELF {s['name']} [{start:#x}, {end:#x}) is data outside "
                  "a writable PE section")
    for off in elf.relative_relocs():
        if not check(covered(pe["sections"], off, off + 8, SCN_MEM_WRITE),
                     f"relocation target {off:#x} is outside a writable PE "
                     "section: the stub relocates under the firmware's "
                     "protection"):
            break


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip().splitlines()[2].strip())
    with open(sys.argv[1], "rb") as f:
        img = f.read()
    if len(img) < PAGE:
        print(f"{sys.argv[1]}: {len(img)} bytes: too small for the headers")
        return 1
    hdr = check_image_header(img)
    pe = check_pe(img, hdr)
    if pe is not None and len(sys.argv) == 3:
        check_against_elf(img, hdr, pe, Elf(sys.argv[2]))
    for p in problems:
        print(f"{sys.argv[1]}: {p}")
    if problems:
        return 1
    print(f"{sys.argv[1]}: Image and PE/COFF headers OK "
          f"({len(img)} bytes, image_size {hdr['image_size']:#x}, "
          f"{len(pe['sections'])} PE sections)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
