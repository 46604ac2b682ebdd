// SPDX-License-Identifier: BSD-2-Clause
/* Arch constants that generic code may use (x86). Checked by <cairn/types.h>. */
#pragma once

#define PAGE_SHIFT	12

/* UEFI calling convention on x86_64: the Microsoft x64 one [uefi 2.10 §2.3.4]. */
#define EFIAPI __attribute__((ms_abi))
