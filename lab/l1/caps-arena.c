// SPDX-License-Identifier: GPL-2.0
#include "caps-arena.h"

#include "prng.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* Bytes either side of a request that are checked after each call. */
#define GUARD 64

/* One table per input dimension: its names and how often each is drawn. */
static const struct {
	const char *name;
	unsigned int weight;
} size_classes[CAPS_SIZE_CLASSES] = {
	[CAPS_SIZE_ZERO] = { "zero", 5 },  [CAPS_SIZE_SMALL] = { "small", 10 },
	[CAPS_SIZE_VER0] = { "ver0", 35 }, [CAPS_SIZE_MID] = { "mid", 25 },
	[CAPS_SIZE_PAGE] = { "page", 5 },  [CAPS_SIZE_OVER] = { "over_page", 10 },
	[CAPS_SIZE_HUGE] = { "huge", 10 },
};

static const struct {
	const char *name;
	unsigned int weight;
} ptr_classes[CAPS_PTR_CLASSES] = {
	[CAPS_PTR_NULL] = { "null", 3 },
	[CAPS_PTR_KERNEL] = { "kernel", 3 },
	[CAPS_PTR_UNMAPPED] = { "unmapped", 4 },
	[CAPS_PTR_ALIGNED] = { "aligned", 40 },
	[CAPS_PTR_MISALIGNED] = { "misaligned", 15 },
	[CAPS_PTR_READONLY] = { "readonly", 8 },
	[CAPS_PTR_STRADDLE_RO] = { "straddle_ro", 9 },
	[CAPS_PTR_STRADDLE_NONE] = { "straddle_unmapped", 9 },
	[CAPS_PTR_RO_TO_NONE] = { "readonly_to_unmapped", 9 },
};

static const enum caps_access page_access[CAPS_ARENA_PAGES] = {
	[CAPS_PAGE_RW0] = CAPS_RW,  [CAPS_PAGE_RW1] = CAPS_RW,	[CAPS_PAGE_RO] = CAPS_READ,
	[CAPS_PAGE_GAP] = CAPS_NONE, [CAPS_PAGE_RW2] = CAPS_RW, [CAPS_PAGE_END] = CAPS_NONE,
};

static const char *const page_names[CAPS_ARENA_PAGES] = { "RW0", "RW1", "RO",
							  "GAP", "RW2", "END" };

static int protection(enum caps_access acc)
{
	return acc == CAPS_RW ? PROT_READ | PROT_WRITE : acc == CAPS_READ ? PROT_READ : PROT_NONE;
}

const char *caps_size_class_name(enum caps_size_class c)
{
	return c < CAPS_SIZE_CLASSES ? size_classes[c].name : "?";
}

const char *caps_ptr_class_name(enum caps_ptr_class c)
{
	return c < CAPS_PTR_CLASSES ? ptr_classes[c].name : "?";
}

static uintptr_t page_addr(const struct caps_arena *a, enum caps_arena_page p)
{
	return (uintptr_t)a->mem + (size_t)p * a->page;
}

int caps_arena_init(struct caps_arena *a, size_t page, bool holes)
{
	size_t len = CAPS_ARENA_PAGES * page;

	*a = (struct caps_arena){ .page = page, .holes = holes };
	a->mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	a->before = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a->mem == MAP_FAILED || a->before == MAP_FAILED)
		return -errno;
	memset(a->mem, CAPS_ARENA_POISON, len);
	memset(a->before, CAPS_ARENA_POISON, len);
	for (int p = 0; p < CAPS_ARENA_PAGES; p++) {
		a->access[p] = page_access[p];
		void *at = a->mem + (size_t)p * page;

		if (holes && page_access[p] == CAPS_NONE ? munmap(at, page) < 0 :
		    mprotect(at, page, protection(page_access[p])) < 0)
			return -errno;
	}
	a->view = (struct caps_view){ .base = (uintptr_t)a->mem, .len = len, .page = page,
				      .access = a->access, .before = a->before };
	return 0;
}

void caps_arena_fini(struct caps_arena *a)
{
	size_t len = CAPS_ARENA_PAGES * a->page;

	if (a->mem && a->mem != MAP_FAILED)
		munmap(a->mem, len); /* the holes too: munmap() skips what is not mapped */
	if (a->before && a->before != MAP_FAILED)
		munmap(a->before, len);
	*a = (struct caps_arena){ 0 };
}

static uint64_t random_size(const struct caps_arena *a, uint64_t *rng, enum caps_size_class c)
{
	static const uint64_t huge[] = { (UINT64_C(1) << 32) + CAPS_VER0, UINT64_C(1) << 63,
					 UINT64_MAX };

	switch (c) {
	case CAPS_SIZE_ZERO:
		return 0;
	case CAPS_SIZE_SMALL:
		/* a third of them the last size step 3 refuses */
		if (prng_below(rng, 3) == 0)
			return CAPS_VER0 - 1;
		return prng_range(rng, 1, CAPS_VER0 - 1);
	case CAPS_SIZE_VER0:
		return CAPS_VER0;
	case CAPS_SIZE_MID:
		/* half of them small enough to be cheap, as a next struct version would be */
		if (prng_below(rng, 2))
			return prng_range(rng, CAPS_VER0 + 1, 256);
		return prng_range(rng, CAPS_VER0 + 1, a->page - 1);
	case CAPS_SIZE_PAGE:
		return a->page;
	case CAPS_SIZE_OVER:
		/* half of them the first size step 2 refuses */
		if (prng_below(rng, 2))
			return a->page + 1;
		return prng_range(rng, a->page + 1, 2 * a->page);
	case CAPS_SIZE_HUGE:
	default:
		if (prng_below(rng, 2))
			return huge[prng_below(rng, sizeof(huge) / sizeof(huge[0]))];
		return prng_range(rng, UINT64_C(1) << 32, UINT64_MAX);
	}
}

/* Bytes of the struct that lie in memory: at most a page (a bigger size stops at step 2). */
static uint64_t span(const struct caps_arena *a, uint64_t size)
{
	uint64_t len = size < a->page ? size : a->page;

	return len < CAPS_VER0 ? CAPS_VER0 : len;
}

/* How far before a page boundary a straddling struct of len bytes starts: in which field. */
static uint64_t straddle_distance(uint64_t *rng, uint64_t len)
{
	switch (prng_below(rng, len > CAPS_VER0 ? 4 : 3)) {
	case 0:
		return prng_range(rng, 1, 7); /* inside size */
	case 1:
		return prng_range(rng, 8, 15); /* inside flags */
	case 2:
		return prng_range(rng, 16, CAPS_VER0 - 1); /* inside caps */
	default:
		return prng_range(rng, CAPS_VER0, len - 1); /* inside the unknown tail */
	}
}

static uintptr_t random_arg(const struct caps_arena *a, uint64_t *rng, enum caps_ptr_class c,
			    uint64_t len)
{
	uint64_t off;

	switch (c) {
	case CAPS_PTR_NULL:
		return 0;
	case CAPS_PTR_KERNEL:
		return (uintptr_t)UINT64_C(0xc000000000000000);
	case CAPS_PTR_UNMAPPED:
		return page_addr(a, CAPS_PAGE_GAP) + prng_below(rng, a->page);
	case CAPS_PTR_ALIGNED:
		off = prng_below(rng, 2 * a->page - len + 1) & ~UINT64_C(7);
		return page_addr(a, CAPS_PAGE_RW0) + off;
	case CAPS_PTR_MISALIGNED:
		off = prng_below(rng, 2 * a->page - len + 1);
		if (off % 8 == 0)
			off = off >= 8 ? off - prng_range(rng, 1, 7) : off + prng_range(rng, 1, 7);
		if (off > 2 * a->page - len)
			off -= 8;
		return page_addr(a, CAPS_PAGE_RW0) + off;
	case CAPS_PTR_READONLY:
		return page_addr(a, CAPS_PAGE_RO) + prng_below(rng, a->page - len + 1);
	case CAPS_PTR_STRADDLE_RO:
		return page_addr(a, CAPS_PAGE_RO) - straddle_distance(rng, len);
	case CAPS_PTR_STRADDLE_NONE:
		return page_addr(a, CAPS_PAGE_END) - straddle_distance(rng, len);
	case CAPS_PTR_RO_TO_NONE:
	default:
		return page_addr(a, CAPS_PAGE_GAP) - straddle_distance(rng, len);
	}
}

void caps_request_random(const struct caps_arena *a, uint64_t *rng, struct caps_request *r)
{
	static const uint64_t flag_values[] = { 1, UINT64_C(1) << 63, UINT64_MAX };
	unsigned int size_w[CAPS_SIZE_CLASSES], ptr_w[CAPS_PTR_CLASSES];
	uint64_t len;

	/* memset, not an initialiser: the padding too, so that two draws compare equal */
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < CAPS_SIZE_CLASSES; i++)
		size_w[i] = size_classes[i].weight;
	r->size_class = prng_weighted(rng, size_w, CAPS_SIZE_CLASSES);
	r->size = random_size(a, rng, r->size_class);
	for (int i = 0; i < CAPS_PTR_CLASSES; i++)
		ptr_w[i] = ptr_classes[i].weight;
	r->ptr_class = prng_weighted(rng, ptr_w, CAPS_PTR_CLASSES);
	len = span(a, r->size);
	r->arg = random_arg(a, rng, r->ptr_class, len);

	/* 3 in 4 well-formed flags; the rest every kind of reserved bit */
	if (prng_below(rng, 4) == 0)
		r->flags = prng_below(rng, 2) ? flag_values[prng_below(rng, 3)] :
						prng_range(rng, 1, UINT64_MAX);
	r->caps_in = prng_below(rng, 2) ? prng_next(rng) : UINT64_MAX;
	if (len > CAPS_VER0 && prng_below(rng, 10) < 3) {
		r->tail_nonzero = true;
		r->nonzero_at = prng_range(rng, CAPS_VER0, len - 1);
		r->nonzero_value = (unsigned char)prng_range(rng, 1, 255);
	}
}

bool caps_request_well_formed(const struct caps_arena *a, const struct caps_request *r)
{
	return r->size >= CAPS_VER0 && r->size <= a->page && r->flags == 0 && !r->tail_nonzero &&
	       (r->ptr_class == CAPS_PTR_ALIGNED || r->ptr_class == CAPS_PTR_MISALIGNED);
}

/* The arena's range of the request: [*lo, *hi), clipped to the arena. */
static bool request_range(const struct caps_arena *a, const struct caps_request *r,
			  uintptr_t *lo, uintptr_t *hi)
{
	uintptr_t base = (uintptr_t)a->mem, end = base + CAPS_ARENA_PAGES * a->page;
	uint64_t len = span(a, r->size);

	if (len > UINTPTR_MAX - r->arg || r->arg >= end || r->arg + len <= base)
		return false;
	*lo = r->arg < base ? base : r->arg;
	*hi = r->arg + len > end ? end : r->arg + len;
	return true;
}

static void set_ro_writable(struct caps_arena *a, bool writable)
{
	/* Cannot fail on a page this arena mapped; a failure shows as a wrong answer later. */
	(void)mprotect(a->mem + CAPS_PAGE_RO * a->page, a->page,
		       writable ? PROT_READ | PROT_WRITE : PROT_READ);
}

static bool touches_ro(const struct caps_arena *a, uintptr_t lo, uintptr_t hi)
{
	return lo < page_addr(a, CAPS_PAGE_GAP) && hi > page_addr(a, CAPS_PAGE_RO);
}

/* Stores the byte at addr in mem and before, when that page is mapped. */
static void put(struct caps_arena *a, uintptr_t addr, unsigned char value)
{
	size_t i;

	if (addr < (uintptr_t)a->mem || addr - (uintptr_t)a->mem >= CAPS_ARENA_PAGES * a->page)
		return;
	i = addr - (uintptr_t)a->mem;
	if (a->access[i / a->page] == CAPS_NONE)
		return;
	a->mem[i] = value;
	a->before[i] = value;
}

static void put64(struct caps_arena *a, uintptr_t addr, uint64_t value)
{
	unsigned char bytes[8];

	caps_store64(bytes, value);
	for (int i = 0; i < 8; i++)
		put(a, addr + i, bytes[i]);
}

/* Sets [lo, hi) of mem and before to value, skipping unmapped pages. */
static void fill(struct caps_arena *a, uintptr_t lo, uintptr_t hi, unsigned char value)
{
	uintptr_t base = (uintptr_t)a->mem;

	while (lo < hi) {
		size_t i = lo - base, n = a->page - i % a->page;

		if (n > hi - lo)
			n = hi - lo;
		if (a->access[i / a->page] != CAPS_NONE) {
			memset(a->mem + i, value, n);
			memset(a->before + i, value, n);
		}
		lo += n;
	}
}

void caps_request_place(struct caps_arena *a, const struct caps_request *r)
{
	uintptr_t lo, hi;
	bool ro;

	if (!request_range(a, r, &lo, &hi))
		return;
	ro = touches_ro(a, lo, hi);
	if (ro)
		set_ro_writable(a, true);
	fill(a, r->arg + CAPS_VER0 > lo ? r->arg + CAPS_VER0 : lo, hi, 0);
	put64(a, r->arg + CAPS_OFF_SIZE, r->size);
	put64(a, r->arg + CAPS_OFF_FLAGS, r->flags);
	put64(a, r->arg + CAPS_OFF_CAPS, r->caps_in);
	if (r->tail_nonzero)
		put(a, r->arg + r->nonzero_at, r->nonzero_value);
	if (ro)
		set_ro_writable(a, false);
}

enum caps_verdict caps_request_judge(const struct caps_arena *a, const struct caps_kernel *k,
				     unsigned int kinds, const struct caps_request *r, int err,
				     char *why, size_t why_size)
{
	uintptr_t lo = r->arg >= GUARD ? r->arg - GUARD : 0;
	uintptr_t hi = r->arg + span(a, r->size) + GUARD;
	bool first = true, unwritten = false;

	if (hi < r->arg)
		hi = UINTPTR_MAX;
	for (int kind = 0; kind < CAPS_FD_KINDS; kind++) {
		struct caps_expect e;
		char other[160];

		if (!(kinds & (1u << kind)))
			continue;
		caps_model_expect(k, kind, &a->view, r->arg, &e);
		if (caps_model_check(k, &a->view, r->arg, &e, err, a->mem, lo, hi,
				     first ? why : other, first ? why_size : sizeof(other)))
			return CAPS_ALLOWED;
		unwritten |= caps_model_unwritten_unchanged(k, &a->view, r->arg, &e, err, a->mem,
							    lo, hi);
		first = false;
	}
	return unwritten ? CAPS_UNWRITTEN_UNCHANGED : CAPS_REFUSED;
}

void caps_request_restore(struct caps_arena *a, const struct caps_request *r)
{
	uintptr_t lo, hi;
	bool ro;

	if (!request_range(a, r, &lo, &hi))
		return;
	ro = touches_ro(a, lo, hi);
	if (ro)
		set_ro_writable(a, true);
	fill(a, lo, hi, CAPS_ARENA_POISON);
	if (ro)
		set_ro_writable(a, false);
}

bool caps_arena_clean(const struct caps_arena *a, char *why, size_t why_size)
{
	for (int p = 0; p < CAPS_ARENA_PAGES; p++) {
		const unsigned char *m = a->mem + (size_t)p * a->page;

		if (a->access[p] == CAPS_NONE)
			continue;
		/* the page against its own first word, then bytes only where that failed */
		if (m[0] == CAPS_ARENA_POISON && m[1] == CAPS_ARENA_POISON &&
		    !memcmp(m, m + 2, a->page - 2) && m[a->page - 1] == CAPS_ARENA_POISON)
			continue;
		for (size_t i = 0; i < a->page; i++) {
			if (m[i] != CAPS_ARENA_POISON) {
				snprintf(why, why_size, "byte %s+0x%zx is 0x%02x, not poison",
					 page_names[p], i, m[i]);
				return false;
			}
		}
	}
	return true;
}

void caps_arena_reset(struct caps_arena *a)
{
	set_ro_writable(a, true);
	fill(a, (uintptr_t)a->mem, (uintptr_t)a->mem + CAPS_ARENA_PAGES * a->page,
	     CAPS_ARENA_POISON);
	set_ro_writable(a, false);
}

void caps_request_describe(const struct caps_arena *a, const struct caps_request *r,
			   char *buf, size_t size)
{
	uintptr_t base = (uintptr_t)a->mem, end = base + CAPS_ARENA_PAGES * a->page;
	char where[48], tail[48];

	if (r->arg >= base && r->arg < end)
		snprintf(where, sizeof(where), "%s+0x%zx", page_names[(r->arg - base) / a->page],
			 (size_t)((r->arg - base) % a->page));
	else
		snprintf(where, sizeof(where), "0x%" PRIxPTR, r->arg);
	if (r->tail_nonzero)
		snprintf(tail, sizeof(tail), "byte %" PRIu64 "=0x%02x", r->nonzero_at,
			 r->nonzero_value);
	else
		snprintf(tail, sizeof(tail), "zero");
	snprintf(buf, size,
		 "ptr=%s(%s) size=%" PRIu64 "(%s) flags=0x%" PRIx64 " caps_in=0x%" PRIx64
		 " tail=%s",
		 caps_ptr_class_name(r->ptr_class), where, r->size,
		 caps_size_class_name(r->size_class), r->flags, r->caps_in, tail);
}
