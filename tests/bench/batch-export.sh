#!/bin/bash
# Ten signed report exports one by one vs one batch of ten, in the same run, on a fresh sample
# sandbox. B= names the binary (default: the debug build; a release build: B=target/release/yunwei).
set -e
B=${B:-target/debug/yunwei}
D=$(mktemp -d)
$B sample-data --data-dir "$D" >/dev/null
D="$D/sample"
nums=$($B incidents --json --limit 500 --data-dir "$D" | python3 -c "import json,sys; print(' '.join([i['number'] for i in json.load(sys.stdin) if i['status']=='closed'][:21]))")
export YUNWEI_KEY_PASSPHRASE=benchpassphrase
set -- $nums
$B export-report --incident "$1" --out "$(mktemp -d)/first.pdf" --data-dir "$D" >/dev/null   # sets up the CA and key
shift
out=$(mktemp -d)
s=$(date +%s.%N)
for n in "${@:1:10}"; do $B export-report --incident "$n" --out "$out/$n.pdf" --data-dir "$D" >/dev/null; done
e=$(date +%s.%N); singles=$(echo "$e - $s" | bc)
args=(); for n in "${@:11:10}"; do args+=(--incident "$n"); done
s=$(date +%s.%N)
$B export-report "${args[@]}" --out "$out" --data-dir "$D" >/dev/null
e=$(date +%s.%N); batch=$(echo "$e - $s" | bc)
echo "10 exports one by one: ${singles} s; one batch of 10: ${batch} s; files: $(ls "$out" | wc -l)"
