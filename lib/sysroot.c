// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * All file access of the probe: paths are resolved under the sysroot (as
 * lscpu --sysroot does), sizes are bounded, and every attempt is reported to
 * the observer so that `ppccompat capture` archives exactly what was read.
 *
 * A sysroot is somebody else's tree: a capture from a bug report, an
 * unpacked archive. Reading it must neither block nor leave it:
 *  - Only regular files are read and only directories listed. A FIFO would
 *    block open(2) and read(2), a device would run a driver, a socket cannot
 *    be read at all; every open is O_NONBLOCK and fstat(2) decides.
 *  - Paths resolve as if the sysroot were "/": an absolute symlink in a
 *    captured tree (proc/device-tree -> /sys/firmware/devicetree/base, as on
 *    every live system) names the tree's own sys/, and ".." stops at the top.
 *    Linux 5.6 and later do exactly this in openat2(RESOLVE_IN_ROOT). Where
 *    the kernel lacks openat2 (or a seccomp filter refuses it),
 *    walk_in_root() applies the same rules one component at a time. No
 *    library is used for this: the C library resolves only against the real
 *    root (realpath(3)) or changes it for the whole process (chroot(2), which
 *    also needs privilege), and libpathrs, which does implement it, is a Rust
 *    library whose runtime would be this C library's only dependency.
 *  - A symlink whose target is missing is an error, not an absent file: a
 *    tree whose proc/device-tree points at a sys/ that was not captured must
 *    not quietly become a host without a device tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

/* ELOOP after this many symlinks in one path, as the kernel's MAXSYMLINKS. */
#define MAX_LINKS 40

/* errno is part of what the caller reports: a user callback must not change it. */
static void observe(const struct pc_reader *r, const char *rel, int result)
{
	int saved = errno;

	if (r->observe)
		r->observe(r->observe_ctx, rel, result);
	errno = saved;
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

/* What a resolution learnt on the way, for the error message. */
struct walk_trace {
	char link[PPCCOMPAT_PATH_MAX];   /* the last symlink followed, relative to the root */
	char target[PPCCOMPAT_PATH_MAX]; /* what it points to */
	bool dangling;                   /* ENOENT inside a link's target */
	mode_t mode;                     /* type of what was refused */
};

/* Regular files are read, directories listed or tested for; nothing else is touched. */
static bool type_ok(mode_t mode, mode_t want)
{
	mode &= S_IFMT;
	return want ? mode == want : mode == S_IFREG || mode == S_IFDIR;
}

static int sys_openat2(int dirfd, const char *path, int flags)
{
#ifdef SYS_openat2
	struct open_how how = {
		.flags = (uint64_t)flags,
		/* magic links (/proc/self/...) point outside any tree */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = -1;

	/* EAGAIN: a rename raced the lookup, and the kernel asks for a retry */
	for (int tries = 0; tries < 8; tries++) {
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd < 0 ? -errno : fd;
#else
	(void)dirfd, (void)path, (void)flags;
	return -ENOSYS;
#endif
}

/*
 * out = dir "/" name ("name" when dir is empty); dir may be out itself.
 * Truncated to size: the walk checks lengths first where they matter, and
 * the trace is only for messages.
 */
static void append_component(char *out, size_t size, const char *dir, const char *name)
{
	size_t used = strlen(dir), len = strlen(name);

	if (out != dir)
		pc_strlcpy(out, dir, size);
	used = used < size ? used : size - 1;
	if (used && used + 1 < size)
		out[used++] = '/';
	if (len > size - 1 - used)
		len = size - 1 - used;
	memcpy(out + used, name, len);
	out[used + len] = '\0';
}

/* Re-open, from the root, a path made only of directories the walk has seen (after ".."). */
static int reopen_dirs(int root, const char *resolved)
{
	char copy[PPCCOMPAT_PATH_MAX];
	char *save = NULL;
	int cur = fcntl(root, F_DUPFD_CLOEXEC, 0);

	if (cur < 0)
		return -errno;
	pc_strlcpy(copy, resolved, sizeof(copy));
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		int next = openat(cur, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;

		close(cur);
		if (next < 0)
			return -e;
		cur = next;
	}
	return cur;
}

/* Open what cur_fd's entry name (or cur_fd itself, name NULL) is, if its type is wanted. */
static int open_final(int cur, const char *name, const struct stat *st, int flags,
		      mode_t want, struct walk_trace *trace)
{
	int fd;

	if (!type_ok(st->st_mode, want)) {
		/* refused before any open(2): a device's driver never runs */
		trace->mode = st->st_mode;
		return -EPROTOTYPE;
	}
	fd = openat(cur, name ? name : ".", flags | O_NOFOLLOW);
	return fd < 0 ? -errno : fd;
}

/*
 * openat2(RESOLVE_IN_ROOT) by hand. rest[pos..] is the part of the path
 * still to resolve; its bytes before link_end came from symlink targets
 * rather than from the caller, which is what tells a dangling link from a
 * missing file. resolved is the real path of cur below the root, so that
 * ".." can go back up without leaving the tree.
 */
static int walk_in_root(int root, const char *rel, int flags, mode_t want,
			struct walk_trace *trace)
{
	char rest[PPCCOMPAT_PATH_MAX], resolved[PPCCOMPAT_PATH_MAX] = "";
	char name[PPCCOMPAT_PATH_MAX];
	size_t pos = 0, link_end = 0;
	unsigned int links = 0;
	struct stat st;
	int cur = fcntl(root, F_DUPFD_CLOEXEC, 0);
	int ret;

	if (cur < 0)
		return -errno;
	if (strlen(rel) >= sizeof(rest)) {
		close(cur);
		return -ENAMETOOLONG;
	}
	pc_strlcpy(rest, rel, sizeof(rest));
	for (;;) {
		size_t start, len;
		bool from_link;
		int fd;

		pos += strspn(rest + pos, "/");
		start = pos;
		pos += strcspn(rest + pos, "/");
		len = pos - start;
		if (len == 0) {
			/* the path ends here (root, ".", "..", or a trailing '/'): cur itself */
			ret = fstat(cur, &st) < 0 ? -errno
						   : open_final(cur, NULL, &st, flags, want, trace);
			break;
		}
		memcpy(name, rest + start, len);
		name[len] = '\0';
		from_link = start < link_end;
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			/* above the root is the root: the tree is the whole world */
			char *slash = strrchr(resolved, '/');

			*(slash ? slash : resolved) = '\0';
			close(cur);
			cur = reopen_dirs(root, resolved);
			if (cur < 0)
				return cur;
			continue;
		}
		fd = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			ret = -errno;
			if (fd >= 0)
				close(fd);
			trace->dangling = ret == -ENOENT && from_link;
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PPCCOMPAT_PATH_MAX];
			ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
			size_t tail = strlen(rest + pos);

			ret = n < 0 ? -errno : ++links > MAX_LINKS ? -ELOOP : 0;
			close(fd);
			if (ret == 0 && (size_t)n + 1 + tail >= sizeof(rest))
				ret = -ENAMETOOLONG;
			if (ret < 0)
				break;
			target[n] = '\0';
			append_component(trace->link, sizeof(trace->link), resolved, name);
			pc_strlcpy(trace->target, target, sizeof(trace->target));
			/* the target takes the link's place, in front of what is left */
			memmove(rest + n + 1, rest + pos, tail + 1);
			memcpy(rest, target, (size_t)n);
			/* a separator only before more components: "link" is no "link/" */
			rest[n] = tail ? '/' : '\0';
			link_end = (size_t)n + 1 + (link_end > pos ? link_end - pos : 0);
			pos = 0;
			if (target[0] == '/') {
				close(cur);
				cur = fcntl(root, F_DUPFD_CLOEXEC, 0);
				if (cur < 0)
					return -errno;
				resolved[0] = '\0';
			}
			continue;
		}
		if (rest[pos + strspn(rest + pos, "/")] == '\0') {
			/* the last component; "name/" asks for a directory */
			if (rest[pos] == '/' && !S_ISDIR(st.st_mode))
				ret = -ENOTDIR;
			else
				ret = open_final(cur, name, &st, flags, want, trace);
			close(fd);
			break;
		}
		if (!S_ISDIR(st.st_mode) || strlen(resolved) + 1 + len >= sizeof(resolved)) {
			ret = S_ISDIR(st.st_mode) ? -ENAMETOOLONG : -ENOTDIR;
			close(fd);
			break;
		}
		append_component(resolved, sizeof(resolved), resolved, name);
		close(cur);
		cur = fd;
	}
	close(cur);
	return ret;
}

static const char *type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO:
		return "a FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	case S_IFDIR:
		return "a directory";
	case S_IFREG:
		return "a regular file";
	}
	return "of unknown type";
}

/*
 * Open rel under the reader's root with flags (O_RDONLY, O_DIRECTORY or
 * O_PATH), requiring the type want (0: a regular file or a directory). The
 * fd, or a negative code named in err: PPCCOMPAT_ERR_NOT_FOUND only for what
 * is really absent, so that optional files may be.
 */
static int open_in_root(const struct pc_reader *r, const char *rel, int flags, mode_t want,
			char *path, struct ppccompat_error *err)
{
	struct walk_trace trace = { .dangling = false };
	const char *inner = rel + strspn(rel, "/");
	struct stat st;
	int root, fd = -ENOSYS;
	int ret = pc_full_path(r, rel, path, err);

	if (ret < 0)
		return ret;
	if (!*inner)
		inner = ".";
	/* openat2 refuses O_PATH with any flag that would matter to a real open */
	flags |= O_CLOEXEC | (flags & O_PATH ? 0 : O_NONBLOCK | O_NOCTTY);
	root = open(r->sysroot[0] ? r->sysroot : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	fd = root < 0 ? -errno : -ENOSYS;
	if (root >= 0 && !r->no_openat2)
		fd = sys_openat2(root, inner, flags);
	/*
	 * ENOSYS: a kernel before 5.6; EPERM: a seccomp filter older than
	 * openat2. The walk gives the same answer.
	 */
	if (root >= 0 && (fd == -ENOSYS || fd == -EPERM)) {
		fd = walk_in_root(root, inner, flags, want, &trace);
	} else if (root >= 0 && fd < 0) {
		/*
		 * openat2 says what failed, not why: ENOENT for an absent file
		 * and for a dangling link alike, ENXIO for a socket, ENOTDIR for
		 * a FIFO where a directory should be. The walk, opening nothing,
		 * tells them apart.
		 */
		int why = walk_in_root(root, inner, O_PATH, want, &trace);

		if (why >= 0)
			close(why);
		if (why == -EPROTOTYPE || trace.dangling)
			fd = why >= 0 ? -ENOENT : why;
	}
	if (root >= 0)
		close(root);
	if (fd >= 0 && fstat(fd, &st) < 0) {
		ret = -errno;
		close(fd);
		fd = ret;
	} else if (fd >= 0 && !type_ok(st.st_mode, want)) {
		/* openat2 opened it (O_NONBLOCK: a FIFO does not block); refuse it now */
		trace.mode = st.st_mode;
		close(fd);
		fd = -EPROTOTYPE;
	}
	observe(r, rel, fd < 0 ? fd : 0);
	if (fd >= 0)
		return fd;
	if (fd == -EPROTOTYPE)
		return pc_fail(err, PPCCOMPAT_ERR_MALFORMED, 0, path, NULL, "%s, not %s",
			       type_name(trace.mode),
			       want == S_IFDIR ? "a directory"
			       : want == S_IFREG ? "a regular file"
						 : "a regular file or a directory");
	if (trace.dangling)
		return pc_fail(err, PPCCOMPAT_ERR_MALFORMED, 0, path, NULL,
			       "symbolic link /%.512s -> %.512s: no such file in %.512s%s",
			       trace.link, trace.target, r->sysroot[0] ? r->sysroot : "/",
			       /* the live system's /proc/device-tree points into sysfs */
			       !r->sysroot[0] && !strncmp(trace.target, "/sys/", 5)
				       ? " (is sysfs mounted on /sys?)"
				       : "");
	if (fd == -ENOENT || fd == -ENOTDIR)
		return pc_fail(err, PPCCOMPAT_ERR_NOT_FOUND, 0, path, NULL, NULL);
	return pc_fail(err, PPCCOMPAT_ERR_IO, -fd, path, NULL, NULL);
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

/* The whole of fd, at most cap bytes, into buf. */
static int read_fd(int fd, const char *path, void *buf, size_t cap, size_t *len,
		   struct ppccompat_error *err)
{
	char probe_byte = 0;
	size_t used = 0;

	for (;;) {
		/* one byte past cap tells "exactly cap" from "too big" */
		void *dst = used < cap ? (char *)buf + used : &probe_byte;
		size_t want = used < cap ? cap - used : 1;
		ssize_t n = read_some(fd, dst, want);

		if (n < 0)
			return pc_fail(err, PPCCOMPAT_ERR_IO, (int)-n, path, NULL, NULL);
		if (n == 0)
			break;
		if (used >= cap)
			return pc_fail(err, PPCCOMPAT_ERR_TOO_BIG, 0, path, NULL,
				       "larger than %zu bytes", cap);
		used += (size_t)n;
	}
	*len = used;
	return 0;
}

int pc_read_file(const struct pc_reader *r, const char *rel, void *buf, size_t cap,
		 size_t *len, struct ppccompat_error *err)
{
	char path[PPCCOMPAT_PATH_MAX];
	int fd = open_in_root(r, rel, O_RDONLY, S_IFREG, path, err);
	int ret;

	if (fd < 0)
		return fd;
	ret = read_fd(fd, path, buf, cap, len, err);
	close(fd);
	return ret;
}

int pc_exists(const struct pc_reader *r, const char *rel, struct ppccompat_error *err)
{
	char path[PPCCOMPAT_PATH_MAX];
	int fd = open_in_root(r, rel, O_PATH, 0, path, err);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (fd == PPCCOMPAT_ERR_NOT_FOUND) {
		pc_error_clear(err);
		return 0;
	}
	return fd;
}

int pc_read_lines(const struct pc_reader *r, const char *rel, size_t max_size, pc_line_fn fn,
		  void *ctx, struct ppccompat_error *err)
{
	char path[PPCCOMPAT_PATH_MAX];
	char chunk[4096];
	char line[PPCCOMPAT_MAX_LINE + 1];
	size_t line_len = 0, total = 0;
	unsigned int lineno = 1;
	int fd = open_in_root(r, rel, O_RDONLY, S_IFREG, path, err);
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
			ret = fn(ctx, line, line_len, lineno, true, err);
			if (ret < 0)
				goto out;
			line_len = 0;
			lineno++;
		}
	}
	if (line_len > 0) {
		line[line_len] = '\0';
		ret = fn(ctx, line, line_len, lineno, false, err);
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
	int ret = 0;
	int fd = open_in_root(r, rel, O_RDONLY | O_DIRECTORY, S_IFDIR, path, err);

	if (fd < 0)
		return fd;
	dir = fdopendir(fd);
	if (!dir) {
		ret = pc_fail(err, PPCCOMPAT_ERR_IO, errno, path, NULL, NULL);
		close(fd);
		return ret;
	}
	for (;;) {
		bool is_dir, is_link;

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

			if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			is_dir = S_ISDIR(st.st_mode);
			is_link = S_ISLNK(st.st_mode);
		} else {
			is_dir = de->d_type == DT_DIR;
			is_link = de->d_type == DT_LNK;
		}
		/*
		 * The kernel shows every device-tree node as a directory, never a
		 * link: one here is a hand-made tree, and counting fewer nodes
		 * than it has, or following the link out of the tree, would both
		 * answer for a machine that is not this one.
		 */
		if (is_link) {
			char node[PPCCOMPAT_PATH_MAX];
			int n = snprintf(node, sizeof(node), "%s/%s", path, de->d_name);

			ret = pc_fail(err, PPCCOMPAT_ERR_MALFORMED, 0,
				      n < 0 || (size_t)n >= sizeof(node) ? path : node, NULL,
				      "a symbolic link where the kernel shows a node directory");
			break;
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

/* The bound the probe puts on each file it reads (ppccompat.h). */
static size_t probe_bound(const char *rel)
{
	return strcmp(rel, "/proc/cpuinfo") ? PPCCOMPAT_MAX_FILE_SIZE : PPCCOMPAT_MAX_CPUINFO_SIZE;
}

int ppccompat_read_host_file(const char *sysroot, const char *path, void *buf, size_t size,
			     size_t *len, struct ppccompat_error *err)
{
	struct pc_reader r = { .sysroot = sysroot ? sysroot : "" };
	char full[PPCCOMPAT_PATH_MAX];
	size_t bound;
	struct stat st;
	int fd, ret;

	pc_error_clear(err);
	if (!path || path[0] != '/' || !len || (size && !buf))
		return pc_fail(err, PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL, NULL);
	*len = 0;
	fd = open_in_root(&r, path, O_RDONLY, 0, full, err);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return PPCCOMPAT_FILE_DIRECTORY;
	}
	bound = probe_bound(path);
	ret = read_fd(fd, full, buf, size < bound ? size : bound, len, err);
	close(fd);
	return ret < 0 ? ret : PPCCOMPAT_FILE_REGULAR;
}
