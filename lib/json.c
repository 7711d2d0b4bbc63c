// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * A bounded JSON reader (RFC 8259) for the few keys `ppccompat baseline`
 * needs from a report. Everything else is validated and skipped; nesting
 * and size are capped, and no memory is allocated.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct parser {
	const unsigned char *s;
	size_t len;
	size_t pos;
	struct ppccompat_error *err;
};

static int fail(struct parser *p, int code, const char *field, const char *what)
{
	return pc_fail(p->err, code, 0, NULL, field, "byte %zu: %s", p->pos, what);
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static bool peek_is(struct parser *p, unsigned char c)
{
	return p->pos < p->len && p->s[p->pos] == c;
}

static int expect(struct parser *p, unsigned char c, const char *what)
{
	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, PPCCOMPAT_ERR_TRUNCATED, NULL, what);
	if (!peek_is(p, c))
		return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, what);
	p->pos++;
	return 0;
}

static int hex4(struct parser *p, unsigned int *out)
{
	unsigned int v = 0;

	if (p->len - p->pos < 4)
		return fail(p, PPCCOMPAT_ERR_TRUNCATED, NULL, "short \\u escape");
	for (int i = 0; i < 4; i++) {
		unsigned char c = p->s[p->pos++];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, "bad \\u escape");
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* Append one byte to the decoded string; overlong strings only set *over. */
static void put(char *out, size_t cap, size_t *n, bool *over, unsigned char c)
{
	if (!out)
		return;
	if (*n + 1 < cap)
		out[(*n)++] = (char)c;
	else
		*over = true;
}

static void put_utf8(char *out, size_t cap, size_t *n, bool *over, unsigned int cp)
{
	if (cp < 0x80) {
		put(out, cap, n, over, (unsigned char)cp);
	} else if (cp < 0x800) {
		put(out, cap, n, over, (unsigned char)(0xc0 | cp >> 6));
		put(out, cap, n, over, (unsigned char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		put(out, cap, n, over, (unsigned char)(0xe0 | cp >> 12));
		put(out, cap, n, over, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		put(out, cap, n, over, (unsigned char)(0x80 | (cp & 0x3f)));
	} else {
		put(out, cap, n, over, (unsigned char)(0xf0 | cp >> 18));
		put(out, cap, n, over, (unsigned char)(0x80 | ((cp >> 12) & 0x3f)));
		put(out, cap, n, over, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		put(out, cap, n, over, (unsigned char)(0x80 | (cp & 0x3f)));
	}
}

static int escape(struct parser *p, char *out, size_t cap, size_t *n, bool *over)
{
	static const char simple_in[] = "\"\\/bfnrt";
	static const char simple_out[] = "\"\\/\b\f\n\r\t";
	unsigned int cp, low;
	const char *hit;
	int ret;

	if (p->pos >= p->len)
		return fail(p, PPCCOMPAT_ERR_TRUNCATED, NULL, "unterminated string");
	hit = p->s[p->pos] ? strchr(simple_in, p->s[p->pos]) : NULL;
	if (hit) {
		p->pos++;
		put(out, cap, n, over, (unsigned char)simple_out[hit - simple_in]);
		return 0;
	}
	if (p->s[p->pos] != 'u')
		return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, "bad escape");
	p->pos++;
	ret = hex4(p, &cp);
	if (ret < 0)
		return ret;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
			return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, "lone high surrogate");
		p->pos += 2;
		ret = hex4(p, &low);
		if (ret < 0)
			return ret;
		if (low < 0xdc00 || low > 0xdfff)
			return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
	}
	put_utf8(out, cap, n, over, cp);
	return 0;
}

/* Length of a valid UTF-8 sequence starting at s[0], 0 if invalid (RFC 3629). */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	size_t need;
	unsigned int cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	need = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (avail < need)
		return 0;
	cp = s[0] & (0x7f >> need);
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

/*
 * A string at p->pos (after whitespace). Decoded into out (cap bytes,
 * NUL-terminated) when out is non-NULL; *over tells it did not fit.
 */
static int string(struct parser *p, char *out, size_t cap, size_t *out_len, bool *over)
{
	size_t n = 0;
	bool overflow = false;
	int ret;

	ret = expect(p, '"', "expected a string");
	if (ret < 0)
		return ret;
	for (;;) {
		unsigned char c;

		if (p->pos >= p->len)
			return fail(p, PPCCOMPAT_ERR_TRUNCATED, NULL, "unterminated string");
		c = p->s[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20)
			return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, "control character in string");
		if (c == '\\') {
			p->pos++;
			ret = escape(p, out, cap, &n, &overflow);
			if (ret < 0)
				return ret;
			continue;
		}
		if (c < 0x80) {
			put(out, cap, &n, &overflow, c);
			p->pos++;
			continue;
		}
		size_t seq = utf8_len(p->s + p->pos, p->len - p->pos);

		if (!seq)
			return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, "invalid UTF-8");
		for (size_t i = 0; i < seq; i++)
			put(out, cap, &n, &overflow, p->s[p->pos + i]);
		p->pos += seq;
	}
	if (out)
		out[n] = '\0';
	if (out_len)
		*out_len = n;
	if (over)
		*over = overflow;
	return 0;
}

static bool is_digit(struct parser *p)
{
	return p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9';
}

static int number(struct parser *p)
{
	if (peek_is(p, '-'))
		p->pos++;
	if (peek_is(p, '0')) {
		p->pos++;
	} else if (is_digit(p)) {
		while (is_digit(p))
			p->pos++;
	} else {
		return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, "bad number");
	}
	if (peek_is(p, '.')) {
		p->pos++;
		if (!is_digit(p))
			return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, "bad fraction");
		while (is_digit(p))
			p->pos++;
	}
	if (peek_is(p, 'e') || peek_is(p, 'E')) {
		p->pos++;
		if (peek_is(p, '+') || peek_is(p, '-'))
			p->pos++;
		if (!is_digit(p))
			return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, "bad exponent");
		while (is_digit(p))
			p->pos++;
	}
	return 0;
}

static bool literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return false;
	p->pos += n;
	return true;
}

static int value(struct parser *p, unsigned int depth);

/* '[' or '{' already consumed; items until close. */
static int container(struct parser *p, unsigned int depth, bool object)
{
	unsigned char close = object ? '}' : ']';
	int ret;

	if (depth > PPCCOMPAT_MAX_JSON_DEPTH)
		return fail(p, PPCCOMPAT_ERR_TOO_BIG, NULL, "nested too deeply");
	skip_ws(p);
	if (peek_is(p, close)) {
		p->pos++;
		return 0;
	}
	for (;;) {
		if (object) {
			ret = string(p, NULL, 0, NULL, NULL);
			if (ret == 0)
				ret = expect(p, ':', "expected ':'");
			if (ret < 0)
				return ret;
		}
		ret = value(p, depth);
		if (ret < 0)
			return ret;
		skip_ws(p);
		if (peek_is(p, ',')) {
			p->pos++;
			continue;
		}
		return expect(p, close, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int value(struct parser *p, unsigned int depth)
{
	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, PPCCOMPAT_ERR_TRUNCATED, NULL, "expected a value");
	switch (p->s[p->pos]) {
	case '{':
		p->pos++;
		return container(p, depth + 1, true);
	case '[':
		p->pos++;
		return container(p, depth + 1, false);
	case '"':
		return string(p, NULL, 0, NULL, NULL);
	case 't':
	case 'f':
	case 'n':
		if (literal(p, "true") || literal(p, "false") || literal(p, "null"))
			return 0;
		return fail(p, PPCCOMPAT_ERR_MALFORMED, NULL, "unknown literal");
	default:
		return number(p);
	}
}

/* A mode name string, or null when nullable. */
static int mode_value(struct parser *p, const char *key, bool nullable, enum ppccompat_mode *mode)
{
	char name[32];
	size_t n;
	bool over;
	int ret;

	skip_ws(p);
	if (nullable && literal(p, "null")) {
		*mode = PPCCOMPAT_MODE_NONE;
		return 0;
	}
	if (!peek_is(p, '"'))
		return fail(p, PPCCOMPAT_ERR_MALFORMED, key,
			    nullable ? "expected a mode name or null" : "expected a mode name");
	ret = string(p, name, sizeof(name), &n, &over);
	if (ret < 0)
		return ret;
	if (over || strlen(name) != n || ppccompat_mode_from_name(name, mode) < 0)
		return fail(p, PPCCOMPAT_ERR_UNKNOWN_MODE, key, over ? "name too long" : name);
	return 0;
}

/* '[' item (',' item)* ']', or '[]'; item reads one element. */
static int array(struct parser *p, const char *key, const char *what,
		 int (*item)(struct parser *p, void *ctx), void *ctx)
{
	int ret;

	skip_ws(p);
	if (!peek_is(p, '['))
		return fail(p, PPCCOMPAT_ERR_MALFORMED, key, what);
	p->pos++;
	skip_ws(p);
	if (peek_is(p, ']')) {
		p->pos++;
		return 0;
	}
	for (;;) {
		ret = item(p, ctx);
		if (ret < 0)
			return ret;
		skip_ws(p);
		if (peek_is(p, ',')) {
			p->pos++;
			continue;
		}
		return expect(p, ']', "expected ',' or ']'");
	}
}

static int allowed_mode_item(struct parser *p, void *ctx)
{
	enum ppccompat_mode mode;
	int ret = mode_value(p, "allowed_modes", false, &mode);
	uint32_t *modes = ctx;

	if (ret < 0)
		return ret;
	/* the schema's order: oldest first, each once; anything else was not written by us */
	if (*modes & ~(PPCCOMPAT_MODE_BIT(mode) - 1))
		return fail(p, PPCCOMPAT_ERR_MALFORMED, "allowed_modes",
			    "modes out of order or repeated (oldest first, each once)");
	*modes |= PPCCOMPAT_MODE_BIT(mode);
	return 0;
}

static int allowed_modes(struct parser *p, uint32_t *modes)
{
	*modes = 0;
	return array(p, "allowed_modes", "expected an array of mode names", allowed_mode_item,
		     modes);
}

/* A short string that must fit out whole, or null (out left as it is). */
static int short_string_or_null(struct parser *p, const char *key, char *out, size_t cap,
				const char *too_long)
{
	size_t n;
	bool over;
	int ret;

	skip_ws(p);
	if (literal(p, "null"))
		return 0;
	if (!peek_is(p, '"'))
		return fail(p, PPCCOMPAT_ERR_MALFORMED, key, "expected a string or null");
	ret = string(p, out, cap, &n, &over);
	if (ret < 0)
		return ret;
	if (over || strlen(out) != n)
		return fail(p, PPCCOMPAT_ERR_MALFORMED, key, too_long);
	return 0;
}

/* "format_version": a plain non-negative integer, at most 9 digits. */
static int version_value(struct parser *p, unsigned int *out)
{
	size_t start;
	unsigned int v = 0;

	skip_ws(p);
	start = p->pos;
	while (is_digit(p) && p->pos - start < 9)
		v = v * 10 + (unsigned int)(p->s[p->pos++] - '0');
	if (p->pos == start || is_digit(p) || peek_is(p, '.') || peek_is(p, 'e') ||
	    peek_is(p, 'E') || (p->s[start] == '0' && p->pos - start > 1))
		return fail(p, PPCCOMPAT_ERR_MALFORMED, "format_version",
			    "expected a non-negative integer");
	*out = v;
	return 0;
}

/* "evidence": one of the level names ppccompat_evidence_name() gives. */
static int evidence_value(struct parser *p, enum ppccompat_evidence *out)
{
	static const enum ppccompat_evidence levels[] = {
		PPCCOMPAT_EVIDENCE_NONE, PPCCOMPAT_EVIDENCE_WEAK, PPCCOMPAT_EVIDENCE_STRONG,
		PPCCOMPAT_EVIDENCE_CERTAIN,
	};
	char name[16];
	size_t n;
	bool over;
	int ret;

	skip_ws(p);
	if (!peek_is(p, '"'))
		return fail(p, PPCCOMPAT_ERR_MALFORMED, "evidence", "expected a string");
	ret = string(p, name, sizeof(name), &n, &over);
	if (ret < 0)
		return ret;
	for (size_t i = 0; !over && strlen(name) == n && i < PC_ARRAY_SIZE(levels); i++) {
		if (!strcmp(name, ppccompat_evidence_name(levels[i]))) {
			*out = levels[i];
			return 0;
		}
	}
	return fail(p, PPCCOMPAT_ERR_MALFORMED, "evidence", "no evidence level");
}

/* A note name; one this version does not know is skipped (a newer writer's). */
static int note_item(struct parser *p, void *ctx)
{
	char name[32];
	size_t n;
	bool over;
	int ret;

	skip_ws(p);
	if (!peek_is(p, '"'))
		return fail(p, PPCCOMPAT_ERR_MALFORMED, "notes", "expected a note name");
	ret = string(p, name, sizeof(name), &n, &over);
	if (ret < 0 || over || strlen(name) != n)
		return ret;
	for (unsigned int bit = 1; bit & PPCCOMPAT_NOTES_ALL; bit <<= 1) {
		if (!strcmp(name, ppccompat_note_name(bit)))
			*(unsigned int *)ctx |= bit;
	}
	return ret;
}

/*
 * "error": the object a failed run writes; its "message" is kept, cut to
 * fit (it is for display), every other member checked and skipped.
 */
static int error_value(struct parser *p, struct ppccompat_report *r)
{
	char key[16];
	size_t n;
	bool over;
	int ret;

	if (expect(p, '{', "expected an error object") < 0)
		return fail(p, PPCCOMPAT_ERR_MALFORMED, "error", "expected an object");
	r->error = true;
	skip_ws(p);
	if (peek_is(p, '}')) {
		p->pos++;
		return 0;
	}
	for (;;) {
		ret = string(p, key, sizeof(key), &n, &over);
		if (ret == 0)
			ret = expect(p, ':', "expected ':'");
		if (ret < 0)
			return ret;
		skip_ws(p);
		if (!over && n == 7 && !memcmp(key, "message", 7) && peek_is(p, '"'))
			ret = string(p, r->error_message, sizeof(r->error_message), &n, &over);
		else
			ret = value(p, 2);
		if (ret < 0)
			return ret;
		skip_ws(p);
		if (peek_is(p, ',')) {
			p->pos++;
			skip_ws(p);
			continue;
		}
		return expect(p, '}', "expected ',' or '}'");
	}
}

enum {
	SEEN_ALLOWED = 1,
	SEEN_EFFECTIVE = 2,
	SEEN_RECOMMENDED = 4,
	SEEN_COMMAND = 8,
	SEEN_FORMAT = 16,
	SEEN_EVIDENCE = 32,
	SEEN_NOTES = 64,
	SEEN_HOSTNAME = 128,
	SEEN_ERROR = 256,
};

static int member(struct parser *p, struct ppccompat_report *r, unsigned int *seen)
{
	static const struct {
		const char *key;
		unsigned int bit;
	} keys[] = {
		{ "allowed_modes", SEEN_ALLOWED },
		{ "effective_mode", SEEN_EFFECTIVE },
		{ "recommended_mode", SEEN_RECOMMENDED },
		{ "command", SEEN_COMMAND },
		{ "format_version", SEEN_FORMAT },
		{ "evidence", SEEN_EVIDENCE },
		{ "notes", SEEN_NOTES },
		{ "hostname", SEEN_HOSTNAME },
		{ "error", SEEN_ERROR },
	};
	char key[32];
	size_t n;
	bool over;
	int ret;

	ret = string(p, key, sizeof(key), &n, &over);
	if (ret == 0)
		ret = expect(p, ':', "expected ':'");
	if (ret < 0)
		return ret;
	for (size_t i = 0; !over && i < PC_ARRAY_SIZE(keys); i++) {
		if (n != strlen(keys[i].key) || memcmp(key, keys[i].key, n))
			continue;
		if (*seen & keys[i].bit)
			return fail(p, PPCCOMPAT_ERR_MALFORMED, keys[i].key, "duplicate key");
		*seen |= keys[i].bit;
		switch (keys[i].bit) {
		case SEEN_ALLOWED:
			return allowed_modes(p, &r->allowed_modes);
		case SEEN_EFFECTIVE:
			return mode_value(p, keys[i].key, true, &r->effective_mode);
		case SEEN_COMMAND:
			/* the caller decides which commands it reads; null: failed early */
			return short_string_or_null(p, keys[i].key, r->command, sizeof(r->command),
						    "no ppccompat command");
		case SEEN_FORMAT:
			return version_value(p, &r->format_version);
		case SEEN_EVIDENCE:
			return evidence_value(p, &r->evidence);
		case SEEN_NOTES:
			return array(p, keys[i].key, "expected an array of note names", note_item,
				     &r->notes);
		case SEEN_HOSTNAME:
			/* HOST_NAME_MAX is 64 */
			return short_string_or_null(p, keys[i].key, r->hostname,
						    sizeof(r->hostname), "no host name");
		case SEEN_ERROR:
			return error_value(p, r);
		default:
			return mode_value(p, keys[i].key, true, &r->recommended_mode);
		}
	}
	return value(p, 1);
}

int pc_report_parse_json(const char *text, size_t len, struct ppccompat_report *report,
			 struct ppccompat_error *err)
{
	struct parser p = { .s = (const unsigned char *)text, .len = len, .err = err };
	struct ppccompat_report r;
	unsigned int seen = 0;
	int ret;

	pc_error_clear(err);
	if ((!text && len) || !report)
		return pc_fail(err, PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL, NULL);
	if (len > PPCCOMPAT_MAX_JSON_SIZE)
		return pc_fail(err, PPCCOMPAT_ERR_TOO_BIG, 0, NULL, NULL, "larger than %u bytes",
			       PPCCOMPAT_MAX_JSON_SIZE);
	memset(&r, 0, sizeof(r));
	r.effective_mode = PPCCOMPAT_MODE_NONE;
	r.recommended_mode = PPCCOMPAT_MODE_NONE;
	ret = expect(&p, '{', "expected a JSON object");
	if (ret < 0)
		return ret;
	skip_ws(&p);
	if (!peek_is(&p, '}')) {
		for (;;) {
			ret = member(&p, &r, &seen);
			if (ret < 0)
				return ret;
			skip_ws(&p);
			if (peek_is(&p, ',')) {
				p.pos++;
				continue;
			}
			break;
		}
	}
	ret = expect(&p, '}', "expected ',' or '}'");
	if (ret < 0)
		return ret;
	skip_ws(&p);
	if (p.pos != p.len)
		return fail(&p, PPCCOMPAT_ERR_MALFORMED, NULL, "data after the object");
	/*
	 * A failed run's object has no answer to give: the caller says so. A
	 * whole object without either is another command's output (baseline's,
	 * qemu-args'): what it held is handed back so the caller can name it.
	 */
	if ((seen & SEEN_ALLOWED) && r.recommended_mode != PPCCOMPAT_MODE_NONE &&
	    !(r.allowed_modes & PPCCOMPAT_MODE_BIT(r.recommended_mode)))
		return pc_fail(err, PPCCOMPAT_ERR_MALFORMED, 0, NULL, "recommended_mode",
			       "%s is not among allowed_modes", ppccompat_mode_name(r.recommended_mode));
	if (!(seen & (SEEN_ALLOWED | SEEN_ERROR))) {
		*report = r;
		return pc_fail(err, PPCCOMPAT_ERR_MALFORMED, 0, NULL, "allowed_modes", "missing");
	}
	*report = r;
	return 0;
}
