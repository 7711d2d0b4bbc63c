/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel holds for this process and in all, measured before and
 * after a run to tell whether the run leaked: open fds, KVM's VMs, free
 * memory.
 */
#ifndef PPCCOMPAT_LAB_USAGE_H
#define PPCCOMPAT_LAB_USAGE_H

#include <stdbool.h>

struct usage {
	long fds;
	long vms;           /* entries of /sys/kernel/debug/kvm; -1 without debugfs */
	long mem_free_kb;   /* /proc/zoneinfo's free pages and per-cpu lists (else MemFree) */
	long unreclaimable_kb;
	/*
	 * What this process itself holds (resident pages, page tables): glibc
	 * keeps the stacks and malloc arenas of joined threads for reuse, which
	 * is no kernel leak and is taken out of the free memory lost.
	 */
	long own_kb;
};

/*
 * Lets the kernel drop what it keeps only because nothing asked for the
 * memory (page cache, dentries and inodes: /proc and debugfs lookups make
 * them; SLUB's empty slabs), so that two measurements compare what is held.
 */
void usage_settle(void);

/*
 * Whether the kernel runs KASAN ("KernelAddressSanitizer initialized" in its
 * log, or powerpc's "KASAN init done" before 7.2): its quarantine keeps freed
 * objects, up to 1/32 of memory, so free memory says nothing about leaks there.
 */
bool usage_kasan(void);

/* Reads /proc/self/fd, /sys/kernel/debug/kvm, /proc/zoneinfo, /proc/meminfo, /proc/self/status. */
void usage_measure(struct usage *u);

/*
 * Free memory (KiB) the kernel lost from one measurement to the next, this
 * process's own growth taken out.
 */
long usage_lost_kb(const struct usage *from, const struct usage *to);

#endif
