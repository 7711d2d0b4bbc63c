// SPDX-License-Identifier: GPL-2.0
/*
 * ppccompat capture OUT.tar: archive exactly the files and directories the
 * probe read, so that `ppccompat --sysroot DIR` on the unpacked archive gives
 * the same answer. The list comes from the probe's observe hook, not from a
 * list kept here, so the two can never drift apart.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static int read_whole(const char *path, char **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t cap = PPCCOMPAT_MAX_FILE_SIZE + 1;

	if (!f)
		return -errno;
	*data = malloc(cap);
	if (!*data) {
		fclose(f);
		return -ENOMEM;
	}
	/* procfs files stat as 0 bytes: read, do not trust st_size. */
	*size = fread(*data, 1, cap, f);
	int failed = ferror(f);
	fclose(f);
	if (failed || *size == cap) {
		free(*data);
		return failed ? -EIO : -EFBIG;
	}
	return 0;
}

static int archive_one(FILE *tar, const char *sysroot, const char *path, bool *archived)
{
	char full[PPCCOMPAT_PATH_MAX];
	struct stat st;
	char *data = NULL;
	size_t size = 0;
	int rc;

	*archived = false;
	snprintf(full, sizeof(full), "%s/%s", sysroot ? sysroot : "", path);
	if (stat(full, &st) < 0)
		return cli_error("capture: %s: %s", full, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		rc = ustar_add_dir(tar, path);
	} else if (S_ISREG(st.st_mode)) {
		rc = read_whole(full, &data, &size);
		if (rc < 0)
			return cli_error("capture: %s: %s", full,
					 rc == -EFBIG ? "larger than the probe's bound" : strerror(-rc));
		rc = ustar_add_file(tar, path, data, size);
		free(data);
	} else {
		/* A device such as /dev/kvm: the kernel's answer is no file to replay. */
		return EXIT_YES;
	}
	if (rc < 0)
		return cli_error("capture: %s: %s", path, strerror(-rc));
	*archived = true;
	return EXIT_YES;
}

/* The archive: every observed path that is a file or a directory; added[i] says which. */
static int write_archive(const char *out, const char *sysroot, const struct observed *o,
			 bool *added, size_t *archived)
{
	FILE *tar = fopen(out, "wb");
	int rc = EXIT_YES;

	if (!tar)
		return cli_error("capture: %s: %s", out, strerror(errno));
	for (size_t i = 0; i < o->n && rc == EXIT_YES; i++) {
		rc = archive_one(tar, sysroot, o->paths[i], &added[i]);
		*archived += added[i];
	}
	if (rc == EXIT_YES && ustar_finish(tar) < 0)
		rc = cli_error("capture: %s: write failed", out);
	if (fclose(tar) != 0 && rc == EXIT_YES)
		rc = cli_error("capture: %s: %s", out, strerror(errno));
	if (rc != EXIT_YES)
		remove(out);
	return rc;
}

static void print_result(const struct cli *cli, const struct observed *o, const bool *added,
			 size_t archived, const char *probe_msg)
{
	const char *out = cli->operands[0];

	if (!cli->json) {
		printf("%s: %zu entries\n", out, archived);
		if (probe_msg[0])
			printf("the probe failed, the archive holds what it read: %s\n", probe_msg);
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

	/* A tree that is not there has nothing to capture, unlike a host whose files are bad. */
	if (cli->sysroot && stat(cli->sysroot, &root) < 0)
		return cli_error("capture: %s: %s", cli->sysroot, strerror(errno));
	/* A probe that fails is still worth capturing: that is what bug reports are for. */
	if (ppccompat_probe(&opts, &host, &probe_err) < 0)
		ppccompat_error_format(&probe_err, probe_msg, sizeof(probe_msg));
	add_ancestors(&o);
	if (o.n)
		qsort(o.paths, o.n, sizeof(*o.paths), compare_paths);
	added = calloc(o.n ? o.n : 1, sizeof(*added));
	if (o.out_of_memory || !added)
		rc = cli_error("capture: out of memory");
	if (rc == EXIT_YES)
		rc = write_archive(cli->operands[0], cli->sysroot, &o, added, &archived);
	if (rc == EXIT_YES)
		print_result(cli, &o, added, archived, probe_msg);

	for (size_t i = 0; i < o.n; i++)
		free(o.paths[i]);
	free(o.paths);
	free(added);
	return rc;
}
