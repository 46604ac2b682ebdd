// SPDX-License-Identifier: BSD-2-Clause
/*
 * The stack protector's runtime (generic/stackprot.c). Every kernel file is
 * built with -fstack-protector-strong: a function with a local array or a
 * local whose address is taken stores __stack_chk_guard in its frame and
 * calls __stack_chk_fail() if it changed when the function returns.
 */
#pragma once

#include <cairn/compiler.h>
#include <cairn/types.h>

/*
 * For the few functions that are on the stack while the canary changes
 * (the one that sets it, and its callers): they would see a different
 * canary on return than they stored on entry.
 */
#define __no_stack_protector	__attribute__((no_stack_protector))

/* The canary; the compiler reads it by this name. */
extern uintptr_t __stack_chk_guard;

/**
 * stackprot_set_canary() - install a new canary
 * @canary: the value, never 0 (random_canary() makes one)
 *
 * Only start_kernel(), through random_init_canary(), calls it: every
 * function that is active across the call must be __no_stack_protector.
 */
void stackprot_set_canary(uintptr_t canary);

/* Called by a protected function whose canary changed; reports, panics. */
__noreturn void __stack_chk_fail(void);
