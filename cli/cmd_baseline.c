// SPDX-License-Identifier: GPL-2.0
/*
 * ppccompat baseline REPORT.json...: the highest mode every host of a
 * migration pool allows, from the hosts' `ppccompat --json` reports, and,
 * when they share none, the report that left the pool empty.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "json_out.h"
#include "report.h"
#include "vmm_config.h"

/*
 * Whole report into a malloc'd buffer, bounded by the JSON reader's own limit.
 * A report is a regular file or a pipe (`<(...)`, /dev/stdin). It is opened
 * O_NONBLOCK so that a named FIFO with no writer cannot hang the open; once
 * fstat(2) has shown a file or a pipe, reads block again, so that a pipe whose
 * writer is still producing is read whole. A FIFO without a writer reads as
 * empty. Devices and sockets are refused before open(2), so no driver runs.
 */
static int read_fd(const char *path, int fd, char **text, size_t *len)
{
	size_t cap = PPCCOMPAT_MAX_JSON_SIZE + 1, n = 0;

	*text = malloc(cap);
	if (!*text)
		return cli_error("%s: out of memory", path);
	while (n < cap) {
		ssize_t got = read(fd, *text + n, cap - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;

			free(*text);
			*text = NULL;
			return cli_error("%s: cannot read: %s", path, strerror(e));
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n == cap) {
		free(*text);
		*text = NULL;
		return cli_error("%s: larger than %u bytes: not a ppccompat report", path,
				 PPCCOMPAT_MAX_JSON_SIZE);
	}
	*len = n;
	return EXIT_YES;
}

/*
 * Whole report into a malloc'd buffer, bounded by the JSON reader's own limit.
 * "-" is standard input. A report is a regular file or a pipe (`<(...)`,
 * /dev/stdin). It is opened O_NONBLOCK so that a named FIFO with no writer
 * cannot hang the open; once fstat(2) has shown a file or a pipe, reads block
 * again, so that a pipe whose writer is still producing is read whole. A FIFO
 * without a writer reads as empty. Devices and sockets are refused before
 * open(2), so no driver runs. *st identifies the file, for duplicates.
 */
static int read_report(const char *path, char **text, size_t *len, struct stat *st)
{
	int fd, flags, rc;

	if (!strcmp(path, "-")) {
		if (fstat(STDIN_FILENO, st) < 0)
			return cli_error("-: cannot read standard input: %s", strerror(errno));
		return read_fd("-", STDIN_FILENO, text, len);
	}
	if (stat(path, st) < 0)
		return cli_error("%s: cannot open: %s", path, strerror(errno));
	if (S_ISDIR(st->st_mode))
		return cli_error("%s: cannot read: %s", path, strerror(EISDIR));
	if (!S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode))
		return cli_error("%s: cannot read: not a regular file or a pipe", path);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return cli_error("%s: cannot open: %s", path, strerror(errno));
	/* the path may have changed between stat(2) and open(2) */
	if (fstat(fd, st) < 0 || (!S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode))) {
		close(fd);
		return cli_error("%s: cannot read: not a regular file or a pipe", path);
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		int e = errno;

		close(fd);
		return cli_error("%s: cannot read: %s", path, strerror(e));
	}
	rc = read_fd(path, fd, text, len);
	close(fd);
	return rc;
}

/* One report given to baseline, and what it is to the others. */
struct pool_report {
	const char *path;
	char *shown; /* path for a terminal: control characters as \xHH */
	char *text;
	size_t len;
	struct stat st;
	struct ppccompat_report r;
	/* a report of a host already counted: the index of the first, else SIZE_MAX */
	size_t same_as;
	bool identical; /* ... byte for byte, or the very same file */
};

static int load(struct pool_report *p)
{
	struct ppccompat_error err = { 0 };
	char msg[CLI_VISIBLE_SIZE(sizeof(p->r.error_message))];
	int rc = read_report(p->path, &p->text, &p->len, &p->st);

	if (rc != EXIT_YES)
		return rc;
	memset(&p->r, 0, sizeof(p->r));
	rc = ppccompat_report_parse_json(p->text, p->len, &p->r, &err);
	/* another command's output: named by its command, as check's is below */
	if (rc < 0 && !strcmp(err.field, "allowed_modes") && p->r.command[0] &&
	    strcmp(p->r.command, "show"))
		rc = 0;
	if (rc < 0) {
		snprintf(err.path, sizeof(err.path), "%s", p->path);
		return cli_library_error(&err);
	}
	if (p->r.error)
		return cli_error("%s: error: the report of a failed run, not a host's answer%s%s",
				 p->path, p->r.error_message[0] ? ": " : "",
				 cli_visible(msg, sizeof(msg), p->r.error_message));
	/*
	 * Only a host report says what a host allows: the allowed_modes of a
	 * `check` answer are there too, but a file of any other format could
	 * mean something else by the same key.
	 */
	if (strcmp(p->r.command, "show"))
		return cli_error("%s: command: %s%s%s: not a report of `ppccompat --json` (show)",
				 p->path, p->r.command[0] ? "\"" : "",
				 p->r.command[0] ? p->r.command : "missing",
				 p->r.command[0] ? "\"" : "");
	if (p->r.format_version == 0)
		return cli_error("%s: format_version: missing: not a report of `ppccompat --json` "
				 "(show), which writes format %d",
				 p->path, REPORT_FORMAT_VERSION);
	if (p->r.format_version != REPORT_FORMAT_VERSION)
		return cli_error("%s: format_version: %u: this ppccompat reads format %d only",
				 p->path, p->r.format_version, REPORT_FORMAT_VERSION);
	return EXIT_YES;
}

/*
 * A host counts once. The same file, or the same bytes, is one host given
 * twice (reports carry no time, so two runs on one host give the same
 * bytes; hosts alike but distinct differ in their hostname, which a live
 * report carries). The same hostname with the same modes is one host too;
 * with other modes it is two answers for one host, and which one holds is
 * not baseline's to guess.
 */
static int find_duplicates(struct pool_report *reps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		reps[i].same_as = SIZE_MAX;
		for (size_t j = 0; j < i && reps[i].same_as == SIZE_MAX; j++) {
			const struct pool_report *a = &reps[j], *b = &reps[i];
			char host[CLI_VISIBLE_SIZE(sizeof(b->r.hostname))];

			if (a->same_as != SIZE_MAX)
				continue;
			if ((S_ISREG(a->st.st_mode) && a->st.st_dev == b->st.st_dev &&
			     a->st.st_ino == b->st.st_ino) ||
			    (a->len == b->len && !memcmp(a->text, b->text, a->len))) {
				reps[i].same_as = j;
				reps[i].identical = true;
			} else if (a->r.hostname[0] && !strcmp(a->r.hostname, b->r.hostname)) {
				if (a->r.allowed_modes != b->r.allowed_modes)
					return cli_error(
						"%s: hostname: \"%s\" again (as in %s), with other "
						"modes: give one report per host",
						b->path,
						cli_visible(host, sizeof(host), b->r.hostname),
						a->path);
				reps[i].same_as = j;
			}
		}
	}
	return EXIT_YES;
}

/*
 * The report, in the order given, after which the pool had no mode left;
 * *before gets what the reports before it still shared. n if none did.
 */
static size_t emptied_by(const struct pool_report *reps, size_t n, uint32_t *before)
{
	uint32_t common = PPCCOMPAT_MODES_ALL;

	for (size_t i = 0; i < n; i++) {
		if (reps[i].same_as != SIZE_MAX)
			continue;
		if (!(common & reps[i].r.allowed_modes)) {
			*before = common;
			return i;
		}
		common &= reps[i].r.allowed_modes;
	}
	return n;
}

/*
 * The weakest evidence among the reports, those of a host already counted
 * included: two reports of one host count once for the modes, but the
 * weaker of them is what the answer rests on.
 */
static enum ppccompat_evidence weakest(const struct pool_report *reps, size_t n, bool *all_same)
{
	enum ppccompat_evidence low = PPCCOMPAT_EVIDENCE_CERTAIN, high = PPCCOMPAT_EVIDENCE_NONE;

	for (size_t i = 0; i < n; i++) {
		if (reps[i].r.evidence < low)
			low = reps[i].r.evidence;
		if (reps[i].r.evidence > high)
			high = reps[i].r.evidence;
	}
	*all_same = low == high;
	return low;
}

/* Notes a guest's host must act on for the baseline mode to run there. */
#define CONDITION_NOTES PPCCOMPAT_NOTE_SMT_ON

static void print_text(const struct pool_report *reps, size_t n, size_t hosts, uint32_t common,
		       enum ppccompat_mode best, size_t culprit, uint32_t before)
{
	char machine[64], host[CLI_VISIBLE_SIZE(sizeof(reps->r.hostname))];
	bool same;
	enum ppccompat_evidence ev = weakest(reps, n, &same);
	unsigned int listed = 0;

	printf("%-17s %zu\n", "Hosts:", hosts);
	for (size_t i = 0; i < n; i++) {
		const struct pool_report *p = &reps[i];

		if (p->same_as == SIZE_MAX)
			continue;
		if (p->identical)
			printf("%-17s %s: identical to %s: one host given twice, counted once\n",
			       "Duplicate:", p->shown, reps[p->same_as].shown);
		else
			printf("%-17s %s: host \"%s\" again (as in %s), counted once\n",
			       "Duplicate:", p->shown,
			       cli_visible(host, sizeof(host), p->r.hostname),
			       reps[p->same_as].shown);
	}
	printf("%-17s ", "Common modes:");
	cli_print_modes(stdout, common, ", ");
	putchar('\n');
	printf("%-17s %s (", "Evidence:", ppccompat_evidence_name(ev));
	if (same) {
		fputs(n == 1 ? "the one report" : "every report", stdout);
	} else {
		fputs("the weakest: ", stdout);
		for (size_t i = 0; i < n; i++) {
			if (reps[i].r.evidence != ev)
				continue;
			if (listed++ == 3) {
				fputs(", ...", stdout);
				break;
			}
			printf("%s%s", listed > 1 ? ", " : "", reps[i].shown);
		}
	}
	fputs(")\n", stdout);
	for (size_t i = 0; i < n; i++) {
		unsigned int cond = reps[i].r.notes & CONDITION_NOTES;

		if (reps[i].same_as != SIZE_MAX)
			continue;
		for (unsigned int bit = 1; cond && bit & PPCCOMPAT_NOTES_ALL; bit <<= 1)
			if (cond & bit)
				printf("%-17s %s: %s\n", "Condition:", reps[i].shown,
				       ppccompat_note_string(bit));
	}
	if (best == PPCCOMPAT_MODE_NONE) {
		printf("%-17s none: the hosts share no compatibility mode\n", "Baseline:");
		if (culprit < n) {
			printf("%-17s %s, which allows ", "Emptied by:", reps[culprit].shown);
			cli_print_modes(stdout, reps[culprit].r.allowed_modes, ", ");
			if (before != PPCCOMPAT_MODES_ALL) {
				printf("; the reports before it share ");
				cli_print_modes(stdout, before, ", ");
			}
			putchar('\n');
		}
		return;
	}
	printf("%-17s %s\n", "Baseline:", ppccompat_mode_name(best));
	if (vmm_qemu_machine(vmm_compat_name(best, NULL), machine, sizeof(machine)) >= 0)
		printf("%-17s -machine %s\n", "  QEMU:", machine);
}

static void print_json(const struct pool_report *reps, size_t n, size_t hosts, uint32_t common,
		       enum ppccompat_mode best, size_t culprit)
{
	struct json_out j;
	bool same;

	json_begin(&j, stdout);
	json_object_open(&j, NULL);
	json_string(&j, "command", "baseline");
	json_array_open(&j, "reports");
	for (size_t i = 0; i < n; i++)
		json_string(&j, NULL, reps[i].path);
	json_array_close(&j);
	json_uint(&j, "hosts", hosts);
	json_array_open(&j, "duplicates");
	for (size_t i = 0; i < n; i++) {
		if (reps[i].same_as == SIZE_MAX)
			continue;
		json_object_open(&j, NULL);
		json_string(&j, "report", reps[i].path);
		json_string(&j, "same_as", reps[reps[i].same_as].path);
		json_string(&j, "reason", reps[i].identical ? "identical" : "same-host");
		json_object_close(&j);
	}
	json_array_close(&j);
	json_modes(&j, "common_modes", common);
	json_mode(&j, "baseline_mode", best);
	json_string(&j, "evidence", ppccompat_evidence_name(weakest(reps, n, &same)));
	json_array_open(&j, "conditions");
	for (size_t i = 0; i < n; i++) {
		unsigned int cond = reps[i].r.notes & CONDITION_NOTES;

		if (reps[i].same_as != SIZE_MAX)
			continue;
		for (unsigned int bit = 1; cond && bit & PPCCOMPAT_NOTES_ALL; bit <<= 1) {
			if (!(cond & bit))
				continue;
			json_object_open(&j, NULL);
			json_string(&j, "report", reps[i].path);
			json_string(&j, "note", ppccompat_note_name(bit));
			json_object_close(&j);
		}
	}
	json_array_close(&j);
	json_string(&j, "emptied_by", culprit < n ? reps[culprit].path : NULL);
	json_object_close(&j);
	json_end(&j);
}

int cmd_baseline(const struct cli *cli)
{
	size_t n = (size_t)cli->n_operands, culprit = n, hosts = 0, k = 0;
	struct pool_report *reps = calloc(n, sizeof(*reps));
	uint32_t *sets = calloc(n, sizeof(*sets));
	uint32_t common = 0, before = 0;
	enum ppccompat_mode best = PPCCOMPAT_MODE_NONE;
	int rc = EXIT_YES;

	if (!reps || !sets) {
		free(reps);
		free(sets);
		return cli_error("baseline: out of memory");
	}
	for (size_t i = 0, stdin_seen = 0; i < n && rc == EXIT_YES; i++) {
		size_t size = CLI_VISIBLE_SIZE(strlen(cli->operands[i]));

		reps[i].path = cli->operands[i];
		reps[i].shown = malloc(size);
		if (!reps[i].shown) {
			rc = cli_error("baseline: out of memory");
			break;
		}
		cli_visible(reps[i].shown, size, reps[i].path);
		/* the second read would find it empty */
		if (!strcmp(reps[i].path, "-") && stdin_seen++)
			rc = cli_error_at(PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL,
					  "baseline: -: standard input given twice");
	}
	for (size_t i = 0; i < n && rc == EXIT_YES; i++)
		rc = load(&reps[i]);
	if (rc == EXIT_YES)
		rc = find_duplicates(reps, n);
	if (rc == EXIT_YES) {
		int err;

		for (size_t i = 0; i < n; i++)
			if (reps[i].same_as == SIZE_MAX)
				sets[k++] = reps[i].r.allowed_modes;
		hosts = k;
		err = ppccompat_baseline(sets, k, &common, &best);
		if (err < 0 && err != PPCCOMPAT_ERR_NO_COMMON_MODE)
			rc = cli_error("baseline: %s", ppccompat_strerror(err));
		culprit = emptied_by(reps, n, &before);
	}
	if (rc == EXIT_YES) {
		if (cli->json)
			print_json(reps, n, hosts, common, best, culprit);
		else
			print_text(reps, n, hosts, common, best, culprit, before);
	}
	for (size_t i = 0; i < n; i++) {
		free(reps[i].text);
		free(reps[i].shown);
	}
	free(reps);
	free(sets);
	if (rc != EXIT_YES)
		return rc;
	return best == PPCCOMPAT_MODE_NONE ? EXIT_NO : EXIT_YES;
}
