// SPDX-License-Identifier: GPL-2.0
/*
 * The stress program's reading of /sys/kernel/debug/kmemleak
 * (lab/l1/kmemleak.c), on the host: reports in the forms mm/kmemleak.c's
 * print_unreferenced() prints on 6.1, 6.12 and 7.3, damaged ones, and who
 * allocated the objects listed.
 */
#include "kmemleak.h"
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct kmemleak_report r1;

/* 6.12 and later: "backtrace (crc ...)", one symbol a line. */
static const char report_612[] =
	"unreferenced object 0xc00000000a1b2c00 (size 128):\n"
	"  comm \"stress\", pid 131, jiffies 4294938561\n"
	"  hex dump (first 32 bytes):\n"
	"    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n"
	"    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n"
	"  backtrace (crc 2f0a1c55):\n"
	"    __kmalloc_cache_noprof+0x1c4/0x4b0\n"
	"    kvm_vm_ioctl_check_extension_generic+0x98/0x1d0\n"
	"    kvm_dev_ioctl+0x1a8/0xc40\n"
	"    sys_ioctl+0x5cc/0x1160\n"
	"    system_call_exception+0x1a4/0x3a0\n"
	"    system_call_vectored_common+0x15c/0x2ec\n"
	"unreferenced object 0xc00000000bbb0000 (size 64):\n"
	"  comm \"swapper/0\", pid 1, jiffies 4294937297\n"
	"  hex dump (first 32 bytes):\n"
	"    6b 76 6d 00 00 00 00 00 00 00 00 00 00 00 00 00  kvm.............\n"
	"    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n"
	"  backtrace (crc 0):\n"
	"    __kmalloc_noprof+0x2c8/0x6b0\n"
	"    of_get_property+0x24/0x40\n"
	"    do_one_initcall+0x80/0x3c0\n";

/* 6.1: "backtrace:" and "[<hashed pointer>] symbol". */
static const char report_61[] =
	"unreferenced object 0xc000000003f00e00 (size 256):\n"
	"  comm \"kworker/0:1\", pid 23, jiffies 4294939000\n"
	"  hex dump (first 32 bytes):\n"
	"    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n"
	"  backtrace:\n"
	"    [<00000000e0a73ec7>] kmem_cache_alloc_trace+0x1d4/0x3a0\n"
	"    [<000000000c5d2a46>] kvmppc_core_vcpu_create_hv+0x60/0x8d0\n";

/* 7.3 tags per-cpu and physical objects, whose hex dump it may leave out. */
static const char report_73[] =
	"unreferenced object (percpu) 0xc00000003fe10040 (size 8):\n"
	"  comm \"stress\", pid 140, jiffies 4294940100\n"
	"  hex dump (first 8 bytes on cpu 1):\n"
	"    00 00 00 00 00 00 00 00                          ........\n"
	"  backtrace (crc 0):\n"
	"    pcpu_alloc_noprof+0x6a0/0xc10\n"
	"unreferenced object (phys) 0x3e000000 (size 65536):\n"
	"  comm \"swapper/0\", pid 0, jiffies 4294937296\n"
	"  backtrace (crc 0):\n"
	"    memblock_alloc_range_nid+0x1b8/0x220\n";

/* Parses s exactly (no NUL at the end: a sanitizer sees any read past it). */
static int parse(const char *s, size_t len, struct kmemleak_report *r, size_t *bad)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	if (!copy)
		abort();
	memcpy(copy, s, len);
	*bad = 0;
	ret = kmemleak_parse(copy, len, r, bad);
	free(copy);
	return ret;
}

static void test_forms(void)
{
	const struct kmemleak_record *a = &r1.records[0], *b = &r1.records[1];
	size_t bad;

	T_EQ_INT(parse("", 0, &r1, &bad), 0, "an empty report parses");
	T_EQ_INT(r1.count, 0, "it holds no object");

	T_EQ_INT(parse(report_612, strlen(report_612), &r1, &bad), 0, "6.12's form parses");
	T_EQ_INT(r1.count, 2, "two objects");
	T_EQ_INT(r1.kept, 2, "both kept");
	T_EQ_U64(a->addr, 0xc00000000a1b2c00ull, "the first's address");
	T_EQ_U64(a->size, 128, "its size");
	T_EQ_STR(a->comm, "stress", "its task");
	T_EQ_INT(a->pid, 131, "its pid");
	T_EQ_U64(a->jiffies, 4294938561ull, "its jiffies");
	t_ok(a->kvm_frame, "a KVM function in its backtrace");
	t_ok(!b->kvm_frame, "none in the second's (\"kvm\" in its hex dump is no frame)");
	T_EQ_STR(b->comm, "swapper/0", "the second's task");
	T_EQ_INT(a->start, 0, "the first starts the text");
	T_EQ_INT(b->start, a->len, "the second follows it");
	T_EQ_INT(b->start + b->len, strlen(report_612), "and ends the text");
	t_ok(!strncmp(report_612 + b->start, "unreferenced object 0xc00000000bbb0000", 38),
	     "the second's span starts at its first line");

	/* the last line without its newline: as a read cut short would leave it */
	T_EQ_INT(parse(report_612, strlen(report_612) - 1, &r1, &bad), 0,
		 "a last line without its newline parses");
	T_EQ_INT(r1.records[1].start + r1.records[1].len, strlen(report_612) - 1,
		 "its span ends with the text");

	T_EQ_INT(parse(report_61, strlen(report_61), &r1, &bad), 0, "6.1's form parses");
	t_ok(r1.count == 1 && r1.records[0].kvm_frame, "its KVM frame is seen");
	T_EQ_STR(r1.records[0].comm, "kworker/0:1", "a kworker's name");

	T_EQ_INT(parse(report_73, strlen(report_73), &r1, &bad), 0, "7.3's tagged form parses");
	T_EQ_INT(r1.count, 2, "both tagged objects");
	T_EQ_U64(r1.records[0].addr, 0xc00000003fe10040ull, "the per-cpu object's address");
	T_EQ_U64(r1.records[1].size, 65536, "the physical one's size, without a hex dump");
}

static void test_comm(void)
{
	static const char tricky[] =
		"unreferenced object 0x10 (size 8):\n"
		"  comm \"a\", pid 9\", pid 42, jiffies 7\n";
	static const char aged[] =
		"unreferenced object 0x10 (size 8):\n"
		"  comm \"stress\", pid 42, jiffies 7 (age 12.345s)\n";
	static const char longname[] =
		"unreferenced object 0x10 (size 8):\n"
		"  comm \"0123456789012345678901234567890123456789012345678901234567890123456789\", "
		"pid 42, jiffies 7\n";
	size_t bad;

	T_EQ_INT(parse(tricky, strlen(tricky), &r1, &bad), 0, "a name with a quote and \", pid\"");
	T_EQ_STR(r1.records[0].comm, "a\", pid 9", "ends at the last \", pid \"");
	T_EQ_INT(r1.records[0].pid, 42, "whose pid follows");
	T_EQ_INT(parse(aged, strlen(aged), &r1, &bad), 0, "the age older kernels add parses");
	T_EQ_U64(r1.records[0].jiffies, 7, "the jiffies before it");
	T_EQ_INT(parse(longname, strlen(longname), &r1, &bad), 0, "a name longer than kept");
	T_EQ_INT(strlen(r1.records[0].comm), KMEMLEAK_COMM_MAX - 1, "is cut to the buffer");
}

/* Which backtrace lines are KVM's: its prefixes and modules, not mm's kv*alloc helpers. */
static void test_kvm_frames(void)
{
	static const struct {
		const char *frame;
		bool kvm;
	} cases[] = {
		{ "kvm_vm_ioctl+0xa2c/0x10bc", true },
		{ "kvmppc_core_vcpu_create_hv+0x60/0x8d0", true },
		{ "kvmhv_nested_init+0x10/0x20", true },
		{ "__kvm_set_memory_region+0x10/0x20", true },
		{ "[<000000000c5d2a46>] kvmppc_xive_free+0x10/0x20", true },
		{ "book3s_hv_entry+0x10/0x20 [kvm_hv]", true },
		{ "kvmalloc_node_noprof+0x8c/0x1c0", false },
		{ "kvmemdup+0x30/0x80", false },
		{ "__kvmalloc_node_noprof+0x8c/0x1c0", false },
		{ "[<000000000c5d2a46>] kvfree+0x30/0x80", false },
		{ "kvm_arch_hardware_enable+0x10/0x20 [kvm]", true },
		{ "kvmppc_book3s_init_pr+0x10/0x20 [kvm_pr]", true },
		{ "vsock_init+0x10/0x20 [kvmx]", false },
		{ "sys_ioctl+0x664/0x1248", false },
	};
	char text[256];
	size_t bad;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = snprintf(text, sizeof(text),
				 "unreferenced object 0x10 (size 8):\n  comm \"x\", pid 1, jiffies 2\n"
				 "  backtrace (crc 0):\n    %s\n", cases[i].frame);

		t_ok(!parse(text, (size_t)n, &r1, &bad) && r1.records[0].kvm_frame == cases[i].kvm,
		     "\"%s\" is %sKVM's", cases[i].frame, cases[i].kvm ? "" : "not ");
	}
}

static void test_bad(void)
{
	static const struct {
		const char *text;
		size_t line;
		const char *what;
	} cases[] = {
		{ "hello\n", 1, "a line before any record" },
		{ "unreferenced object 0x10:\n  comm \"x\", pid 1, jiffies 2\n", 1, "no size" },
		{ "unreferenced object 0x (size 8):\n", 1, "an address without digits" },
		{ "unreferenced object 0x10000000000000000 (size 8):\n", 1, "an address past 64 bits" },
		{ "unreferenced object 0x10 (size 8): extra\n", 1, "text after the first line" },
		{ "unreferenced object (per cpu) 0x10 (size 8):\n", 1, "a tag with a space" },
		{ "unreferenced object 0x10 (size 8):\n", 2, "the text ends before the comm line" },
		{ "unreferenced object 0x10 (size 8):\nunreferenced object 0x20 (size 8):\n", 2,
		  "a record without its comm line" },
		{ "unreferenced object 0x10 (size 8):\n  comm \"x\", jiffies 2\n", 2, "no pid" },
		{ "unreferenced object 0x10 (size 8):\n  comm \"x\", pid 99999999999, jiffies 2\n", 2,
		  "a pid past 32 bits" },
		{ "unreferenced object 0x10 (size 8):\n  comm \"x\", pid 1, jiffies 2 late\n", 2,
		  "text after the jiffies" },
		{ "unreferenced object 0x10 (size 8):\n  comm \"x\", pid 1, jiffies 2\n\n", 3,
		  "an empty line in a record" },
		{ "unreferenced object 0x10 (size 8):\n  comm \"x\", pid 1, jiffies 2\nkvm\n", 3,
		  "an unindented line in a record" },
	};
	size_t bad;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = parse(cases[i].text, strlen(cases[i].text), &r1, &bad);

		t_ok(ret == -EINVAL && bad == cases[i].line, "refused, line %zu: %s (got %d, line %zu)",
		     cases[i].line, cases[i].what, ret, bad);
	}
}

static void test_truncated(void)
{
	static const char rec[] = "unreferenced object 0x%x (size 8):\n"
				  "  comm \"stress\", pid 1, jiffies 2\n"
				  "  backtrace (crc 0):\n"
				  "    kvm_vm_ioctl+0x10/0x20\n";
	size_t n = KMEMLEAK_MAX_RECORDS + 3, cap = n * 128, len = 0, bad;
	char *text = malloc(cap);

	if (!text)
		abort();
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, rec, (unsigned int)(0x1000 + i));
	T_EQ_INT(parse(text, len, &r1, &bad), 0, "more records than kept parse");
	T_EQ_INT(r1.count, n, "all counted");
	T_EQ_INT(r1.kept, KMEMLEAK_MAX_RECORDS, "the first kept");
	t_ok(r1.truncated, "and the report says it was cut");
	free(text);
}

static void test_classify(void)
{
	/* A: this program's; B: a boot object; C: KVM's, allocated in a kworker; D: ours again */
	static const char text[] =
		"unreferenced object 0xa0 (size 8):\n  comm \"stress\", pid 5, jiffies 100\n"
		"unreferenced object 0xb0 (size 8):\n  comm \"swapper/0\", pid 1, jiffies 1\n"
		"  backtrace (crc 0):\n    of_get_property+0x24/0x40\n"
		"unreferenced object 0xc0 (size 8):\n  comm \"kworker/1:0\", pid 7, jiffies 300\n"
		"  backtrace (crc 0):\n    kvmppc_xive_free+0x10/0x20\n"
		"unreferenced object 0xd0 (size 8):\n  comm \"stress\", pid 6, jiffies 260\n";
	struct kmemleak_verdict v;
	size_t bad;

	if (!t_ok(!parse(text, strlen(text), &r1, &bad), "the report parses"))
		return;
	kmemleak_classify(&r1, "stress", &v);
	T_EQ_INT(v.ours, 3, "ours: this program's two objects and KVM's in a kworker");
	T_EQ_INT(v.others, 1, "others: the boot object");
	t_ok(v.first_ours && v.first_ours->addr == 0xa0, "the first of ours is the first listed");
	t_ok(v.first_other && v.first_other->addr == 0xb0, "the first other is the boot object");
	kmemleak_classify(&r1, "caps-fuzz", &v);
	t_ok(v.ours == 1 && v.first_ours && v.first_ours->addr == 0xc0,
	     "under another name only KVM's object is ours");
	T_EQ_INT(v.others, 3, "and the rest are others");
	T_EQ_INT(parse("", 0, &r1, &bad), 0, "an empty report");
	kmemleak_classify(&r1, "stress", &v);
	t_ok(v.ours == 0 && v.others == 0 && !v.first_ours && !v.first_other,
	     "has neither ours nor others");
}

int main(void)
{
	test_forms();
	test_comm();
	test_kvm_frames();
	test_bad();
	test_truncated();
	test_classify();
	return t_done();
}
