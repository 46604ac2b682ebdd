// SPDX-License-Identifier: BSD-2-Clause
/* Arch constants that generic code may use (x86). Checked by <cairn/types.h>. */
#pragma once

#define PAGE_SHIFT	12
