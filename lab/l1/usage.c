// SPDX-License-Identifier: GPL-2.0
#include "usage.h"

#include "kmsg.h"

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
 * Free pages of every zone, those waiting on the per-cpu lists included:
 * a freed page goes there first, and MemFree does not count it. With 64 KiB
 * pages the lists hold tens of MiB, more than a leak worth finding.
 */
static long zone_free_kb(void)
{
	long pages = 0, n;
	char line[160];
	FILE *f = fopen("/proc/zoneinfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " pages free %ld", &n) == 1 || sscanf(line, " count: %ld", &n) == 1)
			pages += n;
	}
	fclose(f);
	return pages * (sysconf(_SC_PAGESIZE) / 1024);
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
 * and was the largest part of the noise between two measurements. Writing
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

void usage_measure(struct usage *u)
{
	/* opendir's own fd is among the entries while it counts them */
	u->fds = count_entries("/proc/self/fd", false) - 1;
	u->vms = count_entries("/sys/kernel/debug/kvm", true);
	u->mem_free_kb = zone_free_kb();
	if (u->mem_free_kb < 0)
		u->mem_free_kb = proc_kb("/proc/meminfo", "MemFree");
	u->unreclaimable_kb = proc_kb("/proc/meminfo", "SUnreclaim");
	u->own_kb = proc_kb("/proc/self/status", "VmRSS") + proc_kb("/proc/self/status", "VmPTE");
}

long usage_lost_kb(const struct usage *from, const struct usage *to)
{
	return from->mem_free_kb - to->mem_free_kb - (to->own_kb - from->own_kb);
}
