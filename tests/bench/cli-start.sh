#!/bin/bash
# The headless commands at 100,000 incidents, whole processes: yunwei-cli, the desktop binary
# given the same command, and the sqlite3 shell running the same SQL (the floor), in one
# hyperfine run. Needs the bench database (cargo bench -p yunwei-core --bench incidents makes
# target/bench-data/incidents-100k.db) and a release build (make dist, or
# cargo build --release -p yunwei-cli and make release). Writes target/bench-data/cli-start.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
R=${R:-target/release}
src=${SRC:-target/bench-data/incidents-100k.db}
[ -f "$src" ] || { echo "no $src: run cargo bench -p yunwei-core --bench incidents first"; exit 1; }
D=$(mktemp -d)
mkdir -p "$D/db"
sqlite3 "$src" "VACUUM INTO '$D/db/yunwei.db'"
db="$D/db/yunwei.db"
number=$(sqlite3 "$db" "SELECT number FROM incidents ORDER BY reported_at DESC LIMIT 1")
id=$(sqlite3 "$db" "SELECT id FROM incidents WHERE number = '$number'")
seq=$(sqlite3 "$db" "SELECT seq FROM incidents WHERE number = '$number'")
cols="id, number, title, level, channel, reported_at, reporter, status, assignee"
urgency="status = 'closed', next_due_at IS NULL, next_due_at, level, reported_at DESC, number DESC"
list_sql="SELECT count(*) FROM incidents; SELECT $cols FROM incidents ORDER BY $urgency LIMIT 50;"
show_sql="SELECT $cols, description, created_at, opened_level, policy_version, system, seq FROM incidents WHERE number = '$number';
SELECT id, kind, payload, actor, occurred_at, recorded_at FROM incident_events WHERE incident_seq = $seq ORDER BY occurred_at, recorded_at, id;
SELECT kind, level, due_at, met_at FROM milestone_facts WHERE incident_seq = $seq;"
# The term's trigrams in the index, then the term itself on the text (as the store asks).
found="seq IN (SELECT t.rowid FROM incident_text t WHERE t.rowid IN (SELECT rowid FROM incident_search
  WHERE incident_search MATCH '\"数据库\" AND \"据库服\" AND \"库服务\" AND \"服务器\"')
  AND (t.title LIKE '%数据库服务器%' OR t.description LIKE '%数据库服务器%' OR t.notes LIKE '%数据库服务器%' OR t.pinyin LIKE '%数据库服务器%'))"
search_sql="SELECT count(*) FROM incidents WHERE $found; SELECT $cols FROM incidents WHERE $found ORDER BY $urgency LIMIT 50;"
export YUNWEI_DATA_DIR="$D"
desktop=()
if [ "${DESKTOP:-1}" = 1 ]; then
  desktop=(-n "yunwei incidents (desktop binary)" "$R/yunwei incidents"
           -n "yunwei incident show --json (desktop binary)" "$R/yunwei incident show $number --json")
fi
hyperfine -N --warmup 3 --runs ${RUNS:-30} --export-json target/bench-data/cli-start.json \
  -n "sqlite3: list" "sqlite3 -readonly $db \"$list_sql\"" \
  -n "yunwei-cli incidents" "$R/yunwei-cli incidents" \
  -n "sqlite3: show" "sqlite3 -readonly $db \"$show_sql\"" \
  -n "yunwei-cli incident show --json" "$R/yunwei-cli incident show $number --json" \
  -n "sqlite3: search 数据库服务器" "sqlite3 -readonly $db \"$search_sql\"" \
  -n "yunwei-cli incidents --search 数据库服务器" "$R/yunwei-cli incidents --search 数据库服务器" \
  -n "yunwei-cli incidents --search 数据 (pair index)" "$R/yunwei-cli incidents --search 数据" \
  "${desktop[@]}"
rm -rf "$D"
