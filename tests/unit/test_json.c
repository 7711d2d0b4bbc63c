// SPDX-License-Identifier: GPL-2.0
/* The report reader behind `ppccompat baseline`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define BIT(m) PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_##m)

static int parse(const char *text, struct ppccompat_report *r, struct ppccompat_error *err)
{
	return ppccompat_report_parse_json(text, strlen(text), r, err);
}

static void accepted(void)
{
	struct ppccompat_report r;
	struct ppccompat_error err;
	const char *full =
		"{\n  \"ppccompat_version\": \"0.1.0\",\n"
		"  \"processor\": {\"raw_pvr\": \"0x00821200\", \"name\": \"Power11\"},\n"
		"  \"effective_mode\": \"power10\",\n  \"effective_mode_source\": \"device-tree\",\n"
		"  \"kvm\": {\"cap\": -1, \"caps\": null, \"ok\": false, \"x\": [1.5e3, true, []]},\n"
		"  \"allowed_modes\": [\"power9\", \"power10\"],\n"
		"  \"recommended_mode\": \"power10\",\n  \"note\": \"caf\\u00e9 \\ud83d\\ude00 \xc3\xa9\"\n}\n";

	T_EQ_INT(parse(full, &r, &err), 0, "a full report");
	T_EQ_U64(r.allowed_modes, BIT(POWER9) | BIT(POWER10), "allowed modes");
	T_EQ_INT(r.effective_mode, PPCCOMPAT_MODE_POWER10, "effective mode");
	T_EQ_INT(r.recommended_mode, PPCCOMPAT_MODE_POWER10, "recommended mode");

	T_EQ_INT(parse("{\"allowed_modes\":[]}", &r, &err), 0, "empty allowed list");
	T_EQ_U64(r.allowed_modes, 0, "nothing allowed");
	T_EQ_INT(r.effective_mode, PPCCOMPAT_MODE_NONE, "absent effective mode");

	T_EQ_INT(parse(" {\"effective_mode\": null, \"allowed_modes\": [\"POWER9\",\"Power11\"],"
		       "\"recommended_mode\": null} ", &r, &err),
		 0, "nulls and display names");
	T_EQ_U64(r.allowed_modes, BIT(POWER9) | BIT(POWER11), "display names map");
	T_EQ_INT(parse("{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u20AC\\uFFFF\", \"n\": [0, -1.25E+2, 3e-1],"
		       "\"a_key_much_longer_than_any_key_the_reader_looks_at\": 1,"
		       "\"allowed_modes\":[\"power10\"]}", &r, &err),
		 0, "escapes, numbers and long keys");
	T_EQ_U64(r.allowed_modes, BIT(POWER10), "still read");
	T_EQ_INT(parse("{\"nested\":{\"allowed_modes\":42},\"allowed_modes\":[\"power9\"]}", &r,
		       &err),
		 0, "only the top-level key counts");
}

static void rejected(const char *text, int code, const char *field, const char *what)
{
	struct ppccompat_report r = { 0 };
	struct ppccompat_error err;
	int ret = parse(text, &r, &err);

	t_ok(ret == code && t_streq(err.field, field), "%s: %s [%s]", what, t_error_line(&err),
	     err.field);
	t_ok(t_contains(err.detail, "byte") || ret == PPCCOMPAT_ERR_MALFORMED,
	     "%s: detail gives the offset", what);
}

static void errors(void)
{
	struct ppccompat_report r;
	struct ppccompat_error err;
	char deep[200];
	char *big;

	rejected("", PPCCOMPAT_ERR_TRUNCATED, "", "empty input");
	rejected("[]", PPCCOMPAT_ERR_MALFORMED, "", "not an object");
	rejected("{}", PPCCOMPAT_ERR_MALFORMED, "allowed_modes", "no allowed_modes");
	rejected("{\"allowed_modes\": [\"power12\"]}", PPCCOMPAT_ERR_UNKNOWN_MODE, "allowed_modes",
		 "unknown mode");
	rejected("{\"allowed_modes\": [\"power9\\u0000\"]}", PPCCOMPAT_ERR_UNKNOWN_MODE,
		 "allowed_modes", "NUL inside a mode name");
	rejected("{\"allowed_modes\": \"power9\"}", PPCCOMPAT_ERR_MALFORMED, "allowed_modes",
		 "allowed_modes not an array");
	rejected("{\"allowed_modes\": [9]}", PPCCOMPAT_ERR_MALFORMED, "allowed_modes",
		 "a number as mode");
	rejected("{\"allowed_modes\": [], \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED,
		 "allowed_modes", "duplicate key");
	rejected("{\"effective_mode\": 3, \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED,
		 "effective_mode", "effective mode not a string");
	rejected("{\"allowed_modes\": []} x", PPCCOMPAT_ERR_MALFORMED, "", "trailing data");
	rejected("{\"allowed_modes\": [],}", PPCCOMPAT_ERR_MALFORMED, "", "trailing comma");
	rejected("{\"allowed_modes\": [\"power9\"", PPCCOMPAT_ERR_TRUNCATED, "", "truncated");
	rejected("{\"a\": \"\\x\", \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "",
		 "bad escape");
	rejected("{\"a\": \"\\ud800\", \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "",
		 "lone surrogate");
	rejected("{\"a\": \"\xc0\xaf\", \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "",
		 "overlong UTF-8");
	rejected("{\"a\": \"\t\", \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "",
		 "raw control character");
	rejected("{\"a\": \"\\udc00\", \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "",
		 "lone low surrogate");
	rejected("{\"a\": \"\\ud800\\u0041\", \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "",
		 "high surrogate without its pair");
	rejected("{\"a\": \"\\u12G4\", \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "",
		 "bad hex digit");
	rejected("{\"a\": \"\\u12", PPCCOMPAT_ERR_TRUNCATED, "", "short \\u escape");
	rejected("{\"a\": \"\\", PPCCOMPAT_ERR_TRUNCATED, "", "escape at the end");
	rejected("{\"a\": 1., \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "",
		 "empty fraction");
	rejected("{\"a\": 1e+, \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "",
		 "empty exponent");
	rejected("{\"a\":", PPCCOMPAT_ERR_TRUNCATED, "", "value missing at the end");
	rejected("{\"allowed_modes\": [\"power1000000000000000000000000000000000\"]}",
		 PPCCOMPAT_ERR_UNKNOWN_MODE, "allowed_modes", "overlong mode name");
	rejected("{\"a\": 01, \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "",
		 "leading zero");
	rejected("{\"a\": tru, \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "",
		 "bad literal");
	rejected("{\"a\": -, \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "", "bare minus");

	memset(deep, '[', sizeof(deep));
	memcpy(deep, "{\"a\":", 5);
	deep[sizeof(deep) - 1] = '\0';
	T_EQ_INT(parse(deep, &r, &err), PPCCOMPAT_ERR_TOO_BIG, "nesting is bounded");

	big = calloc(PPCCOMPAT_MAX_JSON_SIZE + 2, 1);
	if (!big)
		abort();
	memset(big, ' ', PPCCOMPAT_MAX_JSON_SIZE + 1);
	T_EQ_INT(ppccompat_report_parse_json(big, PPCCOMPAT_MAX_JSON_SIZE + 1, &r, &err),
		 PPCCOMPAT_ERR_TOO_BIG, "size is bounded");
	free(big);

	T_EQ_INT(ppccompat_report_parse_json("{\"allowed_modes\":[]}", 5, &r, &err),
		 PPCCOMPAT_ERR_TRUNCATED, "length, not NUL, ends the text");
	T_EQ_INT(ppccompat_report_parse_json(NULL, 1, &r, &err), PPCCOMPAT_ERR_BAD_ARG, "NULL");
}

/* What baseline decides on: which command wrote the report, in which format. */
static void command_and_format(void)
{
	struct ppccompat_report r;
	struct ppccompat_error err;

	T_EQ_INT(parse("{\"command\": \"show\", \"format_version\": 1, \"allowed_modes\": []}",
		       &r, &err),
		 0, "a show report");
	T_EQ_STR(r.command, "show", "command");
	T_EQ_INT(r.format_version, 1, "format_version");
	T_EQ_INT(parse("{\"allowed_modes\": []}", &r, &err), 0, "neither key");
	T_EQ_STR(r.command, "", "absent command is empty");
	T_EQ_INT(r.format_version, 0, "absent format_version is 0");
	T_EQ_INT(parse("{\"format_version\": 123456789, \"allowed_modes\": []}", &r, &err), 0,
		 "nine digits");
	T_EQ_INT(r.format_version, 123456789, "nine digits read");
	rejected("{\"format_version\": 1234567890, \"allowed_modes\": []}",
		 PPCCOMPAT_ERR_MALFORMED, "format_version", "ten digits");
	rejected("{\"format_version\": 1.0, \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED,
		 "format_version", "a fraction");
	rejected("{\"format_version\": -1, \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED,
		 "format_version", "negative");
	rejected("{\"format_version\": \"1\", \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED,
		 "format_version", "a string");
	rejected("{\"format_version\": 01, \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED,
		 "format_version", "a leading zero");
	rejected("{\"command\": 1, \"allowed_modes\": []}", PPCCOMPAT_ERR_MALFORMED, "command",
		 "a number as command");
	rejected("{\"command\": \"a-command-name-longer-than-15\", \"allowed_modes\": []}",
		 PPCCOMPAT_ERR_MALFORMED, "command", "an overlong command");
	rejected("{\"command\": \"show\", \"command\": \"show\", \"allowed_modes\": []}",
		 PPCCOMPAT_ERR_MALFORMED, "command", "a repeated command");
}

/* What baseline says of each host: evidence, notes, name; and a failed run's object. */
static void host_details(void)
{
	struct ppccompat_report r;
	struct ppccompat_error err;
	char long_name[120], text[300];

	T_EQ_INT(parse("{\"allowed_modes\": [\"power8\"], \"evidence\": \"weak\", "
		       "\"notes\": [\"smt-on\", \"a-note-of-a-newer-version\", \"no-hpt\"], "
		       "\"hostname\": \"lpar01\"}",
		       &r, &err),
		 0, "evidence, notes and hostname");
	T_EQ_INT(r.evidence, PPCCOMPAT_EVIDENCE_WEAK, "evidence read");
	T_EQ_U64(r.notes, PPCCOMPAT_NOTE_SMT_ON | PPCCOMPAT_NOTE_NO_HPT,
		 "known notes read, a newer one skipped");
	T_EQ_STR(r.hostname, "lpar01", "hostname read");
	T_EQ_INT(parse("{\"allowed_modes\": [], \"hostname\": null, \"notes\": []}", &r, &err), 0,
		 "null hostname, no notes");
	t_ok(!r.hostname[0] && !r.notes && r.evidence == PPCCOMPAT_EVIDENCE_NONE && !r.error,
	     "... all empty");
	rejected("{\"allowed_modes\": [], \"evidence\": \"very strong\"}", PPCCOMPAT_ERR_MALFORMED,
		 "evidence", "an unknown evidence level");
	rejected("{\"allowed_modes\": [], \"notes\": [1]}", PPCCOMPAT_ERR_MALFORMED, "notes",
		 "a number as note");
	memset(long_name, 'h', 65);
	long_name[65] = '\0';
	snprintf(text, sizeof(text), "{\"allowed_modes\": [], \"hostname\": \"%s\"}", long_name);
	rejected(text, PPCCOMPAT_ERR_MALFORMED, "hostname", "a 65-byte host name");

	T_EQ_INT(parse("{\"command\": null, \"error\": {\"message\": \"ppccompat: bad usage\", "
		       "\"code\": \"bad-arg\", \"path\": null, \"errno\": null}}",
		       &r, &err),
		 0, "a failed run's object, command null, no allowed_modes");
	t_ok(r.error && !strcmp(r.error_message, "ppccompat: bad usage") && !r.command[0],
	     "... marked as an error, with its message (%s)", r.error_message);
	T_EQ_INT(parse("{\"command\": \"show\", \"error\": {}}", &r, &err), 0,
		 "an error object without a message");
	t_ok(r.error && !r.error_message[0], "... still an error");
	rejected("{\"command\": \"show\", \"error\": \"boom\"}", PPCCOMPAT_ERR_MALFORMED, "error",
		 "an error that is no object");
}

int main(void)
{
	accepted();
	errors();
	command_and_format();
	host_details();
	return t_done();
}
