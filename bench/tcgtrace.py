# SPDX-License-Identifier: BSD-2-Clause
"""Read QEMU's TCG trace (-d in_asm,exec,nochain): executed blocks and sizes.

Used by bench/boot_profile.py (Cairn's boot by function) and
ci/linux-bench.py (Linux's instructions to its Memory: line). With
`nochain` every execution of a translated block is logged as a "Trace"
line; the in_asm listing that precedes a block's first execution gives its
instruction count. Under -icount a block may be retranslated with other
cflags (e.g. cut short at an I/O instruction); blocks are keyed by
(pc, cflags) and bound to the newest listing of their pc on first use.

A block whose I/O access is not its last instruction is abandoned at that
access under -icount, its effects undone, and run again from the same pc
as a new block that ends at the access (cflags has CF_LAST_IO): the trace
logs both, so the abandoned execution is dropped.
"""
import re

EXEC_RE = re.compile(
    r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/([0-9a-f]+)\]")
INSN_RE = re.compile(r"^0x([0-9a-f]+):")
CF_LAST_IO = 0x8000	# QEMU 7.2 include/exec/exec-all.h


def blocks(path):
    """Yield (pc, instructions) for each executed translated block."""
    sizes = {}		# (pc, cflags) -> instruction count
    pending = {}	# pc -> instruction count of its newest translation
    block_pc, block_n = None, 0
    last = None		# the previous execution, held back one step
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("Trace "):
                m = EXEC_RE.match(line)
                if not m:
                    continue
                pc, cflags = int(m.group(1), 16), m.group(2)
                key = (pc, cflags)
                if pc in pending:
                    sizes[key] = pending.pop(pc)
                if last is not None and not (
                        last[0] == pc and int(cflags, 16) & CF_LAST_IO):
                    yield last
                last = (pc, sizes.get(key, 1))
            elif line.startswith("IN:"):
                block_pc, block_n = None, 0
            elif line.startswith("0x"):
                m = INSN_RE.match(line)
                if m:
                    if block_pc is None:
                        block_pc = int(m.group(1), 16)
                    block_n += 1
                    pending[block_pc] = block_n
    if last is not None:
        yield last


def count_to_output(path, uart_re, wanted):
    """Guest instructions until the UART has written a line matching WANTED.

    The trace must also carry the UART's register writes as QEMU trace
    events in the same log (e.g. `-trace pl011_write`), so that they are
    ordered with the executed blocks; UART_RE matches such a write to the
    data register and captures the byte in hex. Returns (instructions,
    line), or (instructions so far, None) if the trace ended first.
    """
    sizes, pending = {}, {}
    block_pc, block_n, total, out = None, 0, 0, ""
    last_pc, last_n = None, 0
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("Trace "):
                m = EXEC_RE.match(line)
                if not m:
                    continue
                pc, cflags = int(m.group(1), 16), m.group(2)
                key = (pc, cflags)
                if pc in pending:
                    sizes[key] = pending.pop(pc)
                if last_pc == pc and int(cflags, 16) & CF_LAST_IO:
                    total -= last_n	# abandoned at its I/O access
                last_pc, last_n = pc, sizes.get(key, 1)
                total += last_n
            elif line.startswith("IN:"):
                block_pc, block_n = None, 0
            elif line.startswith("0x"):
                m = INSN_RE.match(line)
                if m:
                    if block_pc is None:
                        block_pc = int(m.group(1), 16)
                    block_n += 1
                    pending[block_pc] = block_n
            else:
                m = uart_re.search(line)
                if not m:
                    continue
                c = chr(int(m.group(1), 16) & 0xff)
                if c != "\n":
                    out += c
                    continue
                if wanted.search(out):
                    return total, out.rstrip("\r")
                out = ""
    return total, None
