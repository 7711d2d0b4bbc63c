// SPDX-License-Identifier: GPL-2.0
#include "procmem.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>

/*
 * The next line of text from *pos, NUL-terminated in buf (cut to
 * PROCMEM_LINE_MAX - 1 bytes); its whole length, or -1 past the end.
 * The files are read whole rather than through stdio so that the same
 * code parses what the host's tests hold in memory.
 */
static long next_line(const char *text, size_t len, size_t *pos, char buf[PROCMEM_LINE_MAX])
{
	const char *start = text + *pos, *nl;
	size_t n, kept;

	if (*pos >= len)
		return -1;
	nl = memchr(start, '\n', len - *pos);
	n = nl ? (size_t)(nl - start) : len - *pos;
	*pos += n + (nl != NULL);
	kept = n < PROCMEM_LINE_MAX - 1 ? n : PROCMEM_LINE_MAX - 1;
	memcpy(buf, start, kept);
	buf[kept] = '\0';
	/* a NUL inside the line ends it for the parsers: count it as cut */
	if (strlen(buf) < kept)
		return PROCMEM_LINE_MAX;
	return (long)n;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A decimal number at *p (after blanks); false if none or it overflows a long. */
static bool parse_count(const char **p, long *out)
{
	const char *s = skip_blanks(*p);
	long v = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (LONG_MAX - (*s - '0')) / 10)
			return false;
		v = v * 10 + (*s - '0');
	}
	*p = s;
	*out = v;
	return true;
}

static bool add(long *sum, long n)
{
	if (n > LONG_MAX - *sum)
		return false;
	*sum += n;
	return true;
}

long procmem_buddy_pages(const char *text, size_t len)
{
	char line[PROCMEM_LINE_MAX];
	size_t pos = 0;
	long pages = 0, n;
	bool zones = false;

	while ((n = next_line(text, len, &pos, line)) >= 0) {
		const char *p;
		int order = 0;
		long blocks;

		if (strncmp(line, "Node ", 5))
			continue;
		if (n >= PROCMEM_LINE_MAX)
			return -1;
		/* "Node 0, zone   Normal": the zone's name, then its counts */
		p = strstr(line, " zone ");
		if (!p)
			return -1;
		p = skip_blanks(p + 6);
		while (*p && *p != ' ' && *p != '\t')
			p++;
		for (; parse_count(&p, &blocks); order++) {
			if (order >= 32 || blocks > (LONG_MAX >> order) ||
			    !add(&pages, blocks << order))
				return -1;
		}
		if (order == 0 || *skip_blanks(p))
			return -1;
		zones = true;
	}
	return zones ? pages : -1;
}

long procmem_pcp_pages(const char *text, size_t len)
{
	char line[PROCMEM_LINE_MAX];
	size_t pos = 0;
	long pages = 0, count, n;
	bool lists = false;

	while ((n = next_line(text, len, &pos, line)) >= 0) {
		const char *p = skip_blanks(line);

		if (strncmp(p, "count:", 6))
			continue;
		if (n >= PROCMEM_LINE_MAX)
			return -1;
		p += 6;
		if (!parse_count(&p, &count) || *skip_blanks(p) || !add(&pages, count))
			return -1;
		lists = true;
	}
	return lists ? pages : -1;
}

int procmem_meminfo(const char *text, size_t len, struct procmem_field *out, int max)
{
	char line[PROCMEM_LINE_MAX];
	size_t pos = 0;
	int stored = 0;
	long n;

	while (stored < max && (n = next_line(text, len, &pos, line)) >= 0) {
		const char *colon = strchr(line, ':'), *p;
		size_t name_len;
		long kb;

		if (n >= PROCMEM_LINE_MAX || !colon || colon == line)
			continue;
		p = colon + 1;
		if (!parse_count(&p, &kb))
			continue;
		name_len = (size_t)(colon - line);
		if (name_len >= sizeof(out->name))
			name_len = sizeof(out->name) - 1;
		memcpy(out[stored].name, line, name_len);
		out[stored].name[name_len] = '\0';
		out[stored++].kb = kb;
	}
	return stored;
}
