#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Black-box tests of the ppccompat CLI against the captured-sysroot fixtures.

Usage: cli_test.py PPCCOMPAT SCHEMA KIND [FIXTURE_DIR...]
  KIND fixture  DIR   every command on one good fixture, against its expected files
  KIND broken   DIR   every command on one broken fixture: exit 2, one line naming the file
  KIND baseline DIR…  baseline over the given good fixtures' reports, and bad reports
  KIND usage DIR      options, usage errors, --help, --version; the live system and its
                      capture; odd bytes, odd --sysroot forms and /dev/full on DIR; the
                      schema rejecting bad reports
  KIND done-when DIR  the issue's acceptance facts, spelled out
  KIND field DIR...   the real captures of shared/field: each README answer, spelled out
  KIND smt DIR        POWER8 bare metal with SMT on: check names the condition
  KIND kvm DIR        (PPCCOMPAT is kvm_report) every scripted KVM outcome, rendered
  KIND man PAGE       the manual renders cleanly and documents every command and option
  KIND safety DIR     capture never harms a file; reading a sysroot never blocks or leaves it
  KIND vmm DIR        qemu-args composes with the user's options; the QEMU version check
  KIND registry DIR…  the fixtures given are exactly those in tests/fixtures

Prints TAP; exits non-zero if any check failed.
"""
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

import jsonschema
import resource
import shutil
import signal
import stat
import struct

MODES = ["power6", "power7", "power8", "power9", "power10", "power11"]


def asks_json(args):
    """Whether a command line has --json, as getopt reads it: not as an option's value."""
    takes_value = {"--sysroot", "--mode", "--qemu-version", "-s", "-m"}
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            break
        if a == "--json" or (a.startswith("-") and not a.startswith("--") and "j" in a
                             and a.index("j") < min([a.index(x) for x in "sm" if x in a] + [99])):
            return True
        i += 2 if a in takes_value or (a.startswith("-") and not a.startswith("--")
                                       and len(a) > 2 and a[-1] in "sm") else 1
    return False


class Checker:
    def __init__(self, exe, schema_path):
        self.exe = exe
        with open(schema_path) as f:
            self.validator = jsonschema.Draft202012Validator(json.load(f))
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, detail=""):
        self.n += 1
        print("%sok %d - %s" % ("" if cond else "not ", self.n, what))
        if not cond:
            self.failed += 1
            for line in str(detail).splitlines():
                print("#   " + line)
        return cond

    def run(self, *args, env=None, timeout=60):
        # hermetic: no installed qemu-system-ppc64 decides what these tests see
        full_env = dict(os.environ, PPCCOMPAT_QEMU="/nonexistent/qemu-system-ppc64")
        full_env.update(env or {})
        self.last_args = args
        p = subprocess.run([self.exe, *args], capture_output=True, timeout=timeout, env=full_env)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def schema_ok(self, text, what):
        try:
            doc = json.loads(text)
            self.validator.validate(doc)
        except (ValueError, jsonschema.ValidationError) as e:
            self.ok(False, what + ": valid JSON matching the schema", e)
            return None
        self.ok(True, what + ": valid JSON matching the schema")
        return doc

    def one_line_error(self, rc, out, err, what, want_rc=2):
        """One line on stderr; under --json the same error as a JSON object on stdout."""
        self.ok(rc == want_rc, "%s: exit %d" % (what, want_rc), "exit %d\n%s" % (rc, err))
        json_mode = asks_json(getattr(self, "last_args", ()))
        if not json_mode:
            self.ok(out == "", what + ": nothing on stdout", out)
        else:
            doc = self.schema_ok(out, what + ": the error on stdout")
            self.ok(doc is not None and "error" in doc and
                    "ppccompat: " + doc["error"]["message"] + "\n" == err,
                    what + ": ... is the line on stderr", out + err)
        lines = err.splitlines()
        self.ok(len(lines) == 1 and err.endswith("\n") and lines[0].startswith("ppccompat: "),
                what + ": exactly one 'ppccompat: ' line on stderr", err)
        return lines[0] if lines else ""


def read(path):
    with open(path) as f:
        return f.read()


def check_fixture(c, d):
    name = os.path.basename(d)
    sysroot = os.path.join(d, "sysroot")
    expected = json.loads(read(os.path.join(d, "expected.json")))
    allowed = expected["allowed_modes"]
    rec = expected["recommended_mode"]

    rc, out, err = c.run("--sysroot", sysroot)
    c.ok(rc == 0 and err == "", name + ": show exits 0 silently", err)
    c.ok(out == read(os.path.join(d, "expected.txt")), name + ": show text = expected.txt", out)
    rc2, out2, _ = c.run("show", "--sysroot", sysroot)
    c.ok(rc2 == 0 and out2 == out, name + ": 'show' is the default command")

    rc, out, err = c.run("--sysroot", sysroot, "--json")
    c.ok(rc == 0 and err == "", name + ": show --json exits 0 silently", err)
    doc = c.schema_ok(out, name + ": show --json")
    c.ok(doc == expected, name + ": show --json = expected.json (as data)",
         json.dumps(doc, indent=2))
    c.ok(out == read(os.path.join(d, "expected.json")), name + ": show --json = expected.json (bytes)")

    for mode in MODES:
        rc, out, err = c.run("--sysroot", sysroot, "check", mode)
        want = 0 if mode in allowed else 1
        c.ok(rc == want and err == "" and out.startswith(mode + ": ") and out.count("\n") == 1,
             "%s: check %s exits %d with one line" % (name, mode, want), out + err)
        rc, out, err = c.run("--sysroot", sysroot, "--json", "check", mode)
        doc = c.schema_ok(out, "%s: check %s --json" % (name, mode))
        c.ok(rc == want and doc is not None and doc["allowed"] == (want == 0)
             and doc["allowed_modes"] == allowed and doc["mode"] == mode
             and (doc["reason"] == "ok") == (want == 0),
             "%s: check %s --json agrees with the exit status" % (name, mode), out)

        rc, out, err = c.run("--sysroot", sysroot, "qemu-args", "--mode", mode)
        if mode in allowed:
            c.ok(rc == 0 and out == "-machine max-cpu-compat=%s\n" % mode,
                 "%s: qemu-args --mode %s" % (name, mode), out + err)
        else:
            line = c.one_line_error(rc, out, err, "%s: qemu-args --mode %s refused" % (name, mode),
                                    want_rc=1)
            c.ok("not allowed" in line, "%s: qemu-args --mode %s says why" % (name, mode), line)

    for cmd, fname in (("qemu-args", "expected-qemu-args.txt"),
                       ("libvirt-xml", "expected-libvirt-xml.txt")):
        rc, out, err = c.run("--sysroot", sysroot, cmd)
        if rec:
            # libvirt refuses power11: the XML comes with one warning line
            quiet = cmd == "qemu-args" or rec in LIBVIRT_TAKES
            c.ok(rc == 0 and (err == "" if quiet else
                              err.count("\n") == 1 and "libvirt refuses" in err)
                 and out == read(os.path.join(d, fname)),
                 "%s: %s = %s%s" % (name, cmd, fname, "" if quiet else ", with a warning"),
                 out + err)
            rc, out, err = c.run("--sysroot", sysroot, "--json", cmd)
            doc = c.schema_ok(out, "%s: %s --json" % (name, cmd))
            c.ok(rc == 0 and doc is not None and doc["mode"] == rec,
                 "%s: %s --json names the recommended mode" % (name, cmd), out)
        else:
            c.ok(not os.path.exists(os.path.join(d, fname)), name + ": no " + fname + " without a mode")
            c.one_line_error(rc, out, err, "%s: %s without any mode" % (name, cmd), want_rc=1)

    check_capture(c, name, d, sysroot, expected)


def fixture_files(sysroot):
    found = {}
    for root, dirs, files in os.walk(sysroot):
        for f in files:
            full = os.path.join(root, f)
            with open(full, "rb") as fh:
                found[os.path.relpath(full, sysroot)] = fh.read()
    return found


def check_capture(c, name, d, sysroot, expected):
    with tempfile.TemporaryDirectory() as tmp:
        tar_path = os.path.join(tmp, "capture.tar")
        rc, out, err = c.run("--sysroot", sysroot, "--json", "capture", tar_path)
        doc = c.schema_ok(out, name + ": capture --json")
        c.ok(rc == 0 and err == "" and doc is not None and doc["probe_error"] is None,
             name + ": capture exits 0 and the probe succeeded", out + err)
        if doc is None or not os.path.exists(tar_path):
            return
        with tarfile.open(tar_path) as tar:
            members = tar.getmembers()
            c.ok(all(m.isfile() or m.isdir() for m in members),
                 name + ": capture holds regular files and directories only")
            c.ok([m.name for m in members] == doc["entries"],
                 name + ": capture entries = the archive's members, in order",
                 "%s\n%s" % ([m.name for m in members], doc["entries"]))
            files = {m.name: tar.extractfile(m).read() for m in members if m.isfile()}
            tar.extractall(os.path.join(tmp, "root"))
        original = fixture_files(sysroot)
        c.ok(all(original.get(p) == data for p, data in files.items()),
             name + ": every captured file is the fixture's, byte for byte")
        c.ok("proc/cpuinfo" in files, name + ": capture holds /proc/cpuinfo")
        if expected["cpu_version"]:
            cv = [p for p in files if p.endswith("/cpu-version")]
            c.ok(len(cv) == expected["cpu_nodes"],
                 name + ": capture holds every cpu node's cpu-version", cv)
        # The point of a capture: the unpacked tree gives the same answer.
        root = os.path.join(tmp, "root")
        rc, out, err = c.run("--sysroot", root, "--json")
        c.ok(rc == 0 and out == read(os.path.join(d, "expected.json")),
             name + ": --sysroot on the unpacked capture = expected.json", out + err)
        rc, out, err = c.run("--sysroot", root)
        c.ok(rc == 0 and out == read(os.path.join(d, "expected.txt")),
             name + ": show on the unpacked capture = expected.txt", out + err)
        again = os.path.join(tmp, "again.tar")
        rc, out, err = c.run("--sysroot", root, "capture", again)
        with open(tar_path, "rb") as a, open(again, "rb") as b:
            c.ok(rc == 0 and a.read() == b.read(),
                 name + ": capturing the capture gives the same bytes", out + err)


def check_broken(c, d):
    name = "broken/" + os.path.basename(d)
    sysroot = os.path.join(d, "sysroot")
    want = json.loads(read(os.path.join(d, "expected-error.json")))
    files = [re.escape(os.path.join(sysroot, f)) for f in want["files"]]
    pattern = "^ppccompat: (%s): " % "|".join(files)
    if want["field"]:
        pattern += re.escape(want["field"]) + ": "
    pattern += r"\S"
    for args in ([], ["--json"], ["qemu-args"], ["libvirt-xml"], ["check", "power9"],
                 ["--json", "check", "power10"]):
        rc, out, err = c.run("--sysroot", sysroot, *args)
        line = c.one_line_error(rc, out, err, "%s: %s" % (name, " ".join(args) or "show"))
        if "--json" in args:
            # strict: null in the fixture means the error names no field
            got = json.loads(out).get("error", {}).get("field") if out.startswith("{") else "?"
            c.ok(got == want["field"], "%s: %s: field %s, as expected-error.json says"
                 % (name, " ".join(args), want["field"]), "field: %r" % got)
        c.ok(re.match(pattern, line) is not None,
             "%s: %s names the file%s" % (name, " ".join(args) or "show",
                                         " and field " + want["field"] if want["field"] else ""),
             "line:    %s\npattern: %s" % (line, pattern))
    with tempfile.TemporaryDirectory() as tmp:
        tar_path = os.path.join(tmp, "broken.tar")
        rc, out, err = c.run("--sysroot", sysroot, "--json", "capture", tar_path)
        doc = c.schema_ok(out, name + ": capture --json")
        c.ok(rc == 0 and doc is not None and doc["probe_error"] is not None
             and re.match("^(%s): " % "|".join(files), doc["probe_error"]) is not None
             and os.path.exists(tar_path),
             name + ": capture still archives, and reports the probe's error", out + err)


def check_baseline(c, dirs):
    with tempfile.TemporaryDirectory() as tmp:
        reports = []
        for d in dirs:
            path = os.path.join(tmp, os.path.basename(d) + ".json")
            rc, out, err = c.run("--sysroot", os.path.join(d, "sysroot"), "--json")
            with open(path, "w") as f:
                f.write(out)
            reports.append((path, json.loads(read(os.path.join(d, "expected.json")))))

        def expect(paths_facts, what):
            common = [m for m in MODES if all(m in f["allowed_modes"] for _, f in paths_facts)]
            best = common[-1] if common else None
            paths = [p for p, _ in paths_facts]
            rc, out, err = c.run("--json", "baseline", *paths)
            doc = c.schema_ok(out, what + " --json")
            c.ok(rc == (0 if best else 1) and doc is not None and doc["common_modes"] == common
                 and doc["baseline_mode"] == best and doc["reports"] == paths,
                 "%s: common %s, baseline %s, exit %d" % (what, common, best, 0 if best else 1),
                 out + err)
            rc, out, err = c.run("baseline", *paths)
            want = "%-17s %s\n" % ("Baseline:", best) if best else \
                "%-17s none: the hosts share no compatibility mode\n" % "Baseline:"
            c.ok(want in out and rc == (0 if best else 1), what + ": text names the baseline",
                 out + err)
            if best:
                c.ok("-machine max-cpu-compat=%s\n" % best in out,
                     what + ": text gives the QEMU arguments", out)
            else:
                c.ok(doc is not None and doc["emptied_by"] in paths and "Emptied by:" in out,
                     what + ": names the report that emptied the pool", out)

        power = [r for r in reports if r[1]["allowed_modes"]]
        expect(power, "baseline of every POWER fixture")
        for p, f in power:
            expect([(p, f)], "baseline of " + os.path.basename(p))
        newest = [r for r in power if "power10" in r[1]["allowed_modes"]]
        expect(newest, "baseline of the POWER10-capable fixtures")
        expect(reports, "baseline with a non-POWER host")

        show = b'"command": "show", "format_version": 1, '
        bad = {
            "garbage.json": (b"\x00\x01not json{", ""),
            "truncated.json": (b'{' + show + b'"allowed_modes": ["power9", ', ""),
            "no-allowed.json": (b'{' + show + b'"recommended_mode": "power9"}', "allowed_modes"),
            "unknown-mode.json": (b'{' + show + b'"allowed_modes": ["power12"]}', "allowed_modes"),
            "wrong-type.json": (b'{' + show + b'"allowed_modes": "power9"}', "allowed_modes"),
            "not-object.json": (b'["power9"]', ""),
            "huge.json": (b'{' + show + b'"x": "' + b"a" * (1 << 20) + b'", "allowed_modes": []}',
                          ""),
            "deep.json": (b'{' + show + b'"x": ' + b"[" * 100 + b"]" * 100 +
                          b', "allowed_modes": []}', ""),
            # what baseline refuses although the JSON is fine
            "no-command.json": (b'{"format_version": 1, "allowed_modes": ["power9"]}', "command"),
            "check.json": (b'{"command": "check", "format_version": 1, "allowed_modes": ["power9"]}',
                           "command"),
            "no-format.json": (b'{"command": "show", "allowed_modes": ["power9"]}',
                               "format_version: missing"),
            "failed-run.json": (b'{"command": "show", "error": {"message": "ppccompat: x: '
                                b'sysroot: no such file or directory", "code": "not-found"}}',
                                "error: the report of a failed run, not a host's answer: "
                                "ppccompat: x"),
            "failed-early.json": (b'{"command": null, "error": {"message": "m"}}',
                                  "error: the report of a failed run, not a host's answer"),
            "format-2.json": (b'{"command": "show", "format_version": 2, "allowed_modes": []}',
                              "format_version"),
            # the schema's order for allowed_modes, and a recommendation among them
            "unordered.json": (b'{' + show + b'"allowed_modes": ["power10", "power9"]}',
                               "allowed_modes"),
            "repeated.json": (b'{' + show + b'"allowed_modes": ["power9", "power9"]}',
                              "allowed_modes"),
            "rec-outside.json": (b'{' + show + b'"allowed_modes": ["power9"], '
                                 b'"recommended_mode": "power10"}', "recommended_mode"),
        }
        good = power[0][0]
        for fname, (data, field) in bad.items():
            path = os.path.join(tmp, fname)
            with open(path, "wb") as f:
                f.write(data)
            line = c.one_line_error(*c.run("baseline", good, path), "baseline with " + fname)
            want = "ppccompat: %s: %s" % (path, field + ": " if field else "")
            c.ok(line.startswith(want), "baseline with %s names the file%s" %
                 (fname, " and " + field if field else ""), line)
        # the report of another command, as written by this ppccompat
        rc, out, _ = c.run("--sysroot", os.path.join(dirs[0], "sysroot"), "--json", "check",
                           "power9")
        path = os.path.join(tmp, "real-check.json")
        with open(path, "w") as f:
            f.write(out)
        line = c.one_line_error(*c.run("baseline", good, path), "baseline with a check report")
        c.ok(line.startswith("ppccompat: %s: command: \"check\"" % path),
             "... is refused as not a show report", line)
        # and the output of baseline and qemu-args, which have no allowed_modes
        for cmd, args in (("baseline", [good, good]), ("qemu-args", [])):
            rc, out, _ = c.run("--sysroot", os.path.join(dirs[0], "sysroot"), "--json", cmd,
                               *args)
            path = os.path.join(tmp, "real-%s.json" % cmd)
            with open(path, "w") as f:
                f.write(out)
            line = c.one_line_error(*c.run("baseline", good, path),
                                    "baseline with a %s report" % cmd)
            c.ok(line.startswith("ppccompat: %s: command: \"%s\"" % (path, cmd)) and
                 "not a report of `ppccompat --json` (show)" in line,
                 "... is refused as not a show report, like check's", line)

        # which host left the pool empty: the first, in order, sharing nothing with those before
        by_modes = {tuple(f["allowed_modes"]): p for p, f in reports}
        p9 = by_modes.get(("power9",))
        p11 = next((p for m, p in by_modes.items() if m and m[0] == "power9" and "power11" in m
                    and "power10" in m), None)
        none = by_modes.get(())
        if p9 and none:
            rc, out, err = c.run("--json", "baseline", p9, none)
            c.ok(rc == 1 and json.loads(out)["emptied_by"] == none,
                 "a host with no mode empties the pool and is named", out + err)
            rc, out, err = c.run("baseline", p9, none)
            c.ok("%-17s %s, which allows none; the reports before it share power9\n"
                 % ("Emptied by:", none) in out, "... in the text too", out)
        c.ok(p9 is not None and none is not None, "the fixtures have a power9-only and a no-mode host",
             sorted(by_modes))
        # a FIFO nobody writes must not hang; a directory is named as one
        fifo = os.path.join(tmp, "fifo.json")
        os.mkfifo(fifo)
        try:
            res = c.run("baseline", good, fifo, timeout=10)
        except subprocess.TimeoutExpired:
            res = (-1, "", "timed out after 10 s\n")
        line = c.one_line_error(*res, "baseline with a FIFO that has no writer")
        c.ok(line.startswith("ppccompat: %s: " % fifo), "... names the FIFO", line)
        line = c.one_line_error(*c.run("baseline", good, tmp), "baseline with a directory")
        c.ok(line == "ppccompat: %s: cannot read: Is a directory" % tmp, "... says why", line)
        line = c.one_line_error(*c.run("baseline", good, "/dev/null"), "baseline with a device")
        c.ok(line == "ppccompat: /dev/null: cannot read: not a regular file or a pipe",
             "... is refused as a device", line)
        # a pipe with a writer, as <(cat report) gives: read whole
        r, w = os.pipe()
        p = subprocess.Popen([c.exe, "--json", "baseline", good, "/dev/fd/%d" % r], pass_fds=(r,),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(r)
        with open(good, "rb") as f, os.fdopen(w, "wb") as wf:
            wf.write(f.read())
        out, err = p.communicate(timeout=10)
        c.ok(p.returncode == 0 and json.loads(out)["reports"][1] == "/dev/fd/%d" % r,
             "baseline reads a report from a pipe (<(cat report))", out + err)
        check_baseline_pool(c, tmp, reports)
        missing = os.path.join(tmp, "absent.json")
        line = c.one_line_error(*c.run("baseline", good, missing), "baseline with a missing file")
        c.ok(line.startswith("ppccompat: %s: " % missing), "baseline names the missing file", line)


def check_baseline_pool(c, tmp, reports):
    """Each host counts once; the weakest evidence and the SMT condition are said."""
    by_name = {os.path.basename(p): (p, f) for p, f in reports}
    p10, f10 = by_name["powervm-power10.json"]
    weak, fweak = by_name["powernv-power9-dd21-radix.json"]
    smt, _ = by_name["powernv-power8-smt-on.json"]
    copy = os.path.join(tmp, "copy-of-p10.json")
    shutil.copy(p10, copy)
    rc, out, err = c.run("--json", "baseline", p10, p10, copy)
    doc = c.schema_ok(out, "baseline with duplicates --json")
    c.ok(rc == 0 and doc is not None and doc["hosts"] == 1 and doc["duplicates"] == [
        {"report": p10, "same_as": p10, "reason": "identical"},
        {"report": copy, "same_as": p10, "reason": "identical"}],
        "the same file twice, and a copy of it: one host", out + err)
    rc, out, err = c.run("baseline", p10, copy)
    c.ok(rc == 0 and "%-17s 1\n" % "Hosts:" in out and "%-17s %s: identical to %s: one host "
         "given twice, counted once\n" % ("Duplicate:", copy, p10) in out,
         "... and the text says so", out + err)

    # one live host's reports, taken apart: the hostname tells them
    doc = json.loads(read(p10))
    named = []
    for i, (model, modes) in enumerate(((None, None), ("IBM,9080-HEX-2", None),
                                        (None, ["power9"]))):
        d = dict(doc, hostname="lpar01")
        if model:
            d["cpuinfo"] = dict(d["cpuinfo"], model=model)
        if modes:
            d["allowed_modes"] = modes
            d["recommended_mode"] = modes[-1]
        path = os.path.join(tmp, "lpar01-%d.json" % i)
        with open(path, "w") as f:
            json.dump(d, f)
        named.append(path)
    rc, out, err = c.run("--json", "baseline", named[0], named[1])
    doc = json.loads(out) if rc == 0 else None
    c.ok(doc is not None and doc["hosts"] == 1 and doc["duplicates"][0]["reason"] == "same-host",
         "one hostname, two reports with the same modes: one host", out + err)
    # a file name with a control character is shown escaped, as the host's strings are
    odd_path = os.path.join(tmp, "odd\x1b[31m.json")
    shutil.copy(named[0], odd_path)
    rc, out, err = c.run("baseline", odd_path, named[0])
    c.ok(rc == 0 and "\x1b" not in out and "odd\\x1b[31m.json" in out,
         "baseline shows a file name's control character as \\xHH", out + err)
    tiny = os.path.join(tmp, "tiny-sysroot")
    os.makedirs(os.path.join(tiny, "proc"))
    with open(os.path.join(tiny, "proc", "cpuinfo"), "w") as f:
        f.write("processor\t: 0\nvendor_id\t: GenuineIntel\n")
    cap = os.path.join(tmp, "cap\x1b.tar")
    rc, out, err = c.run("--sysroot", tiny, "capture", cap)
    c.ok(rc == 0 and "\x1b" not in out and "cap\\x1b.tar: " in out,
         "capture shows its archive's control character as \\xHH", out + err)
    # counted once, but the weaker of the two reports is what the answer rests on
    weak_path = os.path.join(tmp, "lpar01-weak.json")
    with open(weak_path, "w") as f:
        json.dump(dict(json.loads(read(named[0])), evidence="weak"), f)
    for order in ((named[0], weak_path), (weak_path, named[0])):
        rc, out, err = c.run("--json", "baseline", *order)
        pooled = json.loads(out) if rc == 0 else None
        c.ok(pooled is not None and pooled["hosts"] == 1 and pooled["evidence"] == "weak",
             "one host, a strong and a weak report: counted once, evidence weak", out + err)
    line = c.one_line_error(*c.run("baseline", named[0], named[2]),
                            "one hostname with two different answers")
    c.ok('hostname: "lpar01" again (as in %s), with other modes' % named[0] in line,
         "... names the host and both reports", line)

    # standard input, once
    with open(p10) as f:
        res = subprocess.run([c.exe, "--json", "baseline", "-", weak], stdin=f,
                             capture_output=True, text=True)
    doc = json.loads(res.stdout) if res.returncode == 0 else None
    c.ok(doc is not None and doc["reports"] == ["-", weak] and doc["hosts"] == 2,
         "baseline reads - as standard input", res.stdout + res.stderr)
    with open(p10) as f:
        res = subprocess.run([c.exe, "baseline", "-", "-"], stdin=f, capture_output=True,
                             text=True)
    line = c.one_line_error(res.returncode, res.stdout, res.stderr, "- given twice")
    c.ok("standard input given twice" in line, "... and refuses it twice", line)

    # the weakest evidence, and what a host must do
    rc, out, err = c.run("--json", "baseline", p10, weak, smt)
    doc = json.loads(out) if out else None
    c.ok(doc is not None and doc["evidence"] == fweak["evidence"] == "weak"
         and doc["conditions"] == [{"report": smt, "note": "smt-on"}],
         "baseline gives the weakest evidence and the SMT condition", out + err)
    rc, out, err = c.run("baseline", p10, weak, smt)
    c.ok("%-17s weak (the weakest: %s)\n" % ("Evidence:", weak) in out
         and "%-17s %s: secondary threads are online" % ("Condition:", smt) in out,
         "... in the text too", out)
    rc, out, err = c.run("baseline", p10)
    c.ok("%-17s strong (the one report)\n" % "Evidence:" in out, "one report's evidence", out)


def check_live(c):
    """The live system, whatever it is: valid output, and a capture that replays it."""
    rc, out, err = c.run("--json", "--no-kvm")
    doc = c.schema_ok(out, "live system --json --no-kvm")
    c.ok(rc == 0 and err == "", "live system: exit 0", err)
    if doc and os.uname().machine not in ("ppc64", "ppc64le"):
        c.ok(doc["platform"] == "not-power" and doc["allowed_modes"] == [],
             "live %s host: not POWER, no modes" % os.uname().machine)
    c.ok(doc is not None and doc["hostname"] == os.uname().nodename,
         "the live report names its host, for baseline", out)
    with tempfile.TemporaryDirectory() as tmp:
        tar_path = os.path.join(tmp, "live.tar")
        rc, out, err = c.run("capture", tar_path)
        c.ok(rc == 0 and err == "", "live capture: exit 0", out + err)
        with tarfile.open(tar_path) as tar:
            # /proc files stat as 0 bytes; the archive must hold their content
            cpuinfo = tar.extractfile("proc/cpuinfo").read()
            tar.extractall(os.path.join(tmp, "root"))
        c.ok(len(cpuinfo) > 0 and b"processor" in cpuinfo, "live capture holds /proc/cpuinfo's text")
        rc, replay, err = c.run("--json", "--sysroot", os.path.join(tmp, "root"))
        # a tree does not name its host: all else is the same
        c.ok(rc == 0 and doc is not None and json.loads(replay) == dict(doc, hostname=None),
             "the live capture replays to the same report", replay + err)


def check_odd_inputs(c, d):
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "root")
        subprocess.run(["cp", "-a", os.path.join(d, "sysroot"), root], check=True)
        cpuinfo = os.path.join(root, "proc", "cpuinfo")
        with open(cpuinfo, "rb") as f:
            text = f.read()
        # a model string in Latin-1 and one with a quote: the JSON must stay valid UTF-8
        text = text.replace(b"model\t\t: IBM,9080-HEU", b'model\t\t: IBM,9080-HEU \xe9"x\\')
        with open(cpuinfo, "wb") as f:
            f.write(text)
        p = subprocess.run([c.exe, "--json", "--sysroot", root], capture_output=True)
        try:
            doc = json.loads(p.stdout.decode("utf-8"))
        except ValueError as e:
            doc = None
            c.ok(False, "odd bytes: output is UTF-8 JSON", e)
        if doc is not None:
            c.ok(doc["cpuinfo"]["model"] == 'IBM,9080-HEU \ufffd"x\\',
                 "odd bytes: non-UTF-8 becomes U+FFFD, quote and backslash escaped",
                 doc["cpuinfo"]["model"])
            report = os.path.join(tmp, "odd.json")
            with open(report, "wb") as f:
                f.write(p.stdout)
            rc, out, err = c.run("--json", "baseline", report)
            c.ok(rc == 0 and json.loads(out)["baseline_mode"] == "power10",
                 "odd bytes: baseline reads that report back", out + err)
        # terminal escapes in a captured tree reach the terminal only as visible text
        with open(cpuinfo, "rb") as f:
            text = f.read()
        text = text.replace(b"altivec supported\n", b"altivec supported\x1b]0;pwned\x07\n")
        text = text.replace(b"model\t\t: IBM,9080-HEU", b"model\t\t: IBM,9080-HEU\x1b[2J\x7f")
        with open(cpuinfo, "wb") as f:
            f.write(text)
        p = subprocess.run([c.exe, "--sysroot", root], capture_output=True)
        out = p.stdout.decode("utf-8", "replace")
        c.ok(p.returncode == 0 and not re.search("[\x00-\x08\x0b-\x1f\x7f]", out)
             and "altivec supported\\x1b]0;pwned\\x07;" in out and "IBM,9080-HEU\\x1b[2J\\x7f" in out,
             "show: control characters from cpuinfo are printed as \\xHH", out)
        p = subprocess.run([c.exe, "--json", "--sysroot", root], capture_output=True)
        c.ok(json.loads(p.stdout)["cpuinfo"]["cpu"].endswith("supported\x1b]0;pwned\x07"),
             "... while JSON keeps them, escaped by JSON", p.stdout)
        rc, out, err = c.run("--sysroot", root, "check", "power9\x1b]0;pwned\x07")
        line = c.one_line_error(rc, out, err, "check with an escape in the mode")
        c.ok("power9\\x1b]0;pwned\\x07: unknown mode" in line and "\x1b" not in err,
             "... quotes it as \\xHH", err)
        for form, what in ((root + "/", "a trailing slash"),
                           (os.path.relpath(root), "a relative path")):
            rc, out, err = c.run("--sysroot", form, "qemu-args")
            c.ok(rc == 0 and out == "-machine max-cpu-compat=power10\n",
                 "--sysroot with " + what, out + err)
        for args in ([], ["capture", os.path.join(tmp, "x.tar")]):
            line = c.one_line_error(*c.run("--sysroot", os.path.join(tmp, "absent"), *args),
                                    "%s with a --sysroot that does not exist" % (args or ["show"])[0])
            c.ok(os.path.join(tmp, "absent") in line, "... names it", line)
        c.ok(not os.path.exists(os.path.join(tmp, "x.tar")), "... and writes no archive")
        afile = os.path.join(tmp, "afile")
        with open(afile, "w") as f:
            f.write("root:x:0:0::/root:/bin/sh\n")
        for args in ([], ["capture", os.path.join(tmp, "y.tar")]):
            line = c.one_line_error(*c.run("--sysroot", afile, *args),
                                    "%s with a --sysroot that is a file" % (args or ["show"])[0])
            c.ok(afile in line and line.endswith("Not a directory)" if not args else
                                                  "Not a directory"),
                 "... says it is not a directory", line)
        c.ok(not os.path.exists(os.path.join(tmp, "y.tar")), "... and writes no archive")
    with tempfile.TemporaryDirectory() as tmp:
        # /proc/cpuinfo cut after the first cpu line: still a POWER host, never "not POWER"
        root = os.path.join(tmp, "root")
        subprocess.run(["cp", "-a", os.path.join(d, "sysroot"), root], check=True)
        with open(os.path.join(root, "proc", "cpuinfo"), "w") as f:
            f.write("processor\t: 0\ncpu\t\t: POWER10 (architected), altivec supported\n")
        rc, out, err = c.run("--json", "--sysroot", root)
        cut_ok = (rc == 2 and err.startswith("ppccompat: %s/proc/cpuinfo: " % root)) or \
            (rc == 0 and json.loads(out)["platform"] == "pseries-powervm"
             and json.loads(out)["effective_mode"] == "power10")
        c.ok(cut_ok, "a cpuinfo cut after its cpu line is an error or still POWER, never 'not POWER'",
             out + err)
    with open("/dev/full", "w") as full:
        p = subprocess.run([c.exe, "--sysroot", os.path.join(d, "sysroot")], stdout=full,
                           stderr=subprocess.PIPE)
    c.ok(p.returncode == 2 and p.stderr.decode().startswith("ppccompat: standard output: "),
         "a report that cannot be written fails (exit 2)", p.stderr)


def check_schema_rejects(c, d):
    """The schema must be able to fail, or validating against it proves nothing."""
    good = json.loads(read(os.path.join(d, "expected.json")))
    c.ok(c.validator.is_valid(good), "schema accepts the fixture's report")
    bad = {
        "an unknown mode": dict(good, allowed_modes=["power9", "power12"]),
        "a repeated mode": dict(good, allowed_modes=["power9", "power9"]),
        "a missing key": {k: v for k, v in good.items() if k != "recommended_mode"},
        "an extra key": dict(good, surprise=1),
        "a PVR in decimal": dict(good, raw_pvr="8520192"),
        "an unknown source": dict(good, allowed_modes_source="guess"),
        "a bad kvm status": dict(good, kvm=dict(good["kvm"], status="fine")),
        "another format version": dict(good, format_version=2),
    }
    for what, doc in bad.items():
        c.ok(not c.validator.is_valid(doc), "schema rejects a report with " + what)
    for doc in ({"command": "qemu-args", "mode": "power10",
                 "args": ["-machine", "pseries,max-cpu-compat=power10", "-cpu", "power10"]},
                {"command": "libvirt-xml", "mode": "power10", "xml": "<cpu/>"},
                {"command": "baseline", "reports": [], "common_modes": [], "baseline_mode": None},
                {"command": "frobnicate"},
                {"command": "check", "error": {"message": "x", "code": "bogus", "path": None,
                                               "field": None, "errno": None}},
                {"command": "check", "error": {"message": "two\nlines", "code": None,
                                               "path": None, "field": None, "errno": None}}):
        c.ok(not c.validator.is_valid(doc), "schema rejects %s" % json.dumps(doc)[:60])


def check_usage(c):
    rc, out, err = c.run("--help")
    c.ok(rc == 0 and out.startswith("Usage: ppccompat") and err == "", "--help")
    rc, out, err = c.run("--version")
    c.ok(rc == 0 and re.match(r"^ppccompat \d+\.\d+\.\d+\n$", out) is not None, "--version", out)
    rc, out, err = c.run("--help")
    listed = " ".join(MODES).replace("power7", "power7 power7+")
    c.ok("\nModes: %s. See ppccompat(1).\n" % listed in out,
         "--help lists every mode, power6 and power7+ included", out)
    rc, out, err = c.run("qemu-args", "--mode", "power12")
    c.ok(rc == 2 and "(known: %s)" % listed in err, "an unknown mode lists power7+ too", err)
    # the manual says --help and --version stay text under --json
    for args in (["--json", "--help"], ["--version", "--json"]):
        rc, out, err = c.run(*args)
        c.ok(rc == 0 and out.startswith(("Usage: ppccompat", "ppccompat ")) and err == "",
             " ".join(args) + " prints text", out + err)
    for args, what in ((["frobnicate"], "unknown command"), (["--frob"], "unknown option"),
                       (["check"], "check without MODE"), (["check", "a", "b"], "check with two modes"),
                       (["check", "power12"], "check with an unknown mode"),
                       (["--mode", "power9", "show"], "--mode on show"),
                       (["baseline"], "baseline without reports"),
                       (["capture"], "capture without a file"),
                       (["--sysroot"], "--sysroot without DIR"),
                       (["--sysroot", ""], "--sysroot with an empty DIR"),
                       (["qemu-args", "--mode", "pentium"], "qemu-args with an unknown mode")):
        c.one_line_error(*c.run(*args), what)
        # under --json, wherever it stands, the same error is a JSON object on stdout
        c.one_line_error(*c.run("--json", *args), what + " (--json first)")
        c.one_line_error(*c.run(*args, "--json"), what + " (--json last)")
    rc, out, err = c.run("capture")
    c.ok(rc == 2 and "usage: ppccompat [OPTIONS] capture [--force] OUT.tar|-" in err,
         "capture's usage line shows --force and '-'", err)
    rc, out, err = c.run("--json", "--frob")
    c.ok(json.loads(out)["command"] is None, "an error before the command has command null", out)
    rc, out, err = c.run("check", "power12", "-j")
    c.ok(json.loads(out)["command"] == "check" and
         json.loads(out)["error"]["code"] == "unknown-mode",
         "an unknown mode given to check names check, and the code unknown-mode", out)
    rc, out, err = c.run("-js", "/nonexistent/tree")
    doc = json.loads(out) if out else {}
    c.ok(rc == 2 and doc.get("error", {}).get("code") == "not-found"
         and doc["error"]["path"] == "/nonexistent/tree" and doc["error"]["field"] == "sysroot",
         "-js DIR: a library error carries its code, path and field", out + err)
    c.one_line_error(*c.run("--sysroot", "--json"), "--sysroot --json: '--json' is the DIR")
    with tempfile.TemporaryDirectory() as tmp:
        line = c.one_line_error(*c.run("--sysroot", tmp, "capture", "/nonexistent-dir/x.tar"),
                                "capture into a directory that does not exist")
        c.ok("/nonexistent-dir/x.tar" in line, "capture names the archive it cannot write", line)


def check_done_when(c, d):
    """Issue 2, 'Done when': spelled out, independent of the expected files."""
    sysroot = os.path.join(d, "sysroot")
    rc, out, err = c.run("--sysroot", sysroot, "--json")
    doc = json.loads(out) if rc == 0 else {}
    c.ok(doc.get("effective_mode") == "power10", "effective mode is power10", out + err)
    c.ok(doc.get("effective_mode_source") == "device-tree", "... and it comes from the device tree")
    c.ok(doc.get("processor") == "power11" and doc.get("architected") is True,
         "the processor is a Power11 running architected")
    c.ok(doc.get("allowed_modes") == ["power9", "power10"], "guests may use power9 and power10")
    c.ok(doc.get("recommended_mode") == "power10", "power10 is recommended")
    rc, out, err = c.run("--sysroot", sysroot, "qemu-args")
    c.ok(rc == 0 and "max-cpu-compat=power10" in out.split()[1], "qemu-args say max-cpu-compat=power10",
         out + err)
    rc, out, err = c.run("--sysroot", sysroot, "check", "power11")
    c.ok(rc == 1, "check power11 is refused (what the raw PVR would ask for)", out + err)


P9_P10 = ["power9", "power10"]
# scenario: (kvm fields that must hold, allowed modes, their source, the text's KVM line)
KVM_SCENARIOS = {
    "caps-p9-p10": ({"status": "ok", "capability": 1, "failed_step": None,
                     "compat_capabilities": "0x6000000000000000", "modes": P9_P10,
                     "e2big_retries": 0}, P9_P10, "kvm",
                    "KVM_PPC_GET_COMPAT_CAPS = 0x6000000000000000"),
    "caps-p9": ({"status": "ok", "compat_capabilities": "0x4000000000000000",
                 "modes": ["power9"]}, ["power9"], "kvm",
                "KVM_PPC_GET_COMPAT_CAPS = 0x4000000000000000"),
    "caps-none": ({"status": "ok", "compat_capabilities": "0x0000000000000000", "modes": []},
                  [], "kvm", "KVM_PPC_GET_COMPAT_CAPS = 0x0000000000000000"),
    "e2big-retry": ({"status": "ok", "e2big_retries": 1, "modes": P9_P10}, P9_P10, "kvm",
                    "KVM_PPC_GET_COMPAT_CAPS = 0x6000000000000000"),
    "cap-absent": ({"status": "cap-absent", "capability": 0, "compat_capabilities": None,
                    "modes": None}, P9_P10, "device-tree",
                   "KVM_CHECK_EXTENSION(KVM_CAP_PPC_COMPAT_CAPS) = 0"),
    "einval": ({"status": "step-failed", "capability": 1,
                "failed_step": "KVM_PPC_GET_COMPAT_CAPS", "errno": "EINVAL"}, P9_P10,
               "device-tree", "KVM_PPC_GET_COMPAT_CAPS failed (EINVAL)"),
    "enotty": ({"status": "step-failed", "failed_step": "KVM_PPC_GET_COMPAT_CAPS",
                "errno": "ENOTTY"}, P9_P10, "device-tree",
               "KVM_PPC_GET_COMPAT_CAPS failed (ENOTTY)"),
    "create-vm-fails": ({"status": "step-failed", "failed_step": "KVM_CREATE_VM",
                         "errno": "ENOMEM"}, P9_P10, "device-tree",
                        "KVM_CREATE_VM failed (ENOMEM)"),
    "no-device": ({"status": "no-device", "compat_capabilities": None}, P9_P10, "device-tree",
                  "/dev/kvm does not exist"),
    "open-eacces": ({"status": "open-failed", "errno": "EACCES"}, P9_P10, "device-tree",
                    "/dev/kvm cannot be opened (EACCES)"),
}


def check_kvm(c, d):
    sysroot = os.path.join(d, "sysroot")
    for name, (kvm, allowed, source, text_line) in KVM_SCENARIOS.items():
        rc, out, err = c.run(sysroot, name, "json")
        doc = c.schema_ok(out, name + ": report")
        if doc is None:
            continue
        c.ok(all(doc["kvm"].get(k) == v for k, v in kvm.items()),
             name + ": kvm fields " + ", ".join("%s=%s" % kv for kv in kvm.items()),
             json.dumps(doc["kvm"], indent=2))
        c.ok(doc["allowed_modes"] == allowed and doc["allowed_modes_source"] == source,
             "%s: guests may use %s (from %s)" % (name, allowed, source),
             "%s from %s" % (doc["allowed_modes"], doc["allowed_modes_source"]))
        c.ok(doc["recommended_mode"] == (allowed[-1] if allowed else None),
             name + ": recommends the highest of them")
        c.ok(doc["evidence"] == ("certain" if source == "kvm" else "strong"),
             name + ": evidence certain exactly when the kernel answered", doc["evidence"])
        c.ok(doc["effective_mode"] == "power10" and doc["effective_mode_source"] == "device-tree",
             name + ": the effective mode still comes from the device tree")
        rc, out, err = c.run(sysroot, name, "text")
        kvm_line = [l for l in out.splitlines() if l.startswith("KVM ioctl:")]
        c.ok(rc == 0 and len(kvm_line) == 1 and text_line in kvm_line[0],
             name + ": text says '%s'" % text_line, out + err)
        want = "%-17s %s (from %s)" % ("Guests may use:", ", ".join(allowed) or "none", source)
        c.ok(want + "\n" in out, name + ": text says '%s'" % want, out)


# shared/field/README.md: what a correct tool says about each capture, spelled out.
FIELD = {
    "powervm-power7-partial-devtree": dict(
        processor="power7", effective="power7", architected=True, platform="pseries-powervm",
        modes=[], reason="no-kvm-hv"),
    "powervm-power6-cpus-only": dict(
        processor="power6", effective="power6", architected=True, platform="pseries-powervm",
        modes=[], reason="no-kvm-hv"),
    "powernv-power9-dd21-radix": dict(
        processor="power9", effective="power9", architected=False, platform="powernv",
        modes=["power9"], reason="mmu"),
    "qemu-guest-power11-raw-cpuinfo-only": dict(
        processor="power11", effective="power11", architected=False, platform="pseries-other",
        modes=[], reason="unverified"),
    "powermac-ppc750": dict(
        processor=None, effective=None, architected=False, platform="powerpc-other",
        modes=[], reason="not-server"),
}


def check_smt(c, d):
    """POWER8 bare metal with its secondary threads online: allowed, on that condition."""
    sysroot = os.path.join(d, "sysroot")
    rc, out, err = c.run("--sysroot", sysroot, "check", "power8")
    c.ok(rc == 0 and out.startswith("power8: allowed, but secondary threads are online")
         and "ppc64_cpu --smt=off" in out, "check power8 names the SMT condition", out + err)
    rc, out, err = c.run("--sysroot", sysroot, "--json", "check", "power8")
    doc = json.loads(out) if out else {}
    c.ok(rc == 0 and "offline" in (doc.get("condition") or ""),
         "check --json carries the condition", out)
    rc, out, err = c.run("--sysroot", sysroot, "--json", "check", "power9")
    doc = json.loads(out) if out else {}
    c.ok(rc == 1 and doc.get("condition") is None, "no condition on a refusal", out)


def check_field(c, dirs):
    for d in dirs:
        name = os.path.basename(d)
        want = FIELD[name]
        sysroot = os.path.join(d, "sysroot")
        rc, out, err = c.run("--sysroot", sysroot, "--json")
        doc = json.loads(out) if rc == 0 else {}
        c.ok(rc == 0 and doc.get("processor") == want["processor"]
             and doc.get("effective_mode") == want["effective"]
             and doc.get("architected") == want["architected"]
             and doc.get("platform") == want["platform"]
             and doc.get("allowed_modes") == want["modes"],
             "%s: show says what its README says" % name, out + err)
        for mode in MODES:
            rc, out, err = c.run("--sysroot", sysroot, "--json", "check", mode)
            doc = json.loads(out) if out else {}
            if mode in want["modes"]:
                c.ok(rc == 0 and doc.get("allowed") is True, "%s: %s allowed" % (name, mode))
                continue
            c.ok(rc == 1 and doc.get("allowed") is False,
                 "%s: check %s exits 1, never 2" % (name, mode), out + err)
            older = MODES.index(mode) < MODES.index(want["effective"] or "power6")
            if want["reason"] == "mmu" and not older:
                continue
            c.ok(doc.get("reason") == want["reason"],
                 "%s: check %s refused as %s" % (name, mode, want["reason"]), out)
        rc, out, err = c.run("--sysroot", sysroot, "qemu-args")
        c.ok(rc == (0 if want["modes"] else 1), "%s: qemu-args exits %d" % (
            name, 0 if want["modes"] else 1), out + err)
        if want["modes"]:
            continue
        # without a mode, the VMM commands give the reason check gives
        rc, out, err = c.run("--sysroot", sysroot, "--json", "check",
                             want["effective"] or "power9")
        why = json.loads(out)["reason_text"]
        for cmd in ("qemu-args", "libvirt-xml"):
            rc, out, err = c.run("--sysroot", sysroot, cmd)
            line = c.one_line_error(rc, out, err, "%s: %s without a mode" % (name, cmd), want_rc=1)
            c.ok(line.endswith(": " + why), "%s: %s says why: %s" % (name, cmd, why), line)
    rc, out, err = c.run("--sysroot", os.path.join(
        [d for d in dirs if d.endswith("qemu-guest-power11-raw-cpuinfo-only")][0], "sysroot"),
        "check", "power11")
    c.ok(rc == 1 and "KVM ioctl" in out and "weak" in out,
         "the raw QEMU guest: check power11 says what would settle it, and that the evidence is weak",
         out)


def check_man(c, page):
    groff = subprocess.run(["sh", "-c", "command -v groff"], capture_output=True).returncode == 0
    if groff:
        p = subprocess.run(["groff", "-t", "-man", "-Tutf8", "-ww", "-z", page], capture_output=True,
                           env=dict(os.environ, LC_ALL="C.UTF-8"))
        c.ok(p.returncode == 0 and p.stderr == b"", "ppccompat.1 renders without warnings",
             p.stderr.decode())
    else:
        print("ok %d - ppccompat.1 renders # SKIP groff not installed" % (c.n + 1))
        c.n += 1
    text = read(page).replace("\\-", "-")
    rc, usage, _ = c.run("--help")
    commands = re.findall(r"^  ([a-z][a-z-]+)", usage.split("Options:")[0], re.M)
    options = re.findall(r"(--[a-z-]+)", usage.split("Options:")[1])
    c.ok(len(commands) == 6 and len(options) >= 6, "--help lists the commands and options",
         usage)
    for word in commands + options:
        c.ok(word in text, "ppccompat.1 documents " + word)


def tree_copy(d, tmp):
    os.makedirs(tmp, exist_ok=True)
    root = os.path.join(tmp, "root")
    subprocess.run(["cp", "-a", os.path.join(d, "sysroot"), root], check=True)
    return root


def no_strays(c, tmp, allowed, what):
    """Nothing but the files a test made: a failed capture leaves no temporary file."""
    left = sorted(set(os.listdir(tmp)) - set(allowed))
    c.ok(left == [], what + ": no file left behind", left)


def limit_file_size():
    """In the child: writes past 4 KiB fail with EFBIG instead of killing it."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def check_capture_safety(c, d):
    sysroot = os.path.join(d, "sysroot")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "host.tar")
        with open(out, "w") as f:
            f.write("precious")
        line = c.one_line_error(*c.run("--sysroot", sysroot, "capture", out),
                                "capture onto an existing file")
        c.ok(out in line and "--force" in line, "... names it and says --force", line)
        c.ok(read(out) == "precious", "... and leaves it as it was")
        no_strays(c, tmp, ["host.tar"], "refused capture")

        # a failure after --force must not cost the user the file that was there
        line = c.one_line_error(*c.run("--sysroot", os.path.join(tmp, "absent"), "capture",
                                       "--force", out), "capture --force of a missing sysroot")
        c.ok(read(out) == "precious", "... leaves the existing archive alone")
        p = subprocess.run([c.exe, "--sysroot", sysroot, "capture", "--force", out],
                           capture_output=True, preexec_fn=limit_file_size, timeout=60)
        err = p.stderr.decode()
        c.ok(p.returncode == 2 and err == "ppccompat: capture: %s: File too large\n" % out,
             "a write error names the archive and the real errno (EFBIG)", err)
        c.ok(read(out) == "precious", "... and the archive that was there is intact")
        no_strays(c, tmp, ["host.tar"], "failed write")

        rc, text, err = c.run("--sysroot", sysroot, "capture", "--force", out)
        c.ok(rc == 0 and tarfile.is_tarfile(out), "capture --force replaces it", text + err)
        mode = stat.S_IMODE(os.stat(out).st_mode)
        umask = os.umask(0)
        os.umask(umask)
        c.ok(mode == 0o666 & ~umask, "the archive has a new file's mode (%o)" % mode)
        no_strays(c, tmp, ["host.tar"], "capture --force")

        p = subprocess.run([c.exe, "--sysroot", sysroot, "capture", "-"], capture_output=True,
                           timeout=60)
        with open(out, "rb") as f:
            c.ok(p.returncode == 0 and p.stdout == f.read() and p.stderr == b"",
                 "capture - writes the same archive to standard output", p.stderr)
        with open("/dev/full", "w") as full:
            p = subprocess.run([c.exe, "--sysroot", sysroot, "capture", "-"], stdout=full,
                               stderr=subprocess.PIPE, timeout=60)
        c.ok(p.returncode == 2 and p.stderr.decode() ==
             "ppccompat: capture: standard output: No space left on device\n",
             "capture - into /dev/full fails with ENOSPC", p.stderr)
        c.one_line_error(*c.run("--sysroot", sysroot, "--json", "capture", "-"),
                         "capture - with --json")
        c.one_line_error(*c.run("--sysroot", sysroot, "--force"), "--force on show")
        line = c.one_line_error(*c.run("--sysroot", sysroot, "capture", tmp),
                                "capture onto a directory")

        # a cpuinfo over 1 MiB is within the probe's own bound for it, so capture takes it
        big = tree_copy(d, os.path.join(tmp, "big"))
        cpuinfo = os.path.join(big, "proc", "cpuinfo")
        text = read(cpuinfo)
        first = text.index("processor")
        summary = text.index("\n\n", text.rindex("processor")) + 2
        block = text[first:text.index("processor", first + 1)]
        with open(cpuinfo, "w") as f:
            f.write("".join(block.replace("processor\t: 0", "processor\t: %d" % i)
                            for i in range(20000)) + text[summary:])
        rc, _, err = c.run("--sysroot", big, "capture", os.path.join(tmp, "big.tar"))
        c.ok(rc == 0 and os.path.getsize(cpuinfo) > (1 << 20),
             "capture takes a %d-byte cpuinfo, as the probe does" % os.path.getsize(cpuinfo),
             err)


def check_sysroot_safety(c, d):
    expected = read(os.path.join(d, "expected.json"))
    for rel, what in (("proc/cpuinfo", "cpuinfo"),
                      ("proc/device-tree/compatible", "the root compatible")):
        with tempfile.TemporaryDirectory() as tmp:
            root = tree_copy(d, tmp)
            os.unlink(os.path.join(root, rel))
            os.mkfifo(os.path.join(root, rel))
            # no writer ever opens the FIFO: a blocking read would hang until the timeout
            try:
                rc, out, err = c.run("--sysroot", root, timeout=20)
            except subprocess.TimeoutExpired:
                c.ok(False, "a FIFO as %s: the probe blocked" % what)
                continue
            line = c.one_line_error(rc, out, err, "a FIFO as " + what)
            c.ok(line.startswith("ppccompat: %s/%s: " % (root, rel)) and "a FIFO" in line,
                 "... names the file and says it is a FIFO", line)
            try:
                rc, out, err = c.run("--sysroot", root, "--json", "capture",
                                     os.path.join(tmp, "f.tar"), timeout=20)
            except subprocess.TimeoutExpired:
                c.ok(False, "a FIFO as %s: capture blocked" % what)
                continue
            doc = json.loads(out) if rc == 0 else {}
            c.ok(rc == 0 and "a FIFO" in (doc.get("probe_error") or "")
                 and rel not in doc.get("entries", []),
                 "capture of a tree with a FIFO as %s: archived without it" % what, out + err)

    with tempfile.TemporaryDirectory() as tmp:
        root = tree_copy(d, tmp)
        outside = os.path.join(tmp, "outside-cpuinfo")
        shutil.move(os.path.join(root, "proc", "cpuinfo"), outside)
        os.symlink(outside, os.path.join(root, "proc", "cpuinfo"))
        line = c.one_line_error(*c.run("--sysroot", root), "an absolute symlink out of the tree")
        c.ok(line.startswith("ppccompat: %s/proc/cpuinfo: " % root) and "no such file" in line,
             "... resolves inside the tree, where its target is missing", line)
        os.makedirs(os.path.dirname(root + outside))
        shutil.copy(outside, root + outside)
        rc, out, err = c.run("--sysroot", root, "--json")
        c.ok(rc == 0 and out == expected, "... and reads the tree's copy when there is one",
             out + err)

    with tempfile.TemporaryDirectory() as tmp:
        # what a live system has: /proc/device-tree -> /sys/firmware/devicetree/base
        root = tree_copy(d, tmp)
        base = os.path.join(root, "sys", "firmware", "devicetree", "base")
        os.makedirs(os.path.dirname(base))
        shutil.move(os.path.join(root, "proc", "device-tree"), base)
        os.symlink("/sys/firmware/devicetree/base", os.path.join(root, "proc", "device-tree"))
        rc, out, err = c.run("--sysroot", root, "--json")
        c.ok(rc == 0 and out == expected, "the live device-tree link resolves inside the tree",
             out + err)
        tar_path = os.path.join(tmp, "linked.tar")
        rc, out, err = c.run("--sysroot", root, "capture", tar_path)
        with tarfile.open(tar_path) as tar:
            tar.extractall(os.path.join(tmp, "unpacked"))
        rc, out, err = c.run("--sysroot", os.path.join(tmp, "unpacked"), "--json")
        c.ok(rc == 0 and out == expected, "... and its capture replays to the same report",
             out + err)

        shutil.rmtree(os.path.join(root, "sys"))
        line = c.one_line_error(*c.run("--sysroot", root), "a dangling device-tree link")
        c.ok(line.startswith("ppccompat: %s/proc/device-tree" % root)
             and "/sys/firmware/devicetree/base" in line,
             "... is an error naming the link, not a host without a device tree", line)

    for args in (["--help"], ["--version"]):
        with open("/dev/full", "w") as full:
            p = subprocess.run([c.exe, *args], stdout=full, stderr=subprocess.PIPE, timeout=60)
        c.ok(p.returncode == 2 and p.stderr.decode() ==
             "ppccompat: standard output: No space left on device\n",
             "%s into /dev/full fails (exit 2)" % args[0], p.stderr)


def fake_qemu(tmp, name, body):
    """An executable that stands in for qemu-system-ppc64; it logs its arguments."""
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s.args\n%s\n" % (path, body))
    os.chmod(path, 0o755)
    return path


# The first QEMU release whose max-cpu-compat accepts each name (cli/vmm_config.c cites
# the commits); written out here so that a wrong row in the program's table fails.
QEMU_FIRST = {"power6": (2, 10), "power7": (2, 10), "power8": (2, 10), "power9": (2, 10), "power10": (5, 0),
              "power11": (9, 2)}


LIBVIRT_TAKES = ("power6", "power7", "power8", "power9", "power10")


def check_vmm(c, d):
    sysroot = os.path.join(d, "sysroot")
    allowed = json.loads(read(os.path.join(d, "expected.json")))["allowed_modes"]
    rc, out, err = c.run("--sysroot", sysroot, "qemu-args", "--mode", "power10")
    c.ok(rc == 0 and out == "-machine max-cpu-compat=power10\n" and err == "",
         "qemu-args prints the one -machine option, no machine type, no -cpu", out + err)
    # what the manual tells users to write; the shell splits it as QEMU will see it
    line = subprocess.run(["sh", "-c", 'printf "%s\\n" -M pseries-7.0 $(' + " ".join(
        [c.exe, "--sysroot", sysroot, "qemu-args", "--mode", "power10"]) + ') -cpu host'],
        capture_output=True, text=True,
        env=dict(os.environ, PPCCOMPAT_QEMU="/nonexistent")).stdout.split()
    c.ok(line == ["-M", "pseries-7.0", "-machine", "max-cpu-compat=power10", "-cpu", "host"],
         "-M pseries-7.0 $(ppccompat qemu-args) -cpu host keeps the pinned machine type", line)

    for mode, (major, minor) in QEMU_FIRST.items():
        if mode not in allowed:
            continue
        older = "%d.%d" % (major, minor - 1) if minor else "%d.99" % (major - 1)
        for version, accepts in ((older, False), ("%d.%d" % (major, minor), True),
                                 ("%d.%d.7" % (major, minor), True)):
            rc, out, err = c.run("--sysroot", sysroot, "--json", "qemu-args", "--mode", mode,
                                 "--qemu-version", version)
            doc = c.schema_ok(out, "qemu-args --mode %s --qemu-version %s" % (mode, version))
            c.ok(rc == 0 and doc is not None and doc["qemu"]["accepts"] is accepts
                 and doc["qemu"]["first_accepting"] == "%d.%d" % (major, minor)
                 and doc["qemu"]["version_source"] == "--qemu-version",
                 "QEMU %s %s max-cpu-compat=%s" % (version, "accepts" if accepts else "refuses",
                                                  mode), out + err)
            warned = "warning: QEMU %s (--qemu-version) refuses max-cpu-compat=%s; QEMU %d.%d " \
                "and later accept it" % (".".join(version.split(".")[:2]), mode, major, minor)
            c.ok((warned in err) != accepts and err.count("\n") == (0 if accepts else 1),
                 "... %s" % ("and no warning" if accepts else "with one warning line"), err)
    rc, out, err = c.run("--sysroot", sysroot, "libvirt-xml", "--mode", "power10",
                         "--qemu-version", "4.2")
    c.ok(rc == 0 and out.startswith("<cpu mode='host-model'>") and "refuses" in err,
         "libvirt-xml warns about the QEMU below it too", out + err)
    # libvirt's ppc64CheckCompatibilityMode() takes power6..power10, never power11
    for mode in allowed:
        rc, out, err = c.run("--sysroot", sysroot, "--json", "libvirt-xml", "--mode", mode,
                             "--qemu-version", "11.2")
        doc = c.schema_ok(out, "libvirt-xml --mode %s" % mode)
        takes = mode in LIBVIRT_TAKES
        warned = "warning: libvirt refuses <model>%s</model>: its ppc64 host-model takes " \
            "power6 to power10; --mode power10 gives one it takes" % mode
        c.ok(rc == 0 and doc is not None and doc["libvirt"]["accepts"] is takes
             and (warned in err) != takes and err.count("\n") == (0 if takes else 1),
             "libvirt-xml --mode %s: libvirt %s it%s" % (
                 mode, "takes" if takes else "refuses", "" if takes else ", one warning line"),
             out + err)
    # QEMU has a POWER7+ row of its own (compat.c "power7+"): what the user said is kept
    if "power7" in allowed:
        rc, out, err = c.run("--sysroot", sysroot, "check", "POWER7+")
        c.ok(rc == 0 and out.startswith("power7+: allowed"), "check POWER7+ answers for power7+",
             out + err)
        rc, out, err = c.run("--sysroot", sysroot, "qemu-args", "--mode", "power7+",
                             "--qemu-version", "2.9")
        c.ok(rc == 0 and out == "-machine max-cpu-compat=power7+\n"
             and "refuses max-cpu-compat=power7+; QEMU 2.10" in err,
             "qemu-args --mode power7+ keeps power7+, checked against QEMU", out + err)
        rc, out, err = c.run("--sysroot", sysroot, "libvirt-xml", "--mode", "power7+",
                             "--qemu-version", "10.0")
        for cmd in ("qemu-args", "libvirt-xml"):
            rc, out, err = c.run("--sysroot", sysroot, "--json", cmd, "--mode", "power7+")
            doc = c.schema_ok(out, "%s --json --mode power7+" % cmd)
            c.ok(rc == 0 and doc is not None and doc["mode"] == "power7",
                 "%s --json --mode power7+: mode power7, QEMU's name power7+" % cmd, out)
        rc, out, err = c.run("--sysroot", sysroot, "libvirt-xml", "--mode", "power7+",
                             "--qemu-version", "10.0")
        c.ok(rc == 0 and "<model>power7+</model>" in out
             and "refuses <model>power7+</model>" in err and "--mode power7 gives" in err,
             "libvirt-xml --mode power7+: libvirt refuses it, power7 it takes", out + err)
    for bad in ("10", "ten", "10.0.0.1", "-1.0", "1.2x", ""):
        c.one_line_error(*c.run("--sysroot", sysroot, "qemu-args", "--qemu-version", bad),
                         "--qemu-version %r" % bad)
    c.one_line_error(*c.run("--sysroot", sysroot, "--qemu-version", "9.2"),
                     "--qemu-version on show")
    # a usage error, up front: also where the host has no mode to configure
    for cmd in ("qemu-args", "libvirt-xml"):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "proc"))
            with open(os.path.join(tmp, "proc", "cpuinfo"), "w") as f:
                f.write("processor\t: 0\nvendor_id\t: GenuineIntel\n")
            c.one_line_error(*c.run("--sysroot", tmp, cmd, "--qemu-version", "garbage"),
                             "%s --qemu-version garbage on a host without modes" % cmd)
    # under --json, each error carries the schema's code for it, and the file it names
    long_out = os.path.join(tempfile.gettempdir(), "x" * 300, "y.tar")
    for args, code, field, path in (
            (["qemu-args", "--mode", "power12"], "unknown-mode", "mode", None),
            (["qemu-args", "--qemu-version", "garbage"], "bad-argument", "qemu-version", None),
            (["bogus"], "bad-argument", None, None),
            (["show", "--force"], "bad-argument", None, None),
            (["capture", "-"], "bad-argument", None, None),
            (["baseline", "-", "-"], "bad-argument", None, None),
            (["capture", long_out], "name-too-long", None, long_out)):
        rc, out, err = c.run("--sysroot", sysroot, "--json", *args)
        doc = json.loads(out) if out.startswith("{") else {}
        e = doc.get("error", {})
        c.ok(rc == 2 and e.get("code") == code and e.get("field") == field
             and e.get("path") == path,
             "--json %s: code %s, field %s, path %s" % (" ".join(args)[:40], code, field, path),
             out + err)

    with tempfile.TemporaryDirectory() as tmp:
        newest = "power11" if "power11" in allowed else allowed[-1]
        first = "%d.%d" % QEMU_FIRST[newest]
        cases = {
            "old": ('echo "QEMU emulator version 4.2.1 (Debian 1:4.2-3ubuntu6)"; '
                    'echo "Copyright (c) 2003-2019 Fabrice Bellard"', False, "refuses"),
            "new": ('echo "QEMU emulator version 10.0.13 (Debian 1:10.0.13+ds-0+deb13u1)"',
                    True, None),
            "silent": ("sleep 60", None, "did not answer"),
            "chatty": ("yes QEMU", None, "printed more than a version"),
            "failing": ("exit 1", None, "--version failed"),
            "other": ('echo "Python 3.11.2"', None, "printed no"),
        }
        for name, (body, accepts, says) in cases.items():
            qemu = fake_qemu(tmp, name, body)
            rc, out, err = c.run("--sysroot", sysroot, "--json", "qemu-args", "--mode", newest,
                                 env={"PPCCOMPAT_QEMU": qemu})
            doc = c.schema_ok(out, "qemu-args with a %s qemu-system-ppc64" % name)
            c.ok(rc == 0 and doc is not None and doc["qemu"]["accepts"] is accepts
                 and (says in err if says else err == "") and err.count("\n") <= 1,
                 "a %s qemu-system-ppc64: accepts=%s%s" % (name, accepts,
                                                           ", says '%s'" % says if says else ""),
                 out + err)
            if os.path.exists(qemu + ".args"):
                c.ok(read(qemu + ".args") == "--version\n",
                     "... asked with exactly --version (%s)" % name, read(qemu + ".args"))
        # a wrapper script whose own child outlives the 5 s timeout: the child dies too
        qemu = fake_qemu(tmp, "wrapper", "sleep 46 & echo $! > %s/child.pid; wait" % tmp)
        rc, out, err = c.run("--sysroot", sysroot, "qemu-args", "--mode", newest,
                             env={"PPCCOMPAT_QEMU": qemu})
        child = int(read(os.path.join(tmp, "child.pid")))
        alive = True
        for _ in range(50):
            try:
                with open("/proc/%d/stat" % child) as f:
                    alive = f.read().rsplit(")", 1)[1].split()[0] != "Z"
            except FileNotFoundError:
                alive = False
            if not alive:
                break
            subprocess.run(["sleep", "0.1"])
        if alive:
            os.kill(child, signal.SIGKILL)
        c.ok("did not answer" in err and not alive,
             "a QEMU wrapper's child is killed with it at the timeout", err)
        rc, out, err = c.run("--sysroot", sysroot, "--json", "qemu-args", "--mode", newest,
                             "--qemu-version", first, env={"PPCCOMPAT_QEMU": qemu})
        c.ok(rc == 0 and json.loads(out)["qemu"]["version_source"] == "--qemu-version",
             "--qemu-version wins over the installed QEMU", out + err)


def check_power7_plus(c, d):
    """A partition whose cpus show QEMU's POWER7+ logical PVR: the report keeps power7+."""
    with tempfile.TemporaryDirectory() as tmp:
        root = tree_copy(d, tmp)
        cpus = os.path.join(root, "proc/device-tree/cpus")
        for node in os.listdir(cpus):
            with open(os.path.join(cpus, node, "cpu-version"), "wb") as f:
                f.write(struct.pack(">I", 0x0F100003))
        path = os.path.join(root, "proc/cpuinfo")
        text = read(path).replace("POWER8 (architected)", "POWER7 (architected)")
        with open(path, "w") as f:
            f.write(text)
        rc, out, err = c.run("--sysroot", root)
        c.ok(rc == 0 and "Effective mode:   power7+, architected (compatibility mode); "
             "cpu-version 0x0f100003" in out, "a POWER7+ logical PVR is reported as power7+",
             out + err)


def check_unknown_hypervisor(c, d):
    """A /hypervisor node that is not QEMU's linux,kvm is said in the report, never hidden."""
    with tempfile.TemporaryDirectory() as tmp:
        root = tree_copy(d, tmp)
        os.makedirs(os.path.join(root, "proc/device-tree/hypervisor"), exist_ok=True)
        with open(os.path.join(root, "proc/device-tree/hypervisor/compatible"), "wb") as f:
            f.write(b"xen,xen\x1b[31m\0")
        rc, out, err = c.run("--sysroot", root)
        c.ok(rc == 0 and '  hypervisor:     "xen,xen\\x1b[31m\\0" (/hypervisor/compatible: not '
             'recognised)' in out and "(pseries-other; from device-tree)" in out
             and "Note:             the device tree's /hypervisor node names no hypervisor" in out,
             "an unknown /hypervisor: named (escaped), noted, pseries-other", out + err)
        rc, out, err = c.run("--sysroot", root, "--json")
        doc = c.schema_ok(out, "show --json with an unknown /hypervisor")
        c.ok(doc is not None and doc["hypervisor_compatible"] == "xen,xen\\x1b[31m\\0"
             and "unknown-hypervisor" in doc["notes"] and doc["allowed_modes"] == [],
             "... and in --json", out)
        for value, shown in ((b"linux,kvm", '"linux,kvm"'), (b"linux,kvm\0\0", '"linux,kvm\\0\\0"'),
                             (None, "/hypervisor/compatible: absent or empty")):
            path = os.path.join(root, "proc/device-tree/hypervisor/compatible")
            if value is None:
                os.unlink(path)
            else:
                with open(path, "wb") as f:
                    f.write(value)
            rc, out, err = c.run("--sysroot", root)
            c.ok(rc == 0 and "  hypervisor:     " + shown in out,
                 "/hypervisor/compatible %r: shown as %s" % (value, shown), out + err)


def check_kernel_release(c, d):
    """A Power11 partition: power11 only from a kernel known to ask PowerVM for it (7.2+)."""
    for release, power11 in (("6.12.117-powerpc64le", False), ("7.2.12+bpo-powerpc64le", True),
                             (None, False)):
        with tempfile.TemporaryDirectory() as tmp:
            root = tree_copy(d, tmp)
            if release:
                os.makedirs(os.path.join(root, "proc/sys/kernel"))
                with open(os.path.join(root, "proc/sys/kernel/osrelease"), "w") as f:
                    f.write(release + "\n")
            rc, out, err = c.run("--sysroot", root, "--json")
            doc = c.schema_ok(out, "show --json, kernel %s" % release)
            c.ok(doc is not None and doc["kernel_release"] == release
                 and ("power11" in doc["allowed_modes"]) == power11
                 and ("power11-unconfirmed" in doc["notes"]) != power11
                 and doc["recommended_mode"] == ("power11" if power11 else "power10"),
                 "Power11 LPAR, kernel %s: power11 %s" % (release, "kept" if power11 else
                                                           "left out"), out + err)
            rc, out, err = c.run("--sysroot", root)
            c.ok(rc == 0 and (("%-17s %s (from /proc/sys/kernel/osrelease)\n"
                               % ("Kernel release:", release)) in out if release
                              else "Kernel release:" not in out),
                 "... the text names the release, where there is one", out)
            rc, out, err = c.run("--sysroot", root, "--json", "check", "power11")
            doc = json.loads(out) if out else {}
            c.ok(rc == (0 if power11 else 1) and doc.get("reason") ==
                 ("ok" if power11 else "power11-unconfirmed"),
                 "... check power11 agrees", out + err)


def check_registry(c, dirs):
    """Every fixture on disk is one that tests/cli/meson.build runs, and the other way round."""
    fixtures = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + "/fixtures"
    on_disk = set()
    for parent in (fixtures, os.path.join(fixtures, "broken")):
        for name in os.listdir(parent):
            if os.path.isdir(os.path.join(parent, name, "sysroot")):
                on_disk.add(os.path.join(parent, name))
    registered = set(os.path.abspath(d) for d in dirs)
    c.ok(on_disk == registered, "tests/cli/meson.build runs every fixture in tests/fixtures",
         "not run: %s\nnot on disk: %s" % (sorted(on_disk - registered),
                                            sorted(registered - on_disk)))


def main():
    exe, schema, kind, dirs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    c = Checker(exe, schema)
    if kind == "fixture":
        check_fixture(c, dirs[0])
    elif kind == "broken":
        check_broken(c, dirs[0])
    elif kind == "baseline":
        check_baseline(c, dirs)
    elif kind == "usage":
        check_usage(c)
        check_live(c)
        check_odd_inputs(c, dirs[0])
        check_schema_rejects(c, dirs[0])
    elif kind == "done-when":
        check_done_when(c, dirs[0])
    elif kind == "kvm":
        check_kvm(c, dirs[0])
    elif kind == "smt":
        check_smt(c, dirs[0])
    elif kind == "power7+":
        check_power7_plus(c, dirs[0])
    elif kind == "hypervisor":
        check_unknown_hypervisor(c, dirs[0])
    elif kind == "kernel":
        check_kernel_release(c, dirs[0])
    elif kind == "field":
        check_field(c, dirs)
    elif kind == "registry":
        check_registry(c, dirs)
    elif kind == "man":
        check_man(c, dirs[0])
    elif kind == "vmm":
        check_vmm(c, dirs[0])
    elif kind == "safety":
        check_capture_safety(c, dirs[0])
        check_sysroot_safety(c, dirs[0])
    else:
        sys.exit("cli_test.py: unknown kind " + kind)
    print("1..%d" % c.n)
    sys.exit(1 if c.failed else 0)


if __name__ == "__main__":
    main()
