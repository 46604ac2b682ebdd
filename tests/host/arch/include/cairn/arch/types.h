// SPDX-License-Identifier: BSD-2-Clause
/* Arch constants that generic code may use (host tests: a fake arch). Checked by <cairn/types.h>. */
#pragma once

#define PAGE_SHIFT	12

/* UEFI calling convention: irrelevant on the host. */
#define EFIAPI
