# SPDX-License-Identifier: GPL-2.0
"""The lab runner's machinery: scenario files, booting an L1 under an L0 QEMU, reading the
serial log as doc/lab-protocol.md defines it, and judging it against a scenario's
expectations. lab/run and lab/demo are thin front ends to this module."""

import fnmatch
import functools
import os
import re
import shlex
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.environ.get("PPCCOMPAT_CACHE", "/var/cache/ppccompat")
CHROOT = os.path.join(CACHE, "trixie")
SCENARIO_DIR = os.path.join(TOP, "lab", "scenarios")
L0_FLAVOURS = ("stock", "faithful")
# Names a qemu-system-ppc64 to use as the faithful L0 instead of qemu-faithful.path's.
FAITHFUL_ENV = "PPCCOMPAT_QEMU_FAITHFUL"
# Optional parts of the L1 initramfs a scenario can ask for, as lab/initramfs options:
# Debian's QEMU with its run-time closure, and the lab's build of qemu/vmm/ beside it.
INITRAMFS_EXTRAS = {"vmm-qemu": "--vmm-qemu", "ppccompat-qemu": "--ppccompat-qemu"}
# The series qemu/build-vmm builds for "ppccompat-qemu" (lab/initramfs reads the same).
VMM_SERIES = os.environ.get("PPCCOMPAT_VMM_SERIES", os.path.join(TOP, "qemu", "vmm", "series"))
# lab/initramfs's exit status when an optional part cannot be had (e.g. the archive lacks it).
INITRAMFS_UNAVAILABLE = 3


class LabError(Exception):
    """A problem the user has to fix (bad scenario file, missing cache): one line."""


# ---------------------------------------------------------------- scenario files

# ---------------------------------------------------------------- the kernels

KERNELS_FILE = os.path.join(TOP, "lab", "kernels")
TRAIT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KERNEL_ID = re.compile(r"^(stock|patched)-[0-9]+\.[0-9]+$")
# A kernel of lab/kernels can be booted as one of two variants, named by a suffix of its id:
# -kunit, the same image booted with its KUnit suites enabled; -debug, its own build with
# lab/config/debug.config (lab/kernel --debug). A variant has its base kernel's traits.
VARIANTS = ("kunit", "debug")


def split_variant(kernel):
    """(base id, variant) of a kernel id: ("patched-6.12", "debug") for patched-6.12-debug;
    the variant is "" for a plain id."""
    for v in VARIANTS:
        if kernel.endswith("-" + v):
            return kernel[:-len(v) - 1], v
    return kernel, ""


@dataclass
class Kernel:
    id: str
    traits: frozenset
    suites: tuple          # KUnit suites its series adds: a -kunit boot must show each
    ci: tuple              # scenario globs lab/run --ci boots it on; () for none
    debug_ci: tuple        # scenario globs lab/run --ci boots its -debug build on; () for none


@dataclass
class KernelTable:
    traits: dict           # name -> what it means
    kernels: dict          # id -> Kernel, in the file's order

    def get(self, kernel):
        """The Kernel of an id (a -kunit or -debug id is its plain twin's); LabError if
        unknown."""
        base, _ = split_variant(kernel)
        if split_variant(base)[1]:
            raise LabError(f"kernel '{kernel}': one variant at most "
                           f"(-{' or -'.join(VARIANTS)}); a debug kernel has no KUnit built in")
        if base not in self.kernels:
            raise LabError(f"kernel '{kernel}' is not in lab/kernels "
                           f"(known: {', '.join(self.kernels)})")
        return self.kernels[base]


def load_kernels(path=KERNELS_FILE):
    """Parses lab/kernels; any malformed line is an error naming file and line."""
    table = KernelTable({}, {})

    def bad(n, why):
        raise LabError(f"{path}:{n}: {why}")

    def listed(text):
        return () if text == "-" else tuple(text.split(","))

    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            word, _, rest = line.partition(" ")
            if word == "trait":
                name, _, about = rest.strip().partition(" ")
                if not TRAIT_NAME.match(name) or not about.strip():
                    bad(n, "expected 'trait NAME WHAT-IT-MEANS'")
                if name in table.traits:
                    bad(n, f"trait '{name}' declared twice")
                table.traits[name] = about.strip()
            elif word == "kernel":
                cols = rest.split()
                if len(cols) != 5:
                    bad(n, "expected 'kernel ID TRAITS SUITES CI DEBUG-CI' ('-' for an empty list)")
                kid, traits, suites, ci, debug_ci = cols
                if not KERNEL_ID.match(kid):
                    bad(n, f"kernel id '{kid}': expected stock-VERSION or patched-VERSION")
                if kid in table.kernels:
                    bad(n, f"kernel '{kid}' listed twice")
                for t in listed(traits):
                    if t not in table.traits:
                        bad(n, f"trait '{t}' is not declared by a 'trait' line above")
                table.kernels[kid] = Kernel(kid, frozenset(listed(traits)), listed(suites),
                                            listed(ci), listed(debug_ci))
            else:
                bad(n, f"unknown directive '{word}' (expected 'trait' or 'kernel')")
    if not table.kernels:
        raise LabError(f"{path}: lists no kernel")
    return table


@functools.lru_cache(maxsize=None)
def kernel_table():
    """lab/kernels, read once per process."""
    return load_kernels()


class Selector:
    """Which kernels a scenario line is about: comma-separated terms, any of which may
    match. A term is a glob on the kernel id (stock-7.3, patched-*) or one or more trait
    tests, +TRAIT (has it) and !TRAIT (lacks it), all of which must hold (+caps!fp-fix).
    A -kunit or -debug id matches as its plain twin."""
    TERM_TRAITS = re.compile(r"([+!])([a-z0-9][a-z0-9-]*)")

    def __init__(self, text, table):
        self.terms = []
        for term in text.split(","):
            if not term:
                raise LabError(f"'{text}': an empty term (two commas, or one at an end)")
            if term[0] in "+!":
                tests = self.TERM_TRAITS.findall(term)
                if "".join(sign + name for sign, name in tests) != term:
                    raise LabError(f"'{term}': expected +TRAIT or !TRAIT tests, e.g. +caps!fp-fix")
                for _, name in tests:
                    if name not in table.traits:
                        raise LabError(f"'{term}': no trait '{name}' in lab/kernels "
                                       f"(declared: {', '.join(table.traits)})")
                self.terms.append(("traits", tests))
            else:
                if not any(fnmatch.fnmatchcase(k, term) for k in table.kernels):
                    raise LabError(f"'{term}' matches no kernel of lab/kernels")
                self.terms.append(("glob", term))
        self.table = table

    def matches(self, kernel):
        k = self.table.get(kernel)
        for kind, what in self.terms:
            if kind == "glob" and fnmatch.fnmatchcase(k.id, what):
                return True
            if kind == "traits" and all((name in k.traits) == (sign == "+") for sign, name in what):
                return True
        return False


# ---------------------------------------------------------------- scenario files

@dataclass
class Expectation:
    kernels: Selector
    kind: str              # fact | console | no-console | xfail
    subject: str           # LABEL:FACT (a step's fact, or its exit/signal), console text, or step label
    value: str = ""        # fact value glob, or TAP description glob for xfail
    line: int = 0

    def applies(self, kernel):
        return self.kernels.matches(kernel)


@dataclass
class Scenario:
    name: str
    path: str
    about: str = ""
    l0: str = ""
    machine: str = ""
    cpu: str = ""
    smp: str = "1,threads=1"
    memory: str = "2G"
    append: str = ""
    timeout: int = 240
    duration: int = 0                              # seconds; 0: no 'duration' line
    initramfs: list = field(default_factory=list)  # INITRAMFS_EXTRAS keys
    l0_properties: list = field(default_factory=list)  # machine properties the L0 must have
    kernels: Selector = None                       # None: every kernel
    steps: list = field(default_factory=list)      # (label, command), placeholders unexpanded
    expectations: list = field(default_factory=list)

    def runs_on(self, kernel):
        return self.kernels is None or self.kernels.matches(kernel)


FACT_REF = re.compile(r"^[a-z0-9_-]+:[a-z0-9_.]+$")
LABEL = re.compile(r"^[a-z0-9_-]+$")
# What lab/run puts into a step line: {duration}, the scenario's 'duration' (or lab/run
# --duration); {seed}, the run's seed (lab/run --seed), so that a run can be replayed.
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
PLACEHOLDERS = ("duration", "seed")


def expand_step(command, duration, seed):
    """A step line with its placeholders replaced (load_scenario has checked them)."""
    values = {"duration": str(duration), "seed": str(seed)}
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], command)


def uses_duration(command):
    return any(m.group(1) == "duration" for m in PLACEHOLDER.finditer(command))


def load_scenario(path, table=None):
    """Parses one scenario file; any malformed line is an error naming file and line.
    table: the KernelTable its kernel selectors refer to (default: lab/kernels)."""
    name = os.path.basename(path)
    sc = Scenario(name=name, path=path)
    labels = set()
    duration_steps = []            # line numbers of steps that use {duration}
    table = table or kernel_table()

    def bad(n, why):
        raise LabError(f"{path}:{n}: {why}")

    def select(n, text):
        try:
            return Selector(text, table)
        except LabError as e:
            bad(n, str(e))

    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if line.startswith("# about:"):
                sc.about = line[len("# about:"):].strip()
                continue
            line = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if not line:
                continue
            word, _, rest = line.partition(" ")
            rest = rest.strip()
            if word in ("l0", "machine", "cpu", "smp", "memory", "append"):
                if not rest:
                    bad(n, f"'{word}' needs a value")
                if word == "l0" and rest not in L0_FLAVOURS:
                    bad(n, f"l0 '{rest}': expected one of {', '.join(L0_FLAVOURS)}")
                setattr(sc, word, rest)
            elif word in ("timeout", "duration"):
                if not rest.isdigit() or int(rest) == 0:
                    bad(n, f"{word} '{rest}': expected seconds > 0")
                if word == "duration" and sc.duration:
                    bad(n, "'duration' given twice")
                setattr(sc, word, int(rest))
            elif word == "initramfs":
                for extra in rest.split():
                    if extra not in INITRAMFS_EXTRAS:
                        bad(n, f"initramfs '{extra}': expected one of {', '.join(INITRAMFS_EXTRAS)}")
                    sc.initramfs.append(extra)
            elif word == "l0-property":
                if not rest or " " in rest or "=" in rest:
                    bad(n, "expected 'l0-property NAME' (one machine property name)")
                sc.l0_properties.append(rest)
            elif word == "kernels":
                if not rest:
                    bad(n, "expected 'kernels SELECTOR' (kernel id globs, +TRAIT, !TRAIT)")
                sc.kernels = select(n, rest)
            elif word == "step":
                label, _, cmd = rest.partition(" ")
                if not LABEL.match(label) or not cmd.strip():
                    bad(n, "expected 'step LABEL COMMAND...' (label: a-z 0-9 _ -)")
                if label in labels:
                    bad(n, f"step label '{label}' used twice")
                for m in PLACEHOLDER.finditer(cmd):
                    if m.group(1) not in PLACEHOLDERS:
                        bad(n, f"step '{label}': unknown placeholder '{m.group(0)}' "
                               f"(known: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})")
                if "{" in PLACEHOLDER.sub("", cmd) or "}" in PLACEHOLDER.sub("", cmd):
                    bad(n, f"step '{label}': an unmatched brace")
                if uses_duration(cmd):
                    duration_steps.append(n)
                labels.add(label)
                sc.steps.append((label, cmd.strip()))
            elif word == "expect":
                kglob, _, what = rest.partition(" ")
                fname, eq, value = what.strip().partition("=")
                if not eq or not FACT_REF.match(fname) or not value or " " in value:
                    bad(n, "expected 'expect KERNELS LABEL:FACT=VALUE'")
                sc.expectations.append(Expectation(select(n, kglob), "fact", fname, value, n))
            elif word in ("console", "no-console"):
                kglob, _, text = rest.partition(" ")
                if not text.strip():
                    bad(n, f"expected '{word} KERNELS TEXT'")
                sc.expectations.append(Expectation(select(n, kglob), word, text.strip(), "", n))
            elif word == "xfail":
                parts = rest.split(" ", 2)
                if len(parts) != 3:
                    bad(n, "expected 'xfail KERNELS LABEL DESCRIPTION-GLOB'")
                sc.expectations.append(Expectation(select(n, parts[0]), "xfail", parts[1], parts[2], n))
            else:
                bad(n, f"unknown directive '{word}'")
    for what in ("l0", "machine", "cpu"):
        if not getattr(sc, what):
            raise LabError(f"{path}: no '{what}' line")
    set_in_machine = {kv.partition("=")[0] for kv in sc.machine.split(",")[1:]}
    for prop in sc.l0_properties:
        if prop not in set_in_machine:
            raise LabError(f"{path}: l0-property '{prop}' is not set in the 'machine' line")
    if not sc.steps:
        raise LabError(f"{path}: no 'step' line")
    if duration_steps and not sc.duration:
        raise LabError(f"{path}:{duration_steps[0]}: '{{duration}}' used without a 'duration' line")
    for e in sc.expectations:
        label = e.subject.split(":", 1)[0] if e.kind == "fact" else e.subject
        if e.kind in ("fact", "xfail") and label not in labels and label != "boot":
            raise LabError(f"{path}:{e.line}: '{e.subject}' names no step of this scenario")
    return sc


def all_scenarios(table=None):
    names = sorted(f for f in os.listdir(SCENARIO_DIR) if not f.startswith("."))
    return [load_scenario(os.path.join(SCENARIO_DIR, f), table) for f in names]


# ---------------------------------------------------------------- L0 QEMU

def qemu_command(flavour):
    """The argv prefix that starts the L0 of this flavour, or None with the reason."""
    data = os.path.join(CHROOT, "usr", "share", "qemu")
    if flavour == "stock":
        loader = os.path.join(CHROOT, "usr", "lib64", "ld-linux-x86-64.so.2")
        binary = os.path.join(CHROOT, "usr", "bin", "qemu-system-ppc64")
        if not os.path.exists(binary):
            return None, f"{binary} missing: run lab/setup"
        libs = ":".join(os.path.join(CHROOT, d) for d in
                        ("usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu"))
        return [loader, "--library-path", libs, binary, "-L", data], None
    # An engineer boots an unmerged L0 without touching the marker everyone else uses.
    override = os.environ.get(FAITHFUL_ENV)
    if override is not None:
        if not (os.path.isfile(override) and os.access(override, os.X_OK)):
            return None, f"{FAITHFUL_ENV}={override}: not an executable file"
        return [os.path.abspath(override)], None
    marker = os.path.join(CACHE, "qemu-faithful.path")
    if not os.path.exists(marker):
        return None, "faithful L0 not built (lab/setup builds it once qemu/build exists)"
    with open(marker) as fh:
        binary = fh.read().strip()
    if not os.access(binary, os.X_OK):
        return None, f"faithful L0 {binary} is gone: run lab/setup"
    # qemu/build installs its firmware where that binary looks for it.
    return [binary], None


def build_vmm_qemu():
    """qemu/build-vmm of VMM_SERIES (it builds only what is missing), its progress on
    stderr: the path of the binary, or None with the reason."""
    proc = subprocess.run([os.path.join(TOP, "qemu", "build-vmm"), "--series", VMM_SERIES],
                          stdout=subprocess.PIPE, text=True)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines or not os.path.exists(lines[-1]):
        return None, f"qemu/build-vmm --series {VMM_SERIES} failed (exit {proc.returncode})"
    return lines[-1], None


_MACHINE_PROPERTIES = {}


def machine_properties(qemu, machine_type):
    """The property names `-machine TYPE,help` lists for this L0 (cached per binary)."""
    key = (tuple(qemu), machine_type)
    if key not in _MACHINE_PROPERTIES:
        proc = subprocess.run(qemu + ["-machine", f"{machine_type},help"],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if proc.returncode != 0:
            raise LabError(f"{' '.join(qemu)} -machine {machine_type},help: "
                           f"{(proc.stderr.strip().splitlines() or ['failed'])[-1]}")
        # Lines look like "  cap-nested-papr=<OnOffAuto> - ...".
        _MACHINE_PROPERTIES[key] = {m.group(1) for m in
                                    re.finditer(r"^\s+([A-Za-z0-9_.-]+)=", proc.stdout, re.M)}
    return _MACHINE_PROPERTIES[key]


def missing_l0_property(sc, qemu):
    """Why this L0 cannot run the scenario (a property it lacks), or None."""
    machine_type = sc.machine.split(",", 1)[0]
    have = machine_properties(qemu, machine_type) if sc.l0_properties else set()
    for prop in sc.l0_properties:
        if prop not in have:
            return f"the {sc.l0} L0 ({qemu[0] if sc.l0 == 'faithful' else 'QEMU 11.1'}) " \
                   f"has no machine property {prop}"
    return None


# A debug kernel (lab/config/debug.config) is slower under TCG; its boot and step limits are
# the scenario's times this factor (doc/lab.md, "Debug kernels", has the measured ratio).
DEBUG_SLOWDOWN = 3
# What a -debug boot adds to the kernel command line: lab/config/debug.config builds
# DEBUG_PAGEALLOC in but leaves it off unless the boot asks.
DEBUG_APPEND = "debug_pagealloc=on"


def run_duration(sc, override=None):
    """The seconds {duration} stands for in this scenario: lab/run --duration if given,
    else its 'duration' line; 0 for a scenario without one (--duration leaves it alone)."""
    if not sc.duration:
        return 0
    return override or sc.duration


def boot_limits(sc, kernel, step_timeout, duration):
    """(boot timeout, per-step timeout) in seconds for one boot: the scenario's timeout and
    lab/run's --step-timeout, times DEBUG_SLOWDOWN on a -debug kernel, plus the duration
    once per step that runs for it (a step that is given {duration} seconds must not be
    killed for taking them)."""
    factor = DEBUG_SLOWDOWN if split_variant(kernel)[1] == "debug" else 1
    timed = sum(1 for _, cmd in sc.steps if uses_duration(cmd))
    return (sc.timeout * factor + duration * max(timed, 1 if duration else 0),
            step_timeout * factor + duration)


def boot_argv(sc, kernel, qemu, vmlinux, initrd, step_timeout):
    append = f"console=hvc0 panic=-1 ppccompat.step_timeout={step_timeout}"
    if kernel.endswith("-kunit"):
        # allnoconfig leaves KUNIT_DEFAULT_ENABLED off: the suites run only when asked. Kernels
        # after 6.12 (7.2 and 7.3 here) also have KUNIT_AUTORUN_ENABLED, left off too, without
        # which enabled suites only run when started through debugfs; 6.12 and 6.1 ignore
        # the parameter they do not know (an unused module parameter).
        append += " kunit.enable=1 kunit.autorun=1"
        # Tests KUnit itself marks slow are skipped (and say so, as "# SKIP"): under TCG
        # time_test's time64_to_tm_test_date_range (kernel/time/time_test.c, KUNIT_CASE_SLOW)
        # ran over 21 s without scheduling on 6.12 (PREEMPT_NONE) and RCU reported a stall
        # (results 20261130T073312Z, patched-6.12-kunit--fp-v1-power9): a splat, which fails
        # the boot, that comes from emulation speed and not from the kernel under test.
        append += " kunit.filter=speed>slow kunit.filter_action=skip"
    if split_variant(kernel)[1] == "debug":
        append += " " + DEBUG_APPEND
    if sc.append:
        append += " " + sc.append
    return qemu + [
        "-accel", "tcg", "-M", sc.machine, "-cpu", sc.cpu, "-smp", sc.smp, "-m", sc.memory,
        "-nographic", "-no-reboot", "-vga", "none", "-nic", "none",
        "-kernel", vmlinux, "-initrd", initrd, "-append", append,
    ]


# ---------------------------------------------------------------- serial log

TAP_LINE = re.compile(r"^(not ok|ok)\b(?:\s+\d+)?(?:\s*-)?\s*(.*)$")
FACT_LINE = re.compile(r"^# fact ([a-z0-9_.]+)=(\S+)\s*$")
STEP_BEGIN = re.compile(r"^PPCCOMPAT-STEP (\d+) (.*)$")
STEP_END = re.compile(r"^PPCCOMPAT-STEP-END (\d+) (exit|signal)=(\d+)\s*$")
KUNIT_SUITE = re.compile(r"^(not ok|ok) \d+ (\S.*)$")


@dataclass
class StepResult:
    number: int
    command: str
    tap: list = field(default_factory=list)      # (ok: bool, description)
    facts: dict = field(default_factory=dict)
    output: list = field(default_factory=list)
    end: str = ""                                # "exit=N" / "signal=N" / "" if never ended


@dataclass
class BootLog:
    steps: dict = field(default_factory=dict)
    done: bool = False
    text: str = ""
    kunit: list = field(default_factory=list)    # (ok, suite, directive) from the boot's KTAP


def parse_log(text):
    log = BootLog(text=text)
    current = None
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        m = STEP_BEGIN.match(line)
        if m:
            current = StepResult(int(m.group(1)), m.group(2))
            log.steps[current.number] = current
            continue
        m = STEP_END.match(line)
        if m:
            st = log.steps.get(int(m.group(1)))
            if st:
                st.end = f"{m.group(2)}={m.group(3)}"
            current = None
            continue
        if line.strip() == "PPCCOMPAT-DONE":
            log.done = True
            current = None
            continue
        if current is None:
            # KUnit prints one top-level KTAP result per suite, unindented, before /init.
            m = KUNIT_SUITE.match(line)
            if m and not log.steps:
                text, directive = split_directive(m.group(2))
                log.kunit.append((m.group(1) == "ok", text, directive))
            continue
        current.output.append(line)
        m = FACT_LINE.match(line)
        if m:
            current.facts[m.group(1)] = m.group(2)
            continue
        m = TAP_LINE.match(line)
        if m:
            current.tap.append((m.group(1) == "ok", m.group(2).strip()))
    return log


# ---------------------------------------------------------------- kernel reports

# What the kernel prints when something went wrong, one row per kind, matched at the start of
# a console line (after printk's optional "[    1.234567]" time and "[T1]" caller fields):
# a kernel line starts there, while our programs' echoes of kernel messages ("# kmsg: ..."),
# TAP lines and the L2's console ("l2| ...") never do. The formats, as printed by 6.12 and 7.3
# (the file that prints each is named; 6.1 prints the 6.12 forms):
# - kernel/panic.c __warn(): 6.1/6.12 "WARNING: CPU: %d PID: %d at [%s:%d ]%pS"; 7.2 and 7.3
#   "WARNING: [%s:%d ]at %pS, CPU#%d: %s/%d". Other "WARNING: " lines are not reports (e.g.
#   arch/powerpc/kernel/nvram_64.c's "WARNING: nvram corruption detected: 0-length partition",
#   on every pseries boot under QEMU), so only these forms and lockdep's match.
# - kernel/locking/lockdep.c: the 13 "WARNING: ..." report headers, "INFO: trying to register
#   non-static key."; include/linux/debug_locks.h: WARN(1, "DEBUG_LOCKS_WARN_ON(%s)").
# - lib/bug.c: "kernel BUG at %s:%u!"; arch/powerpc/kernel/traps.c die(): "Oops: %s, sig: %ld
#   [#%d]"; kernel/panic.c: "Kernel panic - not syncing: %s".
# - arch/powerpc/mm/fault.c: "BUG: Kernel NULL pointer dereference ...", "BUG: Unable to
#   handle kernel data access/instruction fetch/unaligned access ...", "kernel tried to
#   execute exec-protected|user page (%lx) - exploit attempt? (uid: %d)".
# - mm/kasan/report.c "BUG: KASAN: %s in %pS"; lib/ubsan.c "UBSAN: %s in %s:%d:%d";
#   mm/kfence/report.c "BUG: KFENCE: %s in %pS".
# - kernel/sched/core.c: "BUG: scheduling while atomic: ...", "BUG: sleeping function called
#   from invalid context at %s:%d".
# - kernel/rcu/tree_stall.h, tree_exp.h (pr_fmt "rcu: "): "INFO: %s detected stalls on
#   CPUs/tasks:", "INFO: %s self-detected stall on CPU", "INFO: %s detected expedited stalls";
#   kernel/rcu/tasks.h (no prefix): "INFO: rcu_tasks detected stalls on tasks:".
# - lib/list_debug.c: "list_add corruption. ...", "list_del corruption. ..."; lib/refcount.c:
#   "refcount_t: %s." (saturated, underflow, ...).
# - kernel/hung_task.c: "INFO: task %s:%d blocked[%s] for more than %ld seconds.".
# - kernel/watchdog.c, arch/powerpc/kernel/watchdog.c (pr_fmt "watchdog: "): "BUG: soft lockup
#   - CPU#%d stuck for %us! [%s:%d]", "[CPU%u: ]Watchdog detected hard LOCKUP on cpu %u", "CPU
#   %d self-detected hard LOCKUP @ %pS", "CPU %d detected hard LOCKUP on other CPUs %*pbl".
# The specific rows come before "BUG: " so that a report is named for what found it.
SPLAT_KINDS = (
    ("WARN", r"WARNING: (?:CPU: \d+ PID: \d+ at \S|(?:\S+:\d+ )?at \S+, CPU#\d+: )"),
    ("lockdep", r"WARNING: (?:possible circular locking dependency|\S+-safe -> \S+-unsafe lock order"
                r"|possible recursive locking|chain_key collision|inconsistent lock state"
                r"|possible irq lock inversion|Nested lock was not taken|bad unlock balance"
                r"|bad contention|held lock freed|\S+/\d+ still has locks held"
                r"|lock held when returning to user space)"
                r"|INFO: trying to register non-static key"),
    ("RCU lockdep", r"WARNING: suspicious RCU usage"),
    ("DEBUG_LOCKS_WARN_ON", r"DEBUG_LOCKS_WARN_ON\("),
    ("KASAN", r"BUG: KASAN: "),
    ("KFENCE", r"BUG: KFENCE: "),
    ("UBSAN", r"UBSAN: "),
    ("scheduling while atomic", r"BUG: scheduling while atomic"),
    ("sleeping in atomic context", r"BUG: sleeping function called from invalid context"),
    ("soft lockup", r"(?:watchdog: )?BUG: soft lockup"),
    ("hard lockup", r"(?:watchdog: )?(?:CPU ?\d+:? )?(?:Watchdog detected|self-detected|detected) hard LOCKUP"),
    ("RCU stall", r"(?:rcu: )?INFO: \S+ (?:self-)?detected (?:expedited )?stalls?\b"),
    ("hung task", r"INFO: task .+ blocked.* for more than \d+ seconds"),
    ("list corruption", r"list_(?:add|del) corruption"),
    ("refcount_t", r"refcount_t: "),
    ("bad kernel access", r"(?:BUG: )?(?:Unable to handle kernel|Kernel NULL pointer dereference)"
                          r"|kernel tried to execute \S+ page"),
    ("kernel BUG", r"kernel BUG at "),
    ("BUG", r"BUG: "),
    ("Oops", r"Oops: "),
    ("panic", r"Kernel panic - not syncing"),
    # The end of a report whose first line did not start a console line (its header was
    # printed while a program's line was half written).
    ("end of a report", r"---\[ end trace "),
)
_SPLAT_RE = [(kind, re.compile(rx)) for kind, rx in SPLAT_KINDS]
# printk's PRINTK_TIME and PRINTK_CALLER fields (kernel/printk/printk.c print_time(),
# print_caller()), either or both, and the space after them.
PRINTK_PREFIX = re.compile(r"^(?:\[\s*\d+\.\d{6}\](?:\[\s*[TC]\d+\])?|\[\s*[TC]\d+\]) ?")
# Lines of a report shown after its header; lockdep's circular-dependency report is the
# longest common one (~50 lines), most end with "---[ end trace" well before.
SPLAT_LINES = 40
SPLAT_CUT_HERE = "------------[ cut here ]------------"


@dataclass
class Splat:
    kind: str          # the SPLAT_KINDS row that matched
    line: int          # 0-based index of the header in the console text
    lines: list        # the report: header (or the "cut here" before it) to its end


def splat_kind(line):
    """The SPLAT_KINDS name of a console line that begins a kernel report, or None."""
    text = PRINTK_PREFIX.sub("", line.rstrip("\r"), count=1)
    for kind, rx in _SPLAT_RE:
        if rx.match(text):
            return kind
    return None


def find_splats(text):
    """Every kernel report on a serial console, in order. A report runs from its header (or
    the "cut here" line printed just before a WARN/BUG) to the "---[ end" marker, or
    SPLAT_LINES lines at most; a header inside a report already found is part of it."""
    lines = [l.rstrip("\r") for l in text.splitlines()]
    found = []
    i = 0
    while i < len(lines):
        kind = splat_kind(lines[i])
        if kind is None:
            i += 1
            continue
        start = i
        # 6.1/6.12 print WARN()'s message between "cut here" and the WARNING line.
        for back in range(i - 1, max(i - 4, -1), -1):
            if PRINTK_PREFIX.sub("", lines[back], count=1) == SPLAT_CUT_HERE:
                start = back
                break
        end = min(len(lines), i + 1 + SPLAT_LINES)
        for j in range(i, end):
            if PRINTK_PREFIX.sub("", lines[j], count=1).startswith("---[ end "):
                end = j + 1
                break
        found.append(Splat(kind, i, lines[start:end]))
        i = end
    return found


# At most this many reports are shown in full in a TAP line's diagnostics; the others by
# their first line.
SPLATS_SHOWN = 3


def splat_verdict(log):
    """One verdict: the console shows no kernel report."""
    splats = find_splats(log.text)
    if not splats:
        return Verdict(True, "console: no kernel splat")
    diags = []
    for s in splats[:SPLATS_SHOWN]:
        diags.append(f"{s.kind} (console line {s.line + 1}):")
        diags += s.lines
    diags += [f"{s.kind} (console line {s.line + 1}): {s.lines[0]}" for s in splats[SPLATS_SHOWN:]]
    kinds = ", ".join(dict.fromkeys(s.kind for s in splats))
    return Verdict(False, f"console: no kernel splat ({len(splats)} found: {kinds})",
                   diagnostics=diags)


# ---------------------------------------------------------------- judging

@dataclass
class Verdict:
    ok: bool
    what: str
    directive: str = ""        # "SKIP reason" / "TODO reason"
    diagnostics: list = field(default_factory=list)


def split_directive(desc):
    m = re.search(r"\s#\s*(SKIP|TODO)\b(.*)$", desc, re.IGNORECASE)
    if not m:
        return desc, ""
    return desc[:m.start()].strip(), f"{m.group(1).upper()}{m.group(2)}".strip()


def judge(sc, kernel, log, elapsed, timed_out):
    """Every program assertion and every expectation as one verdict each."""
    out = []
    tail = log.text.splitlines()[-25:]
    if log.done:
        out.append(Verdict(True, f"boot: PPCCOMPAT-DONE after {elapsed:.0f} s"))
    else:
        why = f"timed out after {elapsed:.0f} s" if timed_out else f"QEMU ended after {elapsed:.0f} s"
        out.append(Verdict(False, f"boot: no PPCCOMPAT-DONE ({why})", diagnostics=tail))
    out.append(splat_verdict(log))

    if kernel.endswith("-kunit"):
        if not log.kunit:
            out.append(Verdict(False, "kunit: no KTAP suite result on the console"))
        for passed, suite, directive in log.kunit:
            out.append(Verdict(passed or directive.startswith("TODO"), f"kunit: {suite}", directive))
        # Other suites passing says nothing of the series': a series whose suite did not
        # build into the kernel must not look green.
        ran = {suite for _, suite, _ in log.kunit}
        for suite in kernel_table().get(kernel).suites:
            out.append(Verdict(suite in ran, f"kunit: the series' suite {suite} ran"))

    mine = [e for e in sc.expectations if e.applies(kernel)]
    facts = {"boot:done": "yes" if log.done else "no"}
    for idx, (label, cmd) in enumerate(sc.steps, 1):
        st = log.steps.get(idx)
        if st is None:
            out.append(Verdict(False, f"{label}: never started ({cmd})"))
            continue
        for k, v in st.facts.items():
            facts[f"{label}:{k}"] = v
        if st.end:
            kind, _, num = st.end.partition("=")
            facts[f"{label}:{kind}"] = num
        xfails = [e for e in mine if e.kind == "xfail" and e.subject == label]
        for passed, desc in st.tap:
            text, directive = split_directive(desc)
            expected_fail = [e for e in xfails if fnmatch.fnmatchcase(text, e.value)]
            if directive.startswith("SKIP") or directive.startswith("TODO"):
                out.append(Verdict(passed or directive.startswith("TODO"), f"{label}: {text}", directive))
            elif expected_fail and not passed:
                out.append(Verdict(True, f"{label}: {text} (not ok, as expected on {kernel})"))
            elif expected_fail and passed:
                out.append(Verdict(False, f"{label}: {text} (expected not ok on {kernel}, but ok)"))
            else:
                out.append(Verdict(passed, f"{label}: {text}", diagnostics=[] if passed else st.output[-15:]))
        want_exit = [e for e in mine if e.kind == "fact" and e.subject in (f"{label}:exit", f"{label}:signal")]
        if not want_exit:
            ok = st.end == "exit=0"
            out.append(Verdict(ok, f"{label}: {st.end or 'never ended'}",
                               diagnostics=[] if ok else st.output[-15:]))

    for e in mine:
        if e.kind == "fact":
            got = facts.get(e.subject)
            ok = got is not None and fnmatch.fnmatchcase(got, e.value)
            out.append(Verdict(ok, f"{e.subject}={e.value}" + ("" if ok else f" (got {got or 'nothing'})")))
        elif e.kind == "console":
            ok = e.subject in log.text
            out.append(Verdict(ok, f"console shows '{e.subject}'"))
        elif e.kind == "no-console":
            ok = e.subject not in log.text
            out.append(Verdict(ok, f"console never shows '{e.subject}'"))
    return out, facts


# ---------------------------------------------------------------- one boot

@dataclass
class BootResult:
    scenario: str
    kernel: str
    verdicts: list
    facts: dict
    elapsed: float
    log_path: str
    skipped: str = ""
    duration: int = 0          # what {duration} stood for; 0 if the scenario has none


def run_boot(sc, kernel, vmlinux, base_initrd_tool, results_dir, step_timeout=120,
             duration=None, seed=0):
    """Boots one scenario on one kernel and judges it. base_initrd_tool: argv of
    lab/initramfs (the per-boot steps archive is appended to the base archive).
    duration: lab/run --duration (None: the scenario's own); seed: what {seed} stands for."""
    duration = run_duration(sc, duration)
    boot_timeout, step_timeout = boot_limits(sc, kernel, step_timeout, duration)
    qemu, why = qemu_command(sc.l0)
    log_path = os.path.join(results_dir, "logs", f"{kernel}--{sc.name}.log")
    if qemu is None:
        return BootResult(sc.name, kernel, [], {}, 0.0, "", skipped=why)
    why = missing_l0_property(sc, qemu)
    if why:
        return BootResult(sc.name, kernel, [], {}, 0.0, "", skipped=why)
    with tempfile.TemporaryDirectory(prefix="ppccompat-boot-") as tmp:
        steps = os.path.join(tmp, "steps")
        with open(steps, "w") as fh:
            fh.write(f"# {sc.name} on {kernel}\n")
            for _, cmd in sc.steps:
                fh.write(expand_step(cmd, duration, seed) + "\n")
        initrd = os.path.join(tmp, "boot.cpio")
        extras = [INITRAMFS_EXTRAS[e] for e in sc.initramfs]
        proc = subprocess.run(base_initrd_tool + extras + ["--steps", steps, "-o", initrd],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode == INITRAMFS_UNAVAILABLE and extras:
            why = (proc.stderr.strip().splitlines() or ["lab/initramfs: unavailable"])[-1]
            return BootResult(sc.name, kernel, [], {}, 0.0, "", skipped=why)
        if proc.returncode != 0:
            raise LabError(f"lab/initramfs failed: {proc.stderr.strip()[-500:]}")
        argv = boot_argv(sc, kernel, qemu, vmlinux, initrd, step_timeout)
        start = time.monotonic()
        timed_out = False
        with open(log_path, "wb") as logf:
            logf.write(("# " + " ".join(shlex.quote(a) for a in argv) + "\n").encode())
            logf.flush()
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=logf,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            try:
                proc.wait(timeout=boot_timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                proc.kill()
                proc.wait()
        elapsed = time.monotonic() - start
    with open(log_path, "rb") as fh:
        text = fh.read().decode("utf-8", "replace")
    log = parse_log(text)
    # What `ppccompat --json` printed is kept beside the log, as the artefact it is.
    for idx, (label, cmd) in enumerate(sc.steps, 1):
        st = log.steps.get(idx)
        if st and "--json" in cmd.split():
            with open(log_path[:-len(".log")] + f"--{label}.json", "w") as fh:
                fh.write("\n".join(st.output) + "\n")
    verdicts, facts = judge(sc, kernel, log, elapsed, timed_out)
    return BootResult(sc.name, kernel, verdicts, facts, elapsed, log_path, duration=duration)
