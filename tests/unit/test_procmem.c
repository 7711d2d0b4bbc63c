// SPDX-License-Identifier: GPL-2.0
/*
 * The stress program's reading of /proc/buddyinfo, /proc/zoneinfo and
 * /proc/meminfo (lab/l1/procmem.c), on the host: the files as the lab's
 * 64 KiB-page ppc64le L1s printed them on patched 6.1 and 7.3 (captured in
 * results 20261130T171844Z, now the fuzzer's corpus: argv[1]), and damaged
 * ones. The expected sums were worked out from the captures apart from the
 * parser (buddyinfo: blocks of order k times 2^k).
 */
#include "procmem.h"
#include "testutil.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char capture[64 * 1024];

/* A captured file of the corpus; its length, or -1 (and a failed line) if unreadable. */
static long captured(const char *dir, const char *name)
{
	char path[4096];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f) {
		n = fread(capture, 1, sizeof(capture), f);
		fclose(f);
	}
	if (!t_ok(f && n > 0 && n < sizeof(capture), "capture %s read", name))
		return -1;
	return (long)n;
}

static void test_captures(const char *dir)
{
	struct procmem_field f[80];
	long len;
	int n;

	/* 6.1 prints MAX_ORDER (9 here) columns, 7.3 NR_PAGE_ORDERS (9): "%6lu " each */
	if ((len = captured(dir, "buddyinfo-6.1")) >= 0)
		T_EQ_INT(procmem_buddy_pages(capture, (size_t)len), 31770, "buddyinfo of 6.1");
	if ((len = captured(dir, "buddyinfo-7.3")) >= 0)
		T_EQ_INT(procmem_buddy_pages(capture, (size_t)len), 31447, "buddyinfo of 7.3");
	/* "count: 9" and "count: 13" on 6.1; 7.3 aligns them: "count:    71" */
	if ((len = captured(dir, "zoneinfo-6.1")) >= 0)
		T_EQ_INT(procmem_pcp_pages(capture, (size_t)len), 22, "zoneinfo of 6.1");
	if ((len = captured(dir, "zoneinfo-7.3")) >= 0)
		T_EQ_INT(procmem_pcp_pages(capture, (size_t)len), 348, "zoneinfo of 7.3");
	if ((len = captured(dir, "meminfo-6.1")) >= 0) {
		n = procmem_meminfo(capture, (size_t)len, f, 80);
		T_EQ_INT(n, 43, "meminfo of 6.1: every line");
		if (n == 43) {
			T_EQ_STR(f[0].name, "MemTotal", "meminfo of 6.1: the first name");
			T_EQ_INT(f[0].kb, 2060864, "meminfo of 6.1: MemTotal");
		}
	}
	if ((len = captured(dir, "meminfo-7.3")) >= 0) {
		n = procmem_meminfo(capture, (size_t)len, f, 80);
		T_EQ_INT(n, 46, "meminfo of 7.3: every line");
		for (int i = 0; i < n; i++)
			if (!strcmp(f[i].name, "SUnreclaim"))
				T_EQ_INT(f[i].kb, 11712, "meminfo of 7.3: SUnreclaim");
		if (n == 46)
			T_EQ_STR(f[45].name, "DirectMap1G", "meminfo of 7.3: the last name");
	}
}

static long buddy(const char *text)
{
	return procmem_buddy_pages(text, strlen(text));
}

static void test_buddy(void)
{
	char line[PROCMEM_LINE_MAX + 40];

	/* two zones, the last line without its newline */
	T_EQ_INT(buddy("Node 0, zone   Normal  3  1  2\nNode 0, zone  Movable  0  4"), 3 + 2 + 8 + 8,
		 "buddyinfo: two zones, no final newline");
	T_EQ_INT(buddy(""), -1, "buddyinfo: empty");
	T_EQ_INT(buddy("garbage\nmore garbage\n"), -1, "buddyinfo: no zone line");
	T_EQ_INT(buddy("Node 0, zone   Normal\n"), -1, "buddyinfo: a zone without counts");
	T_EQ_INT(buddy("Node 0, Normal 1 2\n"), -1, "buddyinfo: no \"zone\"");
	T_EQ_INT(buddy("Node 0, zone   Normal  1  2x  3\n"), -1, "buddyinfo: a count with junk");
	T_EQ_INT(buddy("Node 0, zone   Normal  1  -2\n"), -1, "buddyinfo: a negative count");
	T_EQ_INT(buddy("Node 0, zone   Normal  99999999999999999999\n"), -1,
		 "buddyinfo: a count past a long");
	T_EQ_INT(buddy("Node 0, zone   Normal  0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
		       "0 0 0 0 0 0 0 0 1\n"),
		 -1, "buddyinfo: 34 orders");
	T_EQ_INT(buddy("Node 0, zone   Normal  0 0 4611686018427387904\n"), -1,
		 "buddyinfo: 2^62 blocks of order 2 overflow");
	T_EQ_INT(buddy("Node 0, zone   Normal  4611686018427387904 2305843009213693952\n"), -1,
		 "buddyinfo: a sum past a long, each order's pages within one");
	T_EQ_INT(procmem_buddy_pages("Node 0, zone   Normal  7\0 9\n", 27), -1,
		 "buddyinfo: a NUL inside a zone line");
	T_EQ_INT(procmem_buddy_pages("Node 0, zone   Normal  3  1", 21), -1,
		 "buddyinfo: cut after the zone's name");
	memset(line, ' ', sizeof(line));
	memcpy(line, "Node 0, zone   Normal  1", 24);
	line[sizeof(line) - 2] = '1';
	line[sizeof(line) - 1] = '\n';
	T_EQ_INT(procmem_buddy_pages(line, sizeof(line)), -1,
		 "buddyinfo: a zone line longer than PROCMEM_LINE_MAX");
}

/* text, blanks up to PROCMEM_LINE_MAX + 20 bytes, "junk\n", parsed by parse */
static long long_line(const char *text, long (*parse)(const char *, size_t))
{
	char line[PROCMEM_LINE_MAX + 25];

	memset(line, ' ', sizeof(line));
	memcpy(line, text, strlen(text));
	memcpy(line + sizeof(line) - 5, "junk\n", 5);
	return parse(line, sizeof(line));
}

static long pcp(const char *text)
{
	return procmem_pcp_pages(text, strlen(text));
}

static void test_pcp(void)
{
	/* lines that look alike ("nr_free_pages", "pages free") are not per-cpu lists */
	T_EQ_INT(pcp("      nr_free_pages 9\n  pages free 9\n    cpu: 0\n count: 4\n\tcount:\t5"), 9,
		 "zoneinfo: only \"count:\" lines, blanks or tabs, no final newline");
	T_EQ_INT(pcp("Node 0, zone   Normal\n  pages free     5\n"), -1,
		 "zoneinfo: no per-cpu list");
	T_EQ_INT(pcp(""), -1, "zoneinfo: empty");
	T_EQ_INT(pcp("  count: many\n"), -1, "zoneinfo: a count that is no number");
	T_EQ_INT(pcp("  count: 5 pages\n"), -1, "zoneinfo: a count with junk after it");
	T_EQ_INT(pcp("  count: 9223372036854775807\n  count: 1\n"), -1,
		 "zoneinfo: a sum past a long");
	T_EQ_INT(pcp("  count: 9223372036854775808\n"), -1, "zoneinfo: a count past a long");
	T_EQ_INT(long_line("  count: 5", procmem_pcp_pages), -1,
		 "zoneinfo: a count line longer than PROCMEM_LINE_MAX");
}

/* Made-up lines: of the kinds meminfo prints, and of kinds it does not. */
static const char meminfo_odd[] =
	"MemTotal:        2065152 kB\n"
	"MemFree:         2019264 kB\n"
	"SUnreclaim:        11712 kB\n"
	"HugePages_Total:       0\n"
	"Hugepagesize:      16384 kB\n"
	"no colon here\n"
	":        5 kB\n"
	"Empty:\n"
	"AVeryLongMeminfoFieldNameIndeed:   7 kB\n";

static void test_meminfo(void)
{
	static char long_text[PROCMEM_LINE_MAX + 35];
	struct procmem_field f[8];
	int n = procmem_meminfo(meminfo_odd, strlen(meminfo_odd), f, 8);

	T_EQ_INT(n, 6, "meminfo: lines with a name and a number");
	if (n != 6)
		return;
	T_EQ_STR(f[0].name, "MemTotal", "meminfo: first name");
	T_EQ_INT(f[0].kb, 2065152, "meminfo: first number");
	T_EQ_STR(f[2].name, "SUnreclaim", "meminfo: SUnreclaim");
	T_EQ_INT(f[2].kb, 11712, "meminfo: SUnreclaim's number");
	T_EQ_STR(f[3].name, "HugePages_Total", "meminfo: a count without kB");
	T_EQ_INT(f[3].kb, 0, "meminfo: its number");
	T_EQ_INT(strlen(f[5].name), sizeof(f[5].name) - 1, "meminfo: a long name is cut");
	T_EQ_INT(f[5].kb, 7, "meminfo: a long name's number");
	T_EQ_INT(procmem_meminfo(meminfo_odd, strlen(meminfo_odd), f, 2), 2,
		 "meminfo: at most max fields");
	T_EQ_INT(procmem_meminfo("", 0, f, 8), 0, "meminfo: empty");
	memset(long_text, ' ', sizeof(long_text));
	memcpy(long_text, "Long:  5", 8);
	memcpy(long_text + PROCMEM_LINE_MAX + 20, "\nMemFree: 6 kB\n", 15);
	n = procmem_meminfo(long_text, sizeof(long_text), f, 8);
	T_EQ_INT(n, 1, "meminfo: a line longer than PROCMEM_LINE_MAX is skipped");
	if (n == 1)
		T_EQ_STR(f[0].name, "MemFree", "meminfo: the line after it is read");
}

int main(int argc, char **argv)
{
	if (!t_ok(argc == 2, "usage: test_procmem CORPUS-DIR"))
		return t_done();
	test_captures(argv[1]);
	test_buddy();
	test_pcp();
	test_meminfo();
	return t_done();
}
