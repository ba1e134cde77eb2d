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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::timeline::Status;

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
