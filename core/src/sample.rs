//! Realistic sample incidents with their timelines, so a newcomer sees a live app — every
//! status, level and milestone state — before entering real data.

use chrono::{DateTime, Duration, Utc};

use crate::incident::{ImportEvent, ImportFile, ImportRecord, NewIncident};
use crate::timeline::{NewEvent, ReportFields};

/// A handful of incidents as an OA service team meets them, reported in the last few days
/// before `now`, each with what has happened to it since.
pub fn sample_incidents(now: DateTime<Utc>) -> ImportFile {
    let minutes_ago = |m: i64| (now - Duration::minutes(m)).to_rfc3339();
    let record = |ago: i64,
                  level: &str,
                  channel: &str,
                  title: &str,
                  system: &str,
                  reporter: &str,
                  description: &str,
                  events: Vec<ImportEvent>| {
        ImportRecord {
            external_id: None,
            incident: NewIncident {
                title: title.into(),
                level: level.into(),
                channel: channel.into(),
                reported_at: minutes_ago(ago),
                reporter: reporter.into(),
                description: description.into(),
                system: system.into(),
            },
            events,
        }
    };
    // `at` minutes ago, done by `actor`; `fill` sets the fields the kind needs.
    let event = |ago: i64, kind: &str, actor: &str, fill: fn(&mut NewEvent)| {
        let mut e = NewEvent { kind: kind.into(), occurred_at: minutes_ago(ago), ..Default::default() };
        fill(&mut e);
        ImportEvent { event: e, actor: Some(actor.into()) }
    };
    let nothing = |_: &mut NewEvent| {};
    let day = 24 * 60;
    ImportFile {
        incidents: vec![
            record(
                4 * day + 200,
                "IV",
                "email",
                "新入职人员需要开通 OA 账号及公文权限",
                "OA 账号与权限",
                "人事处 刘洋",
                "人事处来函：3 名新入职人员需开通 OA 账号，并分配收文、发文权限。",
                vec![
                    event(4 * day + 170, "responded", "客服 周婷", nothing),
                    event(4 * day + 165, "assigned", "客服 周婷", |e| e.person = "李强".into()),
                    event(4 * day + 20, "resolved", "李强", |e| {
                        e.summary = "已开通 3 个账号并按处室分配收发文权限".into()
                    }),
                    event(3 * day + 900, "report_submitted", "李强", |e| {
                        e.report = ReportFields {
                            fault_type: "服务请求（账号开通）".into(),
                            cause: "新员工入职".into(),
                            method: "创建账号，配置角色与公文权限，电话确认可登录".into(),
                            losses: "无".into(),
                            data_protection: "不涉及数据变更".into(),
                            follow_up: "入职流程中加入账号申请单".into(),
                            fault_type_code: "REQ".into(),
                            cause_code: "OPS-USER".into(),
                        }
                    }),
                    event(3 * day + 890, "closed", "项目经理 张伟", nothing),
                ],
            ),
            record(
                2 * day + 75,
                "III",
                "inspection",
                "巡检发现数据库服务器磁盘剩余空间低于 15%",
                "数据库服务器 DB01",
                "质量管理部 赵敏",
                "日常巡检：DB01 数据盘剩余 14.2%，近一周日志表增长较快，业务暂不受影响。",
                vec![
                    event(2 * day + 60, "responded", "赵敏", nothing),
                    event(2 * day + 58, "assigned", "赵敏", |e| e.person = "王磊".into()),
                    event(2 * day - 60, "workaround", "王磊", |e| {
                        e.summary = "清理归档日志，剩余空间恢复到 32%".into()
                    }),
                    event(day + 600, "resolved", "王磊", |e| {
                        e.summary = "新增日志表按月分区并设置 90 天自动清理".into()
                    }),
                ],
            ),
            record(
                26 * 60,
                "II",
                "hotline",
                "公文流转在“领导审批”环节提交缓慢",
                "公文流转",
                "办公室 王芳",
                "多名用户反映提交审批后需等待 1 分钟以上才有响应，业务仍可进行。",
                vec![
                    event(26 * 60 - 25, "responded", "客服 周婷", nothing),
                    event(26 * 60 - 30, "assigned", "客服 周婷", |e| e.person = "张伟".into()),
                    event(23 * 60, "note", "张伟", |e| {
                        e.text = "定位到审批流程引擎查询缺少索引，已联系软件厂商".into()
                    }),
                    event(22 * 60, "paused", "张伟", |e| {
                        e.reason = "等待软件厂商提供补丁（客户同意暂停计时）".into()
                    }),
                ],
            ),
            record(
                5 * 60 + 20,
                "III",
                "monitoring",
                "邮件网关间歇性告警：队列积压",
                "邮件网关",
                "监控平台",
                "监控平台 14:05 起多次告警，外发邮件队列超过 200 封，随后自动恢复。",
                vec![
                    event(5 * 60 - 20, "responded", "王磊", nothing),
                    event(5 * 60 - 25, "assigned", "王磊", |e| e.person = "王磊".into()),
                    event(3 * 60, "note", "王磊", |e| {
                        e.text = "外部 DNS 解析超时导致投递重试，已切换备用 DNS 观察".into()
                    }),
                ],
            ),
            record(
                95,
                "I",
                "onsite",
                "OA 系统登录后白屏，全单位无法办公",
                "OA 门户与统一认证",
                "信息中心 陈刚",
                "上午 9 点起所有用户登录后页面空白，公文、会议、督办均无法使用，疑似应用服务器宕机。",
                vec![
                    event(85, "responded", "驻场 李强", nothing),
                    event(84, "assigned", "驻场 李强", |e| e.person = "李强".into()),
                    event(80, "on_site_requested", "张伟", nothing),
                    event(40, "engineer_on_site", "李强", nothing),
                    event(30, "note", "李强", |e| {
                        e.text = "应用服务器内存耗尽，正在收集转储并准备重启".into()
                    }),
                ],
            ),
            record(
                20,
                "IV",
                "hotline",
                "如何在移动端查看会议通知",
                "移动办公",
                "财务处 孙丽",
                "用户咨询手机上查看会议通知的方法，电话指导中。",
                vec![],
            ),
        ],
    }
}

/// What the team meets month after month: (system, title, cause, method, fault-type and cause
/// category codes) of routine faults.
const ROUTINE: [(&str, &str, &str, &str, &str, &str); 10] = [
    (
        "OA 账号与权限",
        "用户无法登录 OA，提示密码错误",
        "密码过期未修改",
        "重置密码并指导修改",
        "ACCT",
        "OPS-PASS",
    ),
    ("公文流转", "公文流转卡在会签环节", "流程配置错误", "修正流程节点配置", "APP", "SW-CFG"),
    ("邮件网关", "外发邮件被退回", "对方邮件服务器拒收", "调整发信策略并联系对方", "APP", "EXT-VENDOR"),
    (
        "数据库服务器 DB01",
        "数据库响应缓慢，页面加载超时",
        "索引缺失导致全表扫描",
        "补建索引并优化查询",
        "DB",
        "CAP-PERF",
    ),
    ("移动办公", "移动端无法接收待办推送", "推送证书过期", "更新推送证书", "APP", "SW-EXPIRED"),
    ("打印与扫描", "公文打印格式错乱", "打印模板与新版字体不兼容", "更新打印模板", "TERM", "SW-COMPAT"),
    (
        "OA 门户与统一认证",
        "门户首页部分栏目空白",
        "应用服务器内存不足",
        "重启服务并调整内存参数",
        "APP",
        "CAP-RES",
    ),
    ("会议管理", "会议室预订冲突未提示", "软件缺陷", "安装厂商补丁", "APP", "SW-BUG"),
    ("网络与终端", "处室网络时断时续", "交换机端口故障", "更换端口并整理线缆", "NET", "HW-FAIL"),
    ("档案管理", "归档检索结果不完整", "全文索引未及时更新", "重建全文索引并设定时任务", "APP", "SW-CFG"),
];

/// Written before the category lists, as a team's old records read: the same kind of fault
/// spelt several ways, for the mapping screen to place.
const OLD_SPELLINGS: [&str; 3] = ["数据库故障", "数据库 故障", "网络中断"];

/// Who reports: the client's people and the monitoring platform.
const REPORTERS: [&str; 6] =
    ["办公室 王芳", "财务处 孙丽", "人事处 刘洋", "信息中心 陈刚", "档案室 周敏", "监控平台"];

/// Months of closed incidents before the recent ones of [`sample_incidents`], so the period
/// figures, quality charts and monthly reports have something to say: about `per_week` a week
/// for `weeks` weeks before `now`, each responded, assigned, resolved, reported and closed —
/// most on time, some late (a slow response, a long repair), as a real team's record reads.
pub fn sample_history(now: DateTime<Utc>, weeks: i64, per_week: u64) -> ImportFile {
    let mut rng = crate::quality::SplitMix64(2026);
    let mut incidents = Vec::new();
    for week in (1..=weeks).rev() {
        let count = per_week / 2 + rng.below(per_week + 1);
        for _ in 0..count {
            // Working hours of some day of that week, at least a day before `now`.
            let reported = now - Duration::weeks(week) + Duration::minutes(rng.below(5 * 24 * 60) as i64);
            if reported > now - Duration::days(6) {
                continue;
            }
            let level = match rng.below(100) {
                0..=2 => "I",
                3..=14 => "II",
                15..=59 => "III",
                _ => "IV",
            };
            let (system, title, cause, method, fault_code, cause_code) =
                ROUTINE[rng.below(ROUTINE.len() as u64) as usize];
            // One in four reports predates the category lists: text only.
            let old = incidents.len() % 4 == 3;
            let channel = ["hotline", "email", "onsite", "monitoring", "inspection"][rng.below(5) as usize];
            let reporter =
                if channel == "monitoring" { "监控平台" } else { REPORTERS[rng.below(5) as usize] };
            let engineer = ["李强", "王磊", "张伟"][rng.below(3) as usize];
            // One in eight answered late; one in six repaired slowly.
            let respond = if rng.below(8) == 0 { 35 + rng.below(60) } else { 3 + rng.below(25) } as i64;
            let repair_hours = match level {
                "I" => 1 + rng.below(4),
                "II" => 2 + rng.below(8),
                _ => 3 + rng.below(20),
            } as i64;
            let repair = if rng.below(6) == 0 { repair_hours * 3 } else { repair_hours };
            let at = |minutes: i64| (reported + Duration::minutes(minutes)).to_rfc3339();
            let event = |minutes: i64, kind: &str, actor: &str| ImportEvent {
                event: NewEvent { kind: kind.into(), occurred_at: at(minutes), ..Default::default() },
                actor: Some(actor.into()),
            };
            let mut events = vec![event(respond, "responded", "客服 周婷")];
            let mut assigned = event(respond + 2, "assigned", "客服 周婷");
            assigned.event.person = engineer.into();
            events.push(assigned);
            if matches!(level, "I" | "II") {
                let mut plan = event(respond + 30 + rng.below(60) as i64, "plan_submitted", engineer);
                plan.event.text = format!("排查方向：{method}；处理期间每 2 小时向客户通报进展");
                events.push(plan);
            }
            let resolved_at = respond + 120 + repair * 60;
            let mut resolved = event(resolved_at, "resolved", engineer);
            resolved.event.summary = method.into();
            events.push(resolved);
            let reported_after = resolved_at + 60 + rng.below(20 * 60) as i64;
            let mut report = event(reported_after, "report_submitted", engineer);
            report.event.report = ReportFields {
                fault_type: if old { OLD_SPELLINGS[incidents.len() % 3].into() } else { system.into() },
                fault_type_code: if old { String::new() } else { fault_code.into() },
                cause_code: if old { String::new() } else { cause_code.into() },
                cause: cause.into(),
                method: method.into(),
                losses: "部分用户短时无法办公".into(),
                data_protection: "不涉及数据变更".into(),
                follow_up: "纳入巡检项目持续观察".into(),
            };
            events.push(report);
            events.push(event(reported_after + 60 + rng.below(24 * 60) as i64, "closed", "项目经理 张伟"));
            incidents.push(ImportRecord {
                external_id: None,
                incident: NewIncident {
                    title: title.into(),
                    level: level.into(),
                    channel: channel.into(),
                    reported_at: reported.to_rfc3339(),
                    reporter: reporter.into(),
                    description: format!("{reporter}报告：{title}。"),
                    system: system.into(),
                },
                events,
            });
        }
    }
    incidents.sort_by(|a, b| a.incident.reported_at.cmp(&b.incident.reported_at));
    ImportFile { incidents }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::timeline::Status;

    #[test]
    fn the_history_imports_closed_and_spreads_over_its_weeks() {
        let now = crate::now();
        let file = sample_history(now, 16, 6);
        assert!(file.incidents.len() > 50, "{} incidents", file.incidents.len());
        let mut store = Store::open_in_memory(now).unwrap();
        store.import_incidents(&file, None, now).expect("every record follows the rules");
        let counts = store.incident_counts(now).unwrap();
        assert_eq!(counts.by_status.closed as usize, file.incidents.len());
        let first = &file.incidents[0].incident.reported_at;
        assert!(
            first.as_str() < (now - Duration::weeks(14)).to_rfc3339().as_str(),
            "starts months back: {first}"
        );
    }

    #[test]
    fn the_samples_import_and_cover_every_level_and_many_statuses() {
        let now = crate::now();
        let file = sample_incidents(now);
        for level in crate::incident::Level::ALL.map(|l| l.code()) {
            assert!(file.incidents.iter().any(|s| s.incident.level == level), "a sample of level {level}");
        }
        let mut store = Store::open_in_memory(now).unwrap();
        store.import_incidents(&file, None, now).expect("every sample follows the rules");
        let statuses: Vec<Status> =
            store.list_incidents(&Default::default(), now).unwrap().items.iter().map(|i| i.status).collect();
        for status in Status::ALL {
            assert!(statuses.contains(&status), "a sample in status {status:?}: {statuses:?}");
        }
    }
}
