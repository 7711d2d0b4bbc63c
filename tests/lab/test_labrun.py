#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The lab's kernel table (lab/kernels) and the kernel selectors of scenario files: the real
files parse, and the selector rules hold on a table of our own; the kernel-report (splat)
detector on console lines of the formats the kernel prints; scenario durations, seeds and
the debug kernels' boot limits. Runs on the host, no boot."""

import fnmatch
import importlib.machinery
import importlib.util
import os
import sys
import tempfile
import unittest
from unittest import mock

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "lab", "lib"))
import labrun  # noqa: E402

TABLE = """\
trait caps        has the ioctl
trait fp-fix      has the FP fix
trait nested-v2   has nested API v2
kernel stock-1.0    -                 -          fp-*   -
kernel stock-2.0    nested-v2,caps    -          *      -
kernel patched-1.0  fp-fix            -          -      -
kernel patched-2.0  nested-v2,caps,fp-fix  suite_a,suite_b  v2-*  v2-one,v1-one
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
        self.assertEqual(k.debug_ci, ("v2-one", "v1-one"))
        self.assertEqual(self.table.get("stock-2.0").debug_ci, ())
        self.assertIs(self.table.get("stock-2.0-kunit"), self.table.get("stock-2.0"))
        self.assertIs(self.table.get("patched-2.0-debug"), k)

    def test_variants(self):
        self.assertEqual(labrun.split_variant("patched-6.12-debug"), ("patched-6.12", "debug"))
        self.assertEqual(labrun.split_variant("stock-7.3-kunit"), ("stock-7.3", "kunit"))
        self.assertEqual(labrun.split_variant("stock-7.3"), ("stock-7.3", ""))
        # A debug kernel has no KUnit built in: its -kunit boot would run nothing.
        with self.assertRaisesRegex(labrun.LabError, "one variant at most"):
            self.table.get("patched-2.0-debug-kunit")
        with self.assertRaisesRegex(labrun.LabError, "not in lab/kernels"):
            self.table.get("patched-9.9-debug")
        # A variant has its base's traits.
        e = self.scenario("+caps!fp-fix").expectations[0]
        self.assertTrue(e.applies("stock-2.0-debug"))
        self.assertFalse(e.applies("patched-2.0-debug"))

    def test_unknown_kernel(self):
        with self.assertRaisesRegex(labrun.LabError, "not in lab/kernels"):
            self.table.get("stock-9.9")

    def test_table_errors(self):
        self.bad_table("kernel stock-1.0 caps - * -\n", "not declared")
        self.bad_table("trait caps x\nkernel stock-1.0 caps -\n", "expected 'kernel ID")
        self.bad_table("trait caps x\nkernel stock-1.0 caps - *\n", "DEBUG-CI")
        self.bad_table("trait caps x\nkernel mine-1.0 caps - * -\n", "stock-VERSION")
        self.bad_table("trait caps x\ntrait caps y\n", "declared twice")
        self.bad_table("trait caps x\nkernel stock-1.0 - - * -\nkernel stock-1.0 - - * -\n", "twice")
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

    def test_debug_ci_globs(self):
        """Each DEBUG-CI glob names a scenario the kernel boots (a typo would boot nothing)."""
        table = labrun.load_kernels()
        scenarios = labrun.all_scenarios(table)
        for k in table.kernels.values():
            for g in k.debug_ci:
                with self.subTest(kernel=k.id, glob=g):
                    self.assertTrue(any(fnmatch.fnmatchcase(sc.name, g) and sc.runs_on(k.id)
                                        for sc in scenarios))

    def test_patched_kernels_have_series(self):
        for k in labrun.load_kernels().kernels.values():
            if k.id.startswith("patched-"):
                ver = k.id.partition("-")[2]
                with self.subTest(kernel=k.id):
                    self.assertTrue(os.path.exists(os.path.join(TOP, "kernel", ver, "series")))

    def test_fixes_name_known_versions_and_patches(self):
        """kernel/fixes/VERSION (applied by lab/kernel --debug) is for a version the table
        builds, and its series names patches that exist: lab/kernel would die mid-build."""
        fixes = os.path.join(TOP, "kernel", "fixes")
        versions = {k.id.partition("-")[2] for k in labrun.load_kernels().kernels.values()}
        for ver in sorted(os.listdir(fixes)):
            with self.subTest(fixes=ver):
                self.assertIn(ver, versions)
                with open(os.path.join(fixes, ver, "series")) as fh:
                    names = [l.split("#")[0].strip() for l in fh]
                names = [n for n in names if n]
                self.assertTrue(names)
                for n in names:
                    self.assertTrue(os.path.isfile(os.path.join(fixes, ver, n)), n)



# ---------------------------------------------------------------- kernel reports

# One console line or more per SPLAT_KINDS row, in the formats the kernel prints (the source
# files are named in labrun's comment above the table); the first line is the header.
SPLAT_SAMPLES = {
    "WARN": [
        # 6.1 / 6.12, kernel/panic.c __warn(), with and without the file name
        "WARNING: CPU: 0 PID: 93 at arch/powerpc/kvm/book3s_hv.c:482 kvmppc_set_arch_compat+0x1d8/0x210",
        "WARNING: CPU: 1 PID: 7 at kvmppc_vcore_create+0x44/0x1a0",
        # 7.2 / 7.3
        "WARNING: arch/powerpc/kvm/book3s_hv.c:482 at kvmppc_set_arch_compat+0x1d8/0x210, CPU#0: compat-test/93",
        "WARNING: at kvmppc_set_arch_compat+0x1d8/0x210, CPU#0: compat-test/93",
    ],
    "lockdep": [
        "WARNING: possible circular locking dependency detected",
        "WARNING: possible recursive locking detected",
        "WARNING: inconsistent lock state",
        "WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected",
        "WARNING: possible irq lock inversion dependency detected",
        "WARNING: bad unlock balance detected!",
        "WARNING: compat-test/93 still has locks held!",
        "WARNING: lock held when returning to user space!",
        "INFO: trying to register non-static key.",
    ],
    "RCU lockdep": ["WARNING: suspicious RCU usage"],
    "DEBUG_LOCKS_WARN_ON": ["DEBUG_LOCKS_WARN_ON(lock->magic != lock)"],
    "KASAN": ["BUG: KASAN: slab-use-after-free in kvm_vm_ioctl+0x5c/0x8e0",
              "BUG: KASAN: invalid-access"],
    "KFENCE": ["BUG: KFENCE: out-of-bounds read in kvm_arch_vm_ioctl+0x1a4/0x6f0",
               "BUG: KFENCE: use-after-free write in kvmppc_core_free_memslot_hv+0x30/0x70"],
    "UBSAN": ["UBSAN: shift-out-of-bounds in arch/powerpc/kvm/book3s_hv.c:512:23",
              "UBSAN: array-index-out-of-bounds in arch/powerpc/kvm/powerpc.c:2304:9"],
    "scheduling while atomic": ["BUG: scheduling while atomic: nestvm/120/0x00000002"],
    "sleeping in atomic context": [
        "BUG: sleeping function called from invalid context at mm/slub.c:4157"],
    "soft lockup": ["watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [stress:141]"],
    "hard lockup": ["watchdog: CPU 0 self-detected hard LOCKUP @ kvmppc_run_core+0x2b0/0xc10",
                    "watchdog: CPU 1 detected hard LOCKUP on other CPUs 0",
                    "watchdog: CPU1: Watchdog detected hard LOCKUP on cpu 0",
                    "watchdog: Watchdog detected hard LOCKUP on cpu 0"],
    "RCU stall": ["rcu: INFO: rcu_sched detected stalls on CPUs/tasks:",
                  "rcu: INFO: rcu_sched self-detected stall on CPU",
                  "rcu: INFO: rcu_sched detected expedited stalls on CPUs/tasks: {",
                  "INFO: rcu_tasks detected stalls on tasks:"],
    "hung task": ["INFO: task stress:143 blocked for more than 122 seconds.",
                  "INFO: task kworker/0:1:12 blocked in I/O wait for more than 122 seconds."],
    "list corruption": [
        "list_add corruption. next->prev should be prev (c000000002a3c0b8), but was "
        "c000000002a3c0a0. (next=c000000002a3c0c8).",
        "list_del corruption, c000000004f1c2a0->next is LIST_POISON1 (5deadbeef0000100)"],
    "refcount_t": ["refcount_t: underflow; use-after-free.",
                   "refcount_t: saturated; leaking memory."],
    "bad kernel access": [
        "BUG: Kernel NULL pointer dereference on read at 0x00000010",
        "BUG: Unable to handle kernel data access on write at 0xc00800000123f000",
        "BUG: Unable to handle kernel instruction fetch (NULL pointer?)",
        "kernel tried to execute exec-protected page (c000000001234000) - exploit attempt? (uid: 0)"],
    "kernel BUG": ["kernel BUG at arch/powerpc/kvm/book3s_hv.c:2345!"],
    "BUG": ["BUG: Bad page state in process compat-test  pfn:01234",
            "BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 33s!"],
    "Oops": ["Oops: Kernel access of bad area, sig: 11 [#1]",
             "Oops: Exception in kernel mode, sig: 5 [#1]"],
    "panic": ["Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b"],
    "end of a report": ["---[ end trace 0000000000000000 ]---"],
}

# Console lines that are not kernel reports: kernel lines that only look alike, and what our
# programs print (TAP, facts, the "# kmsg:" echo of kernel messages, the L2's console).
NOT_SPLATS = [
    # arch/powerpc/kernel/nvram_64.c, on every pseries boot under QEMU
    "WARNING: nvram corruption detected: 0-length partition",
    "KASAN not enabled as it requires radix!",
    "kasan: KernelAddressSanitizer initialized (generic)",
    "Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar",
    "rcu: Hierarchical RCU implementation.",
    "INFO: lockdep is turned off.",
    "sysfs: cannot create duplicate filename '/devices/platform/kunit-platform-add-2'",
    "# kmsg: WARNING: CPU: 0 PID: 93 at arch/powerpc/kvm/book3s_hv.c:482 kvmppc_set_arch_compat+0x1d8/0x210",
    "# kmsg: BUG: KASAN: slab-use-after-free in kvm_vm_ioctl+0x5c/0x8e0",
    "# kmsg: rcu: INFO: rcu_sched detected stalls on CPUs/tasks:",
    "not ok 7 - BUG: sleeping function called from invalid context",
    "ok 3 - UBSAN: nothing reported",
    "# fact stress.first_splat=BUG:",
    "#   ---[ end trace 0000000000000000 ]---",
    "l2| WARNING: CPU: 0 PID: 1 at kernel/fork.c:1 copy_process+0x0/0x4",
    "l2| [    3.123456] BUG: soft lockup - CPU#0 stuck for 22s! [swapper/0:1]",
    "    ok 1 ubsan_test_shift_out_of_bounds",
    "PPCCOMPAT-STEP 3 /bin/stress --seconds 5 --seed 42",
]


MINIMAL_SCENARIO = "l0 stock\nmachine pseries\ncpu power10\nstep one /bin/true\n"


def console(*lines):
    return "\n".join(lines) + "\n"


class SplatTest(unittest.TestCase):
    def test_every_row_has_samples(self):
        kinds = [kind for kind, _ in labrun.SPLAT_KINDS]
        self.assertEqual(sorted(kinds), sorted(SPLAT_SAMPLES))
        self.assertEqual(len(kinds), len(set(kinds)))

    def test_samples_are_named_for_their_row(self):
        for kind, lines in SPLAT_SAMPLES.items():
            for line in lines:
                with self.subTest(line=line):
                    self.assertEqual(labrun.splat_kind(line), kind)

    def test_printk_prefixes(self):
        for prefix in ("[   12.345678] ", "[   12.345678][  T123] ", "[  T123] ", "[  12.345678][    C0] "):
            with self.subTest(prefix=prefix):
                self.assertEqual(labrun.splat_kind(prefix + "BUG: KASAN: wild-memory-access in x+0x1/0x2"),
                                 "KASAN")
                self.assertEqual(labrun.splat_kind(prefix + "---[ end trace 0000000000000000 ]---"),
                                 "end of a report")
        # skiboot's "[time,level]" is firmware, not printk.
        self.assertIsNone(labrun.splat_kind("[    0.043295549,4] BUG: KASAN: x"))

    def test_not_splats(self):
        for line in NOT_SPLATS:
            with self.subTest(line=line):
                self.assertIsNone(labrun.splat_kind(line))
        self.assertEqual(labrun.find_splats(console(*NOT_SPLATS)), [])

    def test_each_row_is_needed(self):
        """Without any one row of the table, one of its samples is no longer reported as it:
        this test fails when the table loses a pattern."""
        for kind, _ in labrun.SPLAT_KINDS:
            without = [(k, rx) for k, rx in labrun._SPLAT_RE if k != kind]
            with self.subTest(kind=kind), mock.patch.object(labrun, "_SPLAT_RE", without):
                self.assertTrue(any(labrun.splat_kind(l) != kind for l in SPLAT_SAMPLES[kind]))

    def test_report_interleaved_with_program_output(self):
        # A 6.12 WARN (message between "cut here" and the header, as __warn_printk() prints
        # it) while compat-test prints; the program's own "# kmsg:" echo follows.
        text = console(
            "PPCCOMPAT-STEP 2 /bin/compat-test",
            "ok 1 - zero accepted",
            "------------[ cut here ]------------",
            "refcount_t: underflow; use-after-free.",
            "ok 2 - power9 accepted",
            "WARNING: CPU: 0 PID: 93 at lib/refcount.c:28 refcount_warn_saturate+0x170/0x1c0",
            "Modules linked in:",
            "CPU: 0 UID: 0 PID: 93 Comm: compat-test Not tainted 6.12.117 #1",
            "Hardware name: IBM pSeries (emulated by qemu) POWER10 (architected) 0x801200 0xf000006 pSeries",
            "NIP:  c000000000598b34 LR: c000000000598b30 CTR: 0000000000000000",
            "Call Trace:",
            "[c000000002a07b40] [c000000000598b30] refcount_warn_saturate+0x16c/0x1c0 (unreliable)",
            "ok 3 - power10 accepted",
            "[c000000002a07ba0] [c0000000000e5a10] kvm_vm_release+0x40/0x60",
            "---[ end trace 0000000000000000 ]---",
            "# kmsg: refcount_t: underflow; use-after-free.",
            "# kmsg: WARNING: CPU: 0 PID: 93 at lib/refcount.c:28 refcount_warn_saturate+0x170/0x1c0",
            "ok 4 - power11 EINVAL",
            "PPCCOMPAT-STEP-END 2 exit=0",
            "PPCCOMPAT-DONE")
        splats = labrun.find_splats(text)
        self.assertEqual(len(splats), 1)
        s = splats[0]
        self.assertEqual(s.kind, "refcount_t")
        self.assertEqual(s.line, 3)
        self.assertEqual(s.lines[0], "------------[ cut here ]------------")
        self.assertEqual(s.lines[-1], "---[ end trace 0000000000000000 ]---")
        # The program's TAP lines inside the report still count as its own.
        log = labrun.parse_log(text)
        self.assertEqual(len(log.steps[2].tap), 4)
        v = labrun.splat_verdict(log)
        self.assertFalse(v.ok)
        self.assertEqual(v.what, "console: no kernel splat (1 found: refcount_t)")
        self.assertEqual(v.diagnostics[0], "refcount_t (console line 4):")
        self.assertIn("WARNING: CPU: 0 PID: 93 at lib/refcount.c:28 refcount_warn_saturate+0x170/0x1c0",
                      v.diagnostics)
        self.assertEqual(v.diagnostics[-1], "---[ end trace 0000000000000000 ]---")

    def test_real_rcu_stall(self):
        # results 20261130T073312Z, patched-6.12-kunit--fp-v1-power9.log (a KUnit boot
        # before lab/run skipped KUnit's slow tests), cut short.
        text = console(
            "    # Subtest: time_test_cases",
            "    # module: time_test",
            "    1..1",
            "rcu: INFO: rcu_sched detected stalls on CPUs/tasks:",
            "rcu: \t(detected by 0, t=5252 jiffies, g=-1115, q=106 ncpus=1)",
            "rcu: rcu_sched kthread starved for 5252 jiffies! g-1115 f0x2 RCU_GP_WAIT_FQS(5) ->state=0x0 ->cpu=0",
            "NIP [c00000000019ad58] time64_to_tm+0x8/0x350",
            "LR [c0000000001a581c] time64_to_tm_test_date_range+0xdc/0x430",
            "    ok 1 time64_to_tm_test_date_range",
            "ok 3 time_test_cases")
        splats = labrun.find_splats(text)
        self.assertEqual([(s.kind, s.line) for s in splats], [("RCU stall", 3)])
        # No end marker: the report runs to the end of the console here.
        self.assertEqual(len(splats[0].lines), 7)

    def test_report_is_bounded(self):
        text = console("BUG: scheduling while atomic: nestvm/120/0x00000002",
                       *[f"line {i}" for i in range(100)])
        (s,) = labrun.find_splats(text)
        self.assertEqual(len(s.lines), 1 + labrun.SPLAT_LINES)

    def test_header_in_the_middle_of_a_line(self):
        # The kernel's line began while a program's line was half written: only its end
        # marker starts a console line.
        text = console("ok 5 - readWARNING: CPU: 0 PID: 55 at kvm_vm_ioctl+0x5c/0x8e0",
                       "Call Trace:", "---[ end trace 0000000000000000 ]---", "ok 6 - next")
        self.assertEqual([(s.kind, s.line) for s in labrun.find_splats(text)], [("end of a report", 2)])

    def test_several_reports(self):
        reports = []
        for i in range(5):
            reports += [f"BUG: KFENCE: invalid free in f{i}+0x10/0x20", "detail",
                        "---[ end trace 0000000000000000 ]---", "ok - between"]
        splats = labrun.find_splats(console(*reports))
        self.assertEqual([s.line for s in splats], [0, 4, 8, 12, 16])
        v = labrun.splat_verdict(labrun.parse_log(console(*reports)))
        self.assertEqual(v.what, "console: no kernel splat (5 found: KFENCE)")
        # SPLATS_SHOWN in full (a title and 3 lines each), the others by their header.
        self.assertEqual(len(v.diagnostics), labrun.SPLATS_SHOWN * 4 + 2)
        self.assertEqual(v.diagnostics[-1], "KFENCE (console line 17): BUG: KFENCE: invalid free in f4+0x10/0x20")

    def test_judge_adds_the_line_to_every_boot(self):
        table = labrun.load_kernels()
        with tempfile.TemporaryDirectory() as tmp:
            sc = labrun.load_scenario(write(tmp, "sc", MINIMAL_SCENARIO), table)
        clean = console("PPCCOMPAT-STEP 1 /bin/true", "PPCCOMPAT-STEP-END 1 exit=0", "PPCCOMPAT-DONE")
        verdicts, _ = labrun.judge(sc, "stock-6.12", labrun.parse_log(clean), 5.0, False)
        self.assertIn(("console: no kernel splat", True), [(v.what, v.ok) for v in verdicts])
        # Also when the boot never finished: the report is why, often.
        dead = console("PPCCOMPAT-STEP 1 /bin/true", "Kernel panic - not syncing: Fatal exception")
        verdicts, _ = labrun.judge(sc, "stock-6.12-debug", labrun.parse_log(dead), 5.0, False)
        bad = [v for v in verdicts if v.what.startswith("console: no kernel splat")]
        self.assertEqual([(v.what, v.ok) for v in bad], [("console: no kernel splat (1 found: panic)", False)])



# ---------------------------------------------------------------- durations, seeds, debug

TIMED = """\
l0 stock
machine pseries
cpu power10
timeout 100
{duration_line}
step stress /bin/stress --seconds {{duration}} --seed {{seed}} --threads 4
step fuzz /bin/caps-fuzz --seconds {{duration}} --seed {{seed}}
step abi /bin/abi-test
"""


def load_lab_run():
    """lab/run as a module (it has no .py suffix)."""
    path = os.path.join(TOP, "lab", "run")
    loader = importlib.machinery.SourceFileLoader("lab_run", path)
    spec = importlib.util.spec_from_loader("lab_run", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


class DurationTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.table = labrun.load_kernels(write(self.tmp.name, "kernels", TABLE))

    def tearDown(self):
        self.tmp.cleanup()

    def load(self, text):
        return labrun.load_scenario(write(self.tmp.name, "sc", text), self.table)

    def bad(self, text, why):
        with self.assertRaisesRegex(labrun.LabError, why):
            self.load(text)

    def test_duration_line(self):
        sc = self.load(TIMED.format(duration_line="duration 5"))
        self.assertEqual(sc.duration, 5)
        self.assertEqual(sc.steps[0], ("stress", "/bin/stress --seconds {duration} --seed {seed} --threads 4"))
        self.assertEqual(self.load(MINIMAL_SCENARIO).duration, 0)

    def test_duration_errors(self):
        # {duration} without a duration line: the first step that uses it is named.
        self.bad(TIMED.format(duration_line=""), r"/sc:6: '\{duration\}' used without a 'duration' line")
        self.bad(TIMED.format(duration_line="duration 0"), r"sc:5: duration '0': expected seconds > 0")
        self.bad(TIMED.format(duration_line="duration 5s"), "expected seconds > 0")
        self.bad(TIMED.format(duration_line="duration 5\nduration 6"), r"sc:6: 'duration' given twice")
        self.bad(MINIMAL_SCENARIO + "step two /bin/x --n {count}\n",
                 r"sc:5: step 'two': unknown placeholder '\{count\}'")
        self.bad(MINIMAL_SCENARIO + "step two /bin/x {seed\n", r"sc:5: step 'two': an unmatched brace")
        self.bad(MINIMAL_SCENARIO + "step two /bin/x seed}\n", "an unmatched brace")
        # {seed} needs nothing.
        self.assertEqual(self.load(MINIMAL_SCENARIO + "step two /bin/x {seed}\n").duration, 0)

    def test_expand(self):
        self.assertEqual(labrun.expand_step("/bin/stress --seconds {duration} --seed {seed}", 600, 42),
                         "/bin/stress --seconds 600 --seed 42")
        self.assertEqual(labrun.expand_step("/bin/abi-test", 600, 42), "/bin/abi-test")

    def test_run_duration(self):
        timed = self.load(TIMED.format(duration_line="duration 5"))
        plain = self.load(MINIMAL_SCENARIO)
        self.assertEqual(labrun.run_duration(timed), 5)
        self.assertEqual(labrun.run_duration(timed, 600), 600)
        # lab/run --duration leaves a scenario without a duration line alone.
        self.assertEqual(labrun.run_duration(plain, 600), 0)

    def test_boot_limits(self):
        timed = self.load(TIMED.format(duration_line="duration 5"))
        plain = self.load(MINIMAL_SCENARIO)
        # Two steps run for the duration: the boot may take it twice more.
        self.assertEqual(labrun.boot_limits(timed, "patched-2.0", 120, 600), (100 + 1200, 720))
        f = labrun.DEBUG_SLOWDOWN
        self.assertEqual(labrun.boot_limits(timed, "patched-2.0-debug", 120, 600),
                         (100 * f + 1200, 120 * f + 600))
        self.assertEqual(labrun.boot_limits(plain, "stock-1.0", 120, 0), (240, 120))
        self.assertEqual(labrun.boot_limits(plain, "stock-1.0-kunit", 120, 0), (240, 120))
        self.assertEqual(labrun.boot_limits(plain, "stock-1.0-debug", 120, 0), (240 * f, 120 * f))
        # A duration line that no step uses still lengthens the boot once.
        once = self.load(MINIMAL_SCENARIO + "duration 30\n")
        self.assertEqual(labrun.boot_limits(once, "stock-1.0", 120, 30), (270, 150))

    def test_boot_argv(self):
        sc = self.load(MINIMAL_SCENARIO)
        def append(kernel):
            argv = labrun.boot_argv(sc, kernel, ["qemu"], "vmlinux", "initrd", 120)
            return argv[argv.index("-append") + 1]
        self.assertNotIn(labrun.DEBUG_APPEND, append("stock-1.0"))
        self.assertTrue(append("stock-1.0-debug").endswith(" " + labrun.DEBUG_APPEND))
        self.assertIn(" kunit.enable=1 kunit.autorun=1 kunit.filter=speed>slow kunit.filter_action=skip",
                      append("stock-1.0-kunit"))
        self.assertNotIn("kunit", append("stock-1.0-debug"))


class LabRunTest(unittest.TestCase):
    """lab/run's choice of kernels and boots with --ci, on the real lab/kernels."""

    @classmethod
    def setUpClass(cls):
        cls.lab = load_lab_run()
        cls.table = labrun.load_kernels()

    def test_ci_kernels(self):
        with mock.patch.object(self.lab, "say"):
            kernels = self.lab.default_kernels(self.table, ci=True)
        debug = [k for k in kernels if k.endswith("-debug")]
        self.assertEqual(debug, [f"{k.id}-debug" for k in self.table.kernels.values() if k.debug_ci])
        for k in debug:
            self.assertIn(k[:-len("-debug")], kernels)
        with mock.patch.object(self.lab, "say"):
            self.assertFalse([k for k in self.lab.default_kernels(self.table, ci=False) if k.endswith("-debug")])

    def test_ci_boots(self):
        scenarios = {sc.name: sc for sc in labrun.all_scenarios(self.table)}
        for k in self.table.kernels.values():
            for name, sc in scenarios.items():
                with self.subTest(kernel=k.id, scenario=name):
                    self.assertEqual(self.lab.ci_boots(self.table, k.id + "-debug", sc),
                                     any(fnmatch.fnmatchcase(name, g) for g in k.debug_ci))
                    self.assertEqual(self.lab.ci_boots(self.table, k.id, sc),
                                     any(fnmatch.fnmatchcase(name, g) for g in k.ci))

    def test_kernel_argv(self):
        self.assertEqual(self.lab.kernel_argv("stock-7.3-debug")[1:], ["7.3", "--debug"])
        self.assertEqual(self.lab.kernel_argv("patched-6.12-debug")[-1], "--debug")
        self.assertNotIn("--debug", self.lab.kernel_argv("patched-6.12-kunit"))

    def test_arguments(self):
        import argparse
        self.assertEqual(self.lab.positive("600"), 600)
        self.assertEqual(self.lab.seed_value("0"), 0)
        self.assertEqual(self.lab.seed_value(str(self.lab.SEED_LIMIT - 1)), self.lab.SEED_LIMIT - 1)
        for f, bad in ((self.lab.positive, "0"), (self.lab.positive, "-5"), (self.lab.positive, "1e3"),
                       (self.lab.seed_value, str(self.lab.SEED_LIMIT)), (self.lab.seed_value, "x")):
            with self.subTest(value=bad), self.assertRaises(argparse.ArgumentTypeError):
                f(bad)


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
