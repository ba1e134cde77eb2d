"""Writes N generated incidents with their timelines as one import file (the format of
docs/import-format.md), like core/benches/incidents.rs generates its records: the same file on
every machine. Usage: generate.py N OUT.json"""
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
