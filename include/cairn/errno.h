// SPDX-License-Identifier: BSD-2-Clause
/*
 * Error numbers. Functions return 0 or a count on success and a negative
 * value from this list on failure; there is no global errno. The values
 * match Linux so that code written against Linux's memblock reads the same.
 */
#pragma once

#define EPERM		1
#define ENOENT		2
#define EIO		5
#define E2BIG		7
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ENOSYS		38
#define EOVERFLOW	75
