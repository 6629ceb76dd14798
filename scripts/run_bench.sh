#!/usr/bin/env bash
# Runs every benchmark binary (bench_*) built in BUILD_DIR; each prints JSON lines
# {"name":…,"value":…,"unit":…}. Extra data sets come from ../shared/bench scripts.
set -euo pipefail
build_dir=${1:?usage: run_bench.sh BUILD_DIR}
find "$build_dir/bench" -type f -name 'bench_*' -perm -u+x | sort | while read -r b; do
  echo "# $b" >&2
  "$b"
done
