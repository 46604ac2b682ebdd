// SPDX-License-Identifier: BSD-2-Clause
/* The default application: greet, say where we run, and exit with success. */
#include <stdio.h>

int main(int argc, char *argv[])
{
	printf("Hello from %s: the application's main() runs (argc %d)\n",
	       argv[0], argc);
	return 0;
}
