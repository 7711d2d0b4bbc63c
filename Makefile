# SPDX-License-Identifier: GPL-2.0
# Entry points. README.md documents them; scripts/check does the counting for `make check`.

BUILD       ?= build
CHECK_BUILD ?= build-check
LAB_BUILD   ?= build-ppc64le

.PHONY: all check check-unit soak demo bench lab-programs clean

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD)

# The fast edit loop: unit, CLI-fixture and short fuzz tests, under ASan+UBSan. No lab.
check-unit:
	scripts/check --fast

# Everything, lab included. Ends with the line "N passed, N failed".
check:
	scripts/check

# The long run of the lab's stress programs, not in `check` (doc/lab.md, "Durations, seeds
# and make soak"): every lab/scenarios/stress-* scenario with each timed step given
# SOAK_SECONDS (default 600), on the patched kernels that boot them and stock 7.3, plain and
# debug. A kernel a scenario cannot boot (its `kernels` line) is neither built nor booted.
SOAK_SECONDS ?= 600
SOAK_KERNELS ?= $(foreach k,$(shell awk '$$1 == "kernel" && $$2 ~ /^patched-/ { print $$2 }' lab/kernels) stock-7.3,$(k) $(k)-debug)
soak:
	@scenarios=$$(cd lab/scenarios && ls -d stress-* 2>/dev/null); \
	[ -n "$$scenarios" ] || { echo "make soak: no lab/scenarios/stress-* scenario" >&2; exit 1; }; \
	lab/run --duration $(SOAK_SECONDS) $(addprefix --kernel ,$(SOAK_KERNELS)) $$scenarios

lab-programs: $(LAB_BUILD)/build.ninja
	ninja -C $(LAB_BUILD)

$(LAB_BUILD)/build.ninja:
	meson setup --cross-file cross/ppc64le-linux-static.ini $(LAB_BUILD)

demo:
	@if [ -x lab/demo ]; then lab/demo; else echo "lab not built yet: see issue 'The emulated POWER lab'"; fi

bench: all
	@if [ -x bench/run ]; then bench/run; else echo "benchmark not written yet"; exit 1; fi

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(LAB_BUILD)
