// SPDX-License-Identifier: BSD-2-Clause
/* Arch constants that generic code may use (riscv). Checked by <cairn/types.h>. */
#pragma once

#define PAGE_SHIFT	12

/* UEFI calling convention: the platform's own C convention. */
#define EFIAPI
