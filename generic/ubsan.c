// SPDX-License-Identifier: BSD-2-Clause
/*
 * UBSan's minimal runtime for the kernel (-Ddebug_checks=true, see
 * docs/hardening.md). With -fsanitize-minimal-runtime clang calls one
 * argument-less handler per check kind, __ubsan_handle_<kind>_minimal
 * (recoverable) or ..._minimal_abort; meson.build asks for no recovery,
 * and both kinds stop here: the report names the check and the address
 * just after the failing check (the caller), then panic() powers off with
 * status 255. Kernel builds only.
 */
#include <cairn/log.h>

#define UBSAN_HANDLER(kind, what)					\
	void __ubsan_handle_##kind##_minimal(void);			\
	void __ubsan_handle_##kind##_minimal_abort(void);		\
	void __ubsan_handle_##kind##_minimal(void)			\
	{								\
		ubsan_report(what, __builtin_return_address(0));	\
	}								\
	void __ubsan_handle_##kind##_minimal_abort(void)		\
	{								\
		ubsan_report(what, __builtin_return_address(0));	\
	}

static __noreturn void ubsan_report(const char *what, void *caller)
{
	panic("ubsan: %s in %p", what, caller);
}

/* The kinds of compiler-rt's ubsan_minimal_handlers.cpp, clang 14. */
UBSAN_HANDLER(type_mismatch, "type mismatch (null, misaligned or too small object)")
UBSAN_HANDLER(alignment_assumption, "alignment assumption violated")
UBSAN_HANDLER(add_overflow, "signed addition overflow")
UBSAN_HANDLER(sub_overflow, "signed subtraction overflow")
UBSAN_HANDLER(mul_overflow, "signed multiplication overflow")
UBSAN_HANDLER(negate_overflow, "signed negation overflow")
UBSAN_HANDLER(divrem_overflow, "division remainder overflow or by zero")
UBSAN_HANDLER(shift_out_of_bounds, "shift out of bounds")
UBSAN_HANDLER(out_of_bounds, "array index out of bounds")
UBSAN_HANDLER(builtin_unreachable, "__builtin_unreachable() reached")
UBSAN_HANDLER(missing_return, "end of a value-returning function reached")
UBSAN_HANDLER(vla_bound_not_positive, "variable-length array bound not positive")
UBSAN_HANDLER(float_cast_overflow, "float cast overflow")
UBSAN_HANDLER(load_invalid_value, "load of an invalid value (bool or enum)")
UBSAN_HANDLER(invalid_builtin, "invalid argument to a builtin")
UBSAN_HANDLER(invalid_objc_cast, "invalid Objective-C cast")
UBSAN_HANDLER(function_type_mismatch, "call through a function pointer of the wrong type")
UBSAN_HANDLER(implicit_conversion, "implicit conversion changed the value")
UBSAN_HANDLER(nonnull_arg, "NULL passed as a nonnull argument")
UBSAN_HANDLER(nonnull_return, "NULL returned from a returns_nonnull function")
UBSAN_HANDLER(nullability_arg, "NULL passed as a _Nonnull argument")
UBSAN_HANDLER(nullability_return, "NULL returned as _Nonnull")
UBSAN_HANDLER(pointer_overflow, "pointer arithmetic overflow")
UBSAN_HANDLER(cfi_check_fail, "control-flow integrity check failed")
