// SPDX-License-Identifier: BSD-2-Clause
/*
 * printf-style formatting into a bounded buffer (struct printf_buf). Pure
 * code: no I/O, no allocation, no state, so the kernel log, snprintf() and
 * host tests share it. Unknown conversions are printed as written rather
 * than guessed at.
 *
 * It is on the path of every log line, so the common cases are cheap:
 * literal text is copied in one loop up to the next '%', numbers are
 * converted with constant divisors (two decimal digits per step, shifts for
 * hex and octal) and appended as one run, and a conversion without flags,
 * width or precision skips their parsing and the padding arithmetic.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <cairn/printf.h>

#define F_LEFT		0x01	/* '-' */
#define F_PLUS		0x02	/* '+' */
#define F_SPACE		0x04	/* ' ' */
#define F_ALT		0x08	/* '#' */
#define F_ZERO		0x10	/* '0' */

struct spec {
	unsigned int flags;	/* F_* */
	int width;
	int prec;		/* -1: none */
};

/* Room for the digits, prefix, zeros and padding of most conversions. */
#define NUM_BUF		64

static const char dec_pairs[201] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

void printf_buf_flush(struct printf_buf *pb)
{
	if (pb->len == 0 || pb->flush == NULL) {
		return;
	}
	pb->flush(pb);
	pb->done += pb->len;
	pb->len = 0;
}

/* The buffer is full: empty it. False when it cannot be (drop instead). */
static bool make_room(struct printf_buf *pb)
{
	if (pb->flush == NULL || pb->size == 0) {
		return false;
	}
	printf_buf_flush(pb);
	return true;
}

/*
 * Copy @n bytes, four per loop test: memcpy() is not the compiler's to
 * call here (-ffreestanding), and a call costs more than the few bytes of
 * a number or a name.
 */
static inline void copy_bytes(char *d, const char *s, size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		char c0 = s[i], c1 = s[i + 1], c2 = s[i + 2], c3 = s[i + 3];

		d[i] = c0;
		d[i + 1] = c1;
		d[i + 2] = c2;
		d[i + 3] = c3;
	}
	for (; i < n; i++) {
		d[i] = s[i];
	}
}

void printf_buf_put(struct printf_buf *pb, const char *s, size_t len)
{
	while (len > 0) {
		size_t room = pb->size - pb->len;
		char *d;

		if (room == 0) {
			if (!make_room(pb)) {
				pb->done += len;
				return;
			}
			room = pb->size;
		}
		if (room > len) {
			room = len;
		}
		d = pb->buf + pb->len;
		pb->len += room;
		len -= room;
		copy_bytes(d, s, room);
		s += room;
	}
}

/* printf_buf_put() with the common case, room for all, inline. */
static inline void put_mem(struct printf_buf *pb, const char *s, size_t len)
{
	char *d;

	if (unlikely(pb->size - pb->len < len)) {
		printf_buf_put(pb, s, len);
		return;
	}
	d = pb->buf + pb->len;
	pb->len += len;
	copy_bytes(d, s, len);
}

static void put1(struct printf_buf *pb, char c)
{
	if (pb->len == pb->size && !make_room(pb)) {
		pb->done++;
		return;
	}
	pb->buf[pb->len++] = c;
}

/* @n copies of @c (none if @n <= 0). */
static void put_fill(struct printf_buf *pb, char c, int n)
{
	while (n > 0) {
		size_t room = pb->size - pb->len;
		char *d;

		if (room == 0) {
			if (!make_room(pb)) {
				pb->done += (size_t)n;
				return;
			}
			room = pb->size;
		}
		if (room > (size_t)n) {
			room = (size_t)n;
		}
		d = pb->buf + pb->len;
		pb->len += room;
		n -= (int)room;
		for (size_t i = 0; i < room; i++) {
			d[i] = c;
		}
	}
}

/*
 * Copy @s up to its first @stop or its end; return where it stopped. Four
 * bytes per bound check while four surely fit, then one at a time, making
 * room when the buffer is full. The buffer state lives in locals: a store
 * through char * could alias @pb, and the compiler would reload it for
 * every character.
 */
static inline __attribute__((always_inline)) const char *
put_until(struct printf_buf *pb, const char *s, char stop)
{
	char *d = pb->buf + pb->len, *dend = pb->buf + pb->size;
	char c;

	for (;;) {
		while (dend - d >= 4) {
			int i;

			for (i = 0; i < 4; i++) {
				c = s[i];
				if (c == stop || c == '\0') {
					break;
				}
				d[i] = c;
			}
			s += i;
			d += i;
			if (i < 4) {
				goto out;
			}
		}
		c = *s;
		if (c == stop || c == '\0') {
			break;
		}
		if (d == dend) {
			pb->len = (size_t)(d - pb->buf);
			if (!make_room(pb)) {
				for (; *s != stop && *s != '\0'; s++) {
					pb->done++;
				}
				return s;
			}
			d = pb->buf + pb->len;
			dend = pb->buf + pb->size;
			continue;
		}
		*d++ = c;
		s++;
	}
out:
	pb->len = (size_t)(d - pb->buf);
	return s;
}

/* Print @len bytes of @str padded to the width of @sp. */
static void emit_str(struct printf_buf *pb, const struct spec *sp,
		     const char *str, int len)
{
	if (!(sp->flags & F_LEFT)) {
		put_fill(pb, ' ', sp->width - len);
	}
	put_mem(pb, str, (size_t)len);
	if (sp->flags & F_LEFT) {
		put_fill(pb, ' ', sp->width - len);
	}
}

/* The decimal digits of @v, ending at @end (none for 0); returns the first. */
static inline char *utoa_dec(char *end, uint64_t v)
{
	char *p = end;

	while (v >= 100) {
		size_t r = (size_t)(v % 100) * 2;

		v /= 100;
		p -= 2;
		p[0] = dec_pairs[r];
		p[1] = dec_pairs[r + 1];
	}
	if (v >= 10) {
		p -= 2;
		p[0] = dec_pairs[v * 2];
		p[1] = dec_pairs[v * 2 + 1];
	} else if (v > 0) {
		*--p = (char)('0' + v);
	}
	return p;
}

char *printf_dec(char *end, uint64_t v)
{
	return utoa_dec(end, v);
}

/* The same in base 1 << @shift (8 or 16). */
static inline char *utoa_pow2(char *end, uint64_t v, unsigned int shift,
			      bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned int mask = (1u << shift) - 1;
	char *p = end;

	while (v != 0) {
		*--p = digits[v & mask];
		v >>= shift;
	}
	return p;
}

/*
 * A number with its sign or "0x", precision zeros and padding: @n digits
 * at @p, the end of @buf (NUM_BUF bytes), with room before them. Built
 * there, right to left, and appended in one go when it fits (all but very
 * wide fields); else piece by piece.
 */
static __attribute__((noinline)) void
emit_num_padded(struct printf_buf *pb, const struct spec *sp, char *buf,
		char *p, int n, bool neg, unsigned int base, bool upper)
{
	char *end = buf + NUM_BUF;
	const char *prefix = "";
	int plen, zeros, total, pad;
	bool left = sp->flags & F_LEFT;

	/* C11 7.21.6.1: precision 0 with value 0 prints no digits. */
	zeros = sp->prec > n ? sp->prec - n : 0;
	if (n == 0 && sp->prec != 0) {
		zeros = zeros > 1 ? zeros : 1;
	}
	if (neg) {
		prefix = "-";
	} else if (sp->flags & F_PLUS) {
		prefix = "+";
	} else if (sp->flags & F_SPACE) {
		prefix = " ";
	}
	if ((sp->flags & F_ALT) && base == 16 && n > 0) {
		prefix = upper ? "0X" : "0x";
	} else if ((sp->flags & F_ALT) && base == 8 && zeros == 0) {
		zeros = 1;
	}
	plen = prefix[0] == '\0' ? 0 : prefix[1] == '\0' ? 1 : 2;
	total = plen + zeros + n;
	if ((sp->flags & F_ZERO) && !left && sp->prec < 0 &&
	    sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	pad = sp->width > total ? sp->width - total : 0;
	if ((int64_t)zeros + plen + (left ? 0 : pad) <= p - buf) {
		while (zeros-- > 0) {
			*--p = '0';
		}
		while (plen > 0) {
			*--p = prefix[--plen];
		}
		while (!left && pad > 0) {
			*--p = ' ';
			pad--;
		}
		put_mem(pb, p, (size_t)(end - p));
		put_fill(pb, ' ', pad);
		return;
	}
	if (!left) {
		put_fill(pb, ' ', pad);
	}
	put_mem(pb, prefix, (size_t)plen);
	put_fill(pb, '0', zeros);
	put_mem(pb, p, (size_t)n);
	if (left) {
		put_fill(pb, ' ', pad);
	}
}

/* A number: the digits here, the rest of the work only when asked for. */
static void emit_num(struct printf_buf *pb, const struct spec *sp, uint64_t v,
		     bool neg, unsigned int base, bool upper)
{
	char buf[NUM_BUF];
	char *end = buf + sizeof(buf);
	char *p = base == 10 ? utoa_dec(end, v) :
		  utoa_pow2(end, v, base == 16 ? 4 : 3, upper);
	size_t n = (size_t)(end - p);

	/* The common "%d", "%llx": no sign, flags, width or precision. */
	if (n > 0 && !neg && (sp->flags | (unsigned int)sp->width) == 0 &&
	    sp->prec < 0 && pb->size - pb->len >= n) {
		char *d = pb->buf + pb->len;

		pb->len += n;
		copy_bytes(d, p, n);
		return;
	}
	emit_num_padded(pb, sp, buf, p, (int)n, neg, base, upper);
}

int vbufprintf(struct printf_buf *pb, const char *fmt, va_list ap)
{
	size_t start = pb->done + pb->len;

	for (;;) {
		const char *dir;
		struct spec sp = { .prec = -1 };
		int lng = 0;	/* -2 hh, -1 h, 1 l, 2 ll, 3 z/j/t */
		uint64_t u;
		int64_t d;

		fmt = put_until(pb, fmt, '%');
		if (*fmt == '\0') {
			break;
		}
		dir = fmt++;
		/* Flags, width and precision all start with a byte <= '9'. */
		if ((unsigned char)*fmt <= '9') {
			for (;; fmt++) {
				if (*fmt == '-') {
					sp.flags |= F_LEFT;
				} else if (*fmt == '+') {
					sp.flags |= F_PLUS;
				} else if (*fmt == ' ') {
					sp.flags |= F_SPACE;
				} else if (*fmt == '#') {
					sp.flags |= F_ALT;
				} else if (*fmt == '0') {
					sp.flags |= F_ZERO;
				} else {
					break;
				}
			}
			if (*fmt == '*') {
				sp.width = va_arg(ap, int);
				if (sp.width < 0) {
					sp.flags |= F_LEFT;
					sp.width = sp.width == INT_MIN ?
						   INT_MAX : -sp.width;
				}
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9') {
					sp.width = sp.width * 10 +
						   (*fmt++ - '0');
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
						sp.prec = sp.prec * 10 +
							  (*fmt++ - '0');
					}
				}
				if (sp.prec < 0) {
					sp.prec = -1;
				}
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
			emit_num(pb, &sp, u, d < 0, 10, false);
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
			sp.flags &= ~(unsigned int)(F_PLUS | F_SPACE);
			emit_num(pb, &sp, u, false,
				 *fmt == 'o' ? 8 : *fmt == 'u' ? 10 : 16,
				 *fmt == 'X');
			break;
		case 'p':
			sp.flags |= F_ALT;
			emit_num(pb, &sp, (uintptr_t)va_arg(ap, void *), false,
				 16, false);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			emit_str(pb, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len = 0;

			if (str == NULL) {
				str = "(null)";
			}
			if (sp.width == 0 && sp.prec < 0) {
				put_until(pb, str, '\0');
				break;
			}
			while (str[len] != '\0' &&
			       (sp.prec < 0 || len < sp.prec)) {
				len++;
			}
			emit_str(pb, &sp, str, len);
			break;
		}
		case '%':
			put1(pb, '%');
			break;
		default:
			/* Unknown or unsupported: print the directive as is. */
			put_mem(pb, dir, (size_t)(fmt - dir));
			if (*fmt == '\0') {
				return (int)(pb->done + pb->len - start);
			}
			put1(pb, *fmt);
			break;
		}
		fmt++;
	}
	return (int)(pb->done + pb->len - start);
}

struct cb_sink {
	void (*out)(void *ctx, char c);
	void *ctx;
};

static void cb_flush(struct printf_buf *pb)
{
	const struct cb_sink *cb = pb->ctx;

	for (size_t i = 0; i < pb->len; i++) {
		cb->out(cb->ctx, pb->buf[i]);
	}
}

int vcbprintf(void (*out)(void *ctx, char c), void *ctx, const char *fmt,
	      va_list ap)
{
	struct cb_sink cb = { .out = out, .ctx = ctx };
	char buf[64];
	struct printf_buf pb = {
		.buf = buf, .size = sizeof(buf), .flush = cb_flush, .ctx = &cb,
	};
	int n = vbufprintf(&pb, fmt, ap);

	printf_buf_flush(&pb);
	return n;
}
