// SPDX-License-Identifier: BSD-2-Clause
/*
 * x86_64 internals shared by the files of arch/x86/: port I/O, CPUID, TSC,
 * control registers, and the trap frame trap.S builds. Nothing here is for
 * generic code, which sees the arch only through <cairn/arch.h>.
 */
#pragma once

#include <cairn/types.h>

#include "asm.h"

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* CPUID.1:ECX bit 31: running under a hypervisor [intel/vol2 CPUID]. */
#define CPUID1_ECX_HYPERVISOR	(UINT32_C(1) << 31)

/* Saved by trap.S; asm.h has the size. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error;		/* 0 for vectors without an error code */
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "trap frame layout");

/* trap.S: the entry stub of each exception vector. */
extern const uint64_t x86_trap_stubs[NR_EXCEPTIONS];

__noreturn void x86_trap(struct trap_frame *tf);
void x86_idt_init(void);

/*
 * tsc.c: which source gave the TSC frequency, for the log (NULL: none,
 * the frequency is a guess); the PIT measurement redone over early boot.
 */
const char *tsc_source(void);
const char *tsc_pit_problem(void);
uint32_t tsc_pit_noisy_ppm(void);
void x86_tsc_refine(void);

/*
 * mm.c: keep memblock below the boot map (from arch_early_reserve()), read
 * the CPU's paging features (from arch_setup()).
 */
void x86_mm_early(void);
void x86_mm_init(void);

/*
 * boot.c: the hand-off record every path fills, and helpers for the
 * recorders of each path (bootparams.c, efi.c). x86_boot_dropped counts
 * pointers beyond the boot map and reservations that did not fit.
 */
struct boot_handoff;
extern struct boot_handoff x86_boot_handoff;
extern uint32_t x86_boot_dropped;
bool x86_boot_readable(uint64_t pa, uint64_t size);
void x86_boot_reserve(uint64_t pa, uint64_t size, const char *name);
uint64_t x86_boot_cmdline_size(uint64_t pa);

/* bootparams.c: the Linux boot protocol's struct boot_params. */
void x86_bootparams_record(struct boot_handoff *bh, uint64_t boot_params);
void x86_bootparams_log(const struct boot_handoff *bh);

/* efi.c: the UEFI path, after the generic stub filled the record. */
void x86_efi_record(struct boot_handoff *bh);
void x86_efi_log(const struct boot_handoff *bh);
