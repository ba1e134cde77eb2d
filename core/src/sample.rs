//! Realistic sample incidents, so a newcomer sees a live app before entering real data.

use chrono::{DateTime, Duration, Utc};

use crate::incident::NewIncident;

/// A handful of incidents as an OA service team meets them, reported in the last few days
/// before `now`.
pub fn sample_incidents(now: DateTime<Utc>) -> Vec<NewIncident> {
    let item =
        |minutes_ago: i64, level: &str, channel: &str, title: &str, reporter: &str, description: &str| {
            NewIncident {
                title: title.into(),
                level: level.into(),
                channel: channel.into(),
                reported_at: (now - Duration::minutes(minutes_ago)).to_rfc3339(),
                reporter: reporter.into(),
                description: description.into(),
            }
        };
    vec![
        item(
            4 * 24 * 60 + 200,
            "IV",
            "email",
            "新入职人员需要开通 OA 账号及公文权限",
            "人事处 刘洋",
            "人事处来函：3 名新入职人员需开通 OA 账号，并分配收文、发文权限。",
        ),
        item(
            2 * 24 * 60 + 75,
            "III",
            "inspection",
            "巡检发现数据库服务器磁盘剩余空间低于 15%",
            "质量管理部 赵敏",
            "日常巡检：DB01 数据盘剩余 14.2%，近一周日志表增长较快，业务暂不受影响。",
        ),
        item(
            26 * 60,
            "II",
            "hotline",
            "公文流转在“领导审批”环节提交缓慢",
            "办公室 王芳",
            "多名用户反映提交审批后需等待 1 分钟以上才有响应，业务仍可进行。",
        ),
        item(
            5 * 60 + 20,
            "III",
            "monitoring",
            "邮件网关间歇性告警：队列积压",
            "监控平台",
            "监控平台 14:05 起多次告警，外发邮件队列超过 200 封，随后自动恢复。",
        ),
        item(
            95,
            "I",
            "onsite",
            "OA 系统登录后白屏，全单位无法办公",
            "信息中心 陈刚",
            "上午 9 点起所有用户登录后页面空白，公文、会议、督办均无法使用，疑似应用服务器宕机。",
        ),
        item(
            20,
            "IV",
            "hotline",
            "如何在移动端查看会议通知",
            "财务处 孙丽",
            "用户咨询手机上查看会议通知的方法，电话指导中。",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_passes_the_rules_and_covers_every_level() {
        let now = crate::now();
        let samples = sample_incidents(now);
        for s in &samples {
            assert!(s.validate(now).is_ok(), "sample {:?} must be valid", s.title);
        }
        for level in ["I", "II", "III", "IV"] {
            assert!(samples.iter().any(|s| s.level == level), "a sample of level {level}");
        }
    }
}
