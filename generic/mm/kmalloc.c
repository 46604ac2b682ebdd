// SPDX-License-Identifier: BSD-2-Clause
/*
 * kmalloc: power-of-two size classes of 16..2048 bytes carved from single
 * pages, and anything larger straight from the page allocator.
 *
 * Each class page keeps its own free list of objects (struct page
 * ->freelist, threaded through the free objects) and a count of objects in
 * use; the class remembers its partially used pages. A page whose last
 * object is freed goes back to the page allocator at once, so that after
 * an application frees everything the page counts are what they were
 * (docs/mm.md). There is one set of classes per zone modifier (GFP_KERNEL,
 * GFP_DMA32, GFP_DMA). Objects sit at multiples of their class size inside
 * a page-aligned page: kmalloc(n) is aligned to its class, as Linux
 * guarantees for power-of-two sizes.
 *
 * Must not: keep empty pages, or take memory from anywhere but
 * alloc_pages().
 */
#include <string.h>

#include <cairn/log.h>
#include <cairn/mm.h>

#include "mm_internal.h"

#define KMALLOC_SHIFT_LOW 4  /* 16 bytes */
#define NR_KMALLOC_CLASSES 8 /* 16, 32, ..., 2048 */
#define NR_KMALLOC_TYPES 3   /* GFP_KERNEL, GFP_DMA32, GFP_DMA */

_Static_assert(KMALLOC_MIN_SIZE == 1u << KMALLOC_SHIFT_LOW, "classes");
_Static_assert(KMALLOC_MAX_CACHE_SIZE == KMALLOC_MIN_SIZE
					     << (NR_KMALLOC_CLASSES - 1),
	       "classes");
_Static_assert(KMALLOC_MAX_CACHE_SIZE < PAGE_SIZE, "a class fits a page");

/*
 * A free object. The second word marks it free so that a double kfree()
 * is caught without walking the list every time (only when it matches).
 */
struct kfree_obj {
	struct kfree_obj *next;
	uintptr_t poison;
};

#define KFREE_POISON ((uintptr_t)0x6b6b6b6b5a5a5a5aULL)

/* CONFIG_MM_DEBUG: the rest of a free object is filled with this. */
#define KMALLOC_POISON 0x6b

#if defined(CONFIG_MM_DEBUG)
/* Fill @obj of @size bytes past its struct kfree_obj with KMALLOC_POISON. */
static void obj_poison(struct kfree_obj *obj, uint32_t size)
{
	memset(obj + 1, KMALLOC_POISON, size - sizeof(*obj));
}

/* Check what obj_poison() wrote; @obj is about to be handed out. */
static void obj_check_poison(const struct kfree_obj *obj, uint32_t size,
			     const void *caller)
{
	const uint8_t *bad = mm_find_unpoisoned(obj + 1, size - sizeof(*obj),
						KMALLOC_POISON);

	if (bad != NULL) {
		mm_misuse("kmalloc", "write after free", caller,
			  "object %p (%u-byte class): byte at offset %#llx is "
			  "%#x, not %#x",
			  (const void *)obj, size,
			  (unsigned long long)(bad - (const uint8_t *)obj),
			  *bad, KMALLOC_POISON);
	}
}
#else
static inline void obj_poison(struct kfree_obj *obj, uint32_t size)
{
}

static inline void obj_check_poison(const struct kfree_obj *obj,
				    uint32_t size, const void *caller)
{
}
#endif

/**
 * struct kmalloc_cache - one size class of one zone modifier
 * @size: object size, a power of two
 * @objects: objects per page
 * @partial: pages with both used and free objects (page->next / ->prev)
 */
struct kmalloc_cache {
	uint32_t size;
	uint32_t objects;
	struct page *partial;
};

static struct kmalloc_cache caches[NR_KMALLOC_TYPES][NR_KMALLOC_CLASSES];

static struct {
	uint64_t objects;
	uint64_t slab_pages;
	uint64_t large_pages;
	uint64_t bytes;
} kstat;

static unsigned int kmalloc_type(gfp_t gfp)
{
	if (gfp & __GFP_DMA) {
		return 2;
	}
	return (gfp & __GFP_DMA32) ? 1 : 0;
}

/* Class index for @size, 1..KMALLOC_MAX_CACHE_SIZE bytes. */
static unsigned int kmalloc_class(size_t size)
{
	unsigned int c = 0;

	while ((size_t)(KMALLOC_MIN_SIZE << c) < size) {
		c++;
	}
	return c;
}

static struct kmalloc_cache *cache_get(unsigned int type, unsigned int cls)
{
	struct kmalloc_cache *cache = &caches[type][cls];

	if (cache->size == 0) {
		cache->size = KMALLOC_MIN_SIZE << cls;
		cache->objects = (uint32_t)(PAGE_SIZE / cache->size);
	}
	return cache;
}

static void partial_add(struct kmalloc_cache *cache, struct page *page)
{
	page->prev = NULL;
	page->next = cache->partial;
	if (cache->partial != NULL) {
		cache->partial->prev = page;
	}
	cache->partial = page;
}

static void partial_del(struct kmalloc_cache *cache, struct page *page)
{
	if (page->prev != NULL) {
		page->prev->next = page->next;
	} else {
		cache->partial = page->next;
	}
	if (page->next != NULL) {
		page->next->prev = page->prev;
	}
	page->next = NULL;
	page->prev = NULL;
}

/* A fresh class page: every object free, in address order. */
static struct page *slab_new(struct kmalloc_cache *cache, unsigned int type,
			     unsigned int cls, gfp_t gfp, const void *caller)
{
	struct page *page = alloc_pages_caller(gfp & ~__GFP_ZERO, 0, caller);
	uint8_t *base;

	if (page == NULL) {
		return NULL;
	}
	base = page_address(page);
	for (uint32_t i = 0; i < cache->objects; i++) {
		struct kfree_obj *obj =
		    (struct kfree_obj *)(base + i * cache->size);

		obj->next =
		    i + 1 < cache->objects
			? (struct kfree_obj *)(base + (i + 1) * cache->size)
			: NULL;
		obj->poison = KFREE_POISON ^ (uintptr_t)obj;
		obj_poison(obj, cache->size);
	}
	page_set_state(page, PG_head | PG_slab);
	page->kclass = (uint8_t)(type * NR_KMALLOC_CLASSES + cls);
	page->inuse = 0;
	page->freelist = base;
	kstat.slab_pages++;
	return page;
}

static void *kmalloc_large(size_t size, gfp_t gfp, const void *caller)
{
	unsigned int order = get_order(size);
	struct page *page;

	if (size > KMALLOC_MAX_SIZE) {
		if (!(gfp & __GFP_NOWARN)) {
			pr_warn("kmalloc: %zu bytes is more than "
				"KMALLOC_MAX_SIZE\n",
				size);
		}
		return NULL;
	}
	page = alloc_pages_caller(gfp, order, caller);
	if (page == NULL) {
		return NULL;
	}
	page->flags |= PG_large;
	kstat.objects++;
	kstat.large_pages += UINT64_C(1) << order;
	kstat.bytes += PAGE_SIZE << order;
	return page_address(page);
}

void *kmalloc_caller(size_t size, gfp_t gfp, const void *caller)
{
	unsigned int type, cls;
	struct kmalloc_cache *cache;
	struct kfree_obj *obj;
	struct page *page;

	if (size == 0) {
		return ZERO_SIZE_PTR;
	}
	if (size > KMALLOC_MAX_CACHE_SIZE) {
		return kmalloc_large(size, gfp, caller);
	}
	type = kmalloc_type(gfp);
	cls = kmalloc_class(size);
	cache = cache_get(type, cls);
	page = cache->partial;
	if (page == NULL) {
		page = slab_new(cache, type, cls, gfp, caller);
		if (page == NULL) {
			return NULL;
		}
		partial_add(cache, page);
	}
	obj = page->freelist;
	/* Its free marker: a write to the object since its kfree()? */
	if (unlikely(obj->poison != (KFREE_POISON ^ (uintptr_t)obj))) {
		mm_misuse("kmalloc", "write after free", caller,
			  "object %p (%u-byte class): its free marker at "
			  "offset %#zx was overwritten",
			  (void *)obj, cache->size,
			  offsetof(struct kfree_obj, poison));
	}
	obj_check_poison(obj, cache->size, caller);
	page->freelist = obj->next;
	page->inuse++;
	if (page->freelist == NULL) {
		partial_del(cache, page);
	}
	obj->poison = 0;
	kstat.objects++;
	kstat.bytes += cache->size;
	if (gfp & __GFP_ZERO) {
		memset(obj, 0, cache->size);
	}
	return obj;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return kmalloc_caller(size, gfp, __builtin_return_address(0));
}

/* Is @obj on @page's free list? Only asked when its poison matches. */
static bool slab_obj_free(const struct page *page, const struct kfree_obj *obj)
{
	for (const struct kfree_obj *o = page->freelist; o != NULL;
	     o = o->next) {
		if (o == obj) {
			return true;
		}
	}
	return false;
}

static void slab_free(struct page *page, const void *ptr, const void *caller)
{
	struct kmalloc_cache *cache =
	    &caches[page->kclass / NR_KMALLOC_CLASSES]
		   [page->kclass % NR_KMALLOC_CLASSES];
	uintptr_t off = (uintptr_t)ptr - (uintptr_t)page_address(page);
	struct kfree_obj *obj = (struct kfree_obj *)(uintptr_t)ptr;

	if (off % cache->size != 0 || page->inuse == 0) {
		mm_misuse("kfree", "kfree of a bad pointer", caller,
			  "%p is not the start of a live %u-byte object", ptr,
			  cache->size);
	}
	if (obj->poison == (KFREE_POISON ^ (uintptr_t)obj) &&
	    slab_obj_free(page, obj)) {
		mm_misuse("kfree", "double kfree", caller,
			  "%p (%u-byte class) is free already", ptr,
			  cache->size);
	}
	obj->next = page->freelist;
	obj->poison = KFREE_POISON ^ (uintptr_t)obj;
	obj_poison(obj, cache->size);
	page->freelist = obj;
	if (page->inuse == cache->objects) {
		partial_add(cache, page); /* it was full: not listed */
	}
	page->inuse--;
	kstat.objects--;
	kstat.bytes -= cache->size;
	if (page->inuse == 0) {
		partial_del(cache, page);
		page_set_state(page, PG_head);
		kstat.slab_pages--;
		free_pages_caller(page, 0, caller);
	}
}

/*
 * The page heading @ptr's allocation; reports and panics if kmalloc did
 * not make it (@who: "kfree" or "ksize", @caller: its caller).
 */
static struct page *kmalloc_page(const void *ptr, const char *who,
				 const void *caller)
{
	struct page *page = virt_to_page(ptr);
	struct page *head;
	pfn_t pfn;

	if (page == NULL) {
		mm_misuse(who, "kfree of a bad pointer", caller,
			  "%p is not in memory", ptr);
	}
	pfn = page_to_pfn(page);
	head = page - (pfn & (MAX_ORDER_NR_PAGES - 1));
	/* A lazy block's struct pages past its head are unwritten. */
	if (likely(page == head || !page_has(head, PG_lazy))) {
		if (page_has(page, PG_slab) &&
		    page->kclass < NR_KMALLOC_TYPES * NR_KMALLOC_CLASSES) {
			return page;
		}
		if (page_has(page, PG_large) && page_has(page, PG_head) &&
		    ptr == page_address(page)) {
			return page;
		}
	}
	if (mm_page_is_free(page)) {
		mm_misuse(who, "double kfree", caller,
			  "%p: its page (pfn %#llx) is free already", ptr,
			  (unsigned long long)pfn);
	}
	mm_misuse(who, "kfree of a bad pointer", caller,
		  "%p is not a kmalloc object (pfn %#llx, page flags %#x)", ptr,
		  (unsigned long long)pfn,
		  page == head || !page_has(head, PG_lazy) ? page->flags : 0);
}

void kfree_caller(const void *ptr, const void *caller)
{
	struct page *page;
	unsigned int order;

	if (ZERO_OR_NULL_PTR(ptr)) {
		return;
	}
	page = kmalloc_page(ptr, "kfree", caller);
	if (page_has(page, PG_slab)) {
		slab_free(page, ptr, caller);
		return;
	}
	order = page->order;
	page->flags &= ~PG_large;
	kstat.objects--;
	kstat.large_pages -= UINT64_C(1) << order;
	kstat.bytes -= PAGE_SIZE << order;
	free_pages_caller(page, order, caller);
}

void kfree(const void *ptr)
{
	kfree_caller(ptr, __builtin_return_address(0));
}

size_t ksize(const void *ptr)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(ptr)) {
		return 0;
	}
	page = kmalloc_page(ptr, "ksize", __builtin_return_address(0));
	if (page_has(page, PG_slab)) {
		return KMALLOC_MIN_SIZE << (page->kclass % NR_KMALLOC_CLASSES);
	}
	return (size_t)(PAGE_SIZE << page->order);
}

/* What kmalloc(@size) would give: the class or block size. */
static size_t kmalloc_size(size_t size)
{
	if (size <= KMALLOC_MAX_CACHE_SIZE) {
		return KMALLOC_MIN_SIZE << kmalloc_class(size);
	}
	return (size_t)(PAGE_SIZE << get_order(size));
}

void *krealloc(const void *ptr, size_t new_size, gfp_t gfp)
{
	size_t old;
	void *p;

	if (ZERO_OR_NULL_PTR(ptr)) {
		return kmalloc_caller(new_size, gfp,
				      __builtin_return_address(0));
	}
	if (new_size == 0) {
		kfree_caller(ptr, __builtin_return_address(0));
		return ZERO_SIZE_PTR;
	}
	old = ksize(ptr);
	/* Same class or block size: nothing to gain by moving. */
	if (new_size <= KMALLOC_MAX_SIZE && kmalloc_size(new_size) == old) {
		return (void *)(uintptr_t)ptr;
	}
	p = kmalloc_caller(new_size, gfp, __builtin_return_address(0));
	if (p == NULL) {
		/* A shrink that cannot move still fits where it is. */
		return new_size <= old ? (void *)(uintptr_t)ptr : NULL;
	}
	memcpy(p, ptr, min(old, new_size));
	kfree_caller(ptr, __builtin_return_address(0));
	return p;
}

void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size != 0 && n > SIZE_MAX / size) {
		return NULL;
	}
	return kmalloc(n * size, gfp);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

void kmalloc_stats(struct mm_stats *s)
{
	s->kmalloc_objects = kstat.objects;
	s->kmalloc_slab_pages = kstat.slab_pages;
	s->kmalloc_large_pages = kstat.large_pages;
	s->kmalloc_bytes = kstat.bytes;
}

void kmalloc_reset(void)
{
	memset(caches, 0, sizeof(caches));
	memset(&kstat, 0, sizeof(kstat));
}
