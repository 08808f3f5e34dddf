# Builds the libFuzzer targets fuzz/fuzz_*.c with clang, against the project
# sources compiled with coverage + ASan + UBSan in build/fuzz/obj/.
# Used by scripts/fuzz.sh (`make fuzz`); run from the repository root.
FCC    := clang
PKGS   := libmicrohttpd jansson libsodium sqlite3 libpq libqrencode xlsxwriter libzip zlib libxml-2.0
FFLAGS := -std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
          -Wall -Wextra -Wno-unused-parameter \
          -fsanitize=address,undefined -fno-sanitize-recover=undefined \
          $(shell pkg-config --cflags $(PKGS)) -Isrc -Ibuild/gen
FLIBS  := $(shell pkg-config --libs $(PKGS)) -lmagic -lzxcvbn -lpthread -lm

LIB_SRC := $(filter-out src/cli/main.c,$(shell find src -name '*.c' | sort))
FOBJ    := $(patsubst src/%.c,build/fuzz/obj/%.o,$(LIB_SRC)) build/fuzz/obj/gen/migrations_gen.o
TARGETS := $(patsubst fuzz/%.c,build/fuzz/%,$(sort $(wildcard fuzz/fuzz_*.c)))

.PHONY: all
all: $(TARGETS)

build/fuzz/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(FCC) $(FFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FCC) $(FFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
build/fuzz/libzq-fuzz.a: $(FOBJ)
	rm -f $@
	ar rcs $@ $^
build/fuzz/fuzz_%: fuzz/fuzz_%.c build/fuzz/libzq-fuzz.a
	$(FCC) $(FFLAGS) -fsanitize=fuzzer -MMD -MP -o $@ $< build/fuzz/libzq-fuzz.a $(FLIBS)

-include $(shell find build/fuzz -name '*.d' 2>/dev/null)
