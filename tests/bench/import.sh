#!/bin/bash
# Importing 100,000 incidents from one file (release yunwei-cli, whole process: time and peak
# memory) against the SQLite floor: the same rows written into the same schema by SQLite alone
# (INSERT … SELECT from the imported file, in one transaction, with the same triggers and
# search indexes). The file is generated like core/benches/incidents.rs generates its records.
# Needs a release build (cargo build --release -p yunwei-cli); installs pysqlite3-binary (a
# current SQLite for the floor; Debian's sqlite3 shell is too old for the pair index) into
# target/bench-venv. Prints the figures; BENCHMARKS.md records them.
set -euo pipefail
cd "$(dirname "$0")/../.."
R=${R:-target/release}
N=${N:-100000}
W=target/bench-data/import
rm -rf "$W"; mkdir -p "$W"
[ -x target/bench-venv/bin/python ] || { python3 -m venv target/bench-venv &&
  target/bench-venv/bin/pip install -q pysqlite3-binary; }
PY=target/bench-venv/bin/python

$PY - "$N" "$W/incidents.json" <<'PYEOF'
import json, sys, datetime as dt
n, out = int(sys.argv[1]), sys.argv[2]
state = 7
def nxt(k):
    global state
    state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
    return (state >> 33) % k
pick = lambda xs: xs[nxt(len(xs))]
SYSTEMS = ["公文流转", "会议管理", "督办系统", "邮件网关", "门户网站", "数据库服务器", "统一认证", "移动办公"]
SYMPTOMS = ["登录后白屏", "提交缓慢", "附件无法下载", "报错 500", "权限异常", "打印失败", "消息推送延迟", "数据同步失败"]
CAUSES = ["内存泄漏", "磁盘空间不足", "网络抖动", "配置错误", "证书过期", "索引缺失"]
PEOPLE = ["张伟", "李强", "王磊", "赵敏", "周婷", "陈刚"]
now = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.timezone.utc)
with open(out, "w", encoding="utf-8") as f:
    f.write('{"incidents": [\n')
    for i in range(n):
        level = ["I", "II", "III", "IV"][nxt(4)]
        reported = now - dt.timedelta(minutes=6 * 24 * 60 + nxt(2 * 365 * 24 * 60))
        at = lambda m: (reported + dt.timedelta(minutes=m)).isoformat()
        actor = pick(PEOPLE)
        ev = lambda m, kind, **kw: dict(kind=kind, occurred_at=at(m), actor=actor, **kw)
        events = [ev(5 + nxt(60), "responded"), ev(70, "assigned", person=pick(PEOPLE)),
                  ev(90, "note", text="初步判断为" + pick(CAUSES))]
        if level == "I":
            events.append(ev(100, "plan_submitted", plan="handling"))
        if i >= 10000:
            if nxt(5) == 0:
                events += [ev(120, "paused", reason="等待客户确认"), ev(240, "resumed")]
            done = 300 + nxt(3000)
            events.append(ev(done, "resolved", summary="处理" + pick(CAUSES) + "问题"))
            events.append(ev(done + 600, "report_submitted", report=dict(
                fault_type="应用故障", cause=pick(CAUSES), method="修复并验证", losses="无")))
            events.append(ev(done + 610, "closed"))
        record = dict(title=pick(SYSTEMS) + pick(SYMPTOMS), level=level,
                      channel=["onsite", "hotline", "email", "inspection", "monitoring"][nxt(5)],
                      reported_at=reported.isoformat(), reporter=pick(PEOPLE),
                      description="用户反映%s%s，影响约 %d 人。" % (pick(SYSTEMS), pick(SYMPTOMS), nxt(300)),
                      system=pick(SYSTEMS), events=events)
        f.write(("," if i else "") + json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    f.write("]}\n")
PYEOF
echo "file: $(du -m "$W/incidents.json" | cut -f1) MB, $N incidents"

# Three imports into new stores; the median's time and memory are reported.
mkdir -p "$W/empty/db"
for i in 1 2 3; do
  rm -rf "$W/ours"; mkdir -p "$W/ours/db"
  /usr/bin/time -f "%e %M" -o "$W/ours.time.$i" env YUNWEI_DATA_DIR="$W/ours" "$R/yunwei-cli" incident import "$W/incidents.json" > "$W/ours.out"
done
read -r secs kib < <(sort -n "$W"/ours.time.* | sed -n 2p)
echo "yunwei-cli incident import: median ${secs} s, ${kib} KiB peak (runs: $(cut -d' ' -f1 "$W"/ours.time.* | tr '\n' ' ')s) — prints $(wc -c < "$W/ours.out") bytes: $(cat "$W/ours.out")"
db="$W/ours/db/yunwei.db"
echo "store: $(stat -c %s "$db") bytes, $(( $(stat -c %s "$db") / N )) bytes per incident"

# The floor: a new file of the same schema (made by yunwei-cli), filled from the imported one.
YUNWEI_DATA_DIR="$W/empty" "$R/yunwei-cli" incidents > /dev/null
$PY - "$db" "$W/empty/db/yunwei.db" <<'PYEOF'
import sys, time, shutil
import pysqlite3 as sqlite3
src, empty = sys.argv[1], sys.argv[2]
# The pair index keeps no text: its rows are read back from its vocabulary first (untimed).
prep = sqlite3.connect(src)
prep.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, incident_pairs, instance)")
pairs = prep.execute("SELECT doc, group_concat(term, ' ') FROM temp.v GROUP BY doc").fetchall()
prep.close()
runs = []
for _ in range(3):
    dst = empty + ".floor.db"
    shutil.copy(empty, dst)
    c = sqlite3.connect(dst, isolation_level=None)
    c.execute("ATTACH ? AS src", (src,))
    c.execute("CREATE TEMP TABLE pairs (rowid INTEGER PRIMARY KEY, pairs TEXT)")
    c.executemany("INSERT INTO temp.pairs VALUES (?, ?)", pairs)
    t = time.perf_counter()
    c.execute("BEGIN")
    for table in ["incidents", "incident_events", "incident_text", "milestone_facts", "imports", "number_sequences"]:
        cols = ", ".join(r[1] for r in c.execute(f"PRAGMA main.table_info({table})"))
        if table == "number_sequences":
            c.execute("DELETE FROM main.number_sequences")
        c.execute(f"INSERT INTO main.{table} ({cols}) SELECT {cols} FROM src.{table}")
    c.execute("INSERT INTO main.incident_pairs (rowid, pairs) SELECT rowid, pairs FROM temp.pairs")
    c.execute("COMMIT")
    runs.append(time.perf_counter() - t)
    c.close()
runs.sort()
print("SQLite floor (same rows, same schema, one transaction): median %.2f s of %s" % (runs[1], ", ".join("%.2f" % r for r in runs)))
PYEOF
