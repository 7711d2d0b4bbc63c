// SPDX-License-Identifier: GPL-2.0
#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned int t_count, t_failed;

bool t_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	t_count++;
	if (!cond)
		t_failed++;
	printf("%s %u - ", cond ? "ok" : "not ok", t_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

bool t_streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

bool t_eq_int(long long got, long long want, const char *what)
{
	return t_ok(got == want, "%s: got %lld, want %lld", what, got, want);
}

bool t_eq_u64(unsigned long long got, unsigned long long want, const char *what)
{
	return t_ok(got == want, "%s: got 0x%llx, want 0x%llx", what, got, want);
}

bool t_eq_str(const char *got, const char *want, const char *what)
{
	return t_ok(t_streq(got, want), "%s: got \"%s\", want \"%s\"", what,
		    got ? got : "(null)", want);
}

bool t_contains(const char *haystack, const char *needle)
{
	return haystack && strstr(haystack, needle);
}

int t_done(void)
{
	printf("1..%u\n", t_count);
	if (t_failed)
		fprintf(stderr, "%u of %u checks failed\n", t_failed, t_count);
	return t_failed ? 1 : 0;
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "Bail out! %s %s: %s\n", what, path, strerror(errno));
	printf("Bail out! %s %s\n", what, path);
	exit(99);
}

char *t_tree_new(void)
{
	const char *tmp = getenv("TMPDIR");
	char buf[4096];
	char *root;

	snprintf(buf, sizeof(buf), "%s/ppccompat-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(buf))
		die("mkdtemp", buf);
	root = strdup(buf);
	if (!root)
		die("strdup", buf);
	return root;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void t_tree_free(char *root)
{
	if (nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0)
		die("remove", root);
	free(root);
}

static void mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			die("mkdir", path);
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die("mkdir", path);
}

void t_mkdir(const char *root, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	mkdir_p(path);
}

void t_write(const char *root, const char *rel, const void *data, size_t len)
{
	char path[4096];
	char *slash;
	int fd;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdir_p(path);
	*slash = '/';
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open", path);
	if (len && write(fd, data, len) != (ssize_t)len)
		die("write", path);
	close(fd);
}

void t_write_str(const char *root, const char *rel, const char *text)
{
	t_write(root, rel, text, strlen(text));
}

void t_write_strings(const char *root, const char *rel, const char *const *strings)
{
	char buf[1024];
	size_t len = 0;

	for (; *strings; strings++) {
		size_t n = strlen(*strings) + 1;

		memcpy(buf + len, *strings, n);
		len += n;
	}
	t_write(root, rel, buf, len);
}

void t_write_cell(const char *root, const char *rel, uint32_t value)
{
	unsigned char b[4] = { value >> 24, value >> 16, value >> 8, value };

	t_write(root, rel, b, sizeof(b));
}

void t_write_cpuinfo(const char *root, unsigned int threads, const char *cpu_name,
		     const char *revision, const char *platform, const char *model,
		     const char *machine)
{
	static char buf[1 << 20];
	size_t len = 0;
	int n;

	for (unsigned int i = 0; i < threads; i++) {
		n = snprintf(buf + len, sizeof(buf) - len,
			     "processor\t: %u\ncpu\t\t: %s, altivec supported\n"
			     "clock\t\t: 3000.000000MHz\nrevision\t: %s\n\n",
			     i, cpu_name, revision);
		if (n < 0 || (size_t)n >= sizeof(buf) - len)
			die("cpuinfo too big for", root);
		len += (size_t)n;
	}
	n = snprintf(buf + len, sizeof(buf) - len,
		     "timebase\t: 512000000\nplatform\t: %s\nmodel\t\t: %s\n"
		     "machine\t\t: %s\nMMU\t\t: Radix\n",
		     platform, model, machine);
	if (n < 0 || (size_t)n >= sizeof(buf) - len)
		die("cpuinfo too big for", root);
	t_write(root, "/proc/cpuinfo", buf, len + (size_t)n);
}

static const char *const p11_lpar_compat[] = { "IBM,9080-HEX", NULL };

const struct t_host t_p11_lpar_in_p10 = {
	.cpu_name = "POWER10 (architected)",
	.revision = "2.0 (pvr 0082 1200)",
	.platform = "pSeries",
	.model = "IBM,9080-HEX",
	.compatible = p11_lpar_compat,
	.powervm_markers = true,
	.node_prefix = "PowerPC,POWER11",
	.cpu_nodes = 3,
	.cpu_version = 0x0f000006,
};

void t_build_host(const char *root, const struct t_host *h)
{
	char machine[128];

	snprintf(machine, sizeof(machine), "%s %s",
		 !strcmp(h->platform, "PowerNV") ? "PowerNV" : "CHRP", h->model);
	t_write_cpuinfo(root, h->cpu_nodes * 2, h->cpu_name, h->revision, h->platform, h->model,
			machine);
	t_mkdir(root, "/proc/device-tree/cpus");
	if (h->compatible)
		t_write_strings(root, "/proc/device-tree/compatible", h->compatible);
	if (h->hypervisor) {
		const char *list[] = { h->hypervisor, NULL };

		t_write_strings(root, "/proc/device-tree/hypervisor/compatible", list);
	}
	if (h->os_release)
		t_write_str(root, "/proc/sys/kernel/osrelease", h->os_release);
	if (h->powervm_markers) {
		t_write(root, "/proc/device-tree/ibm,powervm-partition", "", 0);
		t_write_str(root, "/proc/device-tree/ibm,fw-net-version", "/ibm,fw-net-version");
	}
	for (unsigned int i = 0; i < h->cpu_nodes; i++) {
		char rel[256];
		const char *cpu[] = { "cpu", NULL };

		snprintf(rel, sizeof(rel), "/proc/device-tree/cpus/%s@%u/cpu-version",
			 h->node_prefix, i * 8);
		t_write_cell(root, rel, h->cpu_version);
		snprintf(rel, sizeof(rel), "/proc/device-tree/cpus/%s@%u/device_type",
			 h->node_prefix, i * 8);
		t_write_strings(root, rel, cpu);
	}
	{
		const char *cache[] = { "cache", NULL };

		t_write_strings(root, "/proc/device-tree/cpus/l2-cache@2010/device_type", cache);
	}
}

int t_probe(const char *root, struct ppccompat_host *host, struct ppccompat_error *err)
{
	struct ppccompat_probe_opts opts = { .sysroot = root, .flags = PPCCOMPAT_PROBE_NO_KVM };

	return ppccompat_probe(&opts, host, err);
}

int t_probe_cpuinfo(const char *text, struct ppccompat_host *host, struct ppccompat_error *err)
{
	char *root = t_tree_new();
	int ret;

	t_write_str(root, "/proc/cpuinfo", text);
	ret = t_probe(root, host, err);
	t_tree_free(root);
	return ret;
}

const char *t_error_line(const struct ppccompat_error *err)
{
	static char line[8192];

	ppccompat_error_format(err, line, sizeof(line));
	return line;
}
