// SPDX-License-Identifier: BSD-2-Clause
/*
 * The empty symbol table of the first kernel link (meson.build): the link
 * whose symbols tools/gen_ksyms.py reads to make the real one.
 */
#include <cairn/fault.h>

const struct ksym_table cairn_ksyms = {0};
