#!/usr/bin/env bash
# Runs the end-to-end journey: Xvfb (unless a display is set), tauri-driver, then journey.mjs.
# Usage: tests/e2e/run.sh [path/to/yunwei]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export YUNWEI_BIN=${1:-$root/target/debug/yunwei}
driver=${TAURI_DRIVER:-$root/.tools/bin/tauri-driver}
[ -x "$YUNWEI_BIN" ] || { echo "no app binary at $YUNWEI_BIN (make app)"; exit 1; }
[ -x "$driver" ] || driver=$(command -v tauri-driver) || { echo "tauri-driver not found (make deps)"; exit 1; }

# A session bus, as a desktop has: the single-instance guard registers the app on it.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null; then
  exec dbus-run-session -- "$0" "$@"
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if [ -z "${DISPLAY:-}" ]; then
  export DISPLAY=:97
  Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  sleep 1
fi

mkdir -p "$here/artifacts"
"$driver" --port 4444 --native-port 4445 >"$here/artifacts/tauri-driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  (echo >/dev/tcp/127.0.0.1/4444) 2>/dev/null && break
  sleep 0.2
done

cd "$here" && node journey.mjs
