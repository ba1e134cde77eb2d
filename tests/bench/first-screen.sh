#!/bin/bash
# Launch → first screen of the release app against a hello-world Tauri app of the same Tauri
# version (tests/bench/hello), in one run, under Xvfb when no display is set: the time from
# starting the process to its first screen painted (Yunwei: the incident list with its rows;
# the app quits there when YUNWEI_BENCH_EXIT_ON_FIRST_SCREEN is set) and the peak memory of the
# app with its WebKit processes. Yunwei on an empty store (first-run setup offered) and on the
# sample data. Needs `make release`; builds the hello app (first time: its Tauri dependencies,
# ~10 min here). RUNS=n (default 10).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-10}
W=target/bench-data/first-screen
[ -x target/release/yunwei ] || { echo "run make release first" >&2; exit 1; }
CARGO_TARGET_DIR=$PWD/target cargo build --release --quiet --manifest-path tests/bench/hello/Cargo.toml
rm -rf "$W"; mkdir -p "$W/empty" "$W/real"
# The sample sandbox (a store of its own, set up, with the sample incidents): its folder.
sample=$(target/release/yunwei-cli sample-data --data-dir "$W/real" | sed -n 's/.*--data-dir \(.*\) incidents$/\1/p')
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :97 -screen 0 1920x1080x24 -nolisten tcp & xvfb=$!
  trap 'kill $xvfb' EXIT
  export DISPLAY=:97
  sleep 1
fi
python3 tests/bench/first-screen.py "$RUNS" \
  "hello=target/release/yunwei-bench-hello" \
  "yunwei (empty store)=target/release/yunwei,$PWD/$W/empty" \
  "yunwei (sample data)=target/release/yunwei,$sample"
