// SPDX-License-Identifier: GPL-2.0
#include "ustar.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BLOCK 512

struct header {
	char name[100];
	char mode[8];
	char uid[8];
	char gid[8];
	char size[12];
	char mtime[12];
	char chksum[8];
	char typeflag;
	char linkname[100];
	char magic[6];
	char version[2];
	char uname[32];
	char gname[32];
	char devmajor[8];
	char devminor[8];
	char prefix[155];
	char pad[12];
};

_Static_assert(sizeof(struct header) == BLOCK, "ustar header is one block");

/* Splits name at a '/' so that it fits ustar's 155-byte prefix and 100-byte name. */
static int set_name(struct header *h, const char *name)
{
	size_t len = strlen(name);

	if (len <= sizeof(h->name)) {
		memcpy(h->name, name, len);
		return 0;
	}
	for (size_t i = len; i-- > 0;) {
		if (name[i] != '/' || i > sizeof(h->prefix))
			continue;
		if (len - i - 1 > sizeof(h->name) || len - i - 1 == 0)
			return -ENAMETOOLONG;
		memcpy(h->prefix, name, i);
		memcpy(h->name, name + i + 1, len - i - 1);
		return 0;
	}
	return -ENAMETOOLONG;
}

/* All of buf, or -errno: a pipe or a disk may take less per call. */
static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_entry(int fd, const char *name, char type, unsigned int mode,
		       const void *data, size_t size)
{
	struct header h;
	unsigned int sum = 0;
	static const char zeros[BLOCK];
	int ret;

	memset(&h, 0, sizeof(h));
	if (set_name(&h, name) < 0)
		return -ENAMETOOLONG;
	snprintf(h.mode, sizeof(h.mode), "%07o", mode);
	snprintf(h.uid, sizeof(h.uid), "%07o", 0);
	snprintf(h.gid, sizeof(h.gid), "%07o", 0);
	snprintf(h.size, sizeof(h.size), "%011zo", size);
	snprintf(h.mtime, sizeof(h.mtime), "%011o", 0);
	h.typeflag = type;
	memcpy(h.magic, "ustar", 6);
	memcpy(h.version, "00", 2);
	memcpy(h.uname, "root", 5);
	memcpy(h.gname, "root", 5);
	/* The checksum is computed with its own field read as spaces. */
	memset(h.chksum, ' ', sizeof(h.chksum));
	for (size_t i = 0; i < sizeof(h); i++)
		sum += ((const unsigned char *)&h)[i];
	snprintf(h.chksum, sizeof(h.chksum), "%06o", sum);

	ret = write_all(fd, &h, sizeof(h));
	if (ret == 0 && size)
		ret = write_all(fd, data, size);
	if (ret == 0 && size % BLOCK)
		ret = write_all(fd, zeros, BLOCK - size % BLOCK);
	return ret;
}

int ustar_add_dir(int fd, const char *name)
{
	char dir[256 + 2];
	int n = snprintf(dir, sizeof(dir), "%s/", name);

	if (n < 0 || (size_t)n >= sizeof(dir))
		return -ENAMETOOLONG;
	return write_entry(fd, dir, '5', 0755, NULL, 0);
}

int ustar_add_file(int fd, const char *name, const void *data, size_t size)
{
	return write_entry(fd, name, '0', 0644, data, size);
}

int ustar_finish(int fd)
{
	static const char zeros[2 * BLOCK];

	return write_all(fd, zeros, sizeof(zeros));
}
