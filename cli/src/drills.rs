//! `yunwei drills`: the emergency drills of a year, and the backups' restore drills that count
//! for the data-recovery plan.

use std::io::Write;

use chrono::Datelike;
use yunwei_core::app::drills;
use yunwei_core::contingency::DATA_RECOVERY;
use yunwei_core::store::Store;
use yunwei_core::text::for_terminal;
use yunwei_core::zone::service_date;
use yunwei_core::Lang;

use crate::Failure;

pub fn list(
    store: &Store,
    year: Option<i32>,
    json: bool,
    lang: Lang,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let fail = |e: yunwei_core::Error| Failure::from(e.describe(lang));
    let now = yunwei_core::now();
    let year = year.unwrap_or_else(|| service_date(now).year());
    let listed = drills::year(store, year, lang, now).map_err(fail)?;
    if json {
        return crate::write_json(out, &listed);
    }
    let write = |out: &mut dyn Write, line: String| {
        writeln!(out, "{line}").map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Failure { message: String::new(), code: 0 },
            _ => Failure::from(yunwei_core::Error::from(e).message(lang)),
        })
    };
    for row in &listed.drills {
        let d = &row.drill;
        let state = if d.held { lang.pick("已实施", "held") } else { lang.pick("计划中", "planned") };
        let findings = match lang {
            Lang::ZhCn => format!("整改 {}/{} 未关闭", row.open_actions, row.actions),
            Lang::En => format!("{}/{} actions open", row.open_actions, row.actions),
        };
        let plan = for_terminal(&row.plan_title);
        write(out, format!("{}\t{}\t{plan}\t{}\t{state}\t{findings}", d.number, d.date, d.kind.label(lang)))?;
    }
    if !listed.restores.is_empty() {
        let plan = store.contingency_plan(DATA_RECOVERY, lang).map_err(fail)?.title(lang);
        for r in &listed.restores {
            let result = if r.ok { lang.pick("通过", "passed") } else { lang.pick("未通过", "failed") };
            let what = match lang {
                Lang::ZhCn => format!("备份恢复演练 {}", r.point),
                Lang::En => format!("Restore drill {}", r.point),
            };
            write(
                out,
                format!(
                    "{what}\t{}\t{}\t{}\t{result}",
                    service_date(r.at),
                    for_terminal(&plan),
                    yunwei_core::drill::DrillKind::HandsOn.label(lang)
                ),
            )?;
        }
    }
    if listed.drills.is_empty() && listed.restores.is_empty() {
        let none = match lang {
            Lang::ZhCn => format!("{year} 年没有演练"),
            Lang::En => format!("No drill in {year}"),
        };
        write(out, none)?;
    }
    Ok(())
}
