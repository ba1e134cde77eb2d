//! `yunwei inspection …`: routine inspections from the command line — machine-collected
//! readings into open runs, and the runs of a day.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use yunwei_core::app::inspection::{self, import_readings};
use yunwei_core::inspection::import::read_rows;
use yunwei_core::store::inspection::RunQuery;
use yunwei_core::store::Store;
use yunwei_core::Lang;

use crate::Failure;

#[derive(Debug, Subcommand)]
pub enum InspectionCommand {
    /// Fill open runs from a CSV or JSON file of readings (plan or asset, time, item, value; see
    /// docs/inspection-import.md). All or nothing: a refused row imports nothing and is named
    /// with its row. The runs stay open for a person to check, submit and sign off
    Import {
        /// The readings file (.csv or .json)
        file: PathBuf,
    },
    /// List the runs due on a day (today by default): due time, plan, assignee, state
    Runs {
        /// The day, e.g. 2026-11-27
        #[arg(long)]
        date: Option<String>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
}

impl InspectionCommand {
    pub fn access(&self) -> yunwei_core::data_dir::Access {
        // Listing brings the runs up to date first, which writes them.
        yunwei_core::data_dir::Access::Change
    }
}

pub fn run(
    command: &InspectionCommand,
    store: &mut Store,
    lang: Lang,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let fail = |e: yunwei_core::Error| Failure::from(e.describe(lang));
    let write =
        |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(|e| Failure::from(e.to_string()));
    let now = yunwei_core::now();
    match command {
        InspectionCommand::Import { file } => {
            let bytes = std::fs::read(file).map_err(|e| fail(yunwei_core::Error::file(file, e)))?;
            let rows = read_rows(&bytes).map_err(fail)?;
            let done = import_readings(store, &rows, lang, now).map_err(fail)?;
            write(
                out,
                match lang {
                    Lang::ZhCn => format!(
                        "已导入 {} 个读数，填入 {} 次巡检；请核对后提交并签核",
                        done.readings, done.runs
                    ),
                    Lang::En => format!(
                        "Imported {} readings into {} runs; check, submit and sign them off",
                        done.readings, done.runs
                    ),
                },
            )
        }
        InspectionCommand::Runs { date, json } => {
            inspection::generate(store, lang, now).map_err(fail)?;
            let day = match date {
                Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                    Failure::from(
                        lang.pick("--date 需要 YYYY-MM-DD 日期", "--date needs a YYYY-MM-DD date").to_owned(),
                    )
                })?,
                None => yunwei_core::zone::service_date(now),
            };
            let runs =
                inspection::runs(store, &RunQuery { from: Some(day), to: Some(day), ..Default::default() })
                    .map_err(fail)?;
            if *json {
                return crate::write_json(out, &runs);
            }
            for r in runs {
                let due = r.due_at.with_timezone(&yunwei_core::zone::SERVICE_TZ).format("%H:%M");
                let state =
                    if r.overdue(now) { lang.pick("已逾期", "overdue") } else { r.state.name(lang) };
                let who = if r.assignee_name.is_empty() { "—" } else { &r.assignee_name };
                let plan = yunwei_core::text::for_terminal(&r.plan_name);
                write(out, format!("{due}\t{plan}\t{who}\t{state}\t{}", r.abnormal))?;
            }
            Ok(())
        }
    }
}
