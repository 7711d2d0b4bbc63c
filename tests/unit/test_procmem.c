// SPDX-License-Identifier: GPL-2.0
/*
 * The stress program's reading of /proc/buddyinfo, /proc/zoneinfo and
 * /proc/meminfo (lab/l1/procmem.c), on the host: the files as 6.1 and 7.3
 * print them for a 64 KiB-page ppc64le L1 (mm/vmstat.c frag_show_print()
 * and zoneinfo_show_print(), fs/proc/meminfo.c), and damaged ones.
 */
#include "procmem.h"
#include "testutil.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* 7.3: NR_PAGE_ORDERS columns, 9 with 64 KiB pages; "%6lu " each. */
static const char buddy_73[] =
	"Node 0, zone   Normal     11      3      2      0      1      0      1      0    56 \n"
	"Node 0, zone  Movable      0      0      0      0      0      0      0      0      0 \n";

/* 6.1: MAX_ORDER columns, 8 with 64 KiB pages; and no final newline here. */
static const char buddy_61[] =
	"Node 0, zone   Normal      5      1      0      0      0      0      0     30 ";

static long buddy(const char *text)
{
	return procmem_buddy_pages(text, strlen(text));
}

static void test_buddy(void)
{
	char line[PROCMEM_LINE_MAX + 40];

	/* 11 + 3*2 + 2*4 + 1*16 + 1*64 + 56*256 */
	T_EQ_INT(buddy(buddy_73), 11 + 6 + 8 + 16 + 64 + 56 * 256, "buddyinfo of 7.3: two zones");
	T_EQ_INT(buddy(buddy_61), 5 + 2 + 30 * 128, "buddyinfo of 6.1: 8 orders, no newline");
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
	T_EQ_INT(buddy("Node 0, zone   Normal  4611686018427387904 4611686018427387904\n"), -1,
		 "buddyinfo: a sum past a long");
	T_EQ_INT(procmem_buddy_pages("Node 0, zone   Normal  7\0 9\n", 27), -1,
		 "buddyinfo: a NUL inside a zone line");
	T_EQ_INT(procmem_buddy_pages(buddy_73, 21), -1,
		 "buddyinfo: cut after the zone's name");
	memset(line, ' ', sizeof(line));
	memcpy(line, "Node 0, zone   Normal  1", 24);
	line[sizeof(line) - 2] = '1';
	line[sizeof(line) - 1] = '\n';
	T_EQ_INT(procmem_buddy_pages(line, sizeof(line)), -1,
		 "buddyinfo: a zone line longer than PROCMEM_LINE_MAX");
}

/* 7.3's zoneinfo, cut to what the parser looks at and what may confuse it. */
static const char zone_73[] =
	"Node 0, zone   Normal\n"
	"  per-node stats\n"
	"      nr_inactive_anon 226\n"
	"      nr_free_pages 29066\n"
	"  pages free     29066\n"
	"        boost    0\n"
	"        min      360\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count:    252\n"
	"              high:     252\n"
	"              batch:    63\n"
	"              high_min: 69\n"
	"              high_max: 447\n"
	"  vm stats threshold: 24\n"
	"    cpu: 1\n"
	"              count:    15\n"
	"              high:     69\n"
	"              batch:    63\n"
	"              high_min: 69\n"
	"              high_max: 447\n"
	"  vm stats threshold: 24\n"
	"  node_unreclaimable:  0\n"
	"  start_pfn:           0\n"
	"Node 0, zone  Movable\n"
	"  pages free     0\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count:    0\n"
	"    cpu: 1\n"
	"              count:    0\n";

/* 6.1 aligns differently: "count: %i". */
static const char zone_61[] =
	"Node 0, zone   Normal\n"
	"  pages free     31000\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count: 40\n"
	"              high:  378\n"
	"              batch: 63\n"
	"    cpu: 1\n"
	"              count: 2\n";

static long pcp(const char *text)
{
	return procmem_pcp_pages(text, strlen(text));
}

static void test_pcp(void)
{
	T_EQ_INT(pcp(zone_73), 267, "zoneinfo of 7.3: count lines of two cpus and two zones");
	T_EQ_INT(pcp(zone_61), 42, "zoneinfo of 6.1");
	T_EQ_INT(pcp("Node 0, zone   Normal\n  pages free     5\n"), -1,
		 "zoneinfo: no per-cpu list");
	T_EQ_INT(pcp(""), -1, "zoneinfo: empty");
	T_EQ_INT(pcp("  count: many\n"), -1, "zoneinfo: a count that is no number");
	T_EQ_INT(pcp("  count: 5 pages\n"), -1, "zoneinfo: a count with junk after it");
	T_EQ_INT(pcp("  count: 9223372036854775807\n  count: 1\n"), -1,
		 "zoneinfo: a sum past a long");
	T_EQ_INT(pcp("  count: 9223372036854775808\n"), -1, "zoneinfo: a count past a long");
}

static const char meminfo_73[] =
	"MemTotal:        2097152 kB\n"
	"MemFree:         2023552 kB\n"
	"SUnreclaim:        12480 kB\n"
	"HugePages_Total:       0\n"
	"Hugepagesize:      16384 kB\n"
	"no colon here\n"
	":        5 kB\n"
	"Empty:\n"
	"AVeryLongMeminfoFieldNameIndeed:   7 kB\n";

static void test_meminfo(void)
{
	struct procmem_field f[8];
	int n = procmem_meminfo(meminfo_73, strlen(meminfo_73), f, 8);

	T_EQ_INT(n, 6, "meminfo: lines with a name and a number");
	if (n != 6)
		return;
	T_EQ_STR(f[0].name, "MemTotal", "meminfo: first name");
	T_EQ_INT(f[0].kb, 2097152, "meminfo: first number");
	T_EQ_STR(f[2].name, "SUnreclaim", "meminfo: SUnreclaim");
	T_EQ_INT(f[2].kb, 12480, "meminfo: SUnreclaim's number");
	T_EQ_STR(f[3].name, "HugePages_Total", "meminfo: a count without kB");
	T_EQ_INT(f[3].kb, 0, "meminfo: its number");
	T_EQ_INT(strlen(f[5].name), sizeof(f[5].name) - 1, "meminfo: a long name is cut");
	T_EQ_INT(f[5].kb, 7, "meminfo: a long name's number");
	T_EQ_INT(procmem_meminfo(meminfo_73, strlen(meminfo_73), f, 2), 2,
		 "meminfo: at most max fields");
	T_EQ_INT(procmem_meminfo("", 0, f, 8), 0, "meminfo: empty");
}

int main(void)
{
	test_buddy();
	test_pcp();
	test_meminfo();
	return t_done();
}
