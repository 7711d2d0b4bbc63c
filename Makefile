# SPDX-License-Identifier: GPL-2.0
# Entry points. README.md documents them; scripts/check does the counting for `make check`.

BUILD       ?= build
CHECK_BUILD ?= build-check
LAB_BUILD   ?= build-ppc64le

.PHONY: all check check-unit demo bench lab-programs clean

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
