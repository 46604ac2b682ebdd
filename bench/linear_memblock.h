/* SPDX-License-Identifier: BSD-2-Clause */
/* The linear-array baseline of bench_memblock.c; see linear_memblock.c. */
#ifndef CAIRN_BENCH_LINEAR_MEMBLOCK_H
#define CAIRN_BENCH_LINEAR_MEMBLOCK_H

#include <stdbool.h>
#include <stdint.h>

void lin_reset(void);
bool lin_add(uint64_t base, uint64_t size, int nid);
bool lin_reserve(uint64_t base, uint64_t size);
void lin_remove(uint64_t base, uint64_t size);
void lin_free(uint64_t base, uint64_t size);
uint64_t lin_alloc(uint64_t size, uint64_t align, uint64_t limit, int nid);
bool lin_is_memory(uint64_t addr);
unsigned long lin_memory_cnt(void);
unsigned long lin_reserved_cnt(void);

#endif /* CAIRN_BENCH_LINEAR_MEMBLOCK_H */
