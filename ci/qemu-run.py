#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot a Cairn image in QEMU and judge the boot.

    qemu-run.py ARCH PATH IMAGE [--expect LINE]... [--expect-status N]
                [--timeout S] [--memory SIZE] [--log FILE] [--interactive]
                [-- EXTRA-QEMU-ARGS...]
    qemu-run.py --list

ARCH is riscv64, arm64 (aarch64) or x86_64; PATH names a boot path of that
arch (see PATHS below). The serial console goes to our stdout as it comes.

The boot passes when every --expect line appears, in order, as a substring
of a console line; the kernel's last line "cairn: exit status N" reports
the application's status N, which must equal --expect-status (default 0);
and QEMU's own exit status agrees with it (how QEMU reports a status differs
per arch: see decode_status). A timeout is a failure, and the serial log is
printed on any failure. With --interactive only the status matters and the
exit status is the application's.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# The VisionFive 2 boot partition's layout (tools/mkvf2boot.py): the riscv64
# U-Boot paths boot exactly what a card for the board holds.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import mkvf2boot  # noqa: E402

# arch -> boot path -> how to boot. Each path is a dict:
#   "args":  QEMU arguments for the machine and firmware; "{disk}" stands
#            for a folder that QEMU presents as a FAT disk (fat:rw:DIR)
#   "files": what that folder holds: {path in the folder: content}, where
#            content "{image}" copies the image and any other string is
#            written as text (an extlinux.conf, a boot script)
#   "card":  like "files", but "{disk}" is a whole-disk image (an MBR and
#            FAT32 partition 3 holding them, tools/mkvf2boot.py --card)
#   "kernel": True (default) to pass the image with -kernel
#   "image": a file suffix: boot the file of that suffix beside IMAGE
#            instead of IMAGE itself (x86: the .bzimage beside the ELF,
#            arch/x86/README.md "Boot paths")
#   "dtb":   a DTB for -dtb, relative to IMAGE's folder (the build dir;
#            arch/arm64/boot/ compiles the raspi3b ones)
#   "memory": the RAM size the machine insists on (raspi3b: 1G only),
#            instead of --memory
# Every path adds the console, -no-reboot and the exit device. docs/boot-
# paths.md describes each; `ci/run.sh --list` prints them.
RISCV_FW_JUMP = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
RISCV_UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
RISCV_VIRTIO_DISK = ["-drive", "if=none,file=fat:rw:{disk},format=raw,id=d",
                     "-device", "virtio-blk-device,drive=d"]
RISCV_CARD_DISK = ["-drive", "if=none,file={disk},format=raw,id=d",
                   "-device", "virtio-blk-device,drive=d"]

# arm64 virt: U-Boot (qemu_arm64) and EDK2 as -bios, a virtio disk for
# both. EDK2 installs its DT configuration table only when QEMU provides no
# ACPI tables (acpi=off); with them it describes the machine by ACPI alone,
# which Cairn cannot use yet (arch/arm64/README.md).
ARM64_UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
ARM64_EDK2 = "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"
ARM64_DISK = ["-drive", "if=none,file=fat:rw:{disk},format=raw,id=d",
              "-device", "virtio-blk-device,drive=d", "-nic", "none"]
ARM64_EL1 = ["-cpu", "cortex-a57"]
ARM64_EL2 = ["-cpu", "max"]
# No menu, no wait: U-Boot's own 2 s autoboot delay is all that remains.
ARM64_EXTLINUX = """default cairn
timeout 0
label cairn
  kernel /cairn.img
"""
ARM64_BOOTI = {"cairn.img": "{image}",
               "extlinux/extlinux.conf": ARM64_EXTLINUX}
ARM64_EFI = {"EFI/BOOT/BOOTAA64.EFI": "{image}"}

# The FAT folder as a virtio disk, which OVMF and U-Boot both boot from.
X86_DISK = ["-drive", "if=none,id=d,format=raw,file=fat:rw:{disk}",
            "-device", "virtio-blk-pci,drive=d"]
PATHS = {
    "riscv64": {
        # OpenSBI fw_dynamic (QEMU's default firmware) then the Image.
        "opensbi": {"args": ["-M", "virt", "-bios", "default"]},
        # Debian's OpenSBI fw_jump: the Image at 0x80200000, the DTB at
        # the fixed 0x82200000 (32 MiB above: the image must stay smaller).
        "fw-jump": {"args": ["-M", "virt", "-bios", RISCV_FW_JUMP]},
        # SiFive HiFive Unleashed model: hart 0 is the E51 monitor core,
        # OpenSBI boots the Image on hart 1; console is a SiFive UART.
        "sifive-u": {"args": ["-M", "sifive_u", "-bios", "default"]},
        # S-mode U-Boot as OpenSBI's payload; its distro boot finds
        # extlinux.conf on the virtio disk and booti's the Image. The
        # files are the VisionFive 2 card's (tools/mkvf2boot.py).
        "uboot": {
            "args": ["-M", "virt", "-bios", "default",
                     "-kernel", RISCV_UBOOT] + RISCV_VIRTIO_DISK,
            "files": mkvf2boot.boot_files("extlinux"),
            "kernel": False,
        },
        # The same U-Boot's distro boot finding no extlinux.conf or boot
        # script: bootefi of the removable-media path, UEFI entry.
        "uboot-efi": {
            "args": ["-M", "virt", "-bios", "default",
                     "-kernel", RISCV_UBOOT] + RISCV_VIRTIO_DISK,
            "files": mkvf2boot.boot_files("efi"),
            "kernel": False,
        },
        # The whole VisionFive 2 card image (MBR, FAT32 partition 3, active,
        # with both boot methods) as the disk: distro boot scans it.
        "uboot-sdcard": {
            "args": ["-M", "virt", "-bios", "default",
                     "-kernel", RISCV_UBOOT] + RISCV_CARD_DISK,
            "card": mkvf2boot.boot_files("both"),
            "kernel": False,
        },
    },
    "arm64": {
        # QEMU's own direct kernel boot at EL1.
        "direct": {"args": ["-M", "virt", "-cpu", "cortex-a57"]},
        # Entered at EL2 (virtualization=on): the kernel drops to EL1.
        "direct-el2": {"args": ["-M", "virt,virtualization=on", "-cpu", "max"]},
        # U-Boot's distro boot finds extlinux.conf on the virtio disk and
        # booti's the Image (booting.rst entry, U-Boot's DT in x0); at
        # EL1, and at EL2 where U-Boot runs with virtualization=on.
        "uboot": {"args": ["-M", "virt"] + ARM64_EL1 +
                  ["-bios", ARM64_UBOOT] + ARM64_DISK,
                  "files": ARM64_BOOTI, "kernel": False},
        "uboot-el2": {"args": ["-M", "virt,virtualization=on"] + ARM64_EL2 +
                      ["-bios", ARM64_UBOOT] + ARM64_DISK,
                      "files": ARM64_BOOTI, "kernel": False},
        # The same U-Boot finding no extlinux.conf or boot script: bootefi
        # of the removable-media path, the image's UEFI entry.
        "uboot-efi": {"args": ["-M", "virt"] + ARM64_EL1 +
                      ["-bios", ARM64_UBOOT] + ARM64_DISK,
                      "files": ARM64_EFI, "kernel": False},
        "uboot-efi-el2": {"args": ["-M", "virt,virtualization=on"] +
                          ARM64_EL2 + ["-bios", ARM64_UBOOT] + ARM64_DISK,
                          "files": ARM64_EFI, "kernel": False},
        # EDK2 (ArmVirtQemu) boots EFI/BOOT/BOOTAA64.EFI; acpi=off makes it
        # install QEMU's DT as a configuration table.
        "edk2": {"args": ["-M", "virt,acpi=off"] + ARM64_EL1 +
                 ["-bios", ARM64_EDK2] + ARM64_DISK,
                 "files": ARM64_EFI, "kernel": False},
        "edk2-el2": {"args": ["-M", "virt,virtualization=on,acpi=off"] +
                     ARM64_EL2 + ["-bios", ARM64_EDK2] + ARM64_DISK,
                     "files": ARM64_EFI, "kernel": False},
        # Raspberry Pi 3 B model: the Pi boot flow without the Pi firmware
        # (QEMU loads the image 2 MiB into RAM, text_offset 0, and passes
        # the -dtb at 128 MiB in x0; secondary CPUs wait in QEMU's spin
        # table in page 0; no PSCI). The console is the DT's choice:
        # serial0 = the PL011, serial1 = the mini UART, which is QEMU's
        # second serial port (the first goes to null).
        "raspi3b-pl011": {"args": ["-M", "raspi3b"], "memory": "1G",
                          "dtb": "arch/arm64/boot/rpi3-b-pl011.dtb"},
        "raspi3b-miniuart": {"args": ["-M", "raspi3b", "-serial", "null"],
                             "memory": "1G",
                             "dtb": "arch/arm64/boot/rpi3-b-miniuart.dtb"},
    },
    "x86_64": {
        # PVH entry of the ELF (XEN_ELFNOTE_PHYS32_ENTRY).
        "pvh-q35": {"args": ["-M", "q35"]},
        "pvh-pc": {"args": ["-M", "pc"]},
        # Linux boot protocol: SeaBIOS, QEMU's linuxboot ROM, the
        # bzImage's real-mode setup (e820 from INT 15h).
        "linux-q35": {"args": ["-M", "q35"], "image": "bzimage"},
        "linux-pc": {"args": ["-M", "pc"], "image": "bzimage"},
        # UEFI: OVMF boots the bzImage as a PE32+ application.
        "ovmf": {
            "args": ["-M", "q35", "-bios", "/usr/share/ovmf/OVMF.fd",
                     "-net", "none"] + X86_DISK,
            "files": {"EFI/BOOT/BOOTX64.EFI": "{image}"},
            "kernel": False, "image": "bzimage",
        },
        # 64-bit U-Boot: distro boot finds BOOTX64.EFI, runs bootefi.
        "uboot": {
            "args": ["-M", "q35", "-bios",
                     "/usr/lib/u-boot/qemu-x86_64/u-boot.rom"] + X86_DISK,
            "files": {"EFI/BOOT/BOOTX64.EFI": "{image}"},
            "kernel": False, "image": "bzimage",
        },
        # 32-bit U-Boot: extlinux.conf, zboot (the 32-bit boot protocol
        # entry; 64-bit U-Boot 2023.01 cannot zboot).
        "uboot-zboot": {
            "args": ["-M", "q35", "-bios",
                     "/usr/lib/u-boot/qemu-x86/u-boot.rom"] + X86_DISK,
            "files": {
                "cairn": "{image}",
                "extlinux/extlinux.conf":
                    "timeout 0\ndefault cairn\nlabel cairn\n"
                    "    kernel /cairn\n",
            },
            "kernel": False, "image": "bzimage",
        },
    },
}
QEMU = {
    "riscv64": "qemu-system-riscv64",
    "arm64": "qemu-system-aarch64",
    "x86_64": "qemu-system-x86_64",
}
DEFAULT_PATH = {"riscv64": "opensbi", "arm64": "direct", "x86_64": "pvh-q35"}
# main()'s status, or panic()'s (generic/log.c: "... powering off with
# status 255"), which a fault test expects.
STATUS_RE = re.compile(r"(?:cairn: exit status|powering off with status) "
                       r"(-?\d+)")
DETECTED_RE = re.compile(r"detect_memory: (\d+) KiB of memory")
REPORT_RE = re.compile(r"Memory: (\d+)K/(\d+)K available")
# Memory paging_init() could not map and took out of memblock again.
REMOVED_RE = re.compile(r"paging_init: memory \[(0x[0-9a-f]+)-(0x[0-9a-f]+)\)"
                        r" beyond .* removed")


def check_memory_report(lines):
    """The Memory: line's total must be what detect_memory() found.

    Returns a problem string, or None (also when the kernel printed
    neither line, e.g. a boot that failed earlier: other checks catch it).
    """
    detected = report = None
    removed = 0
    for line in lines:
        m = DETECTED_RE.search(line)
        if m:
            detected = int(m.group(1))
        m = REMOVED_RE.search(line)
        if m:
            removed += (int(m.group(2), 16) - int(m.group(1), 16)) // 1024
        m = REPORT_RE.search(line)
        if m:
            report = (int(m.group(1)), int(m.group(2)))
    if detected is None or report is None:
        return None
    avail, total = report
    detected -= removed
    if total != detected:
        return (f"Memory: total {total}K differs from the {detected} KiB "
                f"detect_memory() described")
    if avail > total:
        return f"Memory: {avail}K available exceeds the total {total}K"
    return None


def check_nothing_lost(lines):
    """After main() returns, the kernel's exit check must have passed.

    init/main.c runs mm_check_exit() (docs/mm.md, "Misuse and accounting
    checks") between "main() returned" and "cairn: exit status": the page
    accounting must hold and main() must have freed what it allocated.
    Returns a problem string, or None (also when main() never returned,
    e.g. a panic, which the status check judges).
    """
    returned = failed = ok = False
    for line in lines:
        if "main() returned" in line:
            returned = True
        if "mm: exit check: FAILED" in line:
            failed = True
        if "mm: exit check: ok" in line:
            ok = True
    if failed:
        return "mm: exit check FAILED: memory lost or leaked (see above)"
    if returned and not ok:
        return "main() returned but no 'mm: exit check: ok' line"
    return None


def decode_status(arch, code):
    """The application status that QEMU's exit code stands for, or None.

    riscv64 and arm64: a failing status leaves through semihosting SYS_EXIT
    (QEMU exits with it); success through SBI SRST / PSCI SYSTEM_OFF (0).
    x86_64: isa-debug-exit makes QEMU exit with (v << 1) | 1.
    """
    if arch == "x86_64":
        return code >> 1 if code & 1 else None
    return code


def prepare_disk(files, image, workdir):
    """Fill a fresh folder from a path's "files" and return it."""
    disk = os.path.join(workdir, "disk")
    os.makedirs(disk)
    for dest, content in files.items():
        target = os.path.join(disk, dest)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if content == "{image}":
            shutil.copyfile(image, target)
        else:
            with open(target, "w") as f:
                f.write(content)
    return disk


def qemu_command(arch, path, image, memory, extra, workdir):
    binary = shutil.which(QEMU[arch])
    if binary is None:
        sys.exit(f"qemu-run: {QEMU[arch]} not found: run ci/setup.sh")
    spec = PATHS[arch][path]
    disk = None
    if spec.get("files"):
        disk = prepare_disk(spec["files"], image, workdir)
    elif spec.get("card"):
        disk = os.path.join(workdir, "card.img")
        mkvf2boot.write_card(prepare_disk(spec["card"], image, workdir),
                             disk, 64)
    cmd = [binary] + [a.replace("{disk}", disk or "") for a in spec["args"]]
    cmd += ["-m", spec.get("memory", memory)]
    if spec.get("dtb"):
        dtb = os.path.join(os.path.dirname(os.path.abspath(image)),
                           spec["dtb"])
        if not os.path.isfile(dtb):
            sys.exit(f"qemu-run: no DTB {dtb}: build it with ninja")
        cmd += ["-dtb", dtb]
    if spec.get("kernel", True):
        cmd += ["-kernel", image]
    cmd += ["-display", "none", "-serial", "stdio", "-monitor", "none",
            "-no-reboot"]
    if arch == "x86_64":
        cmd += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    else:
        cmd += ["-semihosting-config", "enable=on,target=native"]
    return cmd + extra


def list_paths():
    """One "ARCH PATH" line per supported boot path (ci/run.sh --list)."""
    for arch, paths in PATHS.items():
        for path in paths:
            print(f"{arch} {path}")


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    if argv == ["--list"]:
        list_paths()
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("arch", choices=["riscv64", "arm64", "aarch64", "x86_64"])
    ap.add_argument("path", help="boot path, or 'default'")
    ap.add_argument("image")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--expect-status", type=int, default=0)
    ap.add_argument("--expect-leak", action="store_true",
                    help="the kernel's exit check must fail (a test of it)")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--memory", default="512M")
    ap.add_argument("--log")
    ap.add_argument("--interactive", action="store_true")
    args = ap.parse_args(argv)
    arch = "arm64" if args.arch == "aarch64" else args.arch
    path = DEFAULT_PATH[arch] if args.path == "default" else args.path
    if path not in PATHS[arch]:
        sys.exit(f"qemu-run: no boot path '{path}' for {arch}; "
                 f"known: {', '.join(PATHS[arch])}")
    suffix = PATHS[arch][path].get("image")
    if suffix:
        args.image = os.path.splitext(args.image)[0] + "." + suffix
    if not os.path.exists(args.image):
        sys.exit(f"qemu-run: no image {args.image}")

    workdir = tempfile.mkdtemp(prefix="qemu-run-")
    try:
        return boot(arch, path, args, extra, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def boot(arch, path, args, extra, workdir):
    cmd = qemu_command(arch, path, args.image, args.memory, extra, workdir)
    print("qemu-run: " + " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    lines = []
    deadline = time.monotonic() + args.timeout
    timed_out = False
    os.set_blocking(proc.stdout.fileno(), False)
    buf = b""
    while True:
        chunk = None
        try:
            chunk = proc.stdout.read()
        except BlockingIOError:
            pass
        if chunk:
            sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
            buf += chunk
        elif proc.poll() is not None:
            break
        elif time.monotonic() > deadline:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        else:
            time.sleep(0.02)
    code = proc.wait()
    text = buf.decode("utf-8", "replace").replace("\r", "")
    lines = text.split("\n")
    if args.log:
        with open(args.log, "w") as f:
            f.write(text)

    problems = []
    if timed_out:
        problems.append(f"timed out after {args.timeout:g} s")
    reported = None
    for line in lines:
        m = STATUS_RE.search(line)
        if m:
            reported = int(m.group(1))
    qemu_status = decode_status(arch, code)
    if args.interactive:
        if reported is None:
            print(f"qemu-run: no exit status line (QEMU exit code {code})")
            return 1
        return reported & 0xff
    want = list(args.expect)
    for line in lines:
        if want and want[0] in line:
            want.pop(0)
    if want:
        problems.append(f"expected line not seen: {want[0]!r}")
    mem_problem = check_memory_report(lines)
    if mem_problem:
        problems.append(mem_problem)
    lost_problem = check_nothing_lost(lines)
    if args.expect_leak:
        if lost_problem is None:
            problems.append("expected the exit check to fail")
    elif lost_problem:
        problems.append(lost_problem)
    if reported is None:
        problems.append("no 'cairn: exit status' line")
    elif reported != args.expect_status:
        problems.append(f"application status {reported}, "
                        f"expected {args.expect_status}")
    if not timed_out and qemu_status is None:
        problems.append(f"QEMU exit code {code} carries no status")
    elif not timed_out and reported is not None:
        # QEMU's view must agree: same value, or at least both zero/non-zero.
        if (qemu_status == 0) != (reported == 0):
            problems.append(f"QEMU exit code {code} disagrees with "
                            f"reported status {reported}")
    if problems:
        print("\nqemu-run: FAIL: " + "; ".join(problems))
        return 1
    print(f"\nqemu-run: PASS ({arch} {path}, status {reported})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
