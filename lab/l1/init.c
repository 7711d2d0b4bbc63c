// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the lab's L1 initramfs: runs the steps in /etc/ppccompat/steps and
 * frames their output for the runner exactly as doc/lab-protocol.md says,
 * then powers the machine off.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STEPS_FILE "/etc/ppccompat/steps"
#define STEP_TIMEOUT_PARAM "ppccompat.step_timeout="
#define DEFAULT_STEP_TIMEOUT_S 120
#define MAX_LINE 4096
#define MAX_ARGS 64

static void mount_fs(const char *source, const char *target, const char *type, bool optional)
{
	mkdir(target, 0755);
	if (mount(source, target, type, 0, NULL) < 0 && !(optional && errno == ENODEV))
		printf("init: mount %s on %s: %s\n", type, target, strerror(errno));
}

/* The kernel gives /init the console only if the archive holds /dev/console. */
static void ensure_console(void)
{
	int fd;

	if (fcntl(STDOUT_FILENO, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static unsigned int step_timeout(void)
{
	char cmdline[4096];
	unsigned int timeout = DEFAULT_STEP_TIMEOUT_S;
	FILE *f = fopen("/proc/cmdline", "r");
	char *param, *end;
	unsigned long value;

	if (!f)
		return timeout;
	if (fgets(cmdline, sizeof(cmdline), f)) {
		param = strstr(cmdline, STEP_TIMEOUT_PARAM);
		if (param && (param == cmdline || param[-1] == ' ')) {
			param += strlen(STEP_TIMEOUT_PARAM);
			errno = 0;
			value = strtoul(param, &end, 10);
			if (errno || end == param || value == 0 || value > 86400 ||
			    (*end != ' ' && *end != '\n' && *end != '\0'))
				printf("init: %s%.*s: not a number of seconds in 1..86400, using %u\n",
				       STEP_TIMEOUT_PARAM, (int)strcspn(param, " \n"), param,
				       timeout);
			else
				timeout = (unsigned int)value;
		}
	}
	fclose(f);
	return timeout;
}

/* Strips the comment and surrounding blanks; returns the (possibly empty) command. */
static char *command_of(char *line)
{
	char *end;

	line[strcspn(line, "#\n")] = '\0';
	line += strspn(line, " \t");
	end = line + strlen(line);
	while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return line;
}

/* Splits on runs of blanks (no quoting); -1 when there are too many arguments. */
static int split(char *command, char *argv[MAX_ARGS + 1])
{
	int argc = 0;

	for (char *tok = strtok(command, " \t"); tok; tok = strtok(NULL, " \t")) {
		if (argc == MAX_ARGS)
			return -1;
		argv[argc++] = tok;
	}
	argv[argc] = NULL;
	return argc;
}

static void report_end(unsigned int n, int status)
{
	if (WIFSIGNALED(status))
		printf("PPCCOMPAT-STEP-END %u signal=%d\n", n, WTERMSIG(status));
	else
		printf("PPCCOMPAT-STEP-END %u exit=%d\n", n, WEXITSTATUS(status));
	fflush(stdout);
}

/*
 * Waits for child pid, reaping every orphan that ends meanwhile (we are PID 1);
 * past the deadline kills the step's whole process group.
 */
static int wait_step(pid_t pid, unsigned int timeout_s)
{
	struct timespec deadline, now;
	bool killed = false;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_s;
	for (;;) {
		pid_t done = waitpid(-1, &status, WNOHANG);

		if (done == pid)
			return status;
		if (done > 0)
			continue;
		if (done < 0 && errno == ECHILD)
			return W_EXITCODE(127, 0);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!killed &&
		    (now.tv_sec > deadline.tv_sec ||
		     (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))) {
			kill(-pid, SIGKILL);
			killed = true;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
}

static void run_step(unsigned int n, char *command, unsigned int timeout_s)
{
	char *argv[MAX_ARGS + 1];
	int argc;
	pid_t pid;

	printf("PPCCOMPAT-STEP %u %s\n", n, command);
	fflush(stdout);
	argc = split(command, argv);
	if (argc < 0) {
		printf("init: step %u: more than %d arguments\n", n, MAX_ARGS);
		report_end(n, W_EXITCODE(127, 0));
		return;
	}
	pid = fork();
	if (pid < 0) {
		printf("init: step %u: fork: %s\n", n, strerror(errno));
		report_end(n, W_EXITCODE(127, 0));
		return;
	}
	if (pid == 0) {
		/* Own process group, so a timeout also ends whatever the step started. */
		setpgid(0, 0);
		execvp(argv[0], argv);
		printf("init: step %u: %s: %s\n", n, argv[0], strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	setpgid(pid, pid);
	report_end(n, wait_step(pid, timeout_s));
}

static bool run_steps(unsigned int timeout_s)
{
	char line[MAX_LINE + 2];
	unsigned int n = 0, lineno = 0;
	FILE *steps = fopen(STEPS_FILE, "r");

	if (!steps) {
		printf("init: %s: %s\n", STEPS_FILE, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), steps)) {
		char *command;

		lineno++;
		if (!strchr(line, '\n') && !feof(steps)) {
			printf("init: %s:%u: line longer than %d bytes\n", STEPS_FILE, lineno,
			       MAX_LINE);
			fclose(steps);
			return false;
		}
		command = command_of(line);
		if (*command)
			run_step(++n, command, timeout_s);
	}
	fclose(steps);
	return true;
}

int main(void)
{
	unsigned int timeout_s;
	bool done;

	mount_fs("devtmpfs", "/dev", "devtmpfs", false);
	ensure_console();
	setvbuf(stdout, NULL, _IOLBF, 0);
	mount_fs("proc", "/proc", "proc", false);
	mount_fs("sysfs", "/sys", "sysfs", false);
	mount_fs("debugfs", "/sys/kernel/debug", "debugfs", true);
	setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 1);

	timeout_s = step_timeout();
	done = run_steps(timeout_s);
	/* Without the DONE line the runner sees the steps file as broken, not as passing. */
	if (done)
		printf("PPCCOMPAT-DONE\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
