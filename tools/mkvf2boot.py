#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Lay out a StarFive VisionFive 2 boot partition for a Cairn image.

    mkvf2boot.py IMAGE --out DIR [--boot both|extlinux|efi] [--fdt DTB]
                 [--append ARGS] [--timeout TENTHS] [--card FILE]
                 [--card-size MIB]

The board's SPL, OpenSBI and U-Boot live in its SPI flash; U-Boot's distro
boot then scans the micro-SD card's first (or bootable) partition, a FAT
file system, for /extlinux/extlinux.conf and, failing that, for the
removable-media UEFI path /EFI/BOOT/BOOTRISCV64.EFI. IMAGE (cairn-APP.img,
a RISC-V Image that is also a PE/COFF application, arch/riscv/entry.S)
serves both, copied once per path:

    DIR/cairn.img                    booti, named by extlinux.conf
    DIR/extlinux/extlinux.conf       distro boot's first choice
    DIR/EFI/BOOT/BOOTRISCV64.EFI     bootefi, when there is no extlinux.conf
    DIR/dtbs/NAME                    only with --fdt

extlinux.conf has no fdt line unless --fdt is given: U-Boot then hands over
its own device tree, the one whose /memory its SPL set from the board's
EEPROM and to which it copied OpenSBI's /reserved-memory. Cairn needs no
command line, so there is no append line unless --append is given.

--card FILE also writes a whole-card image, ready for dd: an MBR whose
only partition is number 3, active, FAT32 (type 0x0c) from 1 MiB, holding
DIR's files (dosfstools and mtools). Number 3 because StarFive's U-Boot
reads its boot files from mmc 1:3 (the SD card's third partition, where
its Debian image keeps /boot); mainline U-Boot's distro boot scans the
active partitions, so the same card serves both. docs/boards/visionfive2.md
has the steps.

ci/qemu-run.py imports boot_files() so that the riscv64 `uboot` and
`uboot-efi` QEMU paths boot exactly this layout and extlinux.conf.
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile

KERNEL = "cairn.img"
EXTLINUX = "extlinux/extlinux.conf"
EFI_PATH = "EFI/BOOT/BOOTRISCV64.EFI"
DTB_DIR = "dtbs"
LABEL = "cairn"
# Marker for "copy the image here" in boot_files(): the form qemu-run.py's
# PATHS use for a path's "files".
IMAGE = "{image}"
# A whole-card image: the partition starts at 1 MiB, the usual alignment
# for SD cards (erase blocks), and fills the rest of the image. It sits in
# the MBR's third slot: partition 3 for U-Boot (part_dos numbers the four
# primary slots 1-4 whether used or not) and Linux alike.
CARD_PART_START = 2048
CARD_PART_NUMBER = 3
SECTOR = 512
MBR_TYPE_FAT32_LBA = 0x0C


def extlinux_conf(timeout=0, fdt=None, append=None):
    """The text of extlinux.conf: one label, booted without a menu.

    U-Boot's extlinux support (pxe_utils) boots the default label at once
    when the file has no "prompt"; timeout (tenths of a second) only
    matters with one. @fdt is a path on the partition or None for U-Boot's
    own device tree; @append the command line or None for none.
    """
    lines = [f"default {LABEL}", f"timeout {int(timeout)}",
             f"label {LABEL}", f"  kernel /{KERNEL}"]
    if fdt:
        lines.append(f"  fdt /{fdt}")
    if append:
        lines.append(f"  append {append}")
    return "\n".join(lines) + "\n"


def boot_files(boot="both", timeout=0, fdt_name=None, append=None):
    """The partition's files: {path: IMAGE, "{fdt}" or text content}.

    @boot: "extlinux" (booti through distro boot), "efi" (bootefi of the
    removable-media path) or "both" (extlinux first, EFI as the fallback).
    """
    if boot not in ("both", "extlinux", "efi"):
        raise ValueError(f"unknown boot method {boot!r}")
    files = {}
    if boot in ("both", "extlinux"):
        fdt = f"{DTB_DIR}/{fdt_name}" if fdt_name else None
        files[KERNEL] = IMAGE
        files[EXTLINUX] = extlinux_conf(timeout, fdt, append)
        if fdt:
            files[fdt] = "{fdt}"
    if boot in ("both", "efi"):
        files[EFI_PATH] = IMAGE
    return files


def check_image(path):
    """Return a problem string if @path is not a RISC-V Image + PE, else None.

    Offsets from Linux Documentation/riscv/boot-image-header.rst: magic at
    0x30, magic2 at 0x38, the PE header's offset at 0x3c; "MZ" at 0 for
    UEFI.
    """
    with open(path, "rb") as f:
        head = f.read(64)
    if len(head) < 64:
        return "shorter than a RISC-V Image header"
    if head[0x30:0x38] != b"RISCV\0\0\0" or head[0x38:0x3c] != b"RSC\x05":
        return "no RISC-V Image magic at 0x30 (not a riscv64 cairn-APP.img)"
    if head[0:2] != b"MZ":
        return "no MZ header: bootefi could not load it"
    return None


def write_folder(files, image, fdt, out):
    """Create @out afresh and fill it from @files."""
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for dest, content in files.items():
        target = os.path.join(out, dest)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if content == IMAGE:
            shutil.copyfile(image, target)
        elif content == "{fdt}":
            shutil.copyfile(fdt, target)
        else:
            with open(target, "w") as f:
                f.write(content)


def mbr(part_start, part_sectors, number=CARD_PART_NUMBER):
    """A DOS partition table with one active FAT32 (LBA) partition.

    CHS fields hold the "use LBA" values (0xfe 0xff 0xff) that tools write
    for partitions past what CHS can address; U-Boot reads only the LBAs.
    """
    entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff",
                        MBR_TYPE_FAT32_LBA, b"\xfe\xff\xff",
                        part_start, part_sectors)
    table = bytes(16 * (number - 1)) + entry + bytes(16 * (4 - number))
    # 440 bytes of boot code (none), disk signature, 2 reserved bytes.
    return bytes(440) + struct.pack("<I", 0xCA1B0001) + bytes(2) + \
        table + b"\x55\xaa"


def mkfs_fat():
    """mkfs.fat from PATH, or from /usr/sbin, off a normal user's PATH."""
    for prog in (shutil.which("mkfs.fat"), "/usr/sbin/mkfs.fat",
                 "/sbin/mkfs.fat"):
        if prog and os.access(prog, os.X_OK):
            return prog
    raise OSError("mkfs.fat not found: install dosfstools (ci/setup.sh)")


def write_card(folder, card, size_mib):
    """Write @card: MBR + FAT32 partition 3 holding @folder's files."""
    total = size_mib * 1024 * 1024 // SECTOR
    part_sectors = total - CARD_PART_START
    if part_sectors * SECTOR < 33 * 1024 * 1024:
        raise ValueError("card image too small for FAT32 (need >= 34 MiB)")
    with tempfile.TemporaryDirectory(prefix="mkvf2boot-") as tmp:
        fs = os.path.join(tmp, "part.img")
        with open(fs, "wb") as f:
            f.truncate(part_sectors * SECTOR)
        # -s 1: 512-byte clusters, enough clusters for FAT32 at this size;
        # -h: the partition's start, which FAT32's BPB records.
        subprocess.run([mkfs_fat(), "-F", "32", "-s", "1", "-n", "CAIRN",
                        "-h", str(CARD_PART_START), fs],
                       check=True, stdout=subprocess.DEVNULL)
        for root, dirs, names in sorted(os.walk(folder)):
            rel = os.path.relpath(root, folder)
            for d in sorted(dirs):
                path = "::/" + os.path.normpath(os.path.join(rel, d))
                subprocess.run(["mmd", "-i", fs, path], check=True)
            for n in sorted(names):
                path = "::/" + os.path.normpath(os.path.join(rel, n))
                subprocess.run(["mcopy", "-i", fs, os.path.join(root, n),
                                path], check=True)
        with open(card, "wb") as out, open(fs, "rb") as part:
            out.write(mbr(CARD_PART_START, part_sectors))
            out.write(bytes((CARD_PART_START - 1) * SECTOR))
            shutil.copyfileobj(part, out)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Lay out a VisionFive 2 boot partition for a Cairn "
        "riscv64 image (docs/boards/visionfive2.md).")
    ap.add_argument("image", help="cairn-APP.img from a riscv64 build")
    ap.add_argument("--out", required=True,
                    help="folder to create (replaced if it exists)")
    ap.add_argument("--boot", default="both",
                    choices=["both", "extlinux", "efi"],
                    help="which boot files to write (default: both)")
    ap.add_argument("--fdt", help="a DTB for extlinux.conf's fdt line "
                    "(default: none, U-Boot's own device tree)")
    ap.add_argument("--append", help="an append line (default: none)")
    ap.add_argument("--timeout", type=int, default=0,
                    help="extlinux.conf timeout, tenths of a second")
    ap.add_argument("--card", help="also write a whole-card image (MBR, "
                    "FAT32 partition 3) to this file")
    ap.add_argument("--card-size", type=int, default=64,
                    help="card image size in MiB (default 64)")
    args = ap.parse_args(argv)

    problem = check_image(args.image)
    if problem:
        print(f"mkvf2boot: {args.image}: {problem}", file=sys.stderr)
        return 1
    if args.fdt and args.boot == "efi":
        print("mkvf2boot: --fdt needs extlinux (bootefi passes U-Boot's DT)",
              file=sys.stderr)
        return 1
    fdt_name = os.path.basename(args.fdt) if args.fdt else None
    files = boot_files(args.boot, args.timeout, fdt_name, args.append)
    write_folder(files, args.image, args.fdt, args.out)
    if args.card:
        try:
            write_card(args.out, args.card, args.card_size)
        except (ValueError, OSError, subprocess.CalledProcessError) as e:
            print(f"mkvf2boot: card image: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
