/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report /sys/kernel/debug/kmemleak gives when read, as mm/kmemleak.c
 * prints it (print_unreferenced(); 6.1 to 7.3 alike, but for the backtrace
 * header and the "(percpu)"/"(phys)" tag 7.x adds to the first line):
 *
 *   unreferenced object 0xc000000012345678 (size 64):
 *     comm "stress", pid 123, jiffies 4294937296
 *     hex dump (first 32 bytes):
 *       00 00 00 00 ...
 *     backtrace (crc 5a5a5a5a):
 *       kmalloc_trace_noprof+0x3c/0x90
 *       kvm_vm_ioctl+0x1234/0x2000
 *
 * Pure functions of the text: the stress program reads the file, the host's
 * unit test feeds them captured and damaged reports.
 */
#ifndef PPCCOMPAT_LAB_KMEMLEAK_H
#define PPCCOMPAT_LAB_KMEMLEAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Records kept per report: more are counted, not kept (kmemleak_report.truncated). */
#define KMEMLEAK_MAX_RECORDS 512
/* task_struct's comm is 16 bytes with its NUL (TASK_COMM_LEN); longer names are cut. */
#define KMEMLEAK_COMM_MAX 64

/* One "unreferenced object" record. */
struct kmemleak_record {
	uint64_t addr;
	uint64_t size;
	uint64_t jiffies;       /* when it was allocated */
	long pid;
	char comm[KMEMLEAK_COMM_MAX];
	bool kvm_frame;         /* a backtrace line is KVM's: kvm_*, kvmppc_*, kvmhv_*, [kvm*] */
	size_t start, len;      /* its lines in the parsed text, the last newline included */
};

struct kmemleak_report {
	size_t count;           /* records in the text */
	size_t kept;            /* the first of them, in records[] */
	bool truncated;         /* count > kept */
	struct kmemleak_record records[KMEMLEAK_MAX_RECORDS];
};

/*
 * Parses len bytes of text (no NUL needed) into *r. 0, or -EINVAL with the
 * 1-based number of the first line that is not of the form above in *bad_line
 * (a record's first two lines are read field by field; the hex dump and the
 * backtrace only for KVM's functions). An empty text is a report of no object.
 */
int kmemleak_parse(const char *text, size_t len, struct kmemleak_report *r, size_t *bad_line);

/* Who allocated the objects of a report. */
struct kmemleak_verdict {
	size_t ours;    /* a task named comm, or a KVM function in the backtrace */
	size_t others;
	const struct kmemleak_record *first_ours, *first_other; /* in the report, or NULL */
};

/* Splits the records r kept into ours and others (see kmemleak_verdict). */
void kmemleak_classify(const struct kmemleak_report *r, const char *comm,
		       struct kmemleak_verdict *v);

#endif
