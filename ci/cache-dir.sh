#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Print the folder where set-up caches what it fetches (libfdt sources).
# It lives outside the checkout so that nothing fetched is ever committed.
echo "${CAIRN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cairn}"
