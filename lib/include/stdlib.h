// SPDX-License-Identifier: BSD-2-Clause
/* Freestanding stand-in: libfdt's environment includes <stdlib.h>, Cairn needs none of it. */
#pragma once

#include <stddef.h>
