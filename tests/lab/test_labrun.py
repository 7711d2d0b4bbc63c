#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The lab's kernel table (lab/kernels) and the kernel selectors of scenario files: the real
files parse, and the selector rules hold on a table of our own. Runs on the host, no boot."""

import fnmatch
import os
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "lab", "lib"))
import labrun  # noqa: E402

TABLE = """\
trait caps        has the ioctl
trait fp-fix      has the FP fix
trait nested-v2   has nested API v2
kernel stock-1.0    -                 -          fp-*
kernel stock-2.0    nested-v2,caps    -          *
kernel patched-1.0  fp-fix            -          -
kernel patched-2.0  nested-v2,caps,fp-fix  suite_a,suite_b  v2-*
"""

SCENARIO = """\
# about: a test scenario
l0 stock
machine pseries
cpu power10
kernels {kernels}
step one /bin/true
expect {sel} one:fact=value
"""


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


class KernelTableTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.table = labrun.load_kernels(write(self.tmp.name, "kernels", TABLE))

    def tearDown(self):
        self.tmp.cleanup()

    def bad_table(self, text, why):
        with self.assertRaisesRegex(labrun.LabError, why):
            labrun.load_kernels(write(self.tmp.name, "bad", text))

    def scenario(self, sel, kernels="*"):
        path = write(self.tmp.name, "sc", SCENARIO.format(sel=sel, kernels=kernels))
        return labrun.load_scenario(path, self.table)

    def selected(self, sel):
        e = self.scenario(sel).expectations[0]
        return sorted(k for k in self.table.kernels if e.applies(k))

    def test_table_columns(self):
        k = self.table.get("patched-2.0")
        self.assertEqual(k.traits, {"nested-v2", "caps", "fp-fix"})
        self.assertEqual(k.suites, ("suite_a", "suite_b"))
        self.assertEqual(k.ci, ("v2-*",))
        self.assertEqual(self.table.get("patched-1.0").ci, ())
        self.assertIs(self.table.get("stock-2.0-kunit"), self.table.get("stock-2.0"))

    def test_unknown_kernel(self):
        with self.assertRaisesRegex(labrun.LabError, "not in lab/kernels"):
            self.table.get("stock-9.9")

    def test_table_errors(self):
        self.bad_table("kernel stock-1.0 caps - *\n", "not declared")
        self.bad_table("trait caps x\nkernel stock-1.0 caps -\n", "expected 'kernel ID")
        self.bad_table("trait caps x\nkernel mine-1.0 caps - *\n", "stock-VERSION")
        self.bad_table("trait caps x\ntrait caps y\n", "declared twice")
        self.bad_table("trait caps x\nkernel stock-1.0 - - *\nkernel stock-1.0 - - *\n", "twice")
        self.bad_table("trait caps x\n", "lists no kernel")
        self.bad_table("kernels stock-1.0\n", "unknown directive")

    def test_globs(self):
        self.assertEqual(self.selected("*"), sorted(self.table.kernels))
        self.assertEqual(self.selected("stock-*"), ["stock-1.0", "stock-2.0"])
        self.assertEqual(self.selected("stock-1.0,patched-2.0"), ["patched-2.0", "stock-1.0"])

    def test_traits(self):
        self.assertEqual(self.selected("+caps"), ["patched-2.0", "stock-2.0"])
        self.assertEqual(self.selected("!caps"), ["patched-1.0", "stock-1.0"])
        # Tests in one term must all hold; terms are alternatives.
        self.assertEqual(self.selected("+caps!fp-fix"), ["stock-2.0"])
        self.assertEqual(self.selected("+caps!fp-fix,patched-1.0"), ["patched-1.0", "stock-2.0"])

    def test_selector_errors(self):
        for sel, why in (("+nosuch", "no trait 'nosuch'"), ("stock-9.*", "matches no kernel"),
                         ("+caps-", "no trait 'caps-'"), ("+caps,", "empty term"), (",stock-*", "empty term"),
                         ("+caps+", "expected \\+TRAIT"),
                         ("+caps!!fp-fix", "expected \\+TRAIT")):
            with self.subTest(sel=sel), self.assertRaisesRegex(labrun.LabError, why):
                self.scenario(sel)

    def test_scenario_kernels_line(self):
        sc = self.scenario("*", kernels="+nested-v2")
        self.assertEqual([k for k in self.table.kernels if sc.runs_on(k)], ["stock-2.0", "patched-2.0"])
        self.assertTrue(self.scenario("*", kernels="*").runs_on("patched-1.0"))


class RealFilesTest(unittest.TestCase):
    """lab/kernels and every scenario parse, and each scenario runs somewhere in CI."""

    def test_real_files(self):
        table = labrun.load_kernels()
        scenarios = labrun.all_scenarios(table)
        self.assertTrue(scenarios)
        for sc in scenarios:
            with self.subTest(scenario=sc.name):
                self.assertTrue(any(sc.runs_on(k.id) and any(
                    fnmatch.fnmatchcase(sc.name, g) for g in k.ci)
                    for k in table.kernels.values()), "no kernel boots it in lab/run --ci")

    def test_patched_kernels_have_series(self):
        for k in labrun.load_kernels().kernels.values():
            if k.id.startswith("patched-"):
                ver = k.id.partition("-")[2]
                with self.subTest(kernel=k.id):
                    self.assertTrue(os.path.exists(os.path.join(TOP, "kernel", ver, "series")))


UNASSERTED = """\
# about: a figure recorded on one kernel, judged on the others
l0 stock
machine pseries
cpu power10
step bench /bin/bench
unasserted +caps bench costs * at most 1.4x
expect +caps bench:exit=[01]
"""


class UnassertedTest(unittest.TestCase):
    """`unasserted`: on the kernels it selects a matching TAP line is a SKIP either way; on
    the others it is judged as usual."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.table = labrun.load_kernels(write(self.tmp.name, "kernels", TABLE))
        self.sc = labrun.load_scenario(write(self.tmp.name, "sc", UNASSERTED), self.table)

    def tearDown(self):
        self.tmp.cleanup()

    def verdicts(self, kernel, passed):
        mark, code = ("ok", 0) if passed else ("not ok", 1)
        log = labrun.parse_log(f"PPCCOMPAT-STEP 1 /bin/bench\n{mark} 1 - costs 1.43x, at most 1.4x\n"
                               f"PPCCOMPAT-STEP-END 1 exit={code}\nPPCCOMPAT-DONE\n")
        verdicts, _ = labrun.judge(self.sc, kernel, log, 1.0, False)
        return {v.what: v for v in verdicts}

    def test_skipped_either_way_where_selected(self):
        for passed in (True, False):
            with self.subTest(passed=passed):
                v = self.verdicts("stock-2.0", passed)
                line = v[f"bench: costs 1.43x, at most 1.4x ({'ok' if passed else 'not ok'})"]
                self.assertTrue(line.ok)
                self.assertTrue(line.directive.startswith("SKIP not asserted on stock-2.0"))
                self.assertTrue(all(x.ok for x in v.values()))

    def test_judged_elsewhere(self):
        v = self.verdicts("stock-1.0", False)
        self.assertFalse(v["bench: costs 1.43x, at most 1.4x"].ok)
        self.assertFalse(v["bench: exit=1"].ok)

    def test_syntax(self):
        bad = UNASSERTED.replace("unasserted +caps bench costs * at most 1.4x", "unasserted +caps bench")
        with self.assertRaisesRegex(labrun.LabError, "expected 'unasserted KERNELS LABEL"):
            labrun.load_scenario(write(self.tmp.name, "bad", bad), self.table)

if __name__ == "__main__":
    unittest.main()
