#!/bin/bash
# Signed report exports on a fresh sample sandbox: SINGLES exports one command each (each
# unlocks the key) vs one batch of BATCH (the key unlocked once), in the same run. B= names the
# binary (default the release yunwei-cli; the debug build: B=target/debug/yunwei-cli).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-target/release/yunwei-cli}
SINGLES=${SINGLES:-5}
BATCH=${BATCH:-100}
D=$(mktemp -d)
$B sample-data --data-dir "$D" >/dev/null
D="$D/sample"
nums=$($B incidents --json --limit 500 --data-dir "$D" | python3 -c "import json,sys; print(' '.join([i['number'] for i in json.load(sys.stdin) if i['status'] == 'closed']))")
export YUNWEI_KEY_PASSPHRASE=benchpassphrase
set -- $nums
[ $# -gt $((SINGLES + BATCH)) ] || { echo "the sandbox has only $# resolved incidents"; exit 1; }
s=$(date +%s.%N)
$B export-report --incident "$1" --out "$(mktemp -d)/first.pdf" --data-dir "$D" >/dev/null   # sets up the CA and key
e=$(date +%s.%N); first=$(echo "$e - $s" | bc)
shift
out=$(mktemp -d)
s=$(date +%s.%N)
for n in "${@:1:SINGLES}"; do $B export-report --incident "$n" --out "$out/$n.pdf" --data-dir "$D" >/dev/null; done
e=$(date +%s.%N); singles=$(echo "($e - $s) / $SINGLES" | bc -l)
args=(); for n in "${@:SINGLES+1:BATCH}"; do args+=(--incident "$n"); done
s=$(date +%s.%N)
$B export-report "${args[@]}" --out "$out" --data-dir "$D" >/dev/null
e=$(date +%s.%N); batch=$(echo "$e - $s" | bc)
printf 'first export (CA + key): %.2f s\n' "$first"
printf 'one by one: %.3f s per report (%d reports)\n' "$singles" "$SINGLES"
printf 'one batch of %d: %.2f s, %.1f ms per report\n' "$BATCH" "$batch" "$(echo "$batch * 1000 / $BATCH" | bc -l)"
echo "files: $(ls "$out" | wc -l); pages of the first: $(pdfinfo "$(ls -d "$out"/*.pdf | head -1)" | awk '/^Pages/ {print $2}')"
