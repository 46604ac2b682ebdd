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
access under -icount, its effects undone ("cpu_io_recompile: rewound
execution of TB to <pc>" in the log) and run again from the same pc as a
new block that ends at the access: the trace logs both executions, so the
rewound one is dropped.
"""
import re

EXEC_RE = re.compile(
    r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/([0-9a-f]+)\]")
INSN_RE = re.compile(r"^0x([0-9a-f]+):")
REWOUND_RE = re.compile(r"^cpu_io_recompile: rewound execution of TB to "
                        r"([0-9a-f]+)")


def _events(path):
    """Yield ("exec", pc, instructions) per executed block and ("line",
    text) for every other log line that is not part of an in_asm listing,
    in log order."""
    sizes = {}		# (pc, cflags) -> instruction count
    pending = {}	# pc -> instruction count of its newest translation
    block_pc, block_n = None, 0
    listing = False	# inside an in_asm listing (IN: to a blank line)
    last = None		# the previous execution, held back one step
    with open(path, errors="replace") as f:
        for line in f:
            if listing and not line.strip():
                listing = False
            if line.startswith("Trace "):
                m = EXEC_RE.match(line)
                if not m:
                    continue
                pc, cflags = int(m.group(1), 16), m.group(2)
                key = (pc, cflags)
                if pc in pending:
                    sizes[key] = pending.pop(pc)
                if last is not None:
                    yield last
                last = ("exec", pc, sizes.get(key, 1))
            elif line.startswith("IN:"):
                block_pc, block_n, listing = None, 0, True
            elif line.startswith("0x"):
                m = INSN_RE.match(line)
                if m:
                    if block_pc is None:
                        block_pc = int(m.group(1), 16)
                    block_n += 1
                    pending[block_pc] = block_n
            elif line.startswith("cpu_io_recompile:"):
                m = REWOUND_RE.match(line)
                if m and last is not None and last[1] == int(m.group(1), 16):
                    last = None		# undone; it runs again next
            elif not listing and not line.startswith("----"):
                if last is not None:
                    yield last
                    last = None
                yield ("line", line)
    if last is not None:
        yield last


def blocks(path):
    """Yield (pc, instructions) for each executed translated block."""
    for ev in _events(path):
        if ev[0] == "exec":
            yield ev[1], ev[2]


def count_to_output(path, uart_re, wanted):
    """Guest instructions until the UART has written a line matching WANTED.

    The trace must also carry the UART's register writes as QEMU trace
    events in the same log (e.g. `-trace pl011_write`), so that they are
    ordered with the executed blocks; UART_RE matches such a write to the
    data register and captures the byte in hex. Returns (instructions,
    line), or (instructions so far, None) if the trace ended first.
    """
    total, out = 0, ""
    for ev in _events(path):
        if ev[0] == "exec":
            total += ev[2]
            continue
        m = uart_re.search(ev[1])
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
