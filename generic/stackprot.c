// SPDX-License-Identifier: BSD-2-Clause
/*
 * The stack protector's runtime: the canary every protected frame stores
 * (__stack_chk_guard) and what runs when one was overwritten. Kernel
 * builds only; clang reads the canary through the global symbol on all
 * three arches (x86_64 with -mstack-protector-guard=global, meson.build).
 *
 * Until start_kernel() seeds it (random_init_canary()) the canary is the
 * constant below: the entry code, the UEFI stub and the arch's first C
 * run with it. It lives in __ro_after_init: once mark_rodata_ro() has run
 * no stray write can change (or zero) it.
 */
#include <cairn/fault.h>
#include <cairn/log.h>
#include <cairn/sections.h>
#include <cairn/stackprot.h>

uintptr_t __stack_chk_guard __ro_after_init = (uintptr_t)0x2b8e4c1f7d5a3600ull;

void __no_stack_protector stackprot_set_canary(uintptr_t canary)
{
	WRITE_ONCE(__stack_chk_guard, canary);
}

/*
 * Not protected itself, and reports through panic() only. The return
 * address lies in the function whose frame was overwritten, just after
 * its check: the one name it has that does not come from the smashed
 * frame.
 */
void __no_stack_protector __stack_chk_fail(void)
{
	uintptr_t ret = (uintptr_t)__builtin_return_address(0), off = 0;
	/* The call may be the function's last instruction (it never
	 * returns): look up the call, not what follows it. */
	const char *fn = ksym_lookup(&cairn_ksyms, (uintptr_t)__image_start,
				     ret - 1, &off);

	panic("stack protector: stack smashed in %s+%#lx (%p, return address "
	      "of __stack_chk_fail)", fn != NULL ? fn : "?",
	      (unsigned long)(off + 1), (void *)ret);
}
