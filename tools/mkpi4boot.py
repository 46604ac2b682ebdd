#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Assemble a Raspberry Pi 4 Model B boot partition for a Cairn image.

    mkpi4boot.py IMAGE OUT-DIR --firmware FW-DIR [--console pl011|mini]
                 [--card FILE.img [--card-mib N]]
    mkpi4boot.py IMAGE OUT-DIR --no-firmware [--console pl011|mini]

IMAGE is a Cairn arm64 image (build/aarch64/cairn-APP.img); it becomes
kernel8.img, beside a config.txt that makes the Pi firmware start it in
64-bit mode with the UART on GPIO 14/15 enabled. FW-DIR holds the official
firmware files from the raspberrypi/firmware repository's boot/ folder:
start4.elf, fixup4.dat, bcm2711-rpi-4-b.dtb and, for the PL011 console,
overlays/disable-bt.dtbo. They are copied into OUT-DIR, which then is a
complete boot partition: copy it onto the card's FAT32 partition. Missing
firmware files are refused with a list of what to download.

--card also writes a whole-card image: an MBR with one FAT32 partition
(type 0x0c, from 1 MiB) holding OUT-DIR, ready for dd to the card (needs
mkfs.vfat from dosfstools and mcopy from mtools, which ci/setup.sh
installs). --no-firmware makes only kernel8.img and config.txt: the build
target (meson: boards/rpi4) and a check of the layout. docs/boards/rpi4.md
is the guide.
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile

# Files of the official firmware (raspberrypi/firmware, boot/) that a Pi 4
# boot partition needs: the VideoCore firmware, its memory split table and
# the board's device tree, which the firmware patches and hands over in x0.
FIRMWARE = ["start4.elf", "fixup4.dat", "bcm2711-rpi-4-b.dtb"]
# dtoverlay=disable-bt: moves Bluetooth off the PL011 onto nothing, and
# the PL011 onto GPIO 14/15 (serial0).
PL011_OVERLAY = "overlays/disable-bt.dtbo"
ARM64_MAGIC_OFFSET = 0x38
ARM64_MAGIC = b"ARM\x64"
PART_START = 1 << 20            # the partition starts 1 MiB into the card


def config_txt(console):
    """The config.txt for @console ("pl011" or "mini"), as text."""
    lines = [
        "# Cairn on the Raspberry Pi 4 Model B (tools/mkpi4boot.py,",
        "# docs/boards/rpi4.md).",
        "# Start the cores in AArch64 state and load kernel8.img: an arm64",
        "# Image, entered with the firmware's patched device tree in x0.",
        "arm_64bit=1",
        "kernel=kernel8.img",
        "# The UART on GPIO 14 (TX, pin 8) and 15 (RX, pin 10), 115200 8N1.",
        "enable_uart=1",
    ]
    if console == "pl011":
        lines += [
            "# Bluetooth off the PL011: the PL011 drives GPIO 14/15 and is",
            "# serial0, which /chosen/stdout-path names.",
            "dtoverlay=disable-bt",
        ]
    else:
        lines += [
            "# The mini UART stays on GPIO 14/15 (serial0); enable_uart=1",
            "# also fixes the core clock its baud rate is divided from.",
        ]
    lines += [
        "# The firmware's own boot log on the same UART (optional).",
        "uart_2ndstage=1",
    ]
    return "\n".join(lines) + "\n"


def check_image(path):
    """None if @path is an arm64 Image, else why not."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError as e:
        return f"cannot read {path}: {e.strerror}"
    if head[ARM64_MAGIC_OFFSET:ARM64_MAGIC_OFFSET + 4] != ARM64_MAGIC:
        return (f"{path} is not an arm64 Image (no ARM\\x64 magic at 0x38): "
                f"use build/aarch64/cairn-APP.img")
    return None


def needed_firmware(console):
    return FIRMWARE + ([PL011_OVERLAY] if console == "pl011" else [])


def missing_firmware(fw_dir, console):
    return [n for n in needed_firmware(console)
            if not os.path.isfile(os.path.join(fw_dir, n))]


def assemble(image, out, fw_dir, console):
    """Fill @out with the boot partition's files; @fw_dir None: none."""
    os.makedirs(out, exist_ok=True)
    shutil.copyfile(image, os.path.join(out, "kernel8.img"))
    with open(os.path.join(out, "config.txt"), "w") as f:
        f.write(config_txt(console))
    if fw_dir is None:
        return
    for name in needed_firmware(console):
        dest = os.path.join(out, name)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(os.path.join(fw_dir, name), dest)


def mbr(part_sectors):
    """A DOS partition table: one FAT32 (LBA) partition from 1 MiB."""
    sector = bytearray(512)
    entry = struct.pack("<B3sB3sII", 0x00, b"\xfe\xff\xff", 0x0c,
                        b"\xfe\xff\xff", PART_START // 512, part_sectors)
    sector[446:446 + 16] = entry
    sector[510:512] = b"\x55\xaa"
    return bytes(sector)


def write_card(folder, card, mib):
    """@card: MBR + a FAT32 partition of the rest of @mib MiB with @folder."""
    for tool in ("mkfs.vfat", "mcopy"):
        if shutil.which(tool) is None:
            sys.exit(f"mkpi4boot: {tool} not found: install dosfstools and "
                     f"mtools (ci/setup.sh does)")
    size = mib << 20
    if size < PART_START + (33 << 20):
        sys.exit("mkpi4boot: --card-mib must be at least 34 (FAT32 minimum)")
    with tempfile.TemporaryDirectory(prefix="mkpi4boot-") as tmp:
        part = os.path.join(tmp, "part.img")
        with open(part, "wb") as f:
            f.truncate(size - PART_START)
        subprocess.run(["mkfs.vfat", "-F", "32", "-n", "CAIRNBOOT", part],
                       check=True, stdout=subprocess.DEVNULL)
        names = sorted(os.listdir(folder))
        subprocess.run(["mcopy", "-s", "-i", part] +
                       [os.path.join(folder, n) for n in names] + ["::"],
                       check=True)
        with open(card, "wb") as out, open(part, "rb") as src:
            out.write(mbr((size - PART_START) // 512))
            out.write(bytes(PART_START - 512))
            shutil.copyfileobj(src, out)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="See docs/boards/rpi4.md.")
    ap.add_argument("image", help="build/aarch64/cairn-APP.img")
    ap.add_argument("out", help="folder to fill (created if needed)")
    fw = ap.add_mutually_exclusive_group(required=True)
    fw.add_argument("--firmware", metavar="DIR",
                    help="folder with start4.elf, fixup4.dat, "
                         "bcm2711-rpi-4-b.dtb, overlays/disable-bt.dtbo")
    fw.add_argument("--no-firmware", action="store_true",
                    help="only kernel8.img and config.txt")
    ap.add_argument("--console", choices=["pl011", "mini"], default="pl011",
                    help="UART on GPIO 14/15: the PL011 (Bluetooth off, "
                         "default) or the mini UART")
    ap.add_argument("--card", metavar="FILE",
                    help="also write a whole-card image (MBR + FAT32)")
    ap.add_argument("--card-mib", type=int, default=64)
    a = ap.parse_args()

    why = check_image(a.image)
    if why:
        sys.exit("mkpi4boot: " + why)
    if a.firmware is not None:
        missing = missing_firmware(a.firmware, a.console)
        if missing:
            sys.exit(
                f"mkpi4boot: {a.firmware} lacks the Pi firmware file(s): "
                f"{', '.join(missing)}.\nDownload them from "
                f"https://github.com/raspberrypi/firmware/tree/master/boot "
                f"(same names, overlays/ as a folder); docs/boards/rpi4.md.")
    elif a.card:
        sys.exit("mkpi4boot: --card needs --firmware: a card without the "
                 "Pi firmware does not boot")
    assemble(a.image, a.out, a.firmware, a.console)
    if a.card:
        write_card(a.out, a.card, a.card_mib)
    return 0


if __name__ == "__main__":
    sys.exit(main())
