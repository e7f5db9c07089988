# hwcheck: check homework registers against China's homework-burden rules.
.SUFFIXES:

VERSION    = 0.1.0
# Where people read about hwcheck, for SARIF's tool.driver.informationUri:
# the README that make install puts beside the man page. Packagers may point
# it at their own page (make HOMEPAGE=https://...).
DOCDIR    ?= $(PREFIX)/share/doc/hwcheck
HOMEPAGE  ?= file://$(DOCDIR)/README.md
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
COMPDIR   ?= $(PREFIX)/share/bash-completion/completions
PKG_CONFIG ?= pkg-config
CC        ?= cc
CFLAGS    ?= -O2 -g

# The user's CFLAGS come first; our standard and warnings are added after.
WARN      = -std=c11 -Wall -Wextra -Wpedantic
CJSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcjson 2>/dev/null)
CJSON_LIBS   := $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null || echo -lcjson)
CMOCKA_LIBS  := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
ALL_CFLAGS = $(CFLAGS) $(WARN) $(SAN) -D_POSIX_C_SOURCE=200809L -Iinclude $(CJSON_CFLAGS) \
             -DHW_VERSION='"$(VERSION)"' -DHW_HOMEPAGE='"$(HOMEPAGE)"' -pthread -MMD -MP
# libcsv is LGPL-2.1: it is linked dynamically (libcsv.so).
LIBS       = -lcsv $(CJSON_LIBS) -lm -pthread

# BUILD names the object directory; the ASan+UBSan build uses build-asan.
BUILD     ?= build
SAN_FLAGS  = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

SRCS      = $(wildcard src/*.c)
LIB_SRCS  = $(filter-out src/main.c,$(SRCS))
OBJS      = $(SRCS:%.c=$(BUILD)/%.o)
LIB_OBJS  = $(LIB_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%) $(BUILD)/tests/test_csv_words
BIN       = $(BUILD)/hwcheck
# Test support shared by unit tests and fuzz harnesses (tests/support/).
SUPPORT_OBJS = $(patsubst tests/support/%.c,$(BUILD)/tests/support/%.o,$(wildcard tests/support/*.c))

.PHONY: all test check unit e2e test-plain test-asan demo deps install uninstall clean fmt fmt-check \
        leakcheck policy-schema report-validate man-lint install-check html-dom report-png \
        bench bench-smoke fuzz fuzz-build fuzz-cov-build fuzz-bins fuzz-smoke test-valgrind test-hostile bench-doubling

all: hwcheck

hwcheck: $(BUILD)/hwcheck
	cp $(BUILD)/hwcheck hwcheck

$(BUILD)/hwcheck: $(OBJS)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

$(OBJS) $(SUPPORT_OBJS): $(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/support -Wno-unused-parameter -c -o $@ $<

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(LIB_OBJS) $(SUPPORT_OBJS)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS) $(CMOCKA_LIBS)

# count the bytes decoded (see test_valid_utf8_not_decoded), the parts read
# (test_stdin_file_split) and the calls
# to libcsv (test_lenient_rows_take_the_fast_path)
$(BUILD)/tests/test_parallel: LDFLAGS += -Wl,--wrap=hw_decoder_feed -Wl,--wrap=hw_check_part \
                                       -Wl,--wrap=hw_check_part_bytes
$(BUILD)/tests/test_csv: LDFLAGS += -Wl,--wrap=csv_parse

# test_csv again on the CSV stage built as where there is no SSE2: its fast
# path then scans a line a word at a time.
$(BUILD)/tests/csv_words.o: src/csv.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DHW_CSV_NO_SSE2 -c -o $@ $<
$(BUILD)/tests/test_csv_words: $(BUILD)/tests/test_csv.o $(BUILD)/tests/csv_words.o \
                               $(filter-out $(BUILD)/src/csv.o,$(LIB_OBJS)) $(SUPPORT_OBJS)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -Wl,--wrap=csv_parse -o $@ $^ $(LIBS) $(CMOCKA_LIBS)

# One build's unit tests and end-to-end tests.
check: $(BIN) $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; ./$$t; done
	sh tests/e2e/run.sh $(BIN)

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; ./$$t; done

e2e: $(BIN)
	sh tests/e2e/run.sh $(BIN)

test-plain:
	$(MAKE) check BUILD=build
	$(MAKE) bench-smoke

test-asan:
	$(MAKE) check BUILD=build-asan SAN="$(SAN_FLAGS)"

# valgrind on the bundled samples: no leak, no invalid access (VALGRIND,
# below, as for test-valgrind).
leakcheck: $(BUILD)/hwcheck
	rm -f $(BUILD)/valgrind.*.log
	sh tests/leakcheck.sh $(BUILD)/hwcheck "$(VALGRIND)" || \
	    { cat $(BUILD)/valgrind.*.log; exit 1; }

# docs/policy.schema.json checked by a real validator (ajv-cli from npm).
policy-schema: hwcheck
	sh tests/policy_schema.sh ./hwcheck

# The JSON report against docs/report.schema.json (ajv) and the SARIF report
# by sarif-multitool validate, both from npm.
report-validate: hwcheck
	sh tests/report_validate.sh ./hwcheck

# The man page rendered without a warning (mandoc -T lint, man --warnings),
# and holding every long option of --help.
man-lint: hwcheck
	sh tests/man_lint.sh ./hwcheck hwcheck.1

# make install and uninstall into a scratch DESTDIR.
install-check:
	sh tests/install.sh

# The HTML report rendered by headless Chromium; its DOM checked against JSON.
html-dom: hwcheck
	sh tests/html_dom.sh ./hwcheck

# Every end-to-end case under valgrind: no invalid access, no leak. Exit
# status 99 marks a valgrind error (1 and 2 are hwcheck's own).
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
           --errors-for-leak-kinds=definite,indirect,possible --log-file=$(CURDIR)/$(BUILD)/valgrind.%p.log
test-valgrind: $(BUILD)/hwcheck
	rm -f $(BUILD)/valgrind.*.log
	HWCHECK_WRAPPER="$(VALGRIND)" sh tests/e2e/run.sh $(BUILD)/hwcheck || \
	    { cat $(BUILD)/valgrind.*.log; exit 1; }

# Inputs too big to commit (a 100 MB field, 10 million rows), SIGPIPE, signals
# during -o, an unreadable file; with peak memory checked.
test-hostile: $(BUILD)/hwcheck
	bash tests/hostile.sh $(BUILD)/hwcheck

# Time for N, 2N and 4N of each pathological input shape: ratios near 2
# show the run stays linear (fails above MAX_RATIO, default 3).
bench-doubling: hwcheck
	bash bench/doubling.sh ./hwcheck

# The whole suite: plain, under ASan+UBSan, every case under valgrind, the
# hostile inputs, the fuzz harnesses on their corpus, the schemas and
# validators, the man page, install, the HTML report in a browser.
test:
	$(MAKE) test-plain
	$(MAKE) test-asan
	$(MAKE) leakcheck BUILD=build
	$(MAKE) policy-schema
	$(MAKE) report-validate
	$(MAKE) man-lint
	$(MAKE) install-check
	$(MAKE) html-dom
	$(MAKE) test-valgrind BUILD=build
	$(MAKE) test-hostile BUILD=build
	$(MAKE) fuzz-smoke

# The benchmark (docs/performance.md): a generator of exports, a timer that
# reads peak memory, and DuckDB from npm for comparison (installed by the
# script into bench/node_modules). bench-smoke is a few seconds' run of it.
BENCH_CFLAGS = -O2 $(WARN) -D_DEFAULT_SOURCE

build/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

build/bench/csvonly: bench/csvonly.c $(BUILD)/src/csv.o $(BUILD)/src/util.o
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -Iinclude -o $@ $^ -lcsv

BENCH_TOOLS = build/bench/gen build/bench/measure build/bench/csvonly

bench: hwcheck $(BENCH_TOOLS)
	sh bench/run.sh

bench-smoke: hwcheck $(BENCH_TOOLS)
	BENCH_OUT=build/bench/out sh bench/run.sh --smoke

# Installs what a fresh Debian machine lacks (needs root or sudo).
deps:
	sh .ci/deps.sh

demo: deps
	$(MAKE) hwcheck
	sh data/demo.sh ./hwcheck

# docs/report.png: the sample district's HTML report as Chromium shows it.
report-png: hwcheck
	sh docs/report-png.sh ./hwcheck

install: hwcheck
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR) $(DESTDIR)$(DOCDIR)
	cp README.md $(DESTDIR)$(DOCDIR)/README.md
	chmod 644 $(DESTDIR)$(DOCDIR)/README.md
	cp hwcheck $(DESTDIR)$(BINDIR)/hwcheck
	chmod 755 $(DESTDIR)$(BINDIR)/hwcheck
	cp hwcheck.1 $(DESTDIR)$(MANDIR)/man1/hwcheck.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/hwcheck.1
	cp contrib/hwcheck.bash $(DESTDIR)$(COMPDIR)/hwcheck
	chmod 644 $(DESTDIR)$(COMPDIR)/hwcheck

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hwcheck $(DESTDIR)$(MANDIR)/man1/hwcheck.1 \
	    $(DESTDIR)$(COMPDIR)/hwcheck $(DESTDIR)$(DOCDIR)/README.md
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

fmt:
	clang-format -i src/*.c include/*.h tests/unit/*.c tests/support/*.[ch] bench/*.c fuzz/*.c

fmt-check:
	clang-format --dry-run --Werror src/*.c include/*.h tests/unit/*.c tests/support/*.[ch] bench/*.c fuzz/*.c

clean:
	rm -rf build build-asan build-fuzz build-cov hwcheck

# Fuzzing (libFuzzer: Debian's clang and libclang-rt-14-dev). Each harness runs
# FUZZ_SECONDS on its seed corpus; new inputs and crashes go to fuzz/out/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
# Larger than any seed, so that inputs can cross the decoder's 64 KiB window
# only when asked; 16 KiB lets rows, quotes and encodings mix.
FUZZ_MAX_LEN ?= 16384
FUZZ_SAN      = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
FUZZERS       = fuzz_pipeline fuzz_notation fuzz_policy fuzz_csv
FUZZ_BINS     = $(FUZZERS:%=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: fuzz/%.c $(LIB_OBJS) $(SUPPORT_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/support -fsanitize=fuzzer \
	    -o $@ $^ $(LIBS)

fuzz-bins: $(FUZZ_BINS)

# The row bounds are made small (2 KiB, 64 fields, fed 100 bytes at a time) so
# that inputs of a few KiB reach the code that handles overlong rows.
FUZZ_DEFS     = -DHW_CSV_MAX_ROW_BYTES=2048 -DHW_CSV_MAX_FIELDS=64 -DHW_CSV_PIECE=100
fuzz-build:
	$(MAKE) fuzz-bins BUILD=build-fuzz CC=$(FUZZ_CC) CFLAGS="-g -O1 $(FUZZ_DEFS)" SAN="$(FUZZ_SAN)"

# The harnesses with the same bounds and clang's source-based coverage, for
# fuzz/coverage.sh.
fuzz-cov-build:
	$(MAKE) fuzz-bins BUILD=build-cov CC=$(FUZZ_CC) \
	    CFLAGS="-g -O1 $(FUZZ_DEFS) -fprofile-instr-generate -fcoverage-mapping"

fuzz: fuzz-build
	@set -e; for f in $(FUZZERS); do \
	    mkdir -p fuzz/out/$$f/corpus; \
	    echo "== $$f: $(FUZZ_SECONDS) s"; \
	    build-fuzz/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -print_final_stats=1 \
	        -artifact_prefix=fuzz/out/$$f/ fuzz/out/$$f/corpus fuzz/corpus/$$f; \
	done

# Replays the seed corpus and every input that once failed (fuzz/regress/):
# quick, and keeps the harnesses building. Skipped when clang cannot fuzz.
fuzz-smoke:
	@if echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' \
	    | $(FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then \
	    $(MAKE) fuzz-build && set -e && for f in $(FUZZERS); do \
	        inputs=$$(ls -d fuzz/corpus/$$f/* fuzz/regress/$$f/* 2>/dev/null || true); \
	        build-fuzz/fuzz/$$f $$inputs > build-fuzz/$$f.log 2>&1 \
	            || { cat build-fuzz/$$f.log; exit 1; }; \
	        echo "fuzz-smoke: $$f: $$(echo $$inputs | wc -w) inputs passed"; \
	    done; \
	else echo "fuzz-smoke: skipped, $(FUZZ_CC) cannot build libFuzzer harnesses (apt-get install clang libclang-rt-14-dev)"; fi

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d) $(SUPPORT_OBJS:.o=.d) $(BUILD)/tests/csv_words.d
