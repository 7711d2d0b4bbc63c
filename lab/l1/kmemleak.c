// SPDX-License-Identifier: GPL-2.0
#include "kmemleak.h"

#include <errno.h>
#include <string.h>

/* A line of the text: [p, p + len), its newline excluded. */
struct line {
	const char *p;
	size_t len;
};

static bool starts(const struct line *l, size_t *pos, const char *prefix)
{
	size_t n = strlen(prefix);

	if (l->len - *pos < n || memcmp(l->p + *pos, prefix, n))
		return false;
	*pos += n;
	return true;
}

/* Digits of base 10 or 16 at *pos, at least one, without overflow. */
static bool number(const struct line *l, size_t *pos, unsigned int base, uint64_t *out)
{
	uint64_t v = 0;
	size_t start = *pos;

	for (; *pos < l->len; (*pos)++) {
		char c = l->p[*pos];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return *pos > start;
}

/* "unreferenced object[ (percpu)] 0xADDR (size N):" */
static bool parse_header(const struct line *l, struct kmemleak_record *rec)
{
	size_t pos = 0;

	if (!starts(l, &pos, "unreferenced object"))
		return false;
	if (starts(l, &pos, " (")) {
		/* the kind of object 7.x names: a word, no spaces */
		while (pos < l->len && l->p[pos] != ')' && l->p[pos] != ' ')
			pos++;
		if (!starts(l, &pos, ")"))
			return false;
	}
	return starts(l, &pos, " 0x") && number(l, &pos, 16, &rec->addr) &&
	       starts(l, &pos, " (size ") && number(l, &pos, 10, &rec->size) &&
	       starts(l, &pos, "):") && pos == l->len;
}

/*
 * "  comm \"NAME\", pid N, jiffies J": the name is the task's, which any
 * program may set to anything (PR_SET_NAME), quotes and commas included, so
 * it ends at the last "\", pid ".
 */
static bool parse_comm(const struct line *l, struct kmemleak_record *rec)
{
	static const char sep[] = "\", pid ";
	size_t pos = 0, name, end = 0, n;
	uint64_t pid;

	if (!starts(l, &pos, "  comm \""))
		return false;
	name = pos;
	for (size_t i = name; i + sizeof(sep) - 1 <= l->len; i++)
		if (!memcmp(l->p + i, sep, sizeof(sep) - 1))
			end = i;
	if (!end)
		return false;
	n = end - name < KMEMLEAK_COMM_MAX - 1 ? end - name : KMEMLEAK_COMM_MAX - 1;
	memcpy(rec->comm, l->p + name, n);
	rec->comm[n] = '\0';
	pos = end + sizeof(sep) - 1;
	if (!number(l, &pos, 10, &pid) || pid > (uint64_t)INT32_MAX ||
	    !starts(l, &pos, ", jiffies ") || !number(l, &pos, 10, &rec->jiffies))
		return false;
	rec->pid = (long)pid;
	/* before 6.1 the line ended with " (age S.MMMs)" */
	if (pos < l->len && !(starts(l, &pos, " (age ") && l->p[l->len - 1] == ')'))
		return false;
	return true;
}

/*
 * Whether a backtrace line ("    sym+0x1/0x2", 6.1: "    [<hash>] sym+0x1/0x2", a module's
 * with " [mod]" after) is in KVM: a symbol of KVM's prefixes, leading underscores aside, or
 * in kvm, kvm_hv, kvm_pr. Not a bare "kvm" anywhere: kvmalloc(), kvmemdup() are mm's.
 */
static bool kvm_frame(const struct line *l)
{
	static const char *const prefixes[] = { "kvm_", "kvmppc_", "kvmhv_" };
	static const char *const modules[] = { " [kvm]", " [kvm_" };
	size_t pos = 0;

	while (pos < l->len && l->p[pos] == ' ')
		pos++;
	if (starts(l, &pos, "[<")) {
		while (pos < l->len && l->p[pos] != ']')
			pos++;
		if (!starts(l, &pos, "] "))
			return false;
	}
	while (pos < l->len && l->p[pos] == '_')
		pos++;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t at = pos;

		if (starts(l, &at, prefixes[i]))
			return true;
	}
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		size_t n = strlen(modules[i]);

		for (size_t at = pos; at + n <= l->len; at++)
			if (!memcmp(l->p + at, modules[i], n))
				return true;
	}
	return false;
}

int kmemleak_parse(const char *text, size_t len, struct kmemleak_report *r, size_t *bad_line)
{
	struct kmemleak_record cur = { 0 };
	/* which line of the current record comes next: 0 = none open */
	size_t at = 0, lineno = 0;
	bool in_backtrace = false;

	memset(r, 0, sizeof(*r));
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t next = nl ? (size_t)(nl - text) + 1 : len;
		struct line l = { text + off, (nl ? (size_t)(nl - text) : len) - off };

		lineno++;
		if (l.len >= 19 && !memcmp(l.p, "unreferenced object", 19)) {
			if (at == 1)    /* the previous record had no comm line */
				goto bad;
			if (at && r->kept < KMEMLEAK_MAX_RECORDS)
				r->records[r->kept++] = cur;
			memset(&cur, 0, sizeof(cur));
			if (!parse_header(&l, &cur))
				goto bad;
			cur.start = off;
			r->count++;
			at = 1;
			in_backtrace = false;
		} else if (at == 1) {
			if (!parse_comm(&l, &cur))
				goto bad;
			at = 2;
		} else if (at >= 2 && l.len > 2 && l.p[0] == ' ' && l.p[1] == ' ') {
			if (l.p[2] != ' ')
				in_backtrace = l.len >= 11 && !memcmp(l.p, "  backtrace", 11);
			else if (in_backtrace && kvm_frame(&l))
				cur.kvm_frame = true;
		} else {
			goto bad;
		}
		cur.len = next - cur.start;
		off = next;
	}
	if (at == 1) {
		/* the text ends where the comm line should be */
		lineno++;
		goto bad;
	}
	if (at && r->kept < KMEMLEAK_MAX_RECORDS)
		r->records[r->kept++] = cur;
	r->truncated = r->count > r->kept;
	return 0;
bad:
	*bad_line = lineno;
	return -EINVAL;
}

void kmemleak_classify(const struct kmemleak_report *r, const char *comm,
		       struct kmemleak_verdict *v)
{
	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < r->kept; i++) {
		const struct kmemleak_record *rec = &r->records[i];

		if (rec->kvm_frame || !strcmp(rec->comm, comm)) {
			if (!v->ours++)
				v->first_ours = rec;
		} else if (!v->others++) {
			v->first_other = rec;
		}
	}
}
