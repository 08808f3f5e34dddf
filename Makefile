# zhengqi — build, run, test, bench, fuzz.
# `make run` and `make test` first call scripts/setup.sh, which installs
# whatever is missing (Debian packages, npm packages) and does nothing else.

CC      ?= cc
PKGS    := libmicrohttpd jansson libsodium sqlite3 libpq libqrencode xlsxwriter libzip zlib libxml-2.0
CSTD    := -std=c17 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lmagic -lzxcvbn -lpthread -lm
CFLAGS  ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Isrc -Ibuild/gen

# The release build leaves out assert(): asserts state invariants for the
# sanitized test build, which stops at the first broken one (SQLite's habit).
REL     := -DNDEBUG

# Test build: ASan + UBSan, separate object tree.
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC := $(filter-out src/cli/main.c,$(shell find src -name '*.c' | sort))
GEN_SRC := build/gen/migrations_gen.c
MIGRATIONS := $(sort $(wildcard src/db/migrations/*.sql))

OBJ      := $(patsubst src/%.c,build/obj/%.o,$(LIB_SRC)) build/obj/gen/migrations_gen.o
TOBJ     := $(patsubst src/%.c,build/tobj/%.o,$(LIB_SRC)) build/tobj/gen/migrations_gen.o

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
API_SRC  := $(sort $(wildcard tests/api/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,build/tests/unit/%,$(UNIT_SRC))
API_BIN  := $(patsubst tests/api/%.c,build/tests/api/%,$(API_SRC))

.PHONY: all setup run test test-c test-api test-browser web bench fuzz clean lint
all: build/zhengqi

build/gen/migrations_gen.c: $(MIGRATIONS) scripts/embed-migrations.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-migrations.sh $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

build/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(REL) -MMD -MP -c $< -o $@
build/obj/%.o: src/%.c | build/gen/migrations_gen.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(REL) -MMD -MP -c $< -o $@
build/libzq.a: $(OBJ)
	ar rcs $@ $^
build/zhengqi: build/obj/cli/main.o build/libzq.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS)

# ---- test build (sanitizers) ----
build/tobj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -MMD -MP -c $< -o $@
build/tobj/%.o: src/%.c | build/gen/migrations_gen.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -MMD -MP -c $< -o $@
build/libzq-test.a: $(TOBJ)
	ar rcs $@ $^
build/zhengqi-test: build/tobj/cli/main.o build/libzq-test.a
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)
build/tests/unit/%: tests/unit/%.c tests/support/*.h build/libzq-test.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -Itests -o $@ $< build/libzq-test.a $(PKG_LIBS) -lcmocka
build/tests/api/%: tests/api/%.c tests/support/*.c tests/support/*.h build/libzq-test.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -Itests -o $@ $< tests/support/*.c build/libzq-test.a $(PKG_LIBS) -lcmocka

# measurements that need the library but not the product binary (make bench)
build/bench/bench_policy: tests/bench/bench_policy.c build/libzq.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(REL) -o $@ $< build/libzq.a $(PKG_LIBS)

build/bench/bench_survey: tests/bench/bench_survey.c tests/bench/bench_stats.c tests/bench/bench_stats.h build/libzq.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(REL) -o $@ $< tests/bench/bench_stats.c build/libzq.a $(PKG_LIBS)

# the declaration submit bench's HTTP client: sockets only, no library
build/bench/bench_declare: tests/bench/bench_declare.c tests/bench/bench_stats.c tests/bench/bench_stats.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(REL) -o $@ $< tests/bench/bench_stats.c -lpthread

setup:
	@sh scripts/setup.sh

web/dist/index.html: $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.js web/package.json
	cd web && npx vite build

web: web/dist/index.html

# run/bench build in a sub-make: PKG_CFLAGS/PKG_LIBS are read when make
# starts, which on a fresh machine is before setup installed the libraries.
run: setup
	@$(MAKE) --no-print-directory -j2 all web
	@sh scripts/run.sh

test: setup
	@sh scripts/test-all.sh

test-c: build/zhengqi-test $(UNIT_BIN) $(API_BIN)

bench: setup
	@$(MAKE) --no-print-directory -j2 all build/bench/bench_policy build/bench/bench_survey build/bench/bench_declare
	@sh scripts/bench.sh

FUZZ_SECONDS ?= 60
fuzz: setup
	@sh scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf build

-include $(shell find build/obj build/tobj -name '*.d' 2>/dev/null)
