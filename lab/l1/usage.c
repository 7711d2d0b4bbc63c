// SPDX-License-Identifier: GPL-2.0
#include "usage.h"

#include "kmsg.h"
#include "procmem.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long count_entries(const char *dir, bool vm_dirs_only)
{
	struct dirent *e;
	long n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		/* a VM's directory is "<pid>-<fd>"; the rest are the module's statistics */
		if (vm_dirs_only && !strchr(e->d_name, '-'))
			continue;
		n++;
	}
	closedir(d);
	return n;
}

/*
 * zoneinfo, the longest file read, is a few KiB per zone and 150 bytes more
 * per cpu and zone. One buffer, as only the main thread measures; a malloc()
 * of this size would be an mmap() whose free() moves glibc's threshold, and
 * with it what this process holds (usage.own_kb).
 */
static char proc_text[256 * 1024];

/* A /proc file whole into proc_text: its length, or -1 if it cannot be read or does not fit. */
static long read_text(const char *path)
{
	size_t len = 0;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	do {
		len += (size_t)n;
		do
			n = read(fd, proc_text + len, sizeof(proc_text) - len);
		while (n < 0 && errno == EINTR);
	} while (n > 0 && len + (size_t)n < sizeof(proc_text));
	close(fd);
	if (n != 0)
		return -1;
	return (long)len;
}

static long proc_pages(const char *path, long (*parse)(const char *, size_t))
{
	long len = read_text(path);

	return len < 0 ? -1 : parse(proc_text, (size_t)len);
}

/*
 * Free pages of every zone, those waiting on the per-cpu lists included:
 * a freed page goes there first, and the buddy lists do not count it. With
 * 64 KiB pages the per-cpu lists hold tens of MiB, more than a leak worth
 * finding.
 *
 * The buddy lists' own counts (/proc/buddyinfo), exact when read, rather
 * than /proc/zoneinfo's "pages free" or MemFree: those are NR_FREE_PAGES,
 * which each cpu adds to only past a threshold (mm/vmstat.c
 * calculate_normal_threshold(); "vm stats threshold: 20" in the lab's
 * 2 GiB, 2-cpu L1s: 1.25 MiB a cpu with 64 KiB pages). It made two
 * baselines 4 VMs apart differ by up to 2.7 MiB; read this way, by 0.4 MiB
 * or less in 48 of 50 boots (doc/reliability.md, Findings).
 *
 * A page can move between the two kinds of list while they are read: the
 * per-cpu lists are read on both sides of the buddy lists, until they agree.
 * -1 if a file cannot be read or parsed, or if they never agree in ten tries
 * (the measurement is taken with the work stopped: the system is quiet).
 */
static long zone_free_kb(void)
{
	long kb_per_page = sysconf(_SC_PAGESIZE) / 1024;

	for (int tries = 0; tries < 10; tries++) {
		long before = proc_pages("/proc/zoneinfo", procmem_pcp_pages);
		long buddy = proc_pages("/proc/buddyinfo", procmem_buddy_pages);
		long after = proc_pages("/proc/zoneinfo", procmem_pcp_pages);

		if (before < 0 || buddy < 0 || after < 0)
			return -1;
		if (before == after)
			return (buddy + after) * kb_per_page;
	}
	return -1;
}

bool usage_kasan(void)
{
	/*
	 * Generic KASAN says so in kasan_init_generic() (mm/kasan/generic.c)
	 * since 7.2; before, only the architecture did, powerpc with "KASAN
	 * init done" (arch/powerpc/mm/kasan/, 6.1 and 6.12) once the shadow
	 * is live (a hash-MMU boot returns before it, with KASAN off).
	 */
	static const char *const banners[] = {
		"KernelAddressSanitizer initialized", "KASAN init done", NULL,
	};

	return kmsg_logged(banners);
}

/* Writes one byte to a sysfs or procfs file; where it cannot, the measurements are only noisier. */
static void poke(int dirfd, const char *path, char c)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		ssize_t n = write(fd, &c, 1);

		(void)n;
		close(fd);
	}
}

/*
 * SLUB keeps empty slabs on its per-cpu and per-node partial lists for
 * reuse, whole 64 KiB pages here: which ones a run leaves there is chance,
 * and SUnreclaim ended runs 0.1 to 1.6 MiB above where it began. Writing
 * 1 to a cache's "shrink" (mm/slub.c) flushes the per-cpu slabs
 * and frees the empty ones; a leaked object keeps its slab. Under KASAN
 * it also empties the cache's quarantine (kasan_cache_shrink()).
 */
static void slabs_shrunk(void)
{
	struct dirent *e;
	DIR *d = opendir("/sys/kernel/slab");
	char path[NAME_MAX + sizeof("/shrink")];

	if (!d)
		return;
	while ((e = readdir(d))) {
		/* the links are merged caches' other names: one write per cache */
		if (e->d_name[0] == '.' || e->d_type == DT_LNK)
			continue;
		snprintf(path, sizeof(path), "%s/shrink", e->d_name);
		poke(dirfd(d), path, '1');
	}
	closedir(d);
}

void usage_settle(void)
{
	sync();
	/* 7: page cache, dentries and inodes, and do not log it (fs/drop_caches.c) */
	poke(AT_FDCWD, "/proc/sys/vm/drop_caches", '7');
	slabs_shrunk();
}

/* The "Name: N" lines of a /proc file into fields (at most USAGE_MEMINFO_MAX); how many. */
static int fields_read(const char *path, struct procmem_field *fields)
{
	long len = read_text(path);

	return len < 0 ? 0 : procmem_meminfo(proc_text, (size_t)len, fields, USAGE_MEMINFO_MAX);
}

/* A field's number, -1 if it is missing. */
static long field_kb(const struct procmem_field *fields, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(fields[i].name, name))
			return fields[i].kb;
	return -1;
}

void usage_meminfo_changes(const struct usage *from, const struct usage *to, long min_kb)
{
	for (int i = 0; i < to->meminfo_n; i++) {
		const struct procmem_field *t = &to->meminfo[i];
		long before = field_kb(from->meminfo, from->meminfo_n, t->name);

		if (before >= 0 && labs(t->kb - before) >= min_kb)
			tap_note("meminfo %s: %ld -> %ld (%+ld)", t->name, before, t->kb,
				 t->kb - before);
	}
}

void usage_measure(struct usage *u)
{
	struct procmem_field status[USAGE_MEMINFO_MAX];
	int status_n;

	/* opendir's own fd is among the entries while it counts them */
	u->fds = count_entries("/proc/self/fd", false) - 1;
	u->vms = count_entries("/sys/kernel/debug/kvm", true);
	u->mem_free_kb = zone_free_kb();
	u->meminfo_n = fields_read("/proc/meminfo", u->meminfo);
	u->unreclaimable_kb = field_kb(u->meminfo, u->meminfo_n, "SUnreclaim");
	status_n = fields_read("/proc/self/status", status);
	u->own_kb = field_kb(status, status_n, "VmRSS") + field_kb(status, status_n, "VmPTE");
}

long usage_lost_kb(const struct usage *from, const struct usage *to)
{
	return from->mem_free_kb - to->mem_free_kb - (to->own_kb - from->own_kb);
}
