#!/bin/bash
# Backups of a 100,000-incident store (release yunwei-cli, whole processes): a full point and an
# incremental one after 1 % of the incidents changed (time, size, their ratio), against SQLite's
# own online backup of the same file (`.backup`, no compression, no encryption, no check) as
# the baseline; and the latency of a list query (`yunwei-cli incidents`, 50 rows) while a full
# backup runs, against the same query with nothing running. Uses the store tests/bench/import.sh
# leaves (runs it first when missing). Prints the figures; BENCHMARKS.md records them.
set -euo pipefail
cd "$(dirname "$0")/../.."
R=${R:-target/release}
I=target/bench-data/import
W=target/bench-data/backup
[ -f "$I/ours/db/yunwei.db" ] || tests/bench/import.sh
PY=target/bench-venv/bin/python
rm -rf "$W"; mkdir -p "$W/data/db"
cp "$I/ours/db/yunwei.db" "$W/data/db/"
CLI=("$R/yunwei-cli" --data-dir "$W/data")
"${CLI[@]}" backup setup --key-out "$W/key.txt" > /dev/null
db="$W/data/db/yunwei.db"
echo "store: $(( $(stat -c %s "$db") / 1048576 )) MB"

median() { sort -n | sed -n "$(( ($1 + 1) / 2 ))p"; }

# Baseline: SQLite's online backup of the same file, three times.
for i in 1 2 3; do
  rm -f "$W/plain.db"
  /usr/bin/time -f "%e" -o "$W/plain-time.$i" "$PY" -c "import pysqlite3 as s,sys; a=s.connect(sys.argv[1]); b=s.connect(sys.argv[2]); a.backup(b); b.close()" "$db" "$W/plain.db"
done
plain=$(cat "$W"/plain-time.* | median 3)
echo "baseline, SQLite online backup (plain copy): median ${plain} s, $(( $(stat -c %s "$W/plain.db") / 1048576 )) MB"

# Full points: snapshot, integrity and foreign-key checks, zstd, age, fsync, drill.
for i in 1 2 3; do
  /usr/bin/time -f "%e %M" -o "$W/full.$i" "${CLI[@]}" backup now --full > /dev/null
done
read -r full_s full_kib < <(sort -n "$W"/full.* | sed -n 2p)
full_bytes=$("${CLI[@]}" backup list --json | "$PY" -c "import json,sys; print(json.load(sys.stdin)[-1]['payloadSize'])")
echo "full point: median ${full_s} s (runs: $(cut -d' ' -f1 "$W"/full.* | tr '\n' ' ')s), ${full_kib} KiB peak, $(( full_bytes / 1048576 )) MB"

# 1 % of the incidents change (a title edited, spread over the whole table), then an incremental.
"$PY" - "$db" <<'PYEOF'
import sys, pysqlite3 as sqlite3
c = sqlite3.connect(sys.argv[1])
n = c.execute("UPDATE incidents SET title = title || '（已复核）' WHERE rowid % 100 = 0").rowcount
c.commit()
print(f"changed: {n} incidents")
PYEOF
/usr/bin/time -f "%e %M" -o "$W/incr" "${CLI[@]}" backup now > "$W/incr.out"
read -r incr_s incr_kib < "$W/incr"
"${CLI[@]}" backup list --json | "$PY" -c "
import json,sys
p = json.load(sys.stdin)[-1]
full = int(sys.argv[1])
print(f\"incremental point: {sys.argv[2]} s, {sys.argv[3]} KiB peak, {p['payloadSize'] / 1048576:.1f} MB, {p['changedPages']} of {p['pages']} pages changed; size incremental / full = {p['payloadSize'] / full:.3f}\")
" "$full_bytes" "$incr_s" "$incr_kib"

# The window's list query (its own open connection), idle and while full backups run: criterion.
# (A second process beside a writer checks the whole file on open — quick_check — so timing the
# command line here would measure that check, not the query.)
cargo bench --workspace --bench backup -- --noplot 2>&1 | grep -E "^list|time:|backups made"
