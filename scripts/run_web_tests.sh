#!/usr/bin/env bash
# Builds and tests the web UI: npm ci when node_modules is missing or stale, `npm run build`
# (tsc --noEmit + vite build into web/dist), ESLint (`npm run lint`, web/eslint.config.js), the
# Vitest unit suite, then the browser e2e suite (playwright-core + Debian chromium) against the real
# server BUILD_DIR/src/app/photomap.
# Prints exactly one closing line "web: N passed, M failed" (unit and e2e tests, plus ESLint as one
# check; a failed install or build counts as one failure) and exits non-zero on any failure.
set -uo pipefail
build_dir=${1:?usage: run_web_tests.sh BUILD_DIR}
repo=$(cd "$(dirname "$0")/.." && pwd)
case "$build_dir" in /*) ;; *) build_dir="$repo/$build_dir" ;; esac
cd "$repo/web" || { echo "web: 0 passed, 1 failed"; exit 1; }

passed=0; failed=0
finish() {
  echo "web: $passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
  exit $?
}

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "# npm ci"
  if ! npm ci --no-audit --no-fund --prefer-offline >/dev/null 2>npm-ci.log; then
    tail -20 npm-ci.log; rm -f npm-ci.log
    echo "not ok - npm ci failed"; failed=1; finish
  fi
  rm -f npm-ci.log
fi

echo "# npm run build"
if ! build_log=$(npm run --silent build 2>&1); then
  echo "$build_log" | tail -30
  echo "not ok - web build failed"; failed=1; finish
fi

echo "# eslint"
if lint_log=$(npm run --silent lint 2>&1); then
  echo "ok - eslint"; passed=$((passed + 1))
else
  echo "$lint_log" | tail -40
  echo "not ok - eslint: $(echo "$lint_log" | sed -n 's/^✖ \([0-9]*\) problems\{0,1\}.*/\1/p' | tail -1) problem(s) (cd web && npm run lint)"
  failed=$((failed + 1))
fi

echo "# vitest"
unit_json=$(mktemp)
npx vitest run --reporter=default --reporter=json --outputFile.json="$unit_json" 2>&1 | sed -n '/FAIL\|✗\|×\|Test Files\|Tests /p'
read -r up uf < <(node -e 'try{const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(r.numPassedTests,r.numFailedTests||(r.success?0:Math.max(1,r.numFailedTestSuites||0)))}catch(e){console.log(0,1)}' "$unit_json")
rm -f "$unit_json"
passed=$((passed + up)); failed=$((failed + uf))

echo "# e2e (PHOTOMAP_BIN=$build_dir/src/app/photomap)"
e2e_out=$(PHOTOMAP_BIN="$build_dir/src/app/photomap" timeout 240 node e2e/run.mjs 2>&1); e2e_rc=$?
echo "$e2e_out" | sed 's/^e2e:/# e2e:/'
ep=$(echo "$e2e_out" | sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' | tail -1)
ef=$(echo "$e2e_out" | sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' | tail -1)
ep=${ep:-0}; ef=${ef:-0}
if [ "$e2e_rc" -ne 0 ] && [ "$ef" -eq 0 ]; then ef=1; echo "not ok - e2e exited with $e2e_rc"; fi
passed=$((passed + ep)); failed=$((failed + ef))
finish
