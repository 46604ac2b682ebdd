// SPDX-License-Identifier: BSD-2-Clause
/*
 * Exceptions. Cairn runs with interrupts off and has no expected faults on
 * x86 yet, so every exception is a bug: it goes to the generic fault report
 * (<cairn/fault.h>), which names it and prints a backtrace; the error code,
 * RIP, CR2 for a page fault and every register come from
 * arch_fault_dump_regs() here. Then the machine powers off with a failure
 * status.
 */
#include <cairn/arch.h>
#include <cairn/fault.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/sections.h>

#include "x86.h"

/* Interrupt gate descriptor of the 64-bit IDT [intel/vol3 §6.14.1]. */
struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};

_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

#define GATE_INTERRUPT	0x8e	/* present, DPL 0, interrupt gate */
#define VECTOR_DF	8
#define VECTOR_PF	14

struct __packed idt_ptr {
	uint16_t limit;
	uint64_t base;
};

/*
 * The 64-bit TSS [intel/vol3 §8.7]: only its interrupt stack table is used.
 * #PF and #DF run on IST 1, the fault stack: a #PF from a stack that ran
 * into its guard page could not push its frame (that would be a #DF, then
 * a triple fault) and the report would have no stack to run on.
 */
struct __packed tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};

_Static_assert(sizeof(struct tss64) == 104, "TSS layout");

#define FAULT_IST	1
#define FAULT_STACK_SIZE 8192
#define TSS_SEL		0x18	/* after boot_gdt's null, code and data */

static struct tss64 tss __aligned(16) __ro_after_init;
static uint8_t fault_stack[FAULT_STACK_SIZE] __aligned(16) __noclear;

/*
 * Our GDT: boot_gdt's (entry.S) descriptors at the same selectors, then the
 * TSS's 16-byte descriptor [intel/vol3 §8.2.3]. Writable until ltr has set
 * the TSS busy bit, read-only after boot.
 */
static uint64_t gdt[5] __aligned(16) __ro_after_init = {
	0,
	0x00af9b000000ffff,	/* KERNEL_CS: 64-bit code, accessed */
	0x00cf93000000ffff,	/* KERNEL_DS: flat data, accessed */
};

static void __init tss_init(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;
	struct idt_ptr ptr;

	tss.ist[FAULT_IST - 1] =
		(uint64_t)(uintptr_t)(fault_stack + FAULT_STACK_SIZE);
	tss.iomap_base = sizeof(tss);	/* no I/O permission bitmap */
	gdt[3] = (limit & 0xffff) | (base & 0xffffff) << 16 |
		 UINT64_C(0x89) << 40 |	/* present, 64-bit TSS available */
		 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[4] = base >> 32;
	ptr.limit = sizeof(gdt) - 1;
	ptr.base = (uint64_t)(uintptr_t)gdt;
	/* Same selectors as boot_gdt: no segment register needs reloading. */
	__asm__ volatile("lgdt %0" : : "m"(ptr));
	__asm__ volatile("ltr %w0" : : "r"(TSS_SEL));
}

/* Read-only after boot: nothing rewrites a gate. */
static struct idt_gate idt[NR_EXCEPTIONS] __aligned(16) __ro_after_init;

static const char *const exception_names[NR_EXCEPTIONS] = {
	[0] = "#DE divide error",
	[1] = "#DB debug",
	[2] = "NMI",
	[3] = "#BP breakpoint",
	[4] = "#OF overflow",
	[5] = "#BR bound range exceeded",
	[6] = "#UD invalid opcode",
	[7] = "#NM device not available",
	[8] = "#DF double fault",
	[9] = "coprocessor segment overrun",
	[10] = "#TS invalid TSS",
	[11] = "#NP segment not present",
	[12] = "#SS stack-segment fault",
	[13] = "#GP general protection",
	[14] = "#PF page fault",
	[16] = "#MF x87 floating-point error",
	[17] = "#AC alignment check",
	[18] = "#MC machine check",
	[19] = "#XM SIMD floating-point exception",
	[20] = "#VE virtualization exception",
	[21] = "#CP control protection",
	[28] = "#HV hypervisor injection",
	[29] = "#VC VMM communication",
	[30] = "#SX security exception",
};

/**
 * x86_idt_init() - point every exception vector at its trap.S stub
 *
 * #PF and #DF run on the fault stack (IST 1 of our TSS, loaded here with
 * our own GDT). Vectors 32 and up have no gate: with interrupts off only a bug raises
 * them, and the resulting #GP names the vector in its error code.
 */
void __init x86_idt_init(void)
{
	struct idt_ptr ptr;

	tss_init();
	for (int v = 0; v < NR_EXCEPTIONS; v++) {
		uint64_t a = x86_trap_stubs[v];

		idt[v] = (struct idt_gate){
			.offset_lo = (uint16_t)a,
			.selector = KERNEL_CS,
			.ist = (v == VECTOR_PF || v == VECTOR_DF) ? FAULT_IST
								  : 0,
			.type_attr = GATE_INTERRUPT,
			.offset_mid = (uint16_t)(a >> 16),
			.offset_hi = (uint32_t)(a >> 32),
		};
	}
	ptr.limit = sizeof(idt) - 1;
	ptr.base = (uint64_t)(uintptr_t)idt;
	__asm__ volatile("lidt %0" : : "m"(ptr));
}

/* #PF error code bits [intel/vol3 §4.7]. */
#define PF_WRITE	(1u << 1)
#define PF_FETCH	(1u << 4)

/* The generic fault report's view of a vector. */
static void classify(const struct trap_frame *tf, struct fault *f)
{
	switch (tf->vector) {
	case VECTOR_PF:
		f->class = FAULT_CLASS_MEMORY;
		f->addr = read_cr2();
		f->addr_valid = true;
		if (tf->error & PF_FETCH) {
			f->access = FAULT_ACCESS_EXEC;
		} else if (tf->error & PF_WRITE) {
			f->access = FAULT_ACCESS_WRITE;
		} else {
			f->access = FAULT_ACCESS_READ;
		}
		break;
	case VECTOR_DF:
		/*
		 * A #DF: most likely a #PF that could not push its frame
		 * (the stack ran into its guard); the classifier checks RSP.
		 */
		f->class = FAULT_CLASS_MEMORY;
		break;
	case 0:
	case 16:
	case 19:
		f->class = FAULT_CLASS_ARITH;
		break;
	case 6:
		f->class = FAULT_CLASS_ILLEGAL;
		break;
	case 3:
		f->class = FAULT_CLASS_BREAKPOINT;
		break;
	case 17:
		f->class = FAULT_CLASS_MISALIGNED;
		break;
	default:
		f->class = FAULT_CLASS_OTHER;
		break;
	}
}

/* Called by trap.S with the saved state; never returns. */
void x86_trap(struct trap_frame *tf)
{
	struct fault f = {
		.cause = "reserved vector",
		.pc = tf->rip,
		.sp = tf->rsp,
		.fp = tf->rbp,
		.regs = tf,
	};

	if (tf->vector < NR_EXCEPTIONS && exception_names[tf->vector]) {
		f.cause = exception_names[tf->vector];
	}
	classify(tf, &f);
	/* A call pushed its return address: read it if RSP is on the stack. */
	if (tf->rsp >= (uintptr_t)__stack_bottom &&
	    tf->rsp + 8 <= (uintptr_t)__stack_top && IS_ALIGNED(tf->rsp, 8)) {
		f.ra = *(const uint64_t *)(uintptr_t)tf->rsp;
	}
	fault_report(&f);
}

/* RBP points at the record: the caller's RBP, then the return address. */
uintptr_t arch_frame_record(uintptr_t fp)
{
	return fp;
}

void arch_fault_dump_regs(const struct fault *f)
{
	const struct trap_frame *tf = f->regs;

	pr_err("  vector %llu, error code %#llx at RIP 0x%016llx\n",
	       (unsigned long long)tf->vector, (unsigned long long)tf->error,
	       (unsigned long long)tf->rip);
	if (tf->vector == VECTOR_PF) {
		pr_err("  CR2 0x%016llx (the faulting address)\n",
		       (unsigned long long)f->addr);
	}
	pr_err("  RAX 0x%016llx  RBX 0x%016llx  RCX 0x%016llx\n",
	       (unsigned long long)tf->rax, (unsigned long long)tf->rbx,
	       (unsigned long long)tf->rcx);
	pr_err("  RDX 0x%016llx  RSI 0x%016llx  RDI 0x%016llx\n",
	       (unsigned long long)tf->rdx, (unsigned long long)tf->rsi,
	       (unsigned long long)tf->rdi);
	pr_err("  RBP 0x%016llx  RSP 0x%016llx  R8  0x%016llx\n",
	       (unsigned long long)tf->rbp, (unsigned long long)tf->rsp,
	       (unsigned long long)tf->r8);
	pr_err("  R9  0x%016llx  R10 0x%016llx  R11 0x%016llx\n",
	       (unsigned long long)tf->r9, (unsigned long long)tf->r10,
	       (unsigned long long)tf->r11);
	pr_err("  R12 0x%016llx  R13 0x%016llx  R14 0x%016llx\n",
	       (unsigned long long)tf->r12, (unsigned long long)tf->r13,
	       (unsigned long long)tf->r14);
	pr_err("  R15 0x%016llx  RFLAGS %#llx  CS %#llx  SS %#llx  CR3 %#llx\n",
	       (unsigned long long)tf->r15, (unsigned long long)tf->rflags,
	       (unsigned long long)tf->cs, (unsigned long long)tf->ss,
	       (unsigned long long)read_cr3());
}
