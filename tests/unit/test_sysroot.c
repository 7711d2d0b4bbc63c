// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a sysroot never blocks and never leaves it (lib/sysroot.c). Every
 * case runs twice: with openat2(RESOLVE_IN_ROOT) and with the component walk
 * that stands in for it on older kernels, which must give the same answers.
 * A read that blocked would hang: alarm() turns that into a failed test.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"
#include "testutil.h"

static bool walk; /* the pass without openat2 */

static struct pc_reader reader(const char *root)
{
	struct pc_reader r = { .sysroot = root, .no_openat2 = walk };

	return r;
}

static void must(int ret, const char *what)
{
	if (ret < 0) {
		perror(what);
		exit(1);
	}
}

static void link_at(const char *root, const char *rel, const char *target)
{
	char path[PPCCOMPAT_PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	must(symlink(target, path), path);
}

static void fifo_at(const char *root, const char *rel)
{
	char path[PPCCOMPAT_PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	must(mkfifo(path, 0644), path);
}

/* Reads rel and expects code; on success the content must be want. */
static void expect_read(const char *root, const char *rel, int code, const char *want,
			const char *what)
{
	struct pc_reader r = reader(root);
	struct ppccompat_error err;
	char buf[256];
	size_t len = 0;
	int ret = pc_read_file(&r, rel, buf, sizeof(buf), &len, &err);

	t_ok(ret == code, "%s%s: read %s gives %s (%s)", walk ? "[walk] " : "", what, rel,
	     code ? ppccompat_strerror(code) : "its content", ret ? t_error_line(&err) : "ok");
	if (ret == 0 && want)
		t_ok(len == strlen(want) && !memcmp(buf, want, len),
		     "%s%s: the content is the tree's own", walk ? "[walk] " : "", what);
}

static void regular_and_links(void)
{
	char *root = t_tree_new();
	char *outside = t_tree_new();
	char target[PPCCOMPAT_PATH_MAX];

	t_write_str(root, "/proc/cpuinfo", "inside");
	t_write_str(root, "/sys/firmware/devicetree/base/compatible", "ibm,powernv");
	t_write_str(outside, "/secret", "outside");
	expect_read(root, "/proc/cpuinfo", 0, "inside", "a regular file");
	expect_read(root, "/proc/../proc/./cpuinfo", 0, "inside", "'..' and '.' in the path");
	expect_read(root, "/../../../proc/cpuinfo", 0, "inside", "'..' above the root");

	/* what every live system has, captured as it is */
	link_at(root, "/proc/device-tree", "/sys/firmware/devicetree/base");
	expect_read(root, "/proc/device-tree/compatible", 0, "ibm,powernv",
		    "an absolute directory link");
	link_at(root, "/proc/relative", "../sys/firmware/devicetree/base/compatible");
	expect_read(root, "/proc/relative", 0, "ibm,powernv", "a relative file link");
	link_at(root, "/proc/abs-file", "/proc/cpuinfo");
	expect_read(root, "/proc/abs-file", 0, "inside", "an absolute file link");
	link_at(root, "/proc/chain", "/proc/abs-file");
	expect_read(root, "/proc/chain", 0, "inside", "a link to a link");

	/* the escape: resolved inside the tree, where there is nothing */
	snprintf(target, sizeof(target), "%s/secret", outside);
	link_at(root, "/proc/escape", target);
	expect_read(root, "/proc/escape", PPCCOMPAT_ERR_MALFORMED, NULL,
		    "an absolute link out of the tree");
	link_at(root, "/proc/up", "../../../../../../../../secret");
	expect_read(root, "/proc/up", PPCCOMPAT_ERR_MALFORMED, NULL,
		    "a relative link up and out of the tree");
	/* and the same file put inside the tree under that name is what is read */
	snprintf(target, sizeof(target), "%s/secret", outside);
	t_write_str(root, target, "inside-copy");
	expect_read(root, "/proc/escape", 0, "inside-copy", "an absolute link lands in the tree");

	link_at(root, "/proc/loop-a", "/proc/loop-b");
	link_at(root, "/proc/loop-b", "/proc/loop-a");
	expect_read(root, "/proc/loop-a", PPCCOMPAT_ERR_IO, NULL, "a symlink loop");
	expect_read(root, "/proc/absent", PPCCOMPAT_ERR_NOT_FOUND, NULL, "an absent file");
	expect_read(root, "/proc/cpuinfo/x", PPCCOMPAT_ERR_NOT_FOUND, NULL,
		    "a path through a file");
	t_tree_free(outside);
	t_tree_free(root);
}

static void dangling_device_tree(void)
{
	char *root = t_tree_new();
	struct pc_reader r = reader(root);
	struct ppccompat_error err;
	int ret;

	t_mkdir(root, "/proc");
	link_at(root, "/proc/device-tree", "/sys/firmware/devicetree/base");
	ret = pc_exists(&r, "/proc/device-tree", &err);
	t_ok(ret == PPCCOMPAT_ERR_MALFORMED, "%sa dangling device-tree link is an error (%s)",
	     walk ? "[walk] " : "", ret < 0 ? t_error_line(&err) : "no error");
	t_ok(t_contains(err.detail, "/proc/device-tree -> /sys/firmware/devicetree/base"),
	     "... naming the link and its target: %s", err.detail);
	expect_read(root, "/proc/device-tree/compatible", PPCCOMPAT_ERR_MALFORMED, NULL,
		    "a file below a dangling link");
	ret = pc_exists(&r, "/proc/absent", &err);
	t_ok(ret == 0, "%san absent path is absent, not an error", walk ? "[walk] " : "");
	t_tree_free(root);
}

static int count_dirs(void *ctx, const char *name, struct ppccompat_error *err)
{
	(void)name, (void)err;
	++*(int *)ctx;
	return 0;
}

static void special_files(void)
{
	char *root = t_tree_new();
	struct pc_reader r = reader(root);
	struct ppccompat_error err;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char path[PPCCOMPAT_PATH_MAX];
	int sock, ret, dirs = 0;

	t_mkdir(root, "/proc/device-tree/cpus/a");
	t_mkdir(root, "/proc/device-tree/cpus/b");
	fifo_at(root, "/proc/cpuinfo");
	fifo_at(root, "/proc/device-tree/compatible");
	/* a writer never comes: a blocking open(2) or read(2) would hang here */
	alarm(20);
	expect_read(root, "/proc/device-tree/compatible", PPCCOMPAT_ERR_MALFORMED, NULL,
		    "a FIFO");
	ret = pc_read_lines(&r, "/proc/cpuinfo", 1024, NULL, NULL, &err);
	t_ok(ret == PPCCOMPAT_ERR_MALFORMED && t_contains(err.detail, "a FIFO, not a regular file"),
	     "%sa FIFO as cpuinfo is refused without blocking (%s)", walk ? "[walk] " : "",
	     t_error_line(&err));
	ret = pc_exists(&r, "/proc/device-tree/compatible", &err);
	t_ok(ret == PPCCOMPAT_ERR_MALFORMED, "%sa FIFO does not count as present",
	     walk ? "[walk] " : "");
	link_at(root, "/proc/to-fifo", "/proc/cpuinfo");
	expect_read(root, "/proc/to-fifo", PPCCOMPAT_ERR_MALFORMED, NULL, "a link to a FIFO");

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/sock", root);
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	if (sock >= 0 && strlen(root) + 6 < sizeof(addr.sun_path) &&
	    bind(sock, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
		expect_read(root, "/sock", PPCCOMPAT_ERR_MALFORMED, NULL, "a socket");
	} else {
		t_ok(true, "# SKIP no unix socket in %s", root);
	}
	if (sock >= 0)
		close(sock);

	snprintf(path, sizeof(path), "%s/null", root);
	if (mknod(path, S_IFCHR | 0666, makedev(1, 3)) == 0)
		expect_read(root, "/null", PPCCOMPAT_ERR_MALFORMED, NULL, "a character device");
	else
		t_ok(true, "# SKIP mknod: %s", strerror(errno));

	ret = pc_for_each_subdir(&r, "/proc/device-tree/cpus", count_dirs, &dirs, &err);
	t_ok(ret == 0 && dirs == 2, "%sa directory is listed (%d entries)", walk ? "[walk] " : "",
	     dirs);
	ret = pc_for_each_subdir(&r, "/proc/cpuinfo", count_dirs, &dirs, &err);
	t_ok(ret == PPCCOMPAT_ERR_MALFORMED, "%sa FIFO is not listed as a directory",
	     walk ? "[walk] " : "");
	alarm(0);
	t_tree_free(root);
}

/* An observer that does what user code does: calls that change errno. */
static void clobber(void *ctx, const char *path, int result)
{
	(void)ctx, (void)path, (void)result;
	errno = EDOM;
}

static void errno_survives_observer(void)
{
	char *root = t_tree_new();
	struct pc_reader r = reader(root);
	struct ppccompat_error err;

	r.observe = clobber;
	t_mkdir(root, "/proc");
	link_at(root, "/proc/loop", "/proc/loop");
	t_ok(pc_read_file(&r, "/proc/loop", NULL, 0, &(size_t){ 0 }, &err) == PPCCOMPAT_ERR_IO,
	     "%sa symlink loop fails", walk ? "[walk] " : "");
	T_EQ_INT(err.sys_errno, ELOOP, "the error keeps ELOOP, not the observer's errno");
	t_tree_free(root);
}

static void host_file(void)
{
	char *root = t_tree_new();
	struct ppccompat_error err;
	size_t size = PPCCOMPAT_MAX_FILE_SIZE + 4096, len = 0;
	char *big = malloc(size);
	char *buf = malloc(size);
	char outside_link[PPCCOMPAT_PATH_MAX];
	int ret;

	if (!big || !buf)
		exit(1);
	memset(big, 'x', size);
	t_write(root, "/proc/cpuinfo", big, size);
	t_write(root, "/proc/device-tree/big", big, size);
	ret = ppccompat_read_host_file(root, "/proc/cpuinfo", buf, size, &len, &err);
	t_ok(ret == PPCCOMPAT_FILE_REGULAR && len == size,
	     "read_host_file: cpuinfo over 1 MiB is within its own bound (%s)", t_error_line(&err));
	ret = ppccompat_read_host_file(root, "/proc/device-tree/big", buf, size, &len, &err);
	t_ok(ret == PPCCOMPAT_ERR_TOO_BIG, "read_host_file: any other file is bounded at 1 MiB");
	ret = ppccompat_read_host_file(root, "/proc/device-tree", buf, size, &len, &err);
	t_ok(ret == PPCCOMPAT_FILE_DIRECTORY && len == 0, "read_host_file: a directory");
	snprintf(outside_link, sizeof(outside_link), "%s/proc/etc", root);
	must(symlink("/etc", outside_link), outside_link);
	ret = ppccompat_read_host_file(root, "/proc/etc/hostname", buf, size, &len, &err);
	t_ok(ret == PPCCOMPAT_ERR_MALFORMED, "read_host_file: /etc is the tree's, not the host's");
	ret = ppccompat_read_host_file(root, "proc/cpuinfo", buf, size, &len, &err);
	T_EQ_INT(ret, PPCCOMPAT_ERR_BAD_ARG, "read_host_file: a relative path");
	free(big);
	free(buf);
	t_tree_free(root);
}

/* The probe itself: a captured tree with the live system's device-tree link. */
static void probe_through_link(void)
{
	char *root = t_tree_new();
	char from[PPCCOMPAT_PATH_MAX], to[PPCCOMPAT_PATH_MAX];
	struct ppccompat_error err;
	struct ppccompat_host h;
	int ret;

	t_build_host(root, &t_p11_lpar_in_p10);
	t_mkdir(root, "/sys/firmware/devicetree");
	snprintf(from, sizeof(from), "%s/proc/device-tree", root);
	snprintf(to, sizeof(to), "%s/sys/firmware/devicetree/base", root);
	must(rename(from, to), to);
	link_at(root, "/proc/device-tree", "/sys/firmware/devicetree/base");
	ret = t_probe(root, &h, &err);
	t_ok(ret == 0 && h.effective_mode == PPCCOMPAT_MODE_POWER10 &&
	     h.effective_mode_source == PPCCOMPAT_SOURCE_DEVTREE,
	     "probe follows /proc/device-tree -> /sys/... inside the tree (%s)",
	     ret ? t_error_line(&err) : "power10 from the device tree");
	t_tree_free(root);

	root = t_tree_new();
	t_build_host(root, &t_p11_lpar_in_p10);
	snprintf(from, sizeof(from), "%s/proc/device-tree", root);
	snprintf(to, sizeof(to), "%s/elsewhere", root);
	must(rename(from, to), to);
	link_at(root, "/proc/device-tree", "/sys/firmware/devicetree/base");
	ret = t_probe(root, &h, &err);
	t_ok(ret == PPCCOMPAT_ERR_MALFORMED && t_contains(err.path, "/proc/device-tree"),
	     "probe: a dangling device-tree link is an error, not a cpuinfo-only host (%s)",
	     ret ? t_error_line(&err) : "no error");
	t_tree_free(root);
}

int main(void)
{
	for (int pass = 0; pass < 2; pass++) {
		walk = pass == 1;
		regular_and_links();
		dangling_device_tree();
		special_files();
		errno_survives_observer();
	}
	host_file();
	probe_through_link();
	return t_done();
}
