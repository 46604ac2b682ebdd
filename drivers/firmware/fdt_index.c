// SPDX-License-Identifier: BSD-2-Clause
/*
 * A node index of the device tree, so that the boot reads the structure
 * block once instead of walking it from the root for every parent, path,
 * compatible or property lookup (libfdt has no index: fdt_parent_offset()
 * and fdt_get_path() walk from the root, fdt_node_offset_by_compatible()
 * scans the whole tree, and each step re-checks every byte it reads).
 *
 * fdt_index_build() walks the structure block once, with the bounds
 * checks fdt_next_tag() makes, and records each node's offset, parent,
 * depth and name length, and the first occurrence of each property of
 * enum fdt_index_prop. It gives up on anything but the plain shape every
 * real tree has (a root node at offset 0, then FDT_END after it; version
 * 17 or later; names of at most 255 bytes; no more nodes and kept
 * properties than the arrays hold): such a tree is left to libfdt. Each
 * fdt_index_*() lookup answers exactly as the libfdt call it is named
 * after (aliases aside: fdt_index_path_offset_namelen()), from the index
 * when the index holds the blob and the offset is one of its nodes, else
 * through that very call; tests/host/test_fdt_index.c and
 * tests/fuzz/fuzz_fdt.c compare the two on every node.
 *
 * Data only, host-buildable. The blob is untrusted: nothing is read that
 * the walk did not bound first.
 */
#include <stdint.h>
#include <string.h>

#include <cairn/compiler.h>
#include <cairn/fdt.h>

/* Name cache slots (nameoff -> property): a power of two. */
#define NAME_SLOTS	256
#define NAME_FILL_MAX	192	/* past this, names are resolved uncached */
#define PROP_NONE	0xff

/* libfdt_internal.h's FDT_TAGALIGN(), which <libfdt.h> does not give. */
#define TAG_ALIGN(x)	(((x) + 3u) & ~3u)

#define PROP(id, name)	[id] = name
const char *const fdt_index_prop_names[FDT_P_COUNT] = {
	PROP(FDT_P_COMPATIBLE, "compatible"),
	PROP(FDT_P_REG, "reg"),
	PROP(FDT_P_STATUS, "status"),
	PROP(FDT_P_DEVICE_TYPE, "device_type"),
	PROP(FDT_P_ADDRESS_CELLS, "#address-cells"),
	PROP(FDT_P_SIZE_CELLS, "#size-cells"),
	PROP(FDT_P_RANGES, "ranges"),
	PROP(FDT_P_DMA_RANGES, "dma-ranges"),
	PROP(FDT_P_NUMA_NODE_ID, "numa-node-id"),
	PROP(FDT_P_HOTPLUGGABLE, "hotpluggable"),
	PROP(FDT_P_NO_MAP, "no-map"),
	PROP(FDT_P_REUSABLE, "reusable"),
	PROP(FDT_P_SIZE, "size"),
	PROP(FDT_P_ALIGNMENT, "alignment"),
	PROP(FDT_P_ALLOC_RANGES, "alloc-ranges"),
	PROP(FDT_P_BOOTARGS, "bootargs"),
	PROP(FDT_P_STDOUT_PATH, "stdout-path"),
	PROP(FDT_P_LINUX_STDOUT_PATH, "linux,stdout-path"),
	PROP(FDT_P_RNG_SEED, "rng-seed"),
	PROP(FDT_P_KASLR_SEED, "kaslr-seed"),
	PROP(FDT_P_INITRD_START, "linux,initrd-start"),
	PROP(FDT_P_INITRD_END, "linux,initrd-end"),
	PROP(FDT_P_USABLE_MEMORY_RANGE, "linux,usable-memory-range"),
	PROP(FDT_P_METHOD, "method"),
	PROP(FDT_P_CLOCK_FREQUENCY, "clock-frequency"),
	PROP(FDT_P_TIMEBASE_FREQUENCY, "timebase-frequency"),
	PROP(FDT_P_UBOOT_VERSION, "u-boot,version"),
	PROP(FDT_P_REG_SHIFT, "reg-shift"),
	PROP(FDT_P_REG_IO_WIDTH, "reg-io-width"),
	PROP(FDT_P_BOOT_HARTID, "boot-hartid"),
};
#undef PROP

_Static_assert(FDT_P_COUNT <= 32, "one bit per property in ix_node.mask");
_Static_assert(FDT_INDEX_MAX_NODES <= INT16_MAX, "positions are int16_t");
_Static_assert(FDT_INDEX_MAX_NODES <= 256, "depth is a uint8_t");
_Static_assert(FDT_INDEX_MAX_PROPS <= UINT16_MAX, "prop0 is a uint16_t");

/* A subnode() answer: child @name of the node at @pos. */
struct ix_memo {
	int pos;		/* -1: unused */
	int len;
	char name[24];
	int result;
};

#define MEMO_SLOTS	4

struct ix_node {
	int32_t offset;		/* of its FDT_BEGIN_NODE tag */
	int16_t parent;		/* position, -1 for the root */
	int16_t sibling;	/* next child of the parent, or -1 */
	uint8_t depth;		/* 0 for the root */
	uint8_t namelen;
	uint16_t prop0;		/* first of its entries in ix.prop_* */
	uint32_t mask;		/* bit per enum fdt_index_prop it has */
};

static struct {
	const void *fdt;	/* NULL: no index */
	/* The header words the index depends on, as stored (big-endian). */
	fdt32_t totalsize, off_struct, size_struct, off_strings, size_strings;
	const char *structs;	/* the structure block */
	const char *strings;	/* the strings block */
	uint32_t strings_size;
	int n;
	int nprops;
	int last;		/* position ix_pos() found last */
	int root_end;		/* offset after the root's FDT_END_NODE */
	struct ix_node node[FDT_INDEX_MAX_NODES];
	uint32_t prop_off[FDT_INDEX_MAX_PROPS];	/* value, from structs */
	int32_t prop_len[FDT_INDEX_MAX_PROPS];
	uint8_t prop_id[FDT_INDEX_MAX_PROPS];
	fdt32_t name_key[NAME_SLOTS];	/* nameoff as stored, + 1 when used */
	uint8_t name_used[NAME_SLOTS];
	uint8_t name_id[NAME_SLOTS];
	int name_fill;
	uint32_t by_len[32];	/* bit per property whose name has that length */
	bool by_len_done;
	struct ix_memo memo[MEMO_SLOTS];
	unsigned int memo_next;
	bool disabled;		/* fdt_index_disable() */
} ix;

/* Which kept property the string at @nameoff names, or PROP_NONE. */
static uint8_t resolve_name(uint32_t nameoff)
{
	const char *s, *nul;
	size_t len;

	/* fdt_get_string()'s bounds: inside the strings block, with a NUL. */
	if (nameoff >= ix.strings_size) {
		return PROP_NONE;
	}
	s = ix.strings + nameoff;
	nul = memchr(s, '\0', ix.strings_size - nameoff);
	if (nul == NULL) {
		return PROP_NONE;
	}
	len = (size_t)(nul - s);
	if (len >= (size_t)ARRAY_SIZE(ix.by_len)) {
		return PROP_NONE;
	}
	for (uint32_t m = ix.by_len[len]; m != 0; m &= m - 1) {
		int i = __builtin_ctz(m);

		if (memcmp(s, fdt_index_prop_names[i], len) == 0) {
			return (uint8_t)i;
		}
	}
	return PROP_NONE;
}

/* resolve_name() through a cache keyed by the offset as stored. */
static uint8_t name_lookup(fdt32_t raw)
{
	uint32_t slot = ((uint32_t)raw * 0x9e3779b1u) >> 24;
	uint8_t id;

	for (;; slot = (slot + 1) % NAME_SLOTS) {
		if (!ix.name_used[slot]) {
			break;
		}
		if (ix.name_key[slot] == raw) {
			return ix.name_id[slot];
		}
	}
	id = resolve_name(fdt32_to_cpu(raw));
	if (ix.name_fill < NAME_FILL_MAX) {
		ix.name_key[slot] = raw;
		ix.name_used[slot] = 1;
		ix.name_id[slot] = id;
		ix.name_fill++;
	}
	return id;
}

/* Keep the property at struct offset @off of node @pos if it is wanted. */
static bool keep_prop(int pos, fdt32_t nameoff, uint32_t off, uint32_t len)
{
	struct ix_node *nd = &ix.node[pos];
	uint8_t id = name_lookup(nameoff);

	if (id == PROP_NONE || (nd->mask & (1u << id)) != 0) {
		return true;	/* fdt_getprop() finds the first one */
	}
	if (ix.nprops == FDT_INDEX_MAX_PROPS) {
		return false;
	}
	ix.prop_off[ix.nprops] = off;
	ix.prop_len[ix.nprops] = (int32_t)len;
	ix.prop_id[ix.nprops] = id;
	ix.nprops++;
	nd->mask |= 1u << id;
	return true;
}

/* The first NUL in @n bytes at @p (4-byte aligned), or NULL. */
static const char *find_nul(const char *p, uint32_t n)
{
	const uint32_t *w = __builtin_assume_aligned(p, 4);

	/* A word at a time: a zero byte sets its top bit below. */
	for (; n >= 4; w++, n -= 4) {
		uint32_t v = *w;

		if (((v - 0x01010101u) & ~v & 0x80808080u) != 0) {
			break;
		}
	}
	for (p = (const char *)w; n > 0; p++, n--) {
		if (*p == '\0') {
			return p;
		}
	}
	return NULL;
}

/*
 * The walk. Every tag is read only after checking it lies inside the
 * structure block, which fdt_check_header() put inside the blob; the
 * checks are those of fdt_next_tag() for version 17, so every node the
 * index holds is one libfdt accepts at the same offset.
 */
static bool walk(const void *fdt)
{
	const fdt32_t begin = cpu_to_fdt32(FDT_BEGIN_NODE);
	const fdt32_t end_node = cpu_to_fdt32(FDT_END_NODE);
	const fdt32_t prop = cpu_to_fdt32(FDT_PROP);
	const fdt32_t nop = cpu_to_fdt32(FDT_NOP);
	const fdt32_t end = cpu_to_fdt32(FDT_END);
	uint32_t size = fdt_size_dt_struct(fdt);
	const char *s = ix.structs;
	uint32_t off = 0;
	int open = -1;		/* innermost open node */
	int props = -1;		/* node whose properties may still come */
	int closed = -1;	/* node the last FDT_END_NODE closed */

	for (;;) {
		const fdt32_t *t = (const fdt32_t *)(s + off);
		struct ix_node *nd;
		const char *nul;
		uint32_t len;

		if (off > size || size - off < 4) {
			return false;	/* no FDT_END */
		}
		if (t[0] == begin) {
			/* A second root, too many nodes, or too deep. */
			if ((open < 0 && ix.n > 0) ||
			    ix.n == FDT_INDEX_MAX_NODES ||
			    (open >= 0 && ix.node[open].depth == UINT8_MAX)) {
				return false;
			}
			nul = find_nul(s + off + 4, size - off - 4);
			if (nul == NULL || nul - (s + off + 4) > UINT8_MAX) {
				return false;
			}
			nd = &ix.node[ix.n];
			nd->offset = (int32_t)off;
			nd->parent = (int16_t)open;
			nd->sibling = -1;
			nd->depth = open < 0 ? 0 : ix.node[open].depth + 1;
			nd->namelen = (uint8_t)(nul - (s + off + 4));
			nd->prop0 = (uint16_t)ix.nprops;
			nd->mask = 0;
			/* Its previous sibling, if any, closed last. */
			if (closed >= 0 && ix.node[closed].parent == open) {
				ix.node[closed].sibling = (int16_t)ix.n;
			}
			open = props = ix.n++;
			off = TAG_ALIGN((uint32_t)(nul - s) + 1);
		} else if (ix.n == 0) {
			return false;	/* libfdt's root is the node at 0 */
		} else if (t[0] == prop) {
			if (open < 0 || size - off < 12) {
				return false;
			}
			len = fdt32_to_cpu(t[1]);
			if (len > size - off - 12) {
				return false;
			}
			/*
			 * One after a subnode is no property of the node for
			 * fdt_getprop(), which stops at the subnode.
			 */
			if (props == open &&
			    !keep_prop(open, t[2], off + 12, len)) {
				return false;
			}
			off = TAG_ALIGN(off + 12 + len);
		} else if (t[0] == end_node) {
			if (open < 0) {
				return false;
			}
			closed = open;
			open = ix.node[open].parent;
			props = -1;
			off += 4;
			ix.root_end = off;	/* right when open < 0 */
		} else if (t[0] == nop) {
			off += 4;
		} else if (t[0] == end) {
			return open < 0;
		} else {
			return false;
		}
	}
}

bool fdt_index_build(const void *fdt)
{
	const struct fdt_header *h = fdt;
	uint64_t send, strend;

	fdt_index_forget();
	if (fdt == NULL || ix.disabled || fdt_check_header(fdt) != 0 ||
	    fdt_version(fdt) < 17) {
		return false;
	}
	send = (uint64_t)fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt);
	strend = (uint64_t)fdt_off_dt_strings(fdt) + fdt_size_dt_strings(fdt);
	if (send > fdt_totalsize(fdt) || strend > fdt_totalsize(fdt) ||
	    fdt_off_dt_struct(fdt) % 4 != 0) {
		return false;
	}
	if (!ix.by_len_done) {
		ix.by_len_done = true;
		for (int i = 0; i < FDT_P_COUNT; i++) {
			size_t len = strlen(fdt_index_prop_names[i]);

			if (len < (size_t)ARRAY_SIZE(ix.by_len)) {
				ix.by_len[len] |= 1u << i;
			}
		}
	}
	memset(ix.name_used, 0, sizeof(ix.name_used));
	ix.name_fill = 0;
	ix.n = 0;
	ix.nprops = 0;
	ix.last = 0;
	for (int k = 0; k < MEMO_SLOTS; k++) {
		ix.memo[k].pos = -1;
	}
	ix.structs = (const char *)fdt + fdt_off_dt_struct(fdt);
	ix.strings = (const char *)fdt + fdt_off_dt_strings(fdt);
	ix.strings_size = fdt_size_dt_strings(fdt);
	if (!walk(fdt)) {
		ix.n = 0;
		return false;
	}
	ix.totalsize = h->totalsize;
	ix.off_struct = h->off_dt_struct;
	ix.size_struct = h->size_dt_struct;
	ix.off_strings = h->off_dt_strings;
	ix.size_strings = h->size_dt_strings;
	ix.fdt = fdt;
	return true;
}

void fdt_index_disable(bool disable)
{
	ix.disabled = disable;
	fdt_index_forget();
}

void fdt_index_forget(void)
{
	ix.fdt = NULL;
}

bool fdt_index_ready(const void *fdt)
{
	const struct fdt_header *h = fdt;

	return fdt != NULL && ix.fdt == fdt && h->totalsize == ix.totalsize &&
	       h->off_dt_struct == ix.off_struct &&
	       h->size_dt_struct == ix.size_struct &&
	       h->off_dt_strings == ix.off_strings &&
	       h->size_dt_strings == ix.size_strings;
}

/* The position of node offset @node in the index, or -1. */
static int ix_pos(const void *fdt, int node)
{
	int lo = 0, hi;

	if (!fdt_index_ready(fdt)) {
		return -1;
	}
	/* Lookups come in runs on one node. */
	if (ix.node[ix.last].offset == node) {
		return ix.last;
	}
	hi = ix.n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (ix.node[mid].offset == node) {
			ix.last = mid;
			return mid;
		}
		if (ix.node[mid].offset < node) {
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return -1;
}

static const char *ix_name(int pos)
{
	return ix.structs + ix.node[pos].offset + 4;
}

const void *fdt_index_getprop(const void *fdt, int node,
			      enum fdt_index_prop prop, int *lenp)
{
	int pos = ix_pos(fdt, node);
	const struct ix_node *nd;

	if (pos < 0 || (unsigned int)prop >= FDT_P_COUNT) {
		return fdt_getprop(fdt, node,
				   (unsigned int)prop < FDT_P_COUNT ?
					   fdt_index_prop_names[prop] : "",
				   lenp);
	}
	nd = &ix.node[pos];
	if ((nd->mask & (1u << prop)) != 0) {
		for (int i = nd->prop0; i < ix.nprops; i++) {
			if (ix.prop_id[i] == prop) {
				if (lenp != NULL) {
					*lenp = ix.prop_len[i];
				}
				return ix.structs + ix.prop_off[i];
			}
		}
	}
	if (lenp != NULL) {
		*lenp = -FDT_ERR_NOTFOUND;
	}
	return NULL;
}

uint32_t fdt_index_u32(const void *fdt, int node, enum fdt_index_prop prop,
		       uint32_t def)
{
	const fdt32_t *p;
	int len;

	p = fdt_index_getprop(fdt, node, prop, &len);
	if (p == NULL || len != 4) {
		return def;
	}
	return fdt32_to_cpu(*p);
}

const char *fdt_index_get_name(const void *fdt, int node, int *lenp)
{
	int pos = ix_pos(fdt, node);

	if (pos < 0) {
		return fdt_get_name(fdt, node, lenp);
	}
	if (lenp != NULL) {
		*lenp = ix.node[pos].namelen;
	}
	return ix_name(pos);
}

int fdt_index_parent_offset(const void *fdt, int node)
{
	int pos = ix_pos(fdt, node);

	if (pos < 0) {
		return fdt_parent_offset(fdt, node);
	}
	if (ix.node[pos].parent < 0) {
		return -FDT_ERR_NOTFOUND;
	}
	return ix.node[ix.node[pos].parent].offset;
}

/*
 * fdt_get_path() writes each ancestor's name and a '/', the root's
 * (normally empty) name included, and drops the last '/' unless it is
 * the only character; a path longer than @buflen is -FDT_ERR_NOSPACE.
 */
int fdt_index_get_path(const void *fdt, int node, char *buf, int buflen)
{
	int pos = ix_pos(fdt, node), total = 0;

	if (pos < 0) {
		return fdt_get_path(fdt, node, buf, buflen);
	}
	if (buflen < 2) {
		return -FDT_ERR_NOSPACE;
	}
	for (int i = pos; i >= 0; i = ix.node[i].parent) {
		total += ix.node[i].namelen + 1;
	}
	if (total > buflen) {
		return -FDT_ERR_NOSPACE;
	}
	/* From the node up, each name and its '/' end where the next begins. */
	for (int i = pos, p = total; i >= 0; i = ix.node[i].parent) {
		p -= ix.node[i].namelen + 1;
		memcpy(buf + p, ix_name(i), ix.node[i].namelen);
		buf[p + ix.node[i].namelen] = '/';
	}
	if (total > 1) {
		total--;
	}
	buf[total] = '\0';
	return 0;
}

/* fdt_nodename_eq_(): @s matches the whole name, or the name before '@'. */
static bool name_eq(int pos, const char *s, int len)
{
	const char *p = ix_name(pos);

	if (ix.node[pos].namelen < len || memcmp(p, s, (size_t)len) != 0) {
		return false;
	}
	return p[len] == '\0' ||
	       (p[len] == '@' && memchr(s, '@', (size_t)len) == NULL);
}

/* The first child of the node at @pos, or -1. */
static int first_child(int pos)
{
	return pos + 1 < ix.n && ix.node[pos + 1].parent == pos ? pos + 1 : -1;
}

/*
 * fdt_subnode_offset_namelen() of the node at @pos. The boot asks for
 * /chosen and the like several times, among dozens of root children: the
 * last few answers are kept.
 */
static int subnode(int pos, const char *name, int len)
{
	int result = -FDT_ERR_NOTFOUND;
	struct ix_memo *m;

	for (int k = 0; k < MEMO_SLOTS; k++) {
		m = &ix.memo[k];
		if (m->pos == pos && m->len == len &&
		    memcmp(m->name, name, (size_t)len) == 0) {
			return m->result;
		}
	}
	for (int i = first_child(pos); i >= 0; i = ix.node[i].sibling) {
		if (len > 0 && ix_name(i)[0] != name[0]) {
			continue;
		}
		if (name_eq(i, name, len)) {
			result = ix.node[i].offset;
			break;
		}
	}
	if (len < (int)sizeof(m->name)) {
		m = &ix.memo[ix.memo_next++ % MEMO_SLOTS];
		m->pos = pos;
		m->len = len;
		memcpy(m->name, name, (size_t)len);
		m->result = result;
	}
	return result;
}

/* fdt_subnode_offset_namelen(), through the index when it can. */
static int child(const void *fdt, int node, const char *name, int len)
{
	int pos = ix_pos(fdt, node);

	return pos >= 0 ? subnode(pos, name, len) :
			  fdt_subnode_offset_namelen(fdt, node, name, len);
}

/*
 * One difference from libfdt: an alias must name a node by its full path
 * ([dt-spec 0.4 §3.3], as Linux's of_find_node_by_path() requires), NUL
 * included. libfdt looks an alias of an alias up again, without end if it
 * names itself, and takes a value without a NUL as a C string.
 */
int fdt_index_path_offset_namelen(const void *fdt, const char *path,
				  int namelen)
{
	const char *end = path + namelen;
	const char *p = path;
	int offset = 0;

	if (namelen <= 0 || (*path == '/' && !fdt_index_ready(fdt))) {
		return fdt_path_offset_namelen(fdt, path, namelen);
	}
	/* An alias: the first component is a property of /aliases. */
	if (*path != '/') {
		const char *q = memchr(path, '/', (size_t)namelen);
		const char *target;
		int aliases, len;

		q = q != NULL ? q : end;
		aliases = fdt_index_path_offset(fdt, "/aliases");
		if (aliases < 0) {
			return -FDT_ERR_BADPATH;
		}
		target = fdt_getprop_namelen(fdt, aliases, path,
					     (int)(q - path), &len);
		if (target == NULL || len < 2 || target[0] != '/' ||
		    memchr(target, '\0', (size_t)len) == NULL) {
			return -FDT_ERR_BADPATH;
		}
		offset = fdt_index_path_offset(fdt, target);
		if (offset < 0) {
			return offset;
		}
		p = q;
	}
	while (p < end) {
		const char *q;

		while (*p == '/') {
			p++;
			if (p == end) {
				return offset;
			}
		}
		q = memchr(p, '/', (size_t)(end - p));
		if (q == NULL) {
			q = end;
		}
		offset = child(fdt, offset, p, (int)(q - p));
		if (offset < 0) {
			return offset;
		}
		p = q;
	}
	return offset;
}

int fdt_index_path_offset(const void *fdt, const char *path)
{
	return fdt_index_path_offset_namelen(fdt, path, (int)strlen(path));
}

/*
 * fdt_stringlist_contains() with strlen(@str) given, the same reads
 * included (a whole @str plus NUL at each string that has @len bytes).
 */
static bool stringlist_contains(const char *list, int listlen,
				const char *str, int len)
{
	while (listlen >= len) {
		const char *p;

		if (list[0] == str[0] &&
		    memcmp(str, list, (size_t)len + 1) == 0) {
			return true;
		}
		p = memchr(list, '\0', (size_t)listlen);
		if (p == NULL) {
			return false;
		}
		listlen -= (int)(p - list) + 1;
		list = p + 1;
	}
	return false;
}

static int check_compatible(const void *fdt, int node, const char *compatible,
			    int len)
{
	const char *prop;
	int plen;

	prop = fdt_index_getprop(fdt, node, FDT_P_COMPATIBLE, &plen);
	if (prop == NULL) {
		return plen;
	}
	return !stringlist_contains(prop, plen, compatible, len);
}

int fdt_index_node_check_compatible(const void *fdt, int node,
				    const char *compatible)
{
	return check_compatible(fdt, node, compatible,
				(int)strlen(compatible));
}

int fdt_index_node_offset_by_compatible(const void *fdt, int start,
					const char *compatible)
{
	int pos, len;

	/* A negative start is the root; else the node after @start. */
	if (start < 0 && fdt_index_ready(fdt)) {
		pos = 0;
	} else {
		pos = ix_pos(fdt, start);
		if (pos < 0) {
			return fdt_node_offset_by_compatible(fdt, start,
							     compatible);
		}
		pos++;
	}
	len = (int)strlen(compatible);
	for (; pos < ix.n; pos++) {
		const struct ix_node *nd = &ix.node[pos];

		if ((nd->mask & (1u << FDT_P_COMPATIBLE)) == 0) {
			continue;
		}
		ix.last = pos;
		if (check_compatible(fdt, nd->offset, compatible, len) == 0) {
			return nd->offset;
		}
	}
	return -FDT_ERR_NOTFOUND;
}

int fdt_index_first_subnode(const void *fdt, int node)
{
	int pos = ix_pos(fdt, node);

	if (pos < 0) {
		return fdt_first_subnode(fdt, node);
	}
	pos = first_child(pos);
	return pos >= 0 ? ix.node[pos].offset : -FDT_ERR_NOTFOUND;
}

int fdt_index_next_subnode(const void *fdt, int node)
{
	int pos = ix_pos(fdt, node);

	if (pos < 0) {
		return fdt_next_subnode(fdt, node);
	}
	pos = ix.node[pos].sibling;
	return pos >= 0 ? ix.node[pos].offset : -FDT_ERR_NOTFOUND;
}

void fdt_index_walk_start(struct fdt_index_walk *w, const void *fdt)
{
	w->fdt = fdt;
	w->node = 0;
	w->depth = 0;
	w->pos = fdt_index_ready(fdt) ? 0 : -1;
	w->props = w->pos < 0 ? ~0u : ix.node[0].mask;
	w->started = false;
}

bool fdt_index_walk_next(struct fdt_index_walk *w)
{
	if (!w->started) {
		w->started = true;
		return true;	/* the root */
	}
	if (w->pos < 0) {
		w->node = fdt_next_node(w->fdt, w->node, &w->depth);
		return w->node >= 0 && w->depth >= 0;
	}
	if (++w->pos >= ix.n) {
		/* fdt_next_node() stops at the root's end, one level up. */
		w->node = ix.root_end;
		w->depth = -1;
		return false;
	}
	w->node = ix.node[w->pos].offset;
	w->depth = ix.node[w->pos].depth;
	w->props = ix.node[w->pos].mask;
	ix.last = w->pos;	/* the caller looks at this node next */
	return true;
}
