#!/usr/bin/env bash
# Runs every test suite registered with ctest in the given build directory (C++ unit, HTTP
# against the real server, and the web UI's suites once they exist), then prints one closing line
# "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
build_dir=${1:?usage: run_tests.sh BUILD_DIR}
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

log=$(mktemp)
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" 2>&1 | tee "$log"
ctest_rc=${PIPESTATUS[0]}
total=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2/p' "$log" | tail -1)
failed=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -1)
total=${total:-0}; failed=${failed:-0}
rm -f "$log"

web_passed=0; web_failed=0; web_rc=0
if [ -f web/package.json ] && [ -x scripts/run_web_tests.sh ]; then
  out=$(scripts/run_web_tests.sh "$build_dir"); web_rc=$?
  echo "$out"
  web_passed=$(echo "$out" | sed -n 's/^web: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | tail -1)
  web_failed=$(echo "$out" | sed -n 's/^web: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -1)
  web_passed=${web_passed:-0}; web_failed=${web_failed:-0}
fi

passed=$((total - failed + web_passed))
failed=$((failed + web_failed))
if [ "$ctest_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$web_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
