# The two commands of the README:
#   make run   install what is missing, build, serve the bundled demo album on 127.0.0.1:8050
#   make test  the same setup, then every test suite (under ASan+UBSan); ends "N passed, N failed"
.PHONY: run test setup build build-asan format bench clean

JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
ASAN_DIR := build/asan
DEMO_DIR := build/demo
PHOTOMAP := $(RELEASE_DIR)/src/app/photomap

setup:
	@scripts/setup.sh

$(RELEASE_DIR)/build.ninja:
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPHOTOMAP_BUILD_TESTS=OFF

$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPHOTOMAP_SANITIZE=ON \
	  -DPHOTOMAP_BUILD_BENCH=OFF

build: setup $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS)
	@if [ -f web/package.json ]; then cd web && npm run --silent build; fi

build-asan: setup $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)

run: build
	@scripts/demo_config.sh "$(CURDIR)" "$(DEMO_DIR)"
	$(PHOTOMAP) serve --config $(DEMO_DIR)/config.yaml --no-browser

test: build-asan
	@scripts/run_tests.sh "$(ASAN_DIR)"

bench: build
	@scripts/run_bench.sh "$(RELEASE_DIR)"

format:
	find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf build
