#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Run cairn-memmap on fixture inputs and compare with golden output.

Two modes, both meson tests in suite 'host' (tools/meson.build):

  memmap_golden.py --tool EXE --golden FILE [--status N] -- ARGS...
      Runs EXE ARGS. The exit status must be N (default 0). stdout, with
      every input path given in ARGS replaced by its base name (so that
      build directories do not matter), must equal FILE. When ARGS hold
      --json the output must parse as JSON and pass a schema check first; the
      comparison is then on the parsed document. On a mismatch the diff
      is shown. CAIRN_UPDATE_GOLDEN=1 rewrites FILE instead.

  memmap_golden.py --tool EXE --binary-matches-text KIND:LAYOUT TEXTFILE
      Builds the binary table that the boot log TEXTFILE describes (with
      its own parser here, independent of tools/memmap_text.c; KIND:LAYOUT
      is e820:pvh, e820:bootparams or efi:DESC_SIZE), runs the tool on both
      and requires the same memblock, provenance and diagnostics.

It must not accept a difference silently: any mismatch fails the test.
"""
import argparse
import difflib
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

HEX = re.compile(r'^0x[0-9a-f]{16}$')


def run(tool, args):
    p = subprocess.run([tool] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), \
        p.stderr.decode('utf-8', 'replace')


def normalise_paths(text, args):
    for a in sorted(args, key=len, reverse=True):
        if os.path.sep in a and os.path.exists(a):
            text = text.replace(a, os.path.basename(a))
    return text


def check(cond, what):
    if not cond:
        raise AssertionError('JSON schema: ' + what)


def check_schema(doc, status):
    """The --json document's promises (docs/firmware.md, cairn-memmap)."""
    for key in ('tool', 'status', 'inputs', 'converters', 'memory_size',
                'reserved_size', 'memory', 'reserved', 'provenance',
                'provenance_lost', 'diagnostics', 'summary', 'log'):
        check(key in doc, 'missing key ' + key)
    check(doc['tool'] == 'cairn-memmap', 'tool')
    check(doc['status'] == ('refused' if status == 2 else 'ok'),
          'status %r with exit status %d' % (doc['status'], status))
    for kind in ('memory', 'reserved'):
        total = 0
        last_end = -1
        for r in doc[kind]:
            check(set(r) == {'base', 'size', 'flags', 'nid'}, kind + ' keys')
            check(HEX.match(r['base']) and HEX.match(r['size']), kind + ' hex')
            base, size = int(r['base'], 16), int(r['size'], 16)
            check(size > 0 and base > last_end, kind + ' sorted, disjoint')
            last_end = base + size - 1
            total += size
            check(isinstance(r['flags'], list), kind + ' flags')
            check(r['nid'] is None or isinstance(r['nid'], int), kind + ' nid')
        check(total == int(doc[kind + '_size'], 16), kind + ' total size')
    for d in doc['diagnostics']:
        check(set(d) == {'id', 'name', 'level', 'origin', 'range',
                         'message'}, 'diagnostic keys')
        check(re.match(r'^fw\d{3}$', d['id']), 'diagnostic id')
        check(d['level'] in ('note', 'warning', 'error'), 'level')
        check(d['range'] is None or set(d['range']) == {'base', 'size'},
              'diagnostic range')
    by_id = {}
    for d in doc['diagnostics']:
        by_id[d['id']] = by_id.get(d['id'], 0) + 1
    check(doc['summary']['total'] == len(doc['diagnostics']), 'summary total')
    check(doc['summary']['by_id'] == by_id, 'summary by_id')
    for r in doc['provenance']:
        check(r['fate'] in ('kept', 'clipped', 'dropped'), 'fate')
        check(r['target'] in ('dropped', 'memory', 'reserved', 'nomap',
                              'removed'), 'target')
    for i in doc['inputs']:
        check(i['kind'] in ('dtb', 'e820', 'efi-memmap'), 'input kind')


def golden(opts, args):
    status, out, err = run(opts.tool, args)
    out = normalise_paths(out, args)
    if status != opts.status:
        print('exit status %d, expected %d' % (status, opts.status))
        print(out + err)
        return 1
    if err and status != 64:
        print('unexpected stderr:\n' + err)
        return 1
    if '--json' in args:
        try:
            doc = json.loads(out)
            check_schema(doc, status)
        except (ValueError, AssertionError) as e:
            print('bad JSON output: %s\n%s' % (e, out))
            return 1
        out = json.dumps(doc, indent=1, sort_keys=True) + '\n'
    if os.environ.get('CAIRN_UPDATE_GOLDEN') == '1':
        with open(opts.golden, 'w') as f:
            f.write(out)
        print('updated ' + opts.golden)
        return 0
    with open(opts.golden) as f:
        want = f.read()
    if out != want:
        sys.stdout.writelines(difflib.unified_diff(
            want.splitlines(True), out.splitlines(True),
            opts.golden, 'cairn-memmap output'))
        print('\n(CAIRN_UPDATE_GOLDEN=1 meson test ... rewrites the file)')
        return 1
    return 0


E820_WORDS = {'usable': 1, 'reserved': 2, 'ACPI data': 3, 'ACPI NVS': 4,
              'unusable': 5, 'soft reserved': 0xefffffff}
EFI_TYPES = ['Reserved', 'Loader Code', 'Loader Data', 'Boot Code',
             'Boot Data', 'Runtime Code', 'Runtime Data', 'Conventional',
             'Unusable', 'ACPI Reclaim', 'ACPI Mem NVS', 'MMIO', 'MMIO Port',
             'PAL Code', 'Persistent', 'Unaccepted']
EFI_ATTRS = {'UC': 0x1, 'WC': 0x2, 'WT': 0x4, 'WB': 0x8, 'UCE': 0x10,
             'WP': 0x1000, 'RP': 0x2000, 'XP': 0x4000, 'NV': 0x8000,
             'MR': 0x10000, 'RO': 0x20000, 'SP': 0x40000, 'CC': 0x80000,
             'HP': 0x100000, 'RUN': 1 << 63}


def e820_from_text(text, layout):
    out = b''
    for m in re.finditer(r'BIOS-e820: \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] '
                         r'(.+?)\s*$', text, re.M):
        start, end, word = int(m[1], 16), int(m[2], 16), m[3]
        t = re.match(r'(?:persistent \()?type (\d+)\)?$', word)
        typ = int(t[1]) if t else E820_WORDS[word]
        out += struct.pack('<QQI', start, end - start + 1, typ)
        if layout == 'pvh':
            out += struct.pack('<I', 0)
    return out, []


def efi_from_text(text, desc_size):
    out = b''
    for m in re.finditer(r'efi: mem\d+: \[([^|\]]*)\|([^\]]*)\] '
                         r'range=\[0x([0-9a-f]+)-0x([0-9a-f]+)\]', text):
        name, cols = m[1].strip(), m[2]
        start, end = int(m[3], 16), int(m[4], 16)
        t = re.match(r'type=(\d+)$', name)
        typ = int(t[1]) if t else EFI_TYPES.index(name)
        if cols.startswith('attr='):
            attr = int(cols[5:], 16)
        else:
            attr = 0
            for c in cols.split('|'):
                if c.strip():
                    attr |= EFI_ATTRS[c.strip()]
        desc = struct.pack('<IIQQQQ', typ, 0, start, 0,
                           (end - start + 1) >> 12, attr)
        out += desc + bytes(desc_size - len(desc))
    return out, ['--desc-size', str(desc_size)]


def strip_tool_lines(out, paths):
    out = normalise_paths(out, paths)
    return ''.join(l for l in out.splitlines(True)
                   if not l.startswith('cairn-memmap: '))


def binary_matches_text(opts, spec, textfile):
    kind, layout = spec.split(':')
    with open(textfile) as f:
        text = f.read()
    if kind == 'e820':
        blob, extra = e820_from_text(text, layout)
        extra = ['--e820-format', layout]
        opt = '--e820'
    else:
        blob, extra = efi_from_text(text, int(layout))
        opt = '--efi-memmap'
    with tempfile.NamedTemporaryFile(suffix='.bin', delete=False) as f:
        f.write(blob)
        binfile = f.name
    try:
        st_t, out_t, _ = run(opts.tool, [opt, textfile])
        st_b, out_b, _ = run(opts.tool, [opt, binfile] + extra)
    finally:
        os.unlink(binfile)
    out_t = strip_tool_lines(out_t, [textfile])
    out_b = strip_tool_lines(out_b, [binfile])
    if st_t != st_b or out_t != out_b or not blob:
        print('text and binary forms of %s disagree (status %d, %d)'
              % (textfile, st_t, st_b))
        sys.stdout.writelines(difflib.unified_diff(
            out_t.splitlines(True), out_b.splitlines(True), 'text', 'binary'))
        return 1
    print('%s: text and %d-byte binary agree' % (textfile, len(blob)))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--tool', required=True)
    ap.add_argument('--golden')
    ap.add_argument('--status', type=int, default=0)
    ap.add_argument('--binary-matches-text', nargs=2,
                    metavar=('KIND:LAYOUT', 'TEXTFILE'))
    ap.add_argument('args', nargs='*')
    opts = ap.parse_args()
    if opts.binary_matches_text:
        return binary_matches_text(opts, *opts.binary_matches_text)
    if not opts.golden:
        ap.error('--golden or --binary-matches-text is required')
    return golden(opts, opts.args)


if __name__ == '__main__':
    sys.exit(main())
