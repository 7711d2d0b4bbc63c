// SPDX-License-Identifier: GPL-2.0
#include "caps-model.h"
#include "tap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

uint64_t caps_load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

void caps_store64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

const char *caps_fd_kind_name(enum caps_fd_kind kind)
{
	static const char *const names[CAPS_FD_KINDS] = {
		[CAPS_FD_VM] = "vm",
		[CAPS_FD_DEV] = "dev_kvm",
		[CAPS_FD_VCPU] = "vcpu",
		[CAPS_FD_OTHER] = "other",
		[CAPS_FD_CLOSED] = "closed",
	};

	return kind < CAPS_FD_KINDS ? names[kind] : "?";
}

const char *caps_errno_name(int err, char buf[static 16])
{
	return tap_errno_r(err, buf);
}

int caps_kernel_probe(int vm_fd, size_t page, struct caps_kernel *k)
{
	/* Only the size field of the first request is read by a kernel with the ioctl. */
	uint64_t over[1] = { (uint64_t)page + 1 };
	uint64_t req[3] = { CAPS_VER0, 0, UINT64_MAX };

	*k = (struct caps_kernel){ .page = page };
	k->present = ioctl(vm_fd, KVM_PPC_GET_COMPAT_CAPS, over) == 0 || errno != ENOTTY;
	if (!k->present) {
		k->backend_err = ENOTTY;
		return 0;
	}
	if (ioctl(vm_fd, KVM_PPC_GET_COMPAT_CAPS, req) < 0) {
		k->backend_err = errno;
		return 0;
	}
	if (req[0] != CAPS_VER0 || req[1] != 0 || (req[2] & ~PPCCOMPAT_KVM_COMPAT_BITMASK))
		return -EPROTO;
	k->caps = req[2];
	return 0;
}

bool caps_backend_agrees(int cap, int backend_err)
{
	if (cap == 1)
		return backend_err == 0 || backend_err == EINVAL;
	return backend_err == ENOTTY || backend_err == EINVAL;
}

int caps_fd_errno(const struct caps_kernel *k, enum caps_fd_kind kind)
{
	switch (kind) {
	case CAPS_FD_VM:
		return k->present ? 0 : ENOTTY;
	case CAPS_FD_DEV:
	case CAPS_FD_VCPU:
		return EINVAL;
	case CAPS_FD_OTHER:
		return ENOTTY;
	case CAPS_FD_CLOSED:
	default:
		return EBADF;
	}
}

static enum caps_access access_at(const struct caps_view *v, uintptr_t addr)
{
	if (addr < v->base || addr - v->base >= v->len)
		return CAPS_NONE;
	return v->access[(addr - v->base) / v->page];
}

/* The first address of the page after the one holding addr; 0 past the top. */
static uintptr_t next_page(const struct caps_view *v, uintptr_t addr)
{
	uintptr_t next = (addr / v->page + 1) * v->page;

	return next > addr ? next : 0;
}

/* Every byte of [addr, addr + n) has at least the access want. */
static bool range_has(const struct caps_view *v, uintptr_t addr, uint64_t n, enum caps_access want)
{
	uintptr_t last;

	if (n == 0)
		return true;
	if (n - 1 > UINTPTR_MAX - addr)
		return false;
	last = addr + (n - 1);
	for (uintptr_t a = addr;;) {
		uintptr_t next = next_page(v, a);

		if (access_at(v, a) < want)
			return false;
		if (!next || next > last)
			return true;
		a = next;
	}
}

/* n bytes of zero, a word at a time where it can. */
static bool all_zero(const unsigned char *p, size_t n)
{
	for (; n && (uintptr_t)p % sizeof(uint64_t); p++, n--)
		if (*p)
			return false;
	for (; n >= sizeof(uint64_t); p += sizeof(uint64_t), n -= sizeof(uint64_t)) {
		uint64_t w;

		memcpy(&w, p, sizeof(w));
		if (w)
			return false;
	}
	for (; n; p++, n--)
		if (*p)
			return false;
	return true;
}

/* A non-zero byte in the readable part of [addr, addr + n). */
static bool tail_nonzero(const struct caps_view *v, uintptr_t addr, uint64_t n)
{
	uintptr_t end = n > UINTPTR_MAX - addr ? UINTPTR_MAX : addr + n;

	if (addr < v->base)
		addr = v->base;
	if (end > v->base + v->len)
		end = v->base + v->len;
	for (uintptr_t a = addr; a < end;) {
		uintptr_t stop = next_page(v, a);

		if (!stop || stop > end)
			stop = end;
		if (access_at(v, a) != CAPS_NONE && !all_zero(v->before + (a - v->base), stop - a))
			return true;
		a = stop;
	}
	return false;
}

static void add(struct caps_expect *e, int err, enum caps_write write, bool partial,
		const char *step)
{
	if (e->n < CAPS_MAX_OUTCOMES)
		e->out[e->n++] = (struct caps_outcome){ err, write, partial, step };
}

void caps_model_expect(const struct caps_kernel *k, enum caps_fd_kind kind,
		       const struct caps_view *v, uintptr_t arg, struct caps_expect *e)
{
	uint64_t usize, flags;
	bool fault, nonzero;

	*e = (struct caps_expect){ .n = 0 };
	if (kind != CAPS_FD_VM || !k->present) {
		add(e, caps_fd_errno(k, kind), CAPS_WRITE_NOTHING, false,
		    kind == CAPS_FD_VM ? "no such ioctl" : "not a VM fd");
		return;
	}
	if (!range_has(v, arg, sizeof(usize), CAPS_READ)) {
		add(e, EFAULT, CAPS_WRITE_NOTHING, false, "1 (size unreadable)");
		return;
	}
	usize = caps_load64(v->before + (arg - v->base));
	e->size_read = true;
	e->usize = usize;
	if (usize > k->page) {
		add(e, E2BIG, CAPS_WRITE_NOTHING, false, "2 (size over PAGE_SIZE)");
		return;
	}
	if (usize < CAPS_VER0) {
		add(e, EINVAL, CAPS_WRITE_NOTHING, false, "3 (size under 24)");
		return;
	}

	/*
	 * Step 4. ABI.md does not order the reading of the struct against the
	 * check of its unknown bytes, so a struct that both faults and has a
	 * non-zero unknown byte may give either EFAULT or the E2BIG path.
	 * After a read fault nothing is written back: the size is written
	 * "so userspace can retry", which only E2BIG asks for.
	 */
	fault = !range_has(v, arg, usize, CAPS_READ);
	nonzero = usize > CAPS_VER0 && tail_nonzero(v, arg + CAPS_VER0, usize - CAPS_VER0);
	if (fault)
		add(e, EFAULT, CAPS_WRITE_NOTHING, false, "4 (struct unreadable)");
	if (nonzero) {
		if (range_has(v, arg, sizeof(usize), CAPS_RW))
			add(e, E2BIG, CAPS_WRITE_SIZE, false, "4 (non-zero unknown byte)");
		else
			add(e, EFAULT, CAPS_WRITE_SIZE, true,
			    "4 (non-zero unknown byte, size not writable)");
	}
	if (fault || nonzero)
		return;

	flags = caps_load64(v->before + (arg - v->base) + CAPS_OFF_FLAGS);
	if (flags) {
		add(e, EINVAL, CAPS_WRITE_NOTHING, false, "5 (flags)");
		return;
	}
	if (k->backend_err) {
		add(e, k->backend_err, CAPS_WRITE_NOTHING, false, "6-7 (backend)");
		return;
	}
	/* Step 8. How a failed copy-out leaves the struct ABI.md does not say: byte by byte. */
	if (range_has(v, arg, usize, CAPS_RW))
		add(e, 0, CAPS_WRITE_ANSWER, false, "8 (answer)");
	else
		add(e, EFAULT, CAPS_WRITE_ANSWER, true, "8 (answer not writable)");
}

/* The byte the outcome's write puts at offset off of the struct. */
static unsigned char written_byte(const struct caps_kernel *k, enum caps_write write, uint64_t off)
{
	unsigned char image[CAPS_VER0];

	if (off >= CAPS_VER0)
		return 0;
	caps_store64(image + CAPS_OFF_SIZE, CAPS_VER0);
	caps_store64(image + CAPS_OFF_FLAGS, 0);
	caps_store64(image + CAPS_OFF_CAPS, write == CAPS_WRITE_ANSWER ? k->caps : 0);
	return image[off];
}

/*
 * The common case quickly: whole runs compared with memcmp() and a zero
 * scan. false means "look byte by byte" (a difference, or a partial write,
 * whose bytes may each be old or new), not necessarily a mismatch.
 */
static bool runs_match(const struct caps_kernel *k, const struct caps_view *v, uintptr_t arg,
		       const struct caps_outcome *o, uint64_t wlen, enum caps_access least,
		       const unsigned char *after, uintptr_t lo, uintptr_t hi)
{
	uintptr_t wend = wlen > UINTPTR_MAX - arg ? UINTPTR_MAX : arg + wlen;

	for (uintptr_t a = lo; a < hi;) {
		size_t i = a - v->base;
		uintptr_t b = a + (v->page - i % v->page), ws, we;

		if (b > hi)
			b = hi;
		if (v->access[i / v->page] == CAPS_NONE) {
			a = b;
			continue;
		}
		ws = v->access[i / v->page] >= least && wlen && arg < b && wend > a ?
			     (arg > a ? arg : a) :
			     b;
		we = ws < b ? (wend < b ? wend : b) : b;
		/* unchanged before and after the written part */
		if (memcmp(after + i, v->before + i, ws - a) ||
		    memcmp(after + (we - v->base), v->before + (we - v->base), b - we))
			return false;
		if (ws < we) {
			uint64_t off = ws - arg;

			if (o->partial)
				return false;
			for (; off < CAPS_VER0 && arg + off < we; off++)
				if (after[arg + off - v->base] != written_byte(k, o->write, off))
					return false;
			if (arg + off < we && !all_zero(after + (arg + off - v->base), we - (arg + off)))
				return false;
		}
		a = b;
	}
	return true;
}

/*
 * The bytes after the call are what outcome o leaves. least: the access a
 * page needs for the write to land in it (CAPS_RW; CAPS_READ to ask whether
 * read-only bytes already held what the write would have put there).
 */
static bool bytes_match(const struct caps_kernel *k, const struct caps_view *v, uintptr_t arg,
			const struct caps_expect *e, const struct caps_outcome *o,
			enum caps_access least, const unsigned char *after, uintptr_t lo,
			uintptr_t hi, char *why, size_t why_size)
{
	uint64_t wlen = o->write == CAPS_WRITE_SIZE	? sizeof(uint64_t) :
			o->write == CAPS_WRITE_ANSWER ? e->usize :
							  0;

	if (lo < v->base)
		lo = v->base;
	if (hi > v->base + v->len)
		hi = v->base + v->len;
	if (runs_match(k, v, arg, o, wlen, least, after, lo, hi))
		return true;
	for (uintptr_t a = lo; a < hi; a++) {
		size_t i = a - v->base;
		enum caps_access acc = v->access[i / v->page];
		unsigned char old = v->before[i], now, new;

		if (acc == CAPS_NONE) {
			a += v->page - i % v->page - 1;
			continue;
		}
		now = after[i];
		if (wlen && a >= arg && a - arg < wlen && acc >= least) {
			new = written_byte(k, o->write, a - arg);
			if (now == new || (o->partial && now == old))
				continue;
			snprintf(why, why_size,
				 "byte %" PRIu64 " of the struct is 0x%02x, expected 0x%02x%s",
				 (uint64_t)(a - arg), now, new, o->partial ? " or unchanged" : "");
			return false;
		}
		if (now != old) {
			if (a >= arg && a - arg < e->usize)
				snprintf(why, why_size,
					 "byte %" PRIu64 " of the struct changed from 0x%02x to 0x%02x, "
					 "which step %s does not write",
					 (uint64_t)(a - arg), old, now, o->step);
			else
				snprintf(why, why_size,
					 "byte at %+" PRId64 " from the struct changed from 0x%02x to 0x%02x, "
					 "outside the user's size",
					 (int64_t)(a - arg), old, now);
			return false;
		}
	}
	return true;
}

const struct caps_outcome *caps_model_check(const struct caps_kernel *k,
					    const struct caps_view *v, uintptr_t arg,
					    const struct caps_expect *e, int err,
					    const unsigned char *after, uintptr_t lo, uintptr_t hi,
					    char *why, size_t why_size)
{
	char got[16], want[64];
	bool errno_matched = false;

	for (unsigned int i = 0; i < e->n; i++) {
		const struct caps_outcome *o = &e->out[i];

		if (o->err != err)
			continue;
		errno_matched = true;
		if (bytes_match(k, v, arg, e, o, CAPS_RW, after, lo, hi, why, why_size))
			return o;
	}
	if (!errno_matched)
		snprintf(why, why_size, "%s, expected %s (step %s)", caps_errno_name(err, got),
			 caps_expect_errnos(e, want, sizeof(want)), e->n ? e->out[0].step : "?");
	return NULL;
}

bool caps_model_unwritten_unchanged(const struct caps_kernel *k, const struct caps_view *v,
				    uintptr_t arg, const struct caps_expect *e, int err,
				    const unsigned char *after, uintptr_t lo, uintptr_t hi)
{
	static const struct caps_outcome whole = { 0, CAPS_WRITE_ANSWER, false, "8 (answer)" };
	char why[8];

	if (err != 0 || e->n != 1 || e->out[0].err != EFAULT ||
	    e->out[0].write != CAPS_WRITE_ANSWER)
		return false;
	/* every byte of the answer in place, the read-only ones because they held it already */
	return bytes_match(k, v, arg, e, &whole, CAPS_READ, after, lo, hi, why, sizeof(why));
}

const char *caps_expect_errnos(const struct caps_expect *e, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < e->n; i++) {
		char name[16];
		bool seen = false;

		for (unsigned int j = 0; j < i; j++)
			seen |= e->out[j].err == e->out[i].err;
		if (seen)
			continue;
		used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
					 used ? "|" : "", caps_errno_name(e->out[i].err, name));
		if (used >= size)
			break;
	}
	return buf;
}
