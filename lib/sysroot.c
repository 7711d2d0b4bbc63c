// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * All file access of the probe: paths are resolved under the sysroot (as
 * lscpu --sysroot does), sizes are bounded, and every attempt is reported to
 * the observer so that `ppccompat capture` archives exactly what was read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static void observe(const struct pc_reader *r, const char *rel, int result)
{
	if (r->observe)
		r->observe(r->observe_ctx, rel, result);
}

int pc_full_path(const struct pc_reader *r, const char *rel, char *out,
		 struct ppccompat_error *err)
{
	size_t root_len = strlen(r->sysroot);
	int n;

	/* "/srv/tree/" + "/proc/cpuinfo" must not become "//proc" */
	while (root_len > 0 && r->sysroot[root_len - 1] == '/')
		root_len--;
	n = snprintf(out, PPCCOMPAT_PATH_MAX, "%.*s%s", (int)root_len, r->sysroot, rel);
	if (n < 0 || n >= PPCCOMPAT_PATH_MAX)
		return pc_fail(err, PPCCOMPAT_ERR_NAME_TOO_LONG, 0, rel, NULL,
			       "sysroot and path exceed %d bytes", PPCCOMPAT_PATH_MAX);
	return 0;
}

static int open_error(const char *path, int sys_errno, struct ppccompat_error *err)
{
	if (sys_errno == ENOENT || sys_errno == ENOTDIR)
		return pc_fail(err, PPCCOMPAT_ERR_NOT_FOUND, 0, path, NULL, NULL);
	return pc_fail(err, PPCCOMPAT_ERR_IO, sys_errno, path, NULL, NULL);
}

static int open_observed(const struct pc_reader *r, const char *rel, char *path,
			 struct ppccompat_error *err)
{
	int ret = pc_full_path(r, rel, path, err);
	int fd;

	if (ret < 0)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	observe(r, rel, fd < 0 ? -errno : 0);
	if (fd < 0)
		return open_error(path, errno, err);
	return fd;
}

/* read(2) that retries after signals; -errno on failure. */
static ssize_t read_some(int fd, void *buf, size_t len)
{
	ssize_t n;

	do {
		n = read(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

int pc_read_file(const struct pc_reader *r, const char *rel, void *buf, size_t cap,
		 size_t *len, struct ppccompat_error *err)
{
	char path[PPCCOMPAT_PATH_MAX];
	char probe_byte = 0;
	size_t used = 0;
	int fd = open_observed(r, rel, path, err);
	int ret = 0;

	if (fd < 0)
		return fd;
	for (;;) {
		/* one byte past cap tells "exactly cap" from "too big" */
		void *dst = used < cap ? (char *)buf + used : &probe_byte;
		size_t want = used < cap ? cap - used : 1;
		ssize_t n = read_some(fd, dst, want);

		if (n < 0) {
			ret = pc_fail(err, PPCCOMPAT_ERR_IO, (int)-n, path, NULL, NULL);
			break;
		}
		if (n == 0)
			break;
		if (used >= cap) {
			ret = pc_fail(err, PPCCOMPAT_ERR_TOO_BIG, 0, path, NULL,
				      "larger than %zu bytes", cap);
			break;
		}
		used += (size_t)n;
	}
	close(fd);
	if (ret == 0)
		*len = used;
	return ret;
}

int pc_exists(const struct pc_reader *r, const char *rel, struct ppccompat_error *err)
{
	char path[PPCCOMPAT_PATH_MAX];
	struct stat st;
	int ret = pc_full_path(r, rel, path, err);

	if (ret < 0)
		return ret;
	ret = stat(path, &st);
	observe(r, rel, ret < 0 ? -errno : 0);
	if (ret == 0)
		return 1;
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	return pc_fail(err, PPCCOMPAT_ERR_IO, errno, path, NULL, NULL);
}

int pc_read_lines(const struct pc_reader *r, const char *rel, size_t max_size, pc_line_fn fn,
		  void *ctx, struct ppccompat_error *err)
{
	char path[PPCCOMPAT_PATH_MAX];
	char chunk[4096];
	char line[PPCCOMPAT_MAX_LINE + 1];
	size_t line_len = 0, total = 0;
	unsigned int lineno = 1;
	int fd = open_observed(r, rel, path, err);
	int ret = 0;

	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t n = read_some(fd, chunk, sizeof(chunk));

		if (n < 0) {
			ret = pc_fail(err, PPCCOMPAT_ERR_IO, (int)-n, path, NULL, NULL);
			goto out;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max_size) {
			ret = pc_fail(err, PPCCOMPAT_ERR_TOO_BIG, 0, path, NULL,
				      "larger than %zu bytes", max_size);
			goto out;
		}
		for (size_t i = 0; i < (size_t)n;) {
			const char *nl = memchr(chunk + i, '\n', (size_t)n - i);
			size_t span = nl ? (size_t)(nl - (chunk + i)) : (size_t)n - i;

			if (line_len + span > PPCCOMPAT_MAX_LINE) {
				ret = pc_fail(err, PPCCOMPAT_ERR_TOO_BIG, 0, path, NULL,
					      "line %u longer than %d bytes", lineno,
					      PPCCOMPAT_MAX_LINE);
				goto out;
			}
			memcpy(line + line_len, chunk + i, span);
			line_len += span;
			i += span;
			if (!nl)
				break;
			i++;
			line[line_len] = '\0';
			ret = fn(ctx, line, line_len, lineno, err);
			if (ret < 0)
				goto out;
			line_len = 0;
			lineno++;
		}
	}
	if (line_len > 0) {
		line[line_len] = '\0';
		ret = fn(ctx, line, line_len, lineno, err);
	}
out:
	close(fd);
	return ret;
}

int pc_for_each_subdir(const struct pc_reader *r, const char *rel, pc_dir_fn fn, void *ctx,
		       struct ppccompat_error *err)
{
	char path[PPCCOMPAT_PATH_MAX];
	struct dirent *de;
	DIR *dir;
	int ret = pc_full_path(r, rel, path, err);

	if (ret < 0)
		return ret;
	dir = opendir(path);
	observe(r, rel, dir ? 0 : -errno);
	if (!dir)
		return open_error(path, errno, err);
	for (;;) {
		bool is_dir;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno)
				ret = pc_fail(err, PPCCOMPAT_ERR_IO, errno, path, NULL, NULL);
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;

			if (fstatat(dirfd(dir), de->d_name, &st, 0) < 0)
				continue;
			is_dir = S_ISDIR(st.st_mode);
		} else {
			is_dir = de->d_type == DT_DIR;
		}
		if (!is_dir)
			continue;
		ret = fn(ctx, de->d_name, err);
		if (ret < 0)
			break;
	}
	closedir(dir);
	return ret;
}
