/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel holds for this process and in all, measured before and
 * after a run to tell whether the run leaked: open fds, KVM's VMs, free
 * memory.
 */
#ifndef PPCCOMPAT_LAB_USAGE_H
#define PPCCOMPAT_LAB_USAGE_H

#include "procmem.h"

#include <stdbool.h>

/*
 * /proc/meminfo has 43 (6.1) and 46 (7.3) lines in the lab's L1s, /proc/self/status
 * about 60; lines past 80 are not read.
 */
#define USAGE_MEMINFO_MAX 80

struct usage {
	long fds;
	long vms;           /* entries of /sys/kernel/debug/kvm; -1 without debugfs */
	/* free pages: /proc/buddyinfo's and /proc/zoneinfo's per-cpu lists; -1 if unreadable */
	long mem_free_kb;
	long unreclaimable_kb;
	/*
	 * What this process itself holds (resident pages, page tables): glibc
	 * keeps the stacks and malloc arenas of joined threads for reuse, which
	 * is no kernel leak and is taken out of the free memory lost.
	 */
	long own_kb;
	/* every "Name: N kB" line of /proc/meminfo, to show where a loss went */
	struct procmem_field meminfo[USAGE_MEMINFO_MAX];
	int meminfo_n;
};

/*
 * Lets the kernel drop what it keeps only because nothing asked for the
 * memory (page cache, dentries and inodes: /proc and debugfs lookups make
 * them; SLUB's empty slabs), so that two measurements compare what is held.
 */
void usage_settle(void);

/*
 * Whether the kernel runs KASAN ("KernelAddressSanitizer initialized" in its
 * log, or powerpc's "KASAN init done" before 7.2). KASAN keeps memory of its
 * own: freed objects in its quarantine (up to 1/32 of memory), allocation
 * stacks in the stack depot; stress does not judge free memory there.
 * usage_settle()'s shrink now empties the quarantine (kasan_cache_shrink()):
 * 11 debug boots since stayed within the tolerance, too few yet to judge on
 * (doc/reliability.md, Findings 4).
 */
bool usage_kasan(void);

/*
 * Reads /proc/self/fd, /sys/kernel/debug/kvm, /proc/buddyinfo,
 * /proc/zoneinfo, /proc/meminfo and /proc/self/status.
 */
void usage_measure(struct usage *u);

/*
 * Free memory (KiB) the kernel lost from one measurement to the next, this
 * process's own growth taken out.
 */
long usage_lost_kb(const struct usage *from, const struct usage *to);

/*
 * Prints, as TAP notes, the /proc/meminfo fields that changed by at least
 * min_kb from one measurement to the next: where a loss went.
 */
void usage_meminfo_changes(const struct usage *from, const struct usage *to, long min_kb);

#endif
