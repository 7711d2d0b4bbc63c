// SPDX-License-Identifier: GPL-2.0
/*
 * ppccompat capture OUT.tar: archive exactly the files and directories the
 * probe read, so that `ppccompat --sysroot DIR` on the unpacked archive gives
 * the same answer. The list comes from the probe's observe hook, not from a
 * list kept here, so the two can never drift apart. OUT may be "-" for
 * standard output; an existing OUT is replaced only with --force.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "json_out.h"
#include "ustar.h"

struct observed {
	char **paths; /* relative to the sysroot, without the leading '/' */
	size_t n, cap;
	bool out_of_memory;
};

static bool seen(const struct observed *o, const char *path)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->paths[i], path) == 0)
			return true;
	return false;
}

static void remember(struct observed *o, const char *path)
{
	if (seen(o, path) || o->out_of_memory)
		return;
	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 64;
		char **grown = realloc(o->paths, cap * sizeof(*grown));

		if (!grown) {
			o->out_of_memory = true;
			return;
		}
		o->paths = grown;
		o->cap = cap;
	}
	o->paths[o->n] = strdup(path);
	if (!o->paths[o->n])
		o->out_of_memory = true;
	else
		o->n++;
}

/* What the probe could not open is not archived: its absence is the capture. */
static void observe(void *ctx, const char *path, int result)
{
	while (*path == '/')
		path++;
	if (result == 0 && *path)
		remember(ctx, path);
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every ancestor directory too, so the archive unpacks the same with any tar. */
static void add_ancestors(struct observed *o)
{
	size_t n = o->n;

	for (size_t i = 0; i < n; i++) {
		char dir[PPCCOMPAT_PATH_MAX];

		snprintf(dir, sizeof(dir), "%s", o->paths[i]);
		for (char *slash = strrchr(dir, '/'); slash; slash = strrchr(dir, '/')) {
			*slash = '\0';
			remember(o, dir);
		}
	}
}

/*
 * Each entry is read again through the library, as the probe read it: inside
 * the sysroot, regular files and directories only, the probe's bounds. A
 * file the probe could read but that is now something else is an error,
 * never a hang or a file from outside the tree.
 */
static int archive_one(int fd, const char *sysroot, const char *path, char *buf,
		       size_t size, const char *out_name, bool *archived)
{
	char abs[PPCCOMPAT_PATH_MAX];
	struct ppccompat_error err = { 0 };
	size_t len = 0;
	int type, rc;

	*archived = false;
	snprintf(abs, sizeof(abs), "/%s", path);
	type = ppccompat_read_host_file(sysroot, abs, buf, size, &len, &err);
	if (type < 0)
		return cli_library_error(&err);
	rc = type == PPCCOMPAT_FILE_DIRECTORY ? ustar_add_dir(fd, path)
					      : ustar_add_file(fd, path, buf, len);
	if (rc == -ENAMETOOLONG)
		return cli_error_at(PPCCOMPAT_ERR_NAME_TOO_LONG, ENAMETOOLONG, path, NULL,
				    "capture: %s: name too long for a tar archive", path);
	if (rc < 0)
		return cli_file_error("capture", out_name, -rc);
	*archived = true;
	return EXIT_YES;
}

/* Every observed path that is a file or a directory; added[i] says which were. */
static int write_entries(int fd, const char *out_name, const char *sysroot,
			 const struct observed *o, bool *added, size_t *archived)
{
	/* one buffer for every file: the largest bound is /proc/cpuinfo's */
	size_t size = PPCCOMPAT_MAX_CPUINFO_SIZE;
	char *buf = malloc(size);
	int rc = EXIT_YES, err;

	if (!buf)
		return cli_error("capture: out of memory");
	for (size_t i = 0; i < o->n && rc == EXIT_YES; i++) {
		rc = archive_one(fd, sysroot, o->paths[i], buf, size, out_name, &added[i]);
		*archived += added[i];
	}
	free(buf);
	if (rc == EXIT_YES && (err = ustar_finish(fd)) < 0)
		rc = cli_file_error("capture", out_name, -err);
	return rc;
}

/* out's directory, "." for a bare name. */
static void parent_dir(const char *out, char *dir, size_t size)
{
	const char *slash = strrchr(out, '/');

	if (!slash)
		snprintf(dir, size, ".");
	else if (slash == out)
		snprintf(dir, size, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - out), out);
}

/*
 * Put the finished temporary file at out. Without --force an out that
 * appeared meanwhile is left alone: RENAME_NOREPLACE, or link(2) where the
 * file system does not support it; both fail with EEXIST atomically.
 */
static int move_into_place(const char *tmp, const char *out, bool force)
{
	if (force)
		return rename(tmp, out) < 0 ? -errno : 0;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	if (link(tmp, out) < 0)
		return -errno;
	unlink(tmp);
	return 0;
}

/*
 * The archive goes to a temporary file next to out and is renamed into
 * place only when complete, so a failed or interrupted capture never leaves
 * half an archive under out's name, and never touches what was there. The
 * only file ever removed is that temporary file, which this run created.
 */
static int write_archive_file(const struct cli *cli, const struct observed *o, bool *added,
			      size_t *archived)
{
	const char *out = cli->operands[0];
	char dir[PPCCOMPAT_PATH_MAX], tmp[PPCCOMPAT_PATH_MAX + 32];
	mode_t mask = umask(0);
	int fd, rc, err;

	umask(mask);
	parent_dir(out, dir, sizeof(dir));
	if (snprintf(tmp, sizeof(tmp), "%s/.ppccompat-capture.XXXXXX", dir) >= (int)sizeof(tmp))
		return cli_error_at(PPCCOMPAT_ERR_NAME_TOO_LONG, ENAMETOOLONG, out, NULL,
				    "capture: %s: name too long", out);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return cli_error_at(errno == ENOSPC ? PPCCOMPAT_ERR_NOSPACE : PPCCOMPAT_ERR_IO,
				    errno, out, NULL, "capture: %s: cannot create a file in %s: %s",
				    out, dir, strerror(errno));
	/* mkostemp makes 0600; the archive gets what any new file would */
	if (fchmod(fd, 0666 & ~mask) < 0)
		rc = cli_file_error("capture", out, errno);
	else
		rc = write_entries(fd, out, cli->sysroot, o, added, archived);
	if (rc == EXIT_YES && fsync(fd) < 0)
		rc = cli_file_error("capture", out, errno);
	if (close(fd) < 0 && rc == EXIT_YES)
		rc = cli_file_error("capture", out, errno);
	if (rc == EXIT_YES && (err = move_into_place(tmp, out, cli->force)) < 0)
		rc = err == -EEXIST
			     ? cli_error("capture: %s: appeared while capturing; left as it is "
					 "(--force replaces it)", out)
			     : cli_file_error("capture", out, -err);
	if (rc != EXIT_YES)
		unlink(tmp);
	return rc;
}

/* A refusal before any work: out is there and --force does not say to replace it. */
static int check_target(const struct cli *cli)
{
	const char *out = cli->operands[0];
	struct stat st;

	if (!strcmp(out, "-")) {
		if (cli->json)
			return cli_error_at(PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL,
					    "capture: --json and '-' would both write to standard "
					    "output");
		if (isatty(STDOUT_FILENO))
			return cli_error("capture: standard output is a terminal; redirect it "
					 "or name a file");
		return EXIT_YES;
	}
	if (lstat(out, &st) < 0)
		return errno == ENOENT ? EXIT_YES : cli_file_error("capture", out, errno);
	if (S_ISDIR(st.st_mode))
		return cli_error("capture: %s: is a directory", out);
	if (!cli->force)
		return cli_error("capture: %s: exists; --force replaces it", out);
	if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
		return cli_error("capture: %s: not a regular file; not replaced even with --force",
				 out);
	return EXIT_YES;
}

static void print_result(const struct cli *cli, const struct observed *o, const bool *added,
			 size_t archived, const char *probe_msg)
{
	const char *out = cli->operands[0];
	char msg[CLI_VISIBLE_SIZE(PPCCOMPAT_PATH_MAX + 512)];

	cli_visible(msg, sizeof(msg), probe_msg);
	if (!strcmp(out, "-")) {
		/* standard output is the archive: the one remark left goes to stderr */
		if (probe_msg[0])
			fprintf(stderr, "ppccompat: capture: the probe failed, the archive holds "
					"what it read: %s\n", msg);
		return;
	}
	if (!cli->json) {
		char *shown = malloc(CLI_VISIBLE_SIZE(strlen(out)));

		/* the user's file name, as the host's strings: control characters as \xHH */
		if (shown)
			cli_visible(shown, CLI_VISIBLE_SIZE(strlen(out)), out);
		printf("%s: %zu entries\n", shown ? shown : "(archive)", archived);
		free(shown);
		if (probe_msg[0])
			printf("the probe failed, the archive holds what it read: %s\n", msg);
		return;
	}

	struct json_out j;

	json_begin(&j, stdout);
	json_object_open(&j, NULL);
	json_string(&j, "command", "capture");
	json_string(&j, "archive", out);
	json_array_open(&j, "entries");
	for (size_t i = 0; i < o->n; i++)
		if (added[i])
			json_string(&j, NULL, o->paths[i]);
	json_array_close(&j);
	json_string(&j, "probe_error", probe_msg[0] ? probe_msg : NULL);
	json_object_close(&j);
	json_end(&j);
}

int cmd_capture(const struct cli *cli)
{
	struct observed o = { 0 };
	struct ppccompat_probe_opts opts = {
		.sysroot = cli->sysroot,
		/* The archive replays files only; KVM's answer cannot be captured. */
		.flags = PPCCOMPAT_PROBE_NO_KVM,
		.observe = observe,
		.observe_ctx = &o,
	};
	struct ppccompat_host host;
	struct ppccompat_error probe_err = { 0 };
	char probe_msg[PPCCOMPAT_PATH_MAX + 512] = "";
	struct stat root;
	bool *added = NULL;
	size_t archived = 0;
	int rc = EXIT_YES;

	rc = check_target(cli);
	if (rc != EXIT_YES)
		return rc;
	/* A tree that is not there has nothing to capture, unlike a host whose files are bad. */
	if (cli->sysroot && stat(cli->sysroot, &root) < 0)
		return cli_error("capture: %s: %s", cli->sysroot, strerror(errno));
	if (cli->sysroot && !S_ISDIR(root.st_mode))
		return cli_error("capture: %s: %s", cli->sysroot, strerror(ENOTDIR));
	/* A probe that fails is still worth capturing: that is what bug reports are for. */
	if (ppccompat_probe(&opts, &host, &probe_err) < 0)
		ppccompat_error_format(&probe_err, probe_msg, sizeof(probe_msg));
	add_ancestors(&o);
	if (o.n)
		qsort(o.paths, o.n, sizeof(*o.paths), compare_paths);
	added = calloc(o.n ? o.n : 1, sizeof(*added));
	if (o.out_of_memory || !added)
		rc = cli_error("capture: out of memory");
	if (rc == EXIT_YES && !strcmp(cli->operands[0], "-"))
		rc = write_entries(STDOUT_FILENO, "standard output", cli->sysroot, &o, added,
				   &archived);
	else if (rc == EXIT_YES)
		rc = write_archive_file(cli, &o, added, &archived);
	if (rc == EXIT_YES)
		print_result(cli, &o, added, archived, probe_msg);

	for (size_t i = 0; i < o.n; i++)
		free(o.paths[i]);
	free(o.paths);
	free(added);
	return rc;
}
