#!/usr/bin/env bash
# Builds the libFuzzer targets and runs one of them.
#   Fuzz/run.sh FuzzLanguage|FuzzReaders|FuzzPipelines SECONDS
# Inputs that crash are written to Fuzz/crashes/TARGET/; copy each into
# Tests/Corpus/fuzz/ so that it becomes a regression test.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?target}
seconds=${2:-600}
swift build -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library --product "$target" >&2
mkdir -p "corpus/$target" "crashes/$target"
export SWIFT_BACKTRACE=enable=no
exec ".build/release/$target" "corpus/$target" -max_total_time="$seconds" -timeout=10 \
  -rss_limit_mb=4096 -artifact_prefix="crashes/$target/" -print_final_stats=1
