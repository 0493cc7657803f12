# l2tpns build.
#
# Every program, test and fuzz harness is declared in a small fragment next to
# its sources (tests/*/NAME.mk, tools/NAME.mk, src/NAME.mk) that lists exactly
# the .c files it links. A unit test links only the module under test plus the
# buffer kernel, so a codec test that reached into src/io would fail to link:
# that is how the layer boundaries are kept.
#
#   make              programs into build/bin, plugins into build/lib, all tests
#   make check        install missing packages, build with gcc and clang, run every suite
#   make asan         build and run the unit and fsm tests under ASan+UBSan
#   make fuzz         build one libFuzzer harness per decoder, run each FUZZ_SECONDS
#   make bench        benchmarks (print figures)
#   make CC=clang     the same with clang

.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD ?= build
OPT ?= -O2 -g
SAN ?=
PREFIX ?= /usr
DESTDIR ?=

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wwrite-strings -Wformat=2 -Wvla -Wundef -Wcast-align \
	-Wnull-dereference -Wimplicit-fallthrough
CPPFLAGS := -Iinclude -Isrc -D_GNU_SOURCE
CFLAGS := -std=c11 $(OPT) $(WARN) $(SAN) -MMD -MP $(EXTRA_CFLAGS)
LDFLAGS := $(SAN) $(EXTRA_LDFLAGS)

UNIT_TESTS :=
FSM_TESTS :=
FUZZERS :=
PROGRAMS :=
PLUGINS :=
TEST_PLUGINS :=
SIM_TESTS :=
BENCHES :=

FRAGMENTS := $(sort $(wildcard src/*.mk tools/*.mk tests/unit/*.mk tests/fsm/*.mk tests/fuzz/*.mk))
include $(FRAGMENTS)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

# V=1 shows the full commands
Q := $(if $(V),,@)
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(if $(V),,@echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# $(1) = name, $(2) = output directory, $(3) = extra libraries
define link_tpl
$(2)/$(1): $$(call obj,$$($(1)_SRCS))
	@mkdir -p $$(@D)
	$(if $(V),,@echo "  LD      $$@")
	$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$^ $$($(1)_LIBS) $(3)
endef

UNIT_BINS := $(addprefix $(BUILD)/tests/unit/,$(UNIT_TESTS))
FSM_BINS := $(addprefix $(BUILD)/tests/fsm/,$(FSM_TESTS))
PROG_BINS := $(addprefix $(BUILD)/bin/,$(PROGRAMS))
PLUGIN_LIBS := $(addprefix $(BUILD)/lib/,$(addsuffix .so,$(PLUGINS)))
BENCH_BINS := $(addprefix $(BUILD)/bench/,$(BENCHES))

$(foreach t,$(UNIT_TESTS),$(eval $(call link_tpl,$(t),$(BUILD)/tests/unit,-lcmocka)))
$(foreach t,$(FSM_TESTS),$(eval $(call link_tpl,$(t),$(BUILD)/tests/fsm,-lcmocka)))
$(foreach t,$(PROGRAMS),$(eval $(call link_tpl,$(t),$(BUILD)/bin,)))
$(foreach t,$(BENCHES),$(eval $(call link_tpl,$(t),$(BUILD)/bench,)))

# Plugins (include/l2tpns/plugin.h): PLUGINS are installed, TEST_PLUGINS
# (small plugins the unit tests load) stay in the build tree.
# $(1) = name, $(2) = output directory
define plugin_tpl
$(2)/$(1).so: $$($(1)_SRCS) $$(wildcard include/l2tpns/*.h)
	@mkdir -p $$(@D)
	$(if $(V),,@echo "  SO      $$@")
	$(Q)$$(CC) $$(CPPFLAGS) $$(CFLAGS) -fPIC -shared -o $$@ $$(filter %.c,$$^) $$($(1)_LIBS)
endef
$(foreach t,$(PLUGINS),$(eval $(call plugin_tpl,$(t),$(BUILD)/lib)))
$(foreach t,$(TEST_PLUGINS),$(eval $(call plugin_tpl,$(t),$(BUILD)/tests/plugins)))
TEST_PLUGIN_LIBS := $(addprefix $(BUILD)/tests/plugins/,$(addsuffix .so,$(TEST_PLUGINS)))

.PHONY: all programs tests check asan fuzz fuzz-build bench deps clean install demo \
	test-unit test-fsm test-pcap test-sim test-fuzz-smoke interop

all: programs tests
programs: $(PROG_BINS) $(PLUGIN_LIBS)
tests: $(UNIT_BINS) $(FSM_BINS) $(TEST_PLUGIN_LIBS)

deps:
	@bash tools/deps.sh

# Each suite runner records "<suite> <passed> <failed>" in $(BUILD)/results.
test-unit: $(UNIT_BINS)
	@bash tests/run-suite.sh $(BUILD) unit $(UNIT_BINS)
test-fsm: $(FSM_BINS)
	@bash tests/run-suite.sh $(BUILD) fsm $(FSM_BINS)
test-pcap: programs
	@bash tests/pcap/run.sh $(BUILD)
test-sim: programs
	@bash tests/sim/run.sh $(BUILD)

asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		test-unit test-fsm test-pcap

# ---- fuzzing (clang + libFuzzer) -------------------------------------------
FUZZ_BUILD ?= build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=c11 -O1 -g $(CPPFLAGS) -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS := $(addprefix $(FUZZ_BUILD)/,$(FUZZERS))
define fuzz_tpl
$(FUZZ_BUILD)/$(1): $$($(1)_SRCS) $$(wildcard src/codec/*.h include/*.h)
	@mkdir -p $$(@D)
	clang $(FUZZ_CFLAGS) -o $$@ $$($(1)_SRCS) $$($(1)_LIBS)
endef
$(foreach t,$(FUZZERS),$(eval $(call fuzz_tpl,$(t))))

fuzz-build: $(FUZZ_BINS)
fuzz: fuzz-build programs
	@bash tests/fuzz/run.sh $(FUZZ_BUILD) $(BUILD) $(FUZZ_SECONDS) $(FUZZERS)
# In make check: every harness over its seeds plus a short random run.
test-fuzz-smoke: fuzz-build programs
	@FUZZ_SMOKE=1 bash tests/fuzz/run.sh $(FUZZ_BUILD) $(BUILD) 5 $(FUZZERS)

# Interoperability with a real LAC: xl2tpd + pppd in a qemu VM (tests/interop).
interop: programs
	@bash tools/deps.sh interop
	@bash tests/interop/run.sh $(BUILD)

# The README's run command: install, build, run the LNS with a simulated LAC.
demo: deps
	$(MAKE) programs
	@bash tools/demo.sh

bench: programs $(BENCH_BINS)
	@bash tools/bench/run.sh $(BUILD)

check: deps
	@rm -f $(BUILD)/results
	$(MAKE) all
	$(MAKE) CC=clang BUILD=build/clang all
	$(MAKE) test-unit test-fsm test-pcap
	$(MAKE) asan
	$(MAKE) test-fuzz-smoke
	$(MAKE) test-sim
	$(MAKE) interop
	@bash tests/summary.sh $(BUILD)/results build/asan/results

install: programs
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/l2tpns $(DESTDIR)/etc/l2tpns \
		$(DESTDIR)$(PREFIX)/include/l2tpns
	install -m 755 $(BUILD)/bin/l2tpns $(BUILD)/bin/nsctl $(DESTDIR)$(PREFIX)/sbin/
	for l in $(PLUGIN_LIBS); do install -m 644 $$l $(DESTDIR)$(PREFIX)/lib/l2tpns/; done
	install -m 644 include/l2tpns/plugin.h $(DESTDIR)$(PREFIX)/include/l2tpns/
	for f in etc/*.default; do [ -e "$$f" ] || continue; \
		t=$(DESTDIR)/etc/l2tpns/$$(basename $$f .default); \
		[ -e "$$t" ] || install -m 600 $$f "$$t"; done

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
