#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check the Raspberry Pi 4 boot partition that tools/mkpi4boot.py lays out.

    check_pi4boot.py (--image IMAGE | --synthetic) [--built DIR]

Runs the script on IMAGE (an arm64 cairn-APP.img; --synthetic makes a
stand-in with the arm64 Image magic, for the host build) and on dummy
firmware files (the real ones are not redistributable here), printing TAP:
the folder's files and their bytes for both consoles, config.txt's
settings, the refusals (missing firmware files named, a non-arm64 file,
--card without firmware), and the whole-card image (MBR with one FAT32
partition at 1 MiB, files read back with mtools). --built also checks the
meson target's folder (arch/arm64/boot/rpi4-boot). Nothing is skipped: a
missing tool fails.
"""
import argparse
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "tools", "mkpi4boot.py")
FIRMWARE = ["start4.elf", "fixup4.dat", "bcm2711-rpi-4-b.dtb",
            "overlays/disable-bt.dtbo"]

tests = 0
failed = 0


def ok(cond, what, detail=None):
    global tests, failed
    tests += 1
    failed += not cond
    print(f"{'ok' if cond else 'not ok'} {tests} - {what}")
    if not cond and detail:
        for line in str(detail).splitlines():
            print(f"#   {line}")


def run(*args):
    return subprocess.run([sys.executable, SCRIPT] + list(args),
                          capture_output=True, text=True)


def synthetic_image(path):
    """64 KiB with the arm64 Image magic at 0x38 (not bootable)."""
    data = bytearray(64 * 1024)
    data[0:2] = b"MZ"
    data[0x38:0x3c] = b"ARM\x64"
    for i in range(0x40, len(data)):
        data[i] = i * 7 & 0xff
    with open(path, "wb") as f:
        f.write(data)


def dummy_firmware(folder, skip=()):
    for name in FIRMWARE:
        if name in skip:
            continue
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(f"dummy {name}\n")


def files_in(folder):
    found = []
    for root, _, names in os.walk(folder):
        for n in names:
            found.append(os.path.relpath(os.path.join(root, n), folder))
    return sorted(found)


def config(folder):
    """config.txt as {key: value}, comments and blank lines dropped."""
    settings = {}
    with open(os.path.join(folder, "config.txt")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, value = line.partition("=")
                settings[key] = value
    return settings


def same_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def check_folder(folder, image, console, with_firmware):
    want = ["config.txt", "kernel8.img"]
    if with_firmware:
        want += [n for n in FIRMWARE
                 if console == "pl011" or not n.startswith("overlays/")]
    have = files_in(folder)
    ok(have == sorted(want), f"{console}: the folder holds {sorted(want)}",
       f"has {have}")
    ok(same_bytes(os.path.join(folder, "kernel8.img"), image),
       f"{console}: kernel8.img is the image, byte for byte")
    cfg = config(folder)
    for key, value in [("arm_64bit", "1"), ("kernel", "kernel8.img"),
                       ("enable_uart", "1")]:
        ok(cfg.get(key) == value, f"{console}: config.txt {key}={value}",
           f"config: {cfg}")
    if console == "pl011":
        ok(cfg.get("dtoverlay") == "disable-bt",
           "pl011: config.txt dtoverlay=disable-bt", f"config: {cfg}")
    else:
        ok("dtoverlay" not in cfg, "mini: no overlay, Bluetooth keeps the PL011",
           f"config: {cfg}")


def check_card(card, image):
    for tool in ("mdir", "mtype"):
        if subprocess.run(["which", tool], capture_output=True).returncode:
            ok(False, f"{tool} (mtools) is installed: run ci/setup.sh")
            return
    with open(card, "rb") as f:
        mbr = f.read(512)
    _, ptype, start, count = struct.unpack("<B3xB3xII", mbr[446:462])
    ok(mbr[510:512] == b"\x55\xaa" and ptype == 0x0c and start == 2048,
       "card: MBR with a FAT32 (LBA) partition at 1 MiB",
       f"type {ptype:#x} start {start}")
    ok((start + count) * 512 == os.path.getsize(card),
       "card: the partition fills the card")
    part = f"{card}@@{start * 512}"
    listing = subprocess.run(["mdir", "-/", "-b", "-i", part, "::"],
                             capture_output=True, text=True)
    names = sorted(line.strip().lstrip(":/").lower()
                   for line in listing.stdout.splitlines() if line.strip())
    want = sorted(["config.txt", "kernel8.img"] + FIRMWARE + ["overlays/"])
    ok(listing.returncode == 0 and names == want,
       "card: the FAT partition holds the boot files", listing.stdout +
       listing.stderr)
    back = subprocess.run(["mtype", "-i", part, "::kernel8.img"],
                          capture_output=True)
    with open(image, "rb") as f:
        ok(back.stdout == f.read(), "card: kernel8.img reads back unchanged")


def main():
    ap = argparse.ArgumentParser()
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--image")
    src.add_argument("--synthetic", action="store_true")
    ap.add_argument("--built")
    a = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="check-pi4boot-") as tmp:
        image = a.image
        if a.synthetic:
            image = os.path.join(tmp, "cairn-synthetic.img")
            synthetic_image(image)
        fw = os.path.join(tmp, "firmware")
        dummy_firmware(fw)

        for console in ("pl011", "mini"):
            out = os.path.join(tmp, "boot-" + console)
            p = run(image, out, "--firmware", fw, "--console", console)
            ok(p.returncode == 0, f"{console}: assembles with firmware",
               p.stderr)
            check_folder(out, image, console, True)

        out = os.path.join(tmp, "boot-nofw")
        p = run(image, out, "--no-firmware")
        ok(p.returncode == 0, "--no-firmware: kernel8.img and config.txt",
           p.stderr)
        check_folder(out, image, "pl011", False)

        partial = os.path.join(tmp, "partial")
        dummy_firmware(partial, skip=("fixup4.dat", "overlays/disable-bt.dtbo"))
        out = os.path.join(tmp, "boot-partial")
        p = run(image, out, "--firmware", partial)
        ok(p.returncode != 0 and "fixup4.dat" in p.stderr and
           "overlays/disable-bt.dtbo" in p.stderr and
           "raspberrypi/firmware" in p.stderr and not os.path.exists(out),
           "missing firmware files are named and nothing is written",
           p.stderr)
        p = run(image, out, "--firmware", partial, "--console", "mini")
        ok(p.returncode != 0 and "fixup4.dat" in p.stderr and
           "disable-bt" not in p.stderr,
           "mini: the overlay is not asked for", p.stderr)

        notimg = os.path.join(tmp, "not-arm64.img")
        with open(notimg, "wb") as f:
            f.write(bytes(4096))
        p = run(notimg, os.path.join(tmp, "x"), "--firmware", fw)
        ok(p.returncode != 0 and "not an arm64 Image" in p.stderr,
           "a file without the arm64 magic is refused", p.stderr)
        p = run(image, os.path.join(tmp, "y"), "--no-firmware", "--card",
                os.path.join(tmp, "y.img"))
        ok(p.returncode != 0 and "--card needs --firmware" in p.stderr,
           "--card without firmware is refused", p.stderr)

        card = os.path.join(tmp, "card.img")
        p = run(image, os.path.join(tmp, "boot-card"), "--firmware", fw,
                "--card", card)
        ok(p.returncode == 0 and os.path.isfile(card),
           "--card writes a card image", p.stderr)
        if os.path.isfile(card):
            check_card(card, image)

        if a.built:
            check_folder(a.built, image, "pl011", False)
    print(f"1..{tests}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
