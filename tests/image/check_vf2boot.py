#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check the VisionFive 2 boot partition that tools/mkvf2boot.py lays out.

    check_vf2boot.py (--image IMAGE | --synthetic) [--built DIR CARD]

Runs the script on IMAGE (a riscv64 cairn-APP.img; --synthetic makes a
stand-in with the RISC-V Image and MZ magics, for the host build) in every
mode and checks, printing TAP: the folder's files and their bytes, the
extlinux.conf U-Boot's distro boot reads (default label, kernel path that
exists, timeout, no fdt or append line unless asked for), the whole-card
image (MBR whose only partition, number 3 as StarFive's U-Boot wants it,
is active FAT32 from 1 MiB; the files read back
with mtools), that a non-riscv64 file is refused, and that ci/qemu-run.py's
riscv64 U-Boot paths boot exactly these files. --built also checks the
meson target's own output (arch/riscv/boot). Nothing is skipped: a missing
tool fails.
"""
import argparse
import importlib.util
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.join(HERE, "..", "..")
SCRIPT = os.path.join(TOP, "tools", "mkvf2boot.py")
RUNNER = os.path.join(TOP, "ci", "qemu-run.py")

tests = 0
failed = 0


def ok(cond, what, detail=None):
    global tests, failed
    tests += 1
    if not cond:
        failed += 1
    print(f"{'ok' if cond else 'not ok'} {tests} - {what}")
    if not cond and detail:
        for line in str(detail).splitlines():
            print(f"#   {line}")


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def synthetic_image(path):
    """64 KiB with just the magics mkvf2boot.py checks (not bootable)."""
    data = bytearray(64 * 1024)
    data[0:2] = b"MZ"
    data[0x30:0x38] = b"RISCV\0\0\0"
    data[0x38:0x3c] = b"RSC\x05"
    data[0x3c:0x40] = struct.pack("<I", 0x40)
    for i in range(0x40, len(data)):
        data[i] = i * 7 & 0xFF
    with open(path, "wb") as f:
        f.write(data)


def run(args):
    p = subprocess.run([sys.executable, SCRIPT] + args,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def files_of(folder):
    found = set()
    for root, _, names in os.walk(folder):
        for n in names:
            rel = os.path.relpath(os.path.join(root, n), folder)
            found.add(rel.replace(os.sep, "/"))
    return found


def read(path, mode="rb"):
    with open(path, mode) as f:
        return f.read()


def parse_extlinux(text):
    """{"default", "timeout", "labels": {name: {keyword: value}}, "other"}."""
    conf = {"labels": {}, "other": []}
    label = None
    for line in text.splitlines():
        words = line.strip().split(None, 1)
        if not words or words[0].startswith("#"):
            continue
        key = words[0].lower()
        value = words[1] if len(words) > 1 else ""
        if key == "label":
            label = conf["labels"].setdefault(value, {})
        elif key in ("kernel", "linux", "fdt", "fdtdir", "append",
                     "initrd") and label is not None:
            label[key] = value
        elif key in ("default", "timeout") and label is None:
            conf[key] = value
        else:
            conf["other"].append(line)
    return conf


def check_extlinux(folder, what, fdt=None, append=None, timeout="0"):
    path = os.path.join(folder, "extlinux", "extlinux.conf")
    text = read(path, "r")
    conf = parse_extlinux(text)
    ok(not conf["other"], f"{what}: extlinux.conf has only default, "
       "timeout and label lines", text)
    ok(conf.get("timeout") == timeout,
       f"{what}: extlinux.conf timeout {timeout}", text)
    default = conf.get("default")
    label = conf["labels"].get(default)
    ok(label is not None, f"{what}: default label {default!r} exists", text)
    label = label or {}
    ok(label.get("kernel") == "/cairn.img" and
       os.path.isfile(os.path.join(folder, "cairn.img")),
       f"{what}: the label's kernel is /cairn.img, on the partition", text)
    ok("fdtdir" not in label and label.get("fdt") ==
       (f"/dtbs/{fdt}" if fdt else None),
       f"{what}: " + (f"fdt /dtbs/{fdt}" if fdt else
                      "no fdt line: U-Boot's own device tree"), text)
    if fdt:
        ok(os.path.isfile(os.path.join(folder, "dtbs", fdt)),
           f"{what}: the DTB is on the partition")
    ok(label.get("append") == append,
       f"{what}: " + (f"append {append}" if append else "no append line"),
       text)
    ok("initrd" not in label, f"{what}: no initrd line")


def check_folder(folder, image, what):
    want = {"cairn.img", "extlinux/extlinux.conf", "EFI/BOOT/BOOTRISCV64.EFI"}
    found = files_of(folder)
    ok(found == want, f"{what}: the folder holds exactly "
       + ", ".join(sorted(want)), sorted(found))
    img = read(image)
    for name in ("cairn.img", "EFI/BOOT/BOOTRISCV64.EFI"):
        path = os.path.join(folder, name)
        ok(os.path.isfile(path) and read(path) == img,
           f"{what}: {name} is the image, byte for byte")
    check_extlinux(folder, what)


def check_card(card, folder, what):
    data = read(card)
    ok(len(data) % (1024 * 1024) == 0 and len(data) >= 34 * 1024 * 1024,
       f"{what}: card image is a whole number of MiB (>= 34)", len(data))
    ok(data[510:512] == b"\x55\xaa", f"{what}: MBR signature 0x55aa")
    boot, ptype, start, count = None, None, None, None
    if len(data) >= 512:
        e = data[446 + 32:446 + 48]
        boot, ptype = e[0], e[4]
        start, count = struct.unpack("<II", e[8:16])
    ok(boot == 0x80 and ptype == 0x0C,
       f"{what}: partition 3 is active, type 0x0c (FAT32 LBA)",
       f"boot {boot} type {ptype}")
    total = len(data) // 512
    ok(start == 2048 and count == total - 2048,
       f"{what}: partition 3 spans 1 MiB to the end",
       f"start {start} sectors {count}, image {total}")
    ok(data[446:478] + data[494:510] == bytes(48),
       f"{what}: partitions 1, 2 and 4 are empty")
    bs = data[1024 * 1024:1024 * 1024 + 512]
    ok(bs[510:512] == b"\x55\xaa" and bs[0x52:0x5a] == b"FAT32   " and
       struct.unpack("<I", bs[0x1c:0x20])[0] == 2048,
       f"{what}: FAT32 boot sector at 1 MiB, hidden sectors 2048")
    for name in sorted(files_of(folder)):
        p = subprocess.run(["mtype", "-i", f"{card}@@1M", "::/" + name],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        got = p.stdout if p.returncode == 0 else None
        ok(got == read(os.path.join(folder, name)),
           f"{what}: card holds {name} as the folder does",
           p.stderr.decode("utf-8", "replace"))


def check_qemu_paths(mkvf2boot):
    """The riscv64 U-Boot paths of ci/qemu-run.py boot this layout."""
    paths = load(RUNNER, "qemu_run").PATHS["riscv64"]
    want = {"uboot": ("files", "extlinux"), "uboot-efi": ("files", "efi"),
            "uboot-sdcard": ("card", "both")}
    for path, (key, boot) in want.items():
        spec = paths.get(path, {})
        ok(spec.get(key) == mkvf2boot.boot_files(boot),
           f"qemu-run.py riscv64 {path} boots mkvf2boot.py's '{boot}' "
           "layout", spec.get(key))


def main():
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--image")
    g.add_argument("--synthetic", action="store_true")
    ap.add_argument("--built", nargs=2, metavar=("DIR", "CARD"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="check-vf2boot-") as tmp:
        image = args.image
        if args.synthetic:
            image = os.path.join(tmp, "cairn-synthetic.img")
            synthetic_image(image)
        if not os.path.isfile(image):
            print(f"Bail out! no image {image}")
            return 1
        mkvf2boot = load(SCRIPT, "mkvf2boot")

        out, card = os.path.join(tmp, "boot"), os.path.join(tmp, "card.img")
        rc, log = run([image, "--out", out, "--card", card])
        ok(rc == 0, "mkvf2boot.py IMAGE --out DIR --card FILE succeeds", log)
        if rc == 0:
            check_folder(out, image, "default")
            check_card(card, out, "default")

        for boot, want in (("extlinux", {"cairn.img",
                                         "extlinux/extlinux.conf"}),
                           ("efi", {"EFI/BOOT/BOOTRISCV64.EFI"})):
            d = os.path.join(tmp, boot)
            rc, log = run([image, "--out", d, "--boot", boot])
            ok(rc == 0 and files_of(d) == want,
               f"--boot {boot}: only " + ", ".join(sorted(want)),
               log + str(sorted(files_of(d)) if rc == 0 else ""))

        dtb = os.path.join(tmp, "board.dtb")
        with open(dtb, "wb") as f:
            f.write(b"\xd0\x0d\xfe\xed" + bytes(60))
        d = os.path.join(tmp, "fdt")
        rc, log = run([image, "--out", d, "--fdt", dtb, "--append",
                       "cairn.debug=1 x", "--timeout", "30"])
        ok(rc == 0, "--fdt --append --timeout succeed", log)
        if rc == 0:
            check_extlinux(d, "--fdt", fdt="board.dtb",
                           append="cairn.debug=1 x", timeout="30")
            ok(read(os.path.join(d, "dtbs", "board.dtb")) == read(dtb),
               "--fdt: the DTB is copied byte for byte")

        bad = os.path.join(tmp, "arm64.img")
        with open(bad, "wb") as f:
            f.write(bytes(0x38) + b"ARM\x64" + bytes(4096))
        d = os.path.join(tmp, "bad")
        rc, log = run([bad, "--out", d])
        ok(rc != 0 and not os.path.exists(d),
           "a file without the RISC-V Image magic is refused", log)

        check_qemu_paths(mkvf2boot)

        if args.built:
            check_folder(args.built[0], image, "built")
            check_card(args.built[1], args.built[0], "built")

    print(f"1..{tests}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
