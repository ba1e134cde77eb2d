#!/bin/bash
# Team sync with a real PostgreSQL on this machine (tests/pg/cluster.sh), release yunwei-cli,
# whole processes timed:
#   1. the first sync of 100,000 incidents (the generated import file) to an empty laptop,
#      against importing the same file into an empty laptop (the single-user way in);
#   2. the round trip of 100 new events (pushed by one laptop, pulled by another), against the
#      same two syncs with nothing new (the fixed cost of connecting and asking);
#   3. the incident list with the server gone (a joined laptop, server halted), against the
#      same database that never joined (single-user).
# Needs a release build (cargo build --release -p yunwei-cli). Prints the figures; BENCHMARKS.md
# records them.
set -euo pipefail
cd "$(dirname "$0")/../.."
R=${R:-target/release}
N=${N:-100000}
W=target/bench-data/sync
rm -rf "$W"; mkdir -p "$W"
cli="$R/yunwei-cli"

secs() { python3 -c 'import sys, time; print("%.3f" % (time.time() - float(sys.argv[1])))' "$1"; }
now() { python3 -c 'import time; print(time.time())'; }

python3 tests/bench/generate.py "$N" "$W/incidents.json"
admin=$(tests/pg/cluster.sh start)
db="bench_$(date +%s)"
psql "$admin" -qc "CREATE DATABASE $db"
url="${admin%/postgres}/$db"
"$cli" server init --url "$url" --data-dir "$W/a" >/dev/null

# 1. Laptop A imports the file (the baseline), joins and sends it; laptop B, empty, syncs.
t=$(now); "$cli" incident import "$W/incidents.json" --data-dir "$W/a" >/dev/null; import=$(secs "$t")
t=$(now); pushed=$("$cli" sync --url "$url" --data-dir "$W/a"); push=$(secs "$t")
t=$(now); first=$("$cli" sync --url "$url" --data-dir "$W/b"); pull=$(secs "$t")
echo "import of $N incidents into an empty laptop: ${import} s"
echo "first push from laptop A: ${push} s — $pushed"
echo "first sync of laptop B (empty): ${pull} s — $first"
python3 -c "import sys; print('first sync / import = %.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$pull" "$import"

# 2. 100 new events: 100 incidents reported on A (one event each), to B.
python3 - "$W/hundred.json" <<'PYEOF'
import json, sys, datetime as dt
at = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)).isoformat()
json.dump({"incidents": [dict(title="往返测试 %d" % i, level="IV", channel="email", reported_at=at) for i in range(100)]},
          open(sys.argv[1], "w"), ensure_ascii=False)
PYEOF
round() {
  local t
  t=$(now)
  "$cli" sync --data-dir "$W/a" >/dev/null
  "$cli" sync --data-dir "$W/b" >/dev/null
  secs "$t"
}
export YUNWEI_SERVER_PASSWORD
YUNWEI_SERVER_PASSWORD=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(urllib.parse.urlparse(sys.argv[1]).password))' "$url")
empty=()
for _ in 1 2 3; do empty+=("$(round)"); done
"$cli" incident import "$W/hundred.json" --data-dir "$W/a" >/dev/null
t=$(now)
sent=$("$cli" sync --data-dir "$W/a")
got=$("$cli" sync --data-dir "$W/b")
trip=$(secs "$t")
echo "round trip, nothing new (3 runs): ${empty[*]} s"
echo "round trip of 100 new events: ${trip} s — A: $sent — B: $got"
median=$(printf '%s\n' "${empty[@]}" | sort -n | sed -n 2p)
python3 -c "import sys; print('100 events / nothing new = %.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$trip" "$median"

# 3. The list with the server gone, against the same records never joined.
cp -r "$W/b" "$W/alone"
sqlite3 "$W/alone/db/yunwei.db" "DELETE FROM team_link"
tests/pg/cluster.sh halt
list() {
  local runs=() t
  for _ in $(seq 11); do
    t=$(now); "$cli" incidents --limit 50 --data-dir "$1" >/dev/null; runs+=("$(secs "$t")")
  done
  printf '%s\n' "${runs[@]}" | sort -n | sed -n 6p
}
offline=$(list "$W/b")
alone=$(list "$W/alone")
echo "incident list (first 50), joined laptop with the server halted: median ${offline} s"
echo "incident list (first 50), the same records single-user: median ${alone} s"
python3 -c "import sys; print('offline / single-user = %.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$offline" "$alone"
tests/pg/cluster.sh resume
