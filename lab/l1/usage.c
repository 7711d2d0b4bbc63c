// SPDX-License-Identifier: GPL-2.0
#include "usage.h"

#include "kmsg.h"
#include "procmem.h"
#include "tap.h"

#include <dirent.h>
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

/* A "Field:   N kB" line of a /proc file; -1 if missing. */
static long proc_kb(const char *path, const char *field)
{
	char line[128];
	size_t len = strlen(field);
	long kb = -1;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, len) && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

/*
 * A /proc file whole, into a buffer of cap bytes the caller frees; its
 * length, or -1 if it cannot be read or does not fit.
 */
static long read_text(const char *path, char **text, size_t cap)
{
	size_t len = 0;
	ssize_t n = 1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*text = fd >= 0 ? malloc(cap) : NULL;
	while (*text && len < cap && (n = read(fd, *text + len, cap - len)) > 0)
		len += (size_t)n;
	if (fd >= 0)
		close(fd);
	if (!*text || n < 0 || len == cap) {
		free(*text);
		*text = NULL;
		return -1;
	}
	return (long)len;
}

/* zoneinfo, the longest, is a few KiB per zone and 150 bytes more per cpu and zone */
#define PROC_TEXT_MAX (1024 * 1024)

static long proc_pages(const char *path, long (*parse)(const char *, size_t))
{
	char *text;
	long len = read_text(path, &text, PROC_TEXT_MAX), pages;

	if (len < 0)
		return -1;
	pages = parse(text, (size_t)len);
	free(text);
	return pages;
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
 * calculate_normal_threshold(): 24 pages a cpu on a 2 GiB L1 of 2 cpus,
 * 1.5 MiB with 64 KiB pages). It made two baselines 4 VMs apart differ by
 * up to 2.7 MiB; read this way, by 0.4 MiB or less in 48 of 50 boots.
 *
 * A page can move between the two kinds of list while they are read: the
 * per-cpu lists are read on both sides of the buddy lists, until they agree
 * (on a busy system, ten tries; the last is off by what moved meanwhile).
 */
static long zone_free_kb(void)
{
	long kb_per_page = sysconf(_SC_PAGESIZE) / 1024, buddy, after;

	for (int tries = 0; tries < 10; tries++) {
		long before = proc_pages("/proc/zoneinfo", procmem_pcp_pages);

		buddy = proc_pages("/proc/buddyinfo", procmem_buddy_pages);
		after = proc_pages("/proc/zoneinfo", procmem_pcp_pages);
		if (before < 0 || buddy < 0 || after < 0)
			return -1;
		if (before == after)
			break;
	}
	return (buddy + after) * kb_per_page;
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
 * 1 to a cache's "shrink" (mm/slub.c, since 4.4) flushes the per-cpu slabs
 * and frees the empty ones; a leaked object keeps its slab.
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

static void meminfo_read(struct usage *u)
{
	char *text;
	long len = read_text("/proc/meminfo", &text, PROC_TEXT_MAX);

	u->meminfo_n = 0;
	if (len < 0)
		return;
	u->meminfo_n = procmem_meminfo(text, (size_t)len, u->meminfo, USAGE_MEMINFO_MAX);
	free(text);
}

void usage_meminfo_changes(const struct usage *from, const struct usage *to, long min_kb)
{
	for (int i = 0; i < to->meminfo_n; i++) {
		const struct procmem_field *t = &to->meminfo[i];

		for (int j = 0; j < from->meminfo_n; j++) {
			const struct procmem_field *f = &from->meminfo[j];

			if (strcmp(t->name, f->name))
				continue;
			if (labs(t->kb - f->kb) >= min_kb)
				tap_note("meminfo %s: %ld -> %ld kB (%+ld)", t->name, f->kb, t->kb,
					 t->kb - f->kb);
			break;
		}
	}
}

void usage_measure(struct usage *u)
{
	/* opendir's own fd is among the entries while it counts them */
	u->fds = count_entries("/proc/self/fd", false) - 1;
	u->vms = count_entries("/sys/kernel/debug/kvm", true);
	u->mem_free_kb = zone_free_kb();
	u->mem_source = "buddyinfo";
	if (u->mem_free_kb < 0) {
		u->mem_free_kb = proc_kb("/proc/meminfo", "MemFree");
		u->mem_source = "meminfo";
	}
	u->unreclaimable_kb = proc_kb("/proc/meminfo", "SUnreclaim");
	u->own_kb = proc_kb("/proc/self/status", "VmRSS") + proc_kb("/proc/self/status", "VmPTE");
	meminfo_read(u);
}

long usage_lost_kb(const struct usage *from, const struct usage *to)
{
	return from->mem_free_kb - to->mem_free_kb - (to->own_kb - from->own_kb);
}
