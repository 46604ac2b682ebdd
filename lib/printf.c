// SPDX-License-Identifier: BSD-2-Clause
/*
 * printf-style formatting into a callback. Pure code: no I/O, no allocation,
 * no state, so the kernel log, snprintf() and host tests share it. Unknown
 * conversions are printed as written rather than guessed at.
 */
#include <stdbool.h>
#include <stdint.h>

#include <cairn/printf.h>

struct spec {
	bool left, plus, space, alt, zero;
	int width;
	int prec;		/* -1: none */
};

struct sink {
	void (*out)(void *ctx, char c);
	void *ctx;
	int count;
};

static void put(struct sink *s, char c)
{
	s->out(s->ctx, c);
	s->count++;
}

static void pad(struct sink *s, char c, int n)
{
	while (n-- > 0) {
		put(s, c);
	}
}

/* Print @len bytes of @str padded to the width of @sp. */
static void emit_str(struct sink *s, const struct spec *sp, const char *str,
		     int len)
{
	if (!sp->left) {
		pad(s, ' ', sp->width - len);
	}
	for (int i = 0; i < len; i++) {
		put(s, str[i]);
	}
	if (sp->left) {
		pad(s, ' ', sp->width - len);
	}
}

static void emit_num(struct sink *s, const struct spec *sp, uint64_t v,
		     bool neg, unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0;
	const char *prefix = "";
	int plen, zeros, total;

	while (v != 0) {
		buf[n++] = digits[v % base];
		v /= base;
	}
	/* C11 7.21.6.1: precision 0 with value 0 prints no digits. */
	zeros = sp->prec > n ? sp->prec - n : 0;
	if (n == 0 && sp->prec != 0) {
		zeros = zeros > 1 ? zeros : 1;
	}
	if (neg) {
		prefix = "-";
	} else if (sp->plus) {
		prefix = "+";
	} else if (sp->space) {
		prefix = " ";
	}
	if (sp->alt && base == 16 && n > 0) {
		prefix = upper ? "0X" : "0x";
	} else if (sp->alt && base == 8 && zeros == 0) {
		zeros = 1;
	}
	plen = 0;
	while (prefix[plen] != '\0') {
		plen++;
	}
	total = plen + zeros + n;
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += sp->width > total ? sp->width - total : 0;
		total = plen + zeros + n;
	}
	if (!sp->left) {
		pad(s, ' ', sp->width - total);
	}
	for (int i = 0; i < plen; i++) {
		put(s, prefix[i]);
	}
	pad(s, '0', zeros);
	while (n > 0) {
		put(s, buf[--n]);
	}
	if (sp->left) {
		pad(s, ' ', sp->width - total);
	}
}

int vcbprintf(void (*out)(void *ctx, char c), void *ctx, const char *fmt,
	      va_list ap)
{
	struct sink s = { .out = out, .ctx = ctx, .count = 0 };

	while (*fmt != '\0') {
		const char *start = fmt;
		struct spec sp = { .prec = -1 };
		int lng = 0;	/* -2 hh, -1 h, 1 l, 2 ll, 3 z/j/t */
		uint64_t u;
		int64_t d;

		if (*fmt != '%') {
			put(&s, *fmt++);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-') {
				sp.left = true;
			} else if (*fmt == '+') {
				sp.plus = true;
			} else if (*fmt == ' ') {
				sp.space = true;
			} else if (*fmt == '#') {
				sp.alt = true;
			} else if (*fmt == '0') {
				sp.zero = true;
			} else {
				break;
			}
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9') {
				sp.width = sp.width * 10 + (*fmt++ - '0');
			}
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9') {
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
				}
			}
			if (sp.prec < 0) {
				sp.prec = -1;
			}
		}
		if (*fmt == 'h') {
			lng = -1;
			if (*++fmt == 'h') {
				lng = -2;
				fmt++;
			}
		} else if (*fmt == 'l') {
			lng = 1;
			if (*++fmt == 'l') {
				lng = 2;
				fmt++;
			}
		} else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't') {
			lng = 3;
			fmt++;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			if (lng == 2 || lng == 3) {
				d = va_arg(ap, long long);
			} else if (lng == 1) {
				d = va_arg(ap, long);
			} else {
				d = va_arg(ap, int);
				d = lng == -2 ? (signed char)d :
				    lng == -1 ? (short)d : d;
			}
			u = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
			emit_num(&s, &sp, u, d < 0, 10, false);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lng == 2 || lng == 3) {
				u = va_arg(ap, unsigned long long);
			} else if (lng == 1) {
				u = va_arg(ap, unsigned long);
			} else {
				u = va_arg(ap, unsigned int);
				u = lng == -2 ? (unsigned char)u :
				    lng == -1 ? (unsigned short)u : u;
			}
			sp.plus = sp.space = false;
			emit_num(&s, &sp, u, false,
				 *fmt == 'o' ? 8 : *fmt == 'u' ? 10 : 16,
				 *fmt == 'X');
			break;
		case 'p':
			sp.alt = true;
			emit_num(&s, &sp, (uintptr_t)va_arg(ap, void *), false,
				 16, false);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			emit_str(&s, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len = 0;

			if (str == NULL) {
				str = "(null)";
			}
			while (str[len] != '\0' &&
			       (sp.prec < 0 || len < sp.prec)) {
				len++;
			}
			emit_str(&s, &sp, str, len);
			break;
		}
		case '%':
			put(&s, '%');
			break;
		default:
			/* Unknown or unsupported: print the directive as is. */
			while (start < fmt) {
				put(&s, *start++);
			}
			if (*fmt == '\0') {
				return s.count;
			}
			put(&s, *fmt);
			break;
		}
		fmt++;
	}
	return s.count;
}
