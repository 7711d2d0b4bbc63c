/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Random KVM_PPC_GET_COMPAT_CAPS requests in memory laid out to make the
 * kernel fault where the test wants, and their judgement by caps-model: what
 * caps-fuzz and stress both send. One arena per thread.
 *
 * The arena's pages, in address order:
 *   RW0 RW1  read-write, the home of most requests (two pages, so that a
 *            request of PAGE_SIZE bytes fits anywhere in the first)
 *   RO       read-only: the kernel reads the request but cannot answer
 *   GAP      unmapped
 *   RW2      read-write, for requests that run into...
 *   END      ...unmapped
 * Every byte no request covers holds CAPS_ARENA_POISON, so a write the
 * kernel should not have made shows.
 */
#ifndef PPCCOMPAT_LAB_CAPS_ARENA_H
#define PPCCOMPAT_LAB_CAPS_ARENA_H

#include "caps-model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAPS_ARENA_POISON 0xaa

enum caps_arena_page {
	CAPS_PAGE_RW0,
	CAPS_PAGE_RW1,
	CAPS_PAGE_RO,
	CAPS_PAGE_GAP,
	CAPS_PAGE_RW2,
	CAPS_PAGE_END,
	CAPS_ARENA_PAGES,
};

struct caps_arena {
	size_t page;
	bool holes;
	unsigned char *mem;    /* CAPS_ARENA_PAGES pages */
	unsigned char *before; /* what mem held before the call (the view's contents) */
	enum caps_access access[CAPS_ARENA_PAGES];
	struct caps_view view;
};

/*
 * Maps and protects the arena; 0 or -errno. holes: GAP and END are unmapped
 * (no mapping at all, as for a pointer into nothing) instead of PROT_NONE;
 * only for a single-threaded program, whose mmap() calls cannot land there
 * between the calls that rely on the hole.
 */
int caps_arena_init(struct caps_arena *a, size_t page, bool holes);
void caps_arena_fini(struct caps_arena *a);

/* The input classes the generator draws from (names in caps_*_class_name()). */
enum caps_size_class {
	CAPS_SIZE_ZERO,  /* 0 */
	CAPS_SIZE_SMALL, /* 1..23 */
	CAPS_SIZE_VER0,  /* 24 */
	CAPS_SIZE_MID,   /* 25..PAGE_SIZE-1 */
	CAPS_SIZE_PAGE,  /* PAGE_SIZE */
	CAPS_SIZE_OVER,  /* PAGE_SIZE+1..2*PAGE_SIZE */
	CAPS_SIZE_HUGE,  /* 2^32+24, 2^63, 2^64-1, random above 2^32 */
	CAPS_SIZE_CLASSES,
};

enum caps_ptr_class {
	CAPS_PTR_NULL,
	CAPS_PTR_KERNEL,        /* 0xc000000000000000: the kernel's linear map */
	CAPS_PTR_UNMAPPED,      /* inside GAP */
	CAPS_PTR_ALIGNED,       /* 8-byte aligned in RW0-RW1 */
	CAPS_PTR_MISALIGNED,    /* not 8-byte aligned in RW0-RW1 */
	CAPS_PTR_READONLY,      /* inside RO */
	CAPS_PTR_STRADDLE_RO,   /* RW1 into RO: the size reads, writes past the boundary fault */
	CAPS_PTR_STRADDLE_NONE, /* RW2 into END: accesses past the boundary fault */
	CAPS_PTR_RO_TO_NONE,    /* RO into GAP */
	CAPS_PTR_CLASSES,
};

const char *caps_size_class_name(enum caps_size_class c);
const char *caps_ptr_class_name(enum caps_ptr_class c);

/* One request; the arena's layout and the struct's fields as the caller meant them. */
struct caps_request {
	enum caps_size_class size_class;
	enum caps_ptr_class ptr_class;
	uint64_t size;
	uint64_t flags;
	uint64_t caps_in;         /* what the output field holds before the call */
	bool tail_nonzero;        /* one byte past 24 is non-zero... */
	uint64_t nonzero_at;      /* ...at this offset of the struct... */
	unsigned char nonzero_value; /* ...with this value */
	uintptr_t arg;            /* the ioctl's argument */
};

/* Draws a request (the RNG alone decides, so a seed replays it); touches no memory. */
void caps_request_random(const struct caps_arena *a, uint64_t *rng, struct caps_request *r);

/* A request ABI.md accepts, in read-write memory (what a correct program sends). */
bool caps_request_well_formed(const struct caps_arena *a, const struct caps_request *r);

/* Writes the request's bytes into the arena (the pages they fall in). */
void caps_request_place(struct caps_arena *a, const struct caps_request *r);

enum caps_verdict {
	CAPS_ALLOWED,             /* an answer ABI.md allows */
	CAPS_UNWRITTEN_UNCHANGED, /* caps_model_unwritten_unchanged(): not mainline's */
	CAPS_REFUSED,             /* anything else */
};

/*
 * Judges the answer err (0 or errno) against the model for any fd kind in
 * kinds (a mask of 1 << enum caps_fd_kind: one kind when the fd is known,
 * several when it may have been closed and reused meanwhile). Unless the
 * answer is allowed, why says what differs (from the first kind of the
 * mask).
 */
enum caps_verdict caps_request_judge(const struct caps_arena *a, const struct caps_kernel *k,
				     unsigned int kinds, const struct caps_request *r, int err,
				     char *why, size_t why_size);

/* Puts the poison back where the request (and its answer) was. */
void caps_request_restore(struct caps_arena *a, const struct caps_request *r);

/* Every readable byte of the arena is poison again; false with where it is not. */
bool caps_arena_clean(const struct caps_arena *a, char *why, size_t why_size);

/* Poison in every readable byte again, whatever the calls wrote. */
void caps_arena_reset(struct caps_arena *a);

/* "ptr=straddle_ro(RW1+0xfff8) size=… flags=… caps_in=… tail=…", to replay it. */
void caps_request_describe(const struct caps_arena *a, const struct caps_request *r,
			   char *buf, size_t size);

#endif
