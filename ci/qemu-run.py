#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot a Cairn image in QEMU and judge the boot.

    qemu-run.py ARCH PATH IMAGE [--expect LINE]... [--expect-status N]
                [--timeout S] [--memory SIZE] [--log FILE] [--interactive]
                [-- EXTRA-QEMU-ARGS...]

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
import time

# arch -> boot path -> (QEMU binary, arguments before the image, image flag).
# Every path adds the console, -no-reboot and the exit device.
PATHS = {
    "riscv64": {
        # OpenSBI fw_dynamic (QEMU's default firmware) then the Image.
        "opensbi": ["-M", "virt", "-bios", "default"],
    },
    "arm64": {
        # QEMU's own direct kernel boot at EL1.
        "direct": ["-M", "virt", "-cpu", "cortex-a57"],
        # Entered at EL2 (virtualization=on): the kernel drops to EL1.
        "direct-el2": ["-M", "virt,virtualization=on", "-cpu", "max"],
    },
    "x86_64": {
        # PVH entry of the ELF (XEN_ELFNOTE_PHYS32_ENTRY).
        "pvh-q35": ["-M", "q35"],
        "pvh-pc": ["-M", "pc"],
    },
}
QEMU = {
    "riscv64": "qemu-system-riscv64",
    "arm64": "qemu-system-aarch64",
    "x86_64": "qemu-system-x86_64",
}
DEFAULT_PATH = {"riscv64": "opensbi", "arm64": "direct", "x86_64": "pvh-q35"}
STATUS_RE = re.compile(r"cairn: exit status (-?\d+)")
DETECTED_RE = re.compile(r"detect_memory: (\d+) KiB of memory")
REPORT_RE = re.compile(r"Memory: (\d+)K/(\d+)K available")


def check_memory_report(lines):
    """The Memory: line's total must be what detect_memory() found.

    Returns a problem string, or None (also when the kernel printed
    neither line, e.g. a boot that failed earlier: other checks catch it).
    """
    detected = report = None
    for line in lines:
        m = DETECTED_RE.search(line)
        if m:
            detected = int(m.group(1))
        m = REPORT_RE.search(line)
        if m:
            report = (int(m.group(1)), int(m.group(2)))
    if detected is None or report is None:
        return None
    avail, total = report
    if total != detected:
        return (f"Memory: total {total}K differs from the {detected} KiB "
                f"detect_memory() described")
    if avail > total:
        return f"Memory: {avail}K available exceeds the total {total}K"
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


def qemu_command(arch, path, image, memory, extra):
    binary = shutil.which(QEMU[arch])
    if binary is None:
        sys.exit(f"qemu-run: {QEMU[arch]} not found: run ci/setup.sh")
    cmd = [binary] + PATHS[arch][path] + [
        "-m", memory, "-kernel", image,
        "-display", "none", "-serial", "stdio", "-monitor", "none",
        "-no-reboot",
    ]
    if arch == "x86_64":
        cmd += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    else:
        cmd += ["-semihosting-config", "enable=on,target=native"]
    return cmd + extra


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("arch", choices=["riscv64", "arm64", "aarch64", "x86_64"])
    ap.add_argument("path", help="boot path, or 'default'")
    ap.add_argument("image")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--expect-status", type=int, default=0)
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
    if not os.path.exists(args.image):
        sys.exit(f"qemu-run: no image {args.image}")

    cmd = qemu_command(arch, path, args.image, args.memory, extra)
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
