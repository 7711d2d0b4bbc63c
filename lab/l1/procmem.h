/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's memory counts, read from the text of its /proc files
 * (mm/vmstat.c, fs/proc/meminfo.c; 6.1 to 7.3 alike): pure functions of
 * the text, which need not end with a NUL. The stress program reads the
 * files; the host's unit test and fuzzer feed them captured and damaged
 * ones.
 */
#ifndef PPCCOMPAT_LAB_PROCMEM_H
#define PPCCOMPAT_LAB_PROCMEM_H

#include <stddef.h>

/* Longest line looked at; a longer one is malformed (buddyinfo, zoneinfo) or skipped (meminfo). */
#define PROCMEM_LINE_MAX 512

/*
 * Free pages on the buddy allocator's lists, from /proc/buddyinfo: each
 * "Node 0, zone   Normal   12   3   0 ..." line gives the free blocks of
 * order 0, 1, ...; a block of order k is 2^k pages. Returns the pages of
 * all zones, or -1 if the text has no zone line, a zone line has no count,
 * more than 32 or a malformed one, or the sum overflows.
 */
long procmem_buddy_pages(const char *text, size_t len);

/*
 * Pages on the per-cpu free lists, from /proc/zoneinfo: the sum of every
 * "count: N" line (one per zone and online cpu, under "pagesets"). Returns
 * -1 if there is none or one is malformed or the sum overflows.
 */
long procmem_pcp_pages(const char *text, size_t len);

struct procmem_field {
	char name[24];  /* longer names are cut */
	long kb;        /* the number as printed: kB for most, a count for HugePages_* */
};

/*
 * The "Name:   N kB" lines of /proc/meminfo (or /proc/PID/status, whose
 * "VmRSS:" lines have the same form), in their order, at most max of them;
 * a line without a name and a number is skipped. Returns how many were
 * stored.
 */
int procmem_meminfo(const char *text, size_t len, struct procmem_field *out, int max);

#endif
