// SPDX-License-Identifier: GPL-2.0
/*
 * The per-object leak check of a debug kernel (lab/config/debug.config):
 * kmemleak, through /sys/kernel/debug/kmemleak, as
 * Documentation/dev-tools/kmemleak.rst ("Testing specific sections with
 * kmemleak") describes it: clear, do the work, scan, read.
 *
 * Two scans each time, because a scan reports no object it sees for the
 * first time. kmemleak_scan() greys, for one more scan, every unreferenced
 * object whose contents changed since the previous scan (update_checksum()),
 * and a new object's checksum starts at 0, so an object is reported only
 * once two scans in a row found it unreferenced and unchanged (read in 6.1,
 * 6.12 and 7.3; kmemleak.rst: "you may not get results instantly or on the
 * first scanning"). That is also the filter for pointers briefly held in a
 * register or on a stack. 7.3 can ask for more such scans
 * (min_unref_scans); it is held at 1 while this runs, the default of a
 * kernel without DEBUG_KMEMLEAK_VERBOSE (2 with it; it needs the scan
 * thread, which debug.config leaves out).
 *
 * Before the work: scan, scan, clear. clear forgets only what a scan has
 * reported (kmemleak_clear() greys the objects flagged OBJECT_REPORTED), and
 * without the scan thread nothing has scanned since boot.
 * After it: scan, scan, and one read of the report.
 *
 * Only objects this program allocated (kmemleak records the allocating
 * task's comm) or that KVM's code allocated (a KVM function in the
 * backtrace, whatever the task) fail the line: the rest of the kernel's
 * objects are counted and shown, as they are no leak of the code under test.
 * A leak in KVM's ioctl paths is allocated in this program's threads, with
 * KVM's functions in its backtrace: it matches both.
 */
#include "stress.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KMEMLEAK "/sys/kernel/debug/kmemleak"
#define MIN_UNREF "/sys/module/kmemleak/parameters/min_unref_scans"
/*
 * A scan of patched-6.12-debug's L1 (2 GiB, TCG) took 10-25 s under nested
 * pseries and 15-41 s on PowerNV at a load of 1.6-6 on the lab's two cores,
 * up to 62 s at 8-10 (doc/lab.md, "Debug kernels"); past this limit it is
 * interrupted (kmemleak_scan() stops at a pending signal) and the line
 * fails. Four scans at the limit and the run itself stay inside a debug
 * step's 365 s (lab/lib/labrun.py: boot_limits).
 */
#define SCAN_MAX_S 75
/* The report is a few hundred bytes per object; a bigger one is not read whole. */
#define REPORT_MAX (2u << 20)
/* Lines of a record printed as diagnostics: 16 frames, a hex dump, 4 more. */
#define RECORD_LINES_MAX 24

static volatile sig_atomic_t scan_expired;

static void on_scan_alarm(int sig)
{
	(void)sig; /* only here so that the signal interrupts the scan */
	scan_expired = 1;
}

/* Writes one command to path; 0 or -errno. */
static int put(const char *path, const char *cmd)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, cmd, strlen(cmd)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/*
 * One scan, at most SCAN_MAX_S: 0, -ETIMEDOUT or -errno; *took in seconds.
 * The caller is the only thread left, so the alarm can only come here.
 */
static int scan(double *took)
{
	struct sigaction sa = { .sa_handler = on_scan_alarm }, old_sa;
	sigset_t alrm, old_mask;
	double start = now_s();
	int err;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	scan_expired = 0;
	sigaction(SIGALRM, &sa, &old_sa);
	pthread_sigmask(SIG_UNBLOCK, &alrm, &old_mask);
	alarm(SCAN_MAX_S);
	err = put(KMEMLEAK, "scan");
	alarm(0);
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGALRM, &old_sa, NULL);
	*took = now_s() - start;
	return scan_expired ? -ETIMEDOUT : err;
}

/* The whole report, NUL-terminated, in a buffer to free; NULL with errno set. */
static char *read_report(size_t *len)
{
	size_t cap = 64 << 10;
	char *buf = malloc(cap + 1);
	int fd = open(KMEMLEAK, O_RDONLY | O_CLOEXEC), err = 0;
	ssize_t n;

	*len = 0;
	if (!buf || fd < 0) {
		err = buf ? errno : ENOMEM;
		goto fail;
	}
	while ((n = read(fd, buf + *len, cap - *len)) > 0) {
		*len += (size_t)n;
		if (*len == cap) {
			char *bigger;

			if (cap >= REPORT_MAX) {
				err = EFBIG;
				goto fail;
			}
			cap *= 2;
			bigger = realloc(buf, cap + 1);
			if (!bigger) {
				err = ENOMEM;
				goto fail;
			}
			buf = bigger;
		}
	}
	if (n < 0) {
		err = errno;
		goto fail;
	}
	close(fd);
	buf[*len] = '\0';
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	errno = err;
	return NULL;
}

static void broken(struct leak_watch *w, const char *what, int err)
{
	char errbuf[16];

	if (w->state == WATCH_BROKEN)
		return;
	w->state = WATCH_BROKEN;
	snprintf(w->why, sizeof(w->why), "%s: %s", what, tap_errno_r(err, errbuf));
}

void leak_watch_start(struct leak_watch *w)
{
	double took;
	char errbuf[16];
	int fd, err;

	memset(w, 0, sizeof(*w));
	if (access(KMEMLEAK, F_OK) < 0) {
		w->state = WATCH_ABSENT;
		snprintf(w->why, sizeof(w->why), "no " KMEMLEAK " (%s): no kmemleak in this kernel",
			 tap_errno_r(errno, errbuf));
		return;
	}
	w->state = WATCH_ARMED;
	fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, w->comm, sizeof(w->comm) - 1);

		w->comm[n > 0 ? n : 0] = '\0';
		w->comm[strcspn(w->comm, "\n")] = '\0';
		close(fd);
	}
	if (!w->comm[0])
		broken(w, "/proc/self/comm", EIO);
	/* debug.config builds it without the thread; a kernel built otherwise must not race us */
	err = put(KMEMLEAK, "scan=off");
	if (err)
		broken(w, KMEMLEAK " scan=off", -err);
	fd = open(MIN_UNREF, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, w->min_unref, sizeof(w->min_unref) - 1);

		close(fd);
		w->min_unref[n > 0 ? n : 0] = '\0';
		w->min_unref[strcspn(w->min_unref, "\n")] = '\0';
		if (!strcmp(w->min_unref, "1"))
			w->min_unref[0] = '\0';
		else if ((err = put(MIN_UNREF, "1")))
			broken(w, MIN_UNREF, -err);
	}
	for (int i = 1; i <= 2 && w->state != WATCH_BROKEN; i++) {
		char fact[64];

		err = scan(&took);
		snprintf(fact, sizeof(fact), "stress.kmemleak_scan_before%d_s", i);
		tap_fact(fact, "%.1f", took);
		if (err)
			broken(w, "a scan before the run", -err);
	}
	err = put(KMEMLEAK, "clear");
	if (err)
		broken(w, KMEMLEAK " clear", -err);
}

/* A record's lines, up to RECORD_LINES_MAX, as "# " notes. */
static void print_record(const char *text, const struct kmemleak_record *rec)
{
	const char *p = text + rec->start, *end = p + rec->len;

	for (int lines = 0; p < end && lines < RECORD_LINES_MAX; lines++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		int n = (int)((nl ? nl : end) - p);

		tap_note("kmemleak: %.*s", n, p);
		p += n + 1;
	}
}

void leak_watch_check(struct leak_watch *w, struct tap *tap)
{
	static struct kmemleak_report report;
	struct kmemleak_verdict v;
	char *text = NULL, what[64];
	size_t len, bad_line;

	if (w->state == WATCH_ABSENT) {
		tap_skip(tap, w->why, "kmemleak: no object this run allocated is left unreferenced");
		return;
	}
	for (int i = 1; i <= 2 && w->state == WATCH_ARMED; i++) {
		double took;
		char fact[64];
		int err = scan(&took);

		snprintf(fact, sizeof(fact), "stress.kmemleak_scan%d_s", i);
		tap_fact(fact, "%.1f", took);
		snprintf(what, sizeof(what), "scan %d after the run (%.0f s)", i, took);
		if (err)
			broken(w, what, -err);
	}
	if (w->state == WATCH_ARMED) {
		text = read_report(&len);
		if (!text)
			broken(w, "reading " KMEMLEAK, errno);
	}
	if (text && kmemleak_parse(text, len, &report, &bad_line) < 0) {
		snprintf(w->why, sizeof(w->why), KMEMLEAK ": line %zu is not of a report", bad_line);
		w->state = WATCH_BROKEN;
	} else if (text && report.truncated) {
		snprintf(w->why, sizeof(w->why), KMEMLEAK ": %zu objects, more than the %d read",
			 report.count, KMEMLEAK_MAX_RECORDS);
		w->state = WATCH_BROKEN;
	}
	if (w->min_unref[0]) {
		int err = put(MIN_UNREF, w->min_unref);

		if (err)
			broken(w, "restoring " MIN_UNREF, -err);
	}
	if (w->state == WATCH_BROKEN) {
		tap_check(tap, false, "kmemleak: no object this run allocated is left unreferenced "
			  "(not asked: %s)", w->why);
		free(text);
		return;
	}
	kmemleak_classify(&report, w->comm, &v);
	tap_fact("stress.kmemleak_ours", "%zu", v.ours);
	tap_fact("stress.kmemleak_others", "%zu", v.others);
	tap_check(tap, v.ours == 0,
		  "kmemleak: no object this run allocated is left unreferenced (%zu reported "
		  "after two scans: %zu allocated by %s or in KVM)",
		  v.ours + v.others, v.ours, w->comm);
	if (v.first_ours) {
		tap_note("kmemleak: the first of %zu:", v.ours);
		print_record(text, v.first_ours);
	}
	if (v.first_other) {
		tap_note("kmemleak: %zu of other tasks and code (no verdict), the first:", v.others);
		print_record(text, v.first_other);
	}
	free(text);
}
