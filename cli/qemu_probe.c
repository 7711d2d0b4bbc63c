// SPDX-License-Identifier: GPL-2.0
#include "qemu_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Reads the child's output until EOF, the bound or the deadline; false on the last two. */
static bool read_bounded(int fd, char *buf, size_t cap, size_t *len, long deadline)
{
	*len = 0;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0)
			return false;
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (!p.revents)
			continue;
		n = read(fd, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0;
		*len += (size_t)n;
		if (*len == cap)
			return false;
	}
}

/*
 * Reaps the child, killing its whole process group if it has not exited by
 * the deadline: a wrapper script's own children die with it. The group is
 * killed before the leader is reaped, while its id cannot be reused.
 */
static int reap(pid_t pid, long deadline, bool kill_now)
{
	int status = 0;

	while (!kill_now) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() >= deadline)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return -1;
}

enum qemu_probe_result qemu_probe_version(struct vmm_version *v, const char **binary,
					  char *why, size_t why_size)
{
	const char *env = getenv("PPCCOMPAT_QEMU");
	const char *prog = env && *env ? env : QEMU_PROBE_DEFAULT;
	char *argv[] = { (char *)prog, (char *)"--version", NULL };
	char out[QEMU_PROBE_MAX_OUTPUT + 1];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	long deadline = now_ms() + QEMU_PROBE_TIMEOUT_MS;
	int fds[2], rc, status;
	bool complete;
	size_t len;
	pid_t pid;

	*binary = prog;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(why, why_size, "pipe: %s", strerror(errno));
		return QEMU_PROBE_UNKNOWN;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	/* its own process group, so that a timeout kills all it started */
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	rc = posix_spawnp(&pid, prog, &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		if (rc == ENOENT)
			return QEMU_PROBE_ABSENT;
		snprintf(why, why_size, "cannot run: %s", strerror(rc));
		return QEMU_PROBE_UNKNOWN;
	}
	complete = read_bounded(fds[0], out, QEMU_PROBE_MAX_OUTPUT, &len, deadline);
	close(fds[0]);
	out[len] = '\0';
	status = reap(pid, deadline, !complete);
	if (!complete) {
		snprintf(why, why_size, "%s", len == QEMU_PROBE_MAX_OUTPUT
			 ? "printed more than a version" : "did not answer within 5 s");
		return QEMU_PROBE_UNKNOWN;
	}
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(why, why_size, "--version failed");
		return QEMU_PROBE_UNKNOWN;
	}
	if (!vmm_qemu_version_from_text(out, v)) {
		snprintf(why, why_size, "printed no \"QEMU emulator version\"");
		return QEMU_PROBE_UNKNOWN;
	}
	return QEMU_PROBE_FOUND;
}
