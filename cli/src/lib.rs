//! The headless commands: `yunwei-cli --help`, `yunwei-cli sample-data`, … They call the same core
//! functions as the window's commands and never open a window. Two binaries answer them: the
//! desktop app `yunwei` (which opens its window when given none) and `yunwei-cli`, which links
//! none of the desktop's libraries and so starts in a millisecond instead of ~60 (WebKitGTK and
//! ~170 shared libraries load before `main`).

pub mod audit;
pub mod backup;
pub mod drills;
pub mod inspection;
pub mod server;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use yunwei_core::app::{documents, signing};
use yunwei_core::data_dir::Access;
use yunwei_core::i18n::SERVICE_TZ;
use yunwei_core::incident::IncidentQuery;
use yunwei_core::quality::monthly::MajorList;
use yunwei_core::settings::parse_language;
use yunwei_core::signing::{NewSigningIdentity, SignedDocument, Signer, Verdict};
use yunwei_core::store::{IdentityRole, Store};
use yunwei_core::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "yunwei",
    version,
    about = "运维台 Yunwei: incidents, people and training for an OA service team.",
    long_about = "运维台 Yunwei: incidents, people and training for an OA service team.\n\n\
                  Without a command it opens the desktop window; with one it works headless."
)]
pub struct Cli {
    /// The data directory [default: $YUNWEI_DATA_DIR, else the OS app-data directory]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create (or find) the sample sandbox: a data folder of its own, `sample/` inside this one,
    /// filled with people, a rota, training and months of incidents; read it with --data-dir
    SampleData,
    /// List the incidents, newest first
    Incidents {
        /// Only incidents whose title, description or notes contain these words
        #[arg(long, default_value = "")]
        search: String,
        /// At most this many (at most 500)
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Work with one incident
    #[command(subcommand)]
    Incident(IncidentCommand),
    /// Sign and write the incident report (故障处理报告) of a resolved incident as PDF. An
    /// unchanged incident gets its stored signed revision; otherwise the next revision is
    /// signed with the passphrase from $YUNWEI_KEY_PASSPHRASE or a prompt. On first use a
    /// company CA and a signing certificate are created with that passphrase.
    ExportReport {
        /// The incident number, e.g. INC-2026-0001; repeat it to export several reports with
        /// the key unlocked once
        #[arg(long, required_unless_present = "month")]
        incident: Vec<String>,
        /// Every resolved or closed incident reported in this month (2026-11), into a folder
        #[arg(long)]
        month: Option<String>,
        /// Where to write the PDF; with several incidents, an existing folder (each report is
        /// written there as RPT-2026-0001-r1.pdf)
        #[arg(long)]
        out: PathBuf,
        /// zh-CN (default) or en
        #[arg(long, default_value = "zh-CN")]
        lang: String,
    },
    /// Sign and write a training plan (培训计划) as PDF: the plan table, the session schedule,
    /// progress and a sign-off block. Every export signs the next revision (passphrase and
    /// first use as for export-report)
    ExportPlan {
        /// The plan's number (TP-2026-01) or id
        #[arg(long)]
        plan: String,
        /// Where to write the PDF
        #[arg(long)]
        out: PathBuf,
        /// zh-CN (default) or en
        #[arg(long, default_value = "zh-CN")]
        lang: String,
    },
    /// Sign and write the monthly service report (运维月报) as PDF: KPIs, SLA compliance, the
    /// Pareto and control charts, level I/II incidents, training, open risks. Every export
    /// signs the next revision (passphrase and first use as for export-report)
    ExportMonthly {
        /// The month, e.g. 2026-10
        #[arg(long)]
        month: String,
        /// Where to write the PDF
        #[arg(long)]
        out: PathBuf,
        /// zh-CN (default) or en
        #[arg(long, default_value = "zh-CN")]
        lang: String,
        /// Add an appendix listing every level I and II incident of the month (the body names
        /// the first 15 and counts the rest)
        #[arg(long)]
        full_list: bool,
    },
    /// Sign and write the monthly inspection report (巡检月报) as PDF: inspections planned, done and
    /// on time, abnormal items and the incidents they became, missed runs, the client backup
    /// compliance and the key readings' trends. Every export signs the next revision
    /// (passphrase and first use as for export-report)
    ExportInspection {
        /// The month, e.g. 2026-11
        #[arg(long)]
        month: String,
        /// Where to write the PDF
        #[arg(long)]
        out: PathBuf,
        /// zh-CN (default) or en
        #[arg(long, default_value = "zh-CN")]
        lang: String,
    },
    /// List the emergency drills (演练) of a year: number, date, plan exercised, form, held or
    /// planned, findings still open; then the backups' restore drills, which count as drills of
    /// the data-recovery plan
    Drills {
        /// The year, e.g. 2026 [default: this year]
        #[arg(long)]
        year: Option<i32>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Sign and write a drill report (演练报告) as PDF: the drill, participants, log, recovery
    /// time against its target, findings and their corrective actions, evaluation. Every export
    /// signs the next revision (passphrase and first use as for export-report)
    ExportDrill {
        /// The drill's number, e.g. DR-2026-01
        #[arg(long)]
        drill: String,
        /// Where to write the PDF
        #[arg(long)]
        out: PathBuf,
        /// zh-CN (default) or en
        #[arg(long, default_value = "zh-CN")]
        lang: String,
    },
    /// Write the sign-in sheet (签到表) of a training session as PDF, a page per day
    ExportSignin {
        /// The session's id
        #[arg(long)]
        session: String,
        /// Where to write the PDF
        #[arg(long)]
        out: PathBuf,
        /// zh-CN (default) or en
        #[arg(long, default_value = "zh-CN")]
        lang: String,
    },
    /// Check every digital signature of a PDF: exit 0 when valid and signed by a trusted CA
    /// (this company's, or one imported as trusted), 1 when damaged, changed after signing or
    /// unsigned, 2 when intact but the issuer is not trusted; the reason comes first
    Verify {
        /// The PDF to check
        file: PathBuf,
    },
    /// Write the company CA certificate (PEM) that recipients install to trust the signatures
    CaCert {
        /// Where to write it, e.g. yunwei-ca.pem
        #[arg(long)]
        out: PathBuf,
    },
    /// Backups (数据备份): encrypted points of the database and the signed archive, drills,
    /// restore
    #[command(subcommand)]
    Backup(backup::BackupCommand),
    /// The audit trail (变更记录): every change to people, rota, training, settings, policy,
    /// keys and restores, chained by hashes
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Routine inspections (巡检): import machine-collected readings, list a day's runs
    #[command(subcommand)]
    Inspection(inspection::InspectionCommand),
    /// The team server (团队服务器, PostgreSQL): set it up, see what it holds
    #[command(subcommand)]
    Server(server::ServerCommand),
    /// Sync this copy with its team server once: send the events recorded here, receive the
    /// others', and say what moved (exit 0), or why it could not (exit 1). The first run with
    /// --url joins the team; the URL is kept without its password
    Sync {
        /// postgresql://user:password@host:port/database [default: the joined server, with the
        /// password from $YUNWEI_SERVER_PASSWORD]
        #[arg(long)]
        url: Option<String>,
        /// The team CA certificate (PEM) [default: $YUNWEI_SERVER_CA]
        #[arg(long, value_name = "FILE")]
        ca: Option<PathBuf>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Show an incident with every SLA milestone as the engine computes it
    Show {
        /// The incident number, e.g. INC-2026-0001
        number: String,
        /// Compute the figures at this instant (RFC 3339) instead of now
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Import incidents with their timelines from a JSON file (docs/import-format.md); all or nothing
    Import { file: PathBuf },
}

impl Command {
    /// What the command does to the data folder: a command that changes data is refused while
    /// the app runs; one that only reads works beside it, read-only.
    fn access(&self) -> Access {
        match self {
            Command::SampleData
            | Command::Incident(IncidentCommand::Import { .. })
            | Command::ExportReport { .. }
            | Command::ExportPlan { .. }
            | Command::ExportMonthly { .. }
            | Command::ExportInspection { .. }
            | Command::ExportDrill { .. }
            | Command::Sync { .. } => Access::Change,
            Command::Incidents { .. }
            | Command::Incident(IncidentCommand::Show { .. })
            | Command::ExportSignin { .. }
            | Command::Drills { .. }
            | Command::Verify { .. }
            | Command::CaCert { .. } => Access::Read,
            Command::Backup(command) => command.access(),
            Command::Audit(_) => Access::Read,
            Command::Inspection(command) => command.access(),
            // Only the language is read here; the server is elsewhere.
            Command::Server(_) => Access::Read,
        }
    }
}

/// A command that did not succeed: what to tell the person (already in their language; nothing
/// when the reader of the output went away) and the exit code (1, or 2 for `verify` on an
/// intact signature whose issuer is not trusted; 0 when the reader went away).
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

/// The desktop binary's arguments: without a command it opens the window.
pub fn args() -> Cli {
    Cli::parse()
}

/// `yunwei-cli`'s arguments: the same commands, one of them required.
pub fn headless_args() -> Cli {
    let command = Cli::command()
        .name("yunwei-cli")
        .bin_name("yunwei-cli")
        .about("运维台 Yunwei on the command line: incidents, reports and sample data, headless.")
        .long_about(None)
        .subcommand_required(true)
        .arg_required_else_help(true);
    Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit())
}

/// Says a failure as `yunwei: …` on standard error and gives the process's exit code.
pub fn exit_code(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("yunwei: {}", failure.message);
            }
            ExitCode::from(failure.code)
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure { message, code: 1 }
    }
}

/// `yunwei sample-data`: opens (filling when new) the sandbox beside the real record, which it
/// never touches, and says where it is.
fn sample_data(data_dir: Option<&Path>, out: &mut impl Write) -> Result<(), Failure> {
    let lang = Lang::default();
    let now = yunwei_core::now();
    let store = yunwei_core::app::sample::open_sandbox(data_dir, Access::Change, lang, now)
        .map_err(|e| e.describe(lang))?;
    let n = store
        .list_incidents(&IncidentQuery { limit: 1, ..Default::default() }, now)
        .map_err(|e| e.describe(lang))?
        .total;
    let root = store.path().and_then(|p| p.parent()).and_then(Path::parent).map(|p| p.display().to_string());
    let root = root.unwrap_or_default();
    let line = match lang {
        Lang::ZhCn => format!("示例数据沙盒（{n} 条示例故障，与真实记录分开）：{root}\n查看：yunwei --data-dir {root} incidents"),
        Lang::En => format!("Sample sandbox ({n} sample incidents, apart from the real record): {root}\nRead it: yunwei --data-dir {root} incidents"),
    };
    writeln!(out, "{line}").map_err(|e| Failure::from(yunwei_core::Error::from(e).message(lang)))
}

/// Signs the next revision of a document with `sign`, writes it to `path` and says so:
/// `yunwei export-plan`, `export-monthly`, `export-inspection` and `export-drill`. The stored
/// revision is read back by `key` (the plan's or drill's id), or by its number (a month's).
fn export_signed(
    store: &mut Store,
    (path, report_lang, key): (&Path, Lang, Option<&str>),
    lang: Lang,
    out: &mut impl Write,
    (document, zh, en): (SignedDocument, &str, &str),
    sign: impl FnOnce(&mut Store, &Signer) -> yunwei_core::Result<yunwei_core::signing::StoredRevision>,
) -> Result<(), Failure> {
    let fail = |e: yunwei_core::Error| Failure::from(e.describe(lang));
    let destination = Destination::open(path, lang)?;
    let signer = unlock_or_create_signer(store, lang, report_lang, out)?;
    let info = sign(store, &signer).map_err(fail)?;
    let key = key.unwrap_or(&info.report_number);
    let (_, pdf) = store.revision_pdf(document, key, info.revision).map_err(fail)?;
    destination.write(&pdf, lang)?;
    let line = match lang {
        Lang::ZhCn => format!(
            "已导出签名的{zh} {} 第 {} 版（{} 字节）：{}",
            info.report_number,
            info.revision,
            pdf.len(),
            path.display()
        ),
        Lang::En => format!(
            "Signed {en} {} revision {} written ({} bytes): {}",
            info.report_number,
            info.revision,
            pdf.len(),
            path.display()
        ),
    };
    writeln!(out, "{line}").map_err(|e| match e.kind() {
        std::io::ErrorKind::BrokenPipe => Failure { message: String::new(), code: 0 },
        _ => Failure::from(yunwei_core::Error::from(e).message(lang)),
    })
}

/// `export_signed` for a month's document: `yunwei export-monthly` and `export-inspection`.
fn export_month(
    store: &mut Store,
    (month, path, report_lang): (&str, &Path, &str),
    lang: Lang,
    out: &mut impl Write,
    what: (SignedDocument, &str, &str),
    sign: impl FnOnce(
        &mut Store,
        chrono::NaiveDate,
        Lang,
        &Signer,
    ) -> yunwei_core::Result<yunwei_core::signing::StoredRevision>,
) -> Result<(), Failure> {
    let fail = |e: yunwei_core::Error| Failure::from(e.describe(lang));
    let report_lang = parse_language(report_lang).map_err(fail)?;
    let first = parse_month(month, lang)?;
    export_signed(store, (path, report_lang, None), lang, out, what, |store, signer| {
        sign(store, first, report_lang, signer)
    })
}

/// Runs `command` and writes what a person should read to `out`.
pub fn run(command: &Command, data_dir: Option<&Path>, out: &mut impl Write) -> Result<(), Failure> {
    if let Command::SampleData = command {
        return sample_data(data_dir, out);
    }
    let mut store = Store::open_data_dir(data_dir, command.access(), yunwei_core::now())
        .map_err(|e| e.message(Lang::default()))?;
    let lang = store.settings().map(|s| s.language).unwrap_or_default();
    let fail = |e: yunwei_core::Error| e.describe(lang);
    let write_failed = |e: std::io::Error| match e.kind() {
        // The reader stopped reading (`yunwei incidents | head`): it has what it wanted.
        std::io::ErrorKind::BrokenPipe => Failure { message: String::new(), code: 0 },
        _ => Failure::from(yunwei_core::Error::from(e).message(lang)),
    };
    match command {
        Command::SampleData => unreachable!("handled before the data folder is opened"),
        Command::Backup(command) => backup::run(command, store, lang, out),
        Command::Audit(command) => audit::run(command, &store, lang, out),
        Command::Inspection(command) => inspection::run(command, &mut store, lang, out),
        Command::Server(command) => server::run(command, lang, out),
        Command::Sync { url, ca, json } => server::sync(&mut store, (url, ca), *json, lang, out),
        Command::ExportInspection { month, out: path, lang: report_lang } => export_month(
            &mut store,
            (month, path, report_lang),
            lang,
            out,
            (SignedDocument::InspectionReport, "巡检月报", "inspection report"),
            |store, first, report_lang, signer| {
                documents::sign_inspection_report(store, first, report_lang, signer, yunwei_core::now())
            },
        ),
        Command::Incidents { search, limit, json } => {
            let query = IncidentQuery { search: search.clone(), limit: *limit, ..Default::default() };
            let page = store.list_incidents(&query, yunwei_core::now()).map_err(fail)?;
            if *json {
                return write_json(out, &page.items);
            }
            for i in page.items {
                let at = i.reported_at.with_timezone(&SERVICE_TZ).format("%Y-%m-%d %H:%M");
                // Stored before control characters were refused, a title could move the cursor.
                let title = yunwei_core::text::for_terminal(&i.title);
                writeln!(out, "{}\t{}\t{at}\t{title}", i.number, i.level.code()).map_err(write_failed)?;
            }
            Ok(())
        }
        Command::Incident(IncidentCommand::Show { number, at, json }) => {
            let at = match at {
                None => yunwei_core::now(),
                Some(text) => {
                    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| {
                        lang.pick(
                            "--at 需要 RFC 3339 时间，如 2026-11-27T10:00:00+08:00",
                            "--at needs an RFC 3339 time, e.g. 2026-11-27T10:00:00+08:00",
                        )
                        .to_owned()
                    })?
                }
            };
            let id = store.find_incident_id(number).map_err(fail)?;
            let incident = store.get_incident(&id, at).map_err(fail)?;
            incident.check_known_at(at).map_err(fail)?;
            if *json {
                return write_json(out, &incident);
            }
            let s = &incident.summary;
            writeln!(out, "{} {} [{}] {:?}", s.number, s.title, s.level.code(), s.status)
                .map_err(write_failed)?;
            for m in &incident.milestones {
                writeln!(out, "  {:?}\t{:?}\t{}", m.kind, m.state, m.explanation).map_err(write_failed)?;
            }
            Ok(())
        }
        Command::ExportReport { incident, month, out: path, lang: report_lang } => {
            let report_lang = parse_language(report_lang).map_err(fail)?;
            // Every number is found before anything is signed: a typo signs nothing.
            let ids = incident.iter().map(|n| store.find_incident_id(n)).collect::<Result<Vec<_>, _>>();
            let mut ids = ids.map_err(fail)?;
            if let Some(month) = month {
                ids.extend(
                    yunwei_core::app::incidents::resolved_in_month(
                        &store,
                        parse_month(month, lang)?,
                        yunwei_core::now(),
                    )
                    .map_err(fail)?,
                );
            }
            if ids.is_empty() {
                let line = lang.pick(
                    "该月没有已解决或已关闭的故障，未导出任何报告",
                    "No incident of that month is resolved or closed; nothing exported",
                );
                return writeln!(out, "{line}").map_err(write_failed);
            }
            let batch = ids.len() > 1 || month.is_some();
            if batch && !path.is_dir() {
                let missing = std::io::Error::from(std::io::ErrorKind::NotADirectory);
                return Err(Failure::from(yunwei_core::Error::file(path, missing).message(lang)));
            }
            // The key is unlocked once, when a report first needs signing (scrypt is the cost).
            let mut signer: Option<Signer> = None;
            for id in &ids {
                let destination = if batch { None } else { Some(Destination::open(path, lang)?) };
                let revision = match store.current_report_revision(id, report_lang.tag()).map_err(fail)? {
                    Some(revision) => revision,
                    None => {
                        let key = match signer.take() {
                            Some(key) => signer.insert(key),
                            None => {
                                signer.insert(unlock_or_create_signer(&mut store, lang, report_lang, out)?)
                            }
                        };
                        let now = yunwei_core::now();
                        documents::sign_incident_report(&mut store, id, report_lang, &*key, None, now)
                            .map_err(fail)?
                            .revision
                    }
                };
                let (info, pdf) =
                    store.revision_pdf(SignedDocument::IncidentReport, id, revision).map_err(fail)?;
                let file = if batch { path.join(info.file_name()) } else { path.clone() };
                match destination {
                    Some(destination) => destination.write(&pdf, lang)?,
                    None => Destination::open(&file, lang)?.write(&pdf, lang)?,
                }
                let line = match lang {
                    Lang::ZhCn => format!(
                        "已导出签名的故障处理报告 {} 第 {} 版（{} 字节）：{}",
                        info.report_number,
                        info.revision,
                        pdf.len(),
                        file.display()
                    ),
                    Lang::En => format!(
                        "Signed incident report {} revision {} written ({} bytes): {}",
                        info.report_number,
                        info.revision,
                        pdf.len(),
                        file.display()
                    ),
                };
                writeln!(out, "{line}").map_err(write_failed)?;
            }
            Ok(())
        }
        Command::ExportPlan { plan, out: path, lang: plan_lang } => {
            let plan_lang = parse_language(plan_lang).map_err(fail)?;
            let id = store.training_plan(plan).map_err(fail)?.id;
            export_signed(
                &mut store,
                (path, plan_lang, Some(&id)),
                lang,
                out,
                (SignedDocument::TrainingPlan, "培训计划", "training plan"),
                |store, signer| {
                    documents::sign_training_plan(store, &id, plan_lang, signer, yunwei_core::now())
                },
            )
        }
        Command::ExportDrill { drill, out: path, lang: report_lang } => {
            let report_lang = parse_language(report_lang).map_err(fail)?;
            let id = store.drill_by_number(drill).map_err(fail)?.id;
            export_signed(
                &mut store,
                (path, report_lang, Some(&id)),
                lang,
                out,
                (SignedDocument::DrillReport, "演练报告", "drill report"),
                |store, signer| {
                    documents::sign_drill_report(store, &id, report_lang, signer, yunwei_core::now())
                },
            )
        }
        Command::Drills { year, json } => drills::list(&store, *year, *json, lang, out),
        Command::ExportMonthly { month, out: path, lang: report_lang, full_list } => {
            let list = if *full_list { MajorList::Full } else { MajorList::Named };
            export_month(
                &mut store,
                (month, path, report_lang),
                lang,
                out,
                (SignedDocument::MonthlyReport, "运维月报", "monthly report"),
                |store, first, report_lang, signer| {
                    documents::sign_monthly_report(
                        store,
                        first,
                        list,
                        report_lang,
                        signer,
                        yunwei_core::now(),
                    )
                },
            )
        }
        Command::ExportSignin { session, out: path, lang: sheet_lang } => {
            let sheet_lang = parse_language(sheet_lang).map_err(fail)?;
            let destination = Destination::open(path, lang)?;
            let pdf =
                documents::signin_sheet_pdf(&store, session, sheet_lang, yunwei_core::now()).map_err(fail)?;
            destination.write(&pdf, lang)?;
            let line = match lang {
                Lang::ZhCn => format!("已导出签到表（{} 字节）：{}", pdf.len(), path.display()),
                Lang::En => format!("Sign-in sheet written ({} bytes): {}", pdf.len(), path.display()),
            };
            writeln!(out, "{line}").map_err(write_failed)
        }
        Command::Verify { file } => {
            let pdf = std::fs::read(file).map_err(|e| yunwei_core::Error::file(file, e).message(lang))?;
            let v = signing::verify_pdf(&store, &pdf).map_err(fail)?;
            let text = v.describe(lang).join("\n");
            match v.verdict {
                Verdict::Valid => writeln!(out, "{text}").map_err(write_failed),
                Verdict::Invalid => Err(Failure { message: text, code: 1 }),
                Verdict::Untrusted => Err(Failure { message: text, code: 2 }),
            }
        }
        Command::CaCert { out: path } => {
            let destination = Destination::open(path, lang)?;
            let pem = signing::authority_certificate_pem(&store).map_err(fail)?;
            destination.write(pem.as_bytes(), lang)?;
            let line = match lang {
                Lang::ZhCn => format!("已导出公司 CA 证书：{}", path.display()),
                Lang::En => format!("Company CA certificate written: {}", path.display()),
            };
            writeln!(out, "{line}").map_err(write_failed)
        }
        Command::Incident(IncidentCommand::Import { file }) => {
            let source = yunwei_core::incident::import::open(file).map_err(fail)?;
            let outcome = store
                .import_each(Some(&source.sha256), yunwei_core::now(), |add| source.each(add))
                .map_err(fail)?;
            let (added, already) =
                (numbers_in_brief(&outcome.added, lang), numbers_in_brief(&outcome.already, lang));
            let mut lines = Vec::new();
            if let Some(at) = outcome.previously {
                let at = yunwei_core::i18n::format_service_time(at);
                lines.push(match lang {
                    Lang::ZhCn => format!("此文件已于 {at} 导入过，未重复导入 {} 条故障{already}", outcome.already.len()),
                    Lang::En => {
                        format!(
                            "This file was already imported on {at}; nothing was added ({} incidents{already})",
                            outcome.already.len()
                        )
                    }
                });
            } else {
                lines.push(match lang {
                    Lang::ZhCn => format!("已导入 {} 条故障{added}", outcome.added.len()),
                    Lang::En => format!("Imported {} incidents{added}", outcome.added.len()),
                });
                if !outcome.already.is_empty() {
                    lines.push(match lang {
                        Lang::ZhCn => format!("{} 条记录的 external_id 已存在，未重复导入{already}", outcome.already.len()),
                        Lang::En => format!(
                            "{} records were already stored (same external_id) and were not added again{already}",
                            outcome.already.len()
                        ),
                    });
                }
            }
            writeln!(out, "{}", lines.join("\n")).map_err(write_failed)
        }
    }
}

/// The file a command writes, opened before anything is signed or stored, so that a mistyped
/// or unwritable `--out` costs nothing: no signed revision nobody received. A file this opened
/// anew is removed again if the command fails before writing it; an existing one is kept as
/// it was until the new content replaces it.
struct Destination<'a> {
    path: &'a Path,
    file: Option<std::fs::File>,
    created: bool,
}

impl<'a> Destination<'a> {
    fn open(path: &'a Path, lang: Lang) -> Result<Self, Failure> {
        let created = !path.exists();
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| yunwei_core::Error::file(path, e).message(lang))?;
        Ok(Destination { path, file: Some(file), created })
    }

    fn write(mut self, bytes: &[u8], lang: Lang) -> Result<(), Failure> {
        let Some(mut file) = self.file.take() else { return Ok(()) };
        let written = file.set_len(0).and_then(|()| file.write_all(bytes)).and_then(|()| file.sync_all());
        Ok(written.map_err(|e| yunwei_core::Error::file(self.path, e).message(lang))?)
    }
}

impl Drop for Destination<'_> {
    fn drop(&mut self) {
        if self.file.take().is_some() && self.created {
            let _ = std::fs::remove_file(self.path);
        }
    }
}

/// The first day of `month` (`2026-10`).
fn parse_month(month: &str, lang: Lang) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d").map_err(|_| {
        lang.pick("--month 需要年月，如 2026-10", "--month needs a year and month, e.g. 2026-10").to_owned()
    })
}

/// The signing key, unlocked with the passphrase; on first use a company CA and a signing
/// certificate are created with it (and `out` says so).
fn unlock_or_create_signer(
    store: &mut Store,
    lang: Lang,
    document_lang: Lang,
    out: &mut impl Write,
) -> Result<Signer, String> {
    let fail = |e: yunwei_core::Error| e.describe(lang);
    let passphrase = passphrase(lang)?;
    if !store.active_identity(IdentityRole::Signer).map(|i| i.is_some()).map_err(fail)? {
        let form = first_identity(store, document_lang, &passphrase).map_err(fail)?;
        signing::create_signing_identity(store, &form, yunwei_core::now()).map_err(fail)?;
        let line = match lang {
            Lang::ZhCn => format!(
                "已为“{}”创建公司 CA 与签名证书；用 `yunwei ca-cert --out ca.pem` 导出 CA 供接收方信任",
                form.name
            ),
            Lang::En => format!(
                "Created a company CA and a signing certificate for “{}”; export the CA for recipients with `yunwei ca-cert --out ca.pem`",
                form.name
            ),
        };
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    signing::unlock_signer(store, &passphrase).map_err(fail)
}

/// The signing passphrase: `$YUNWEI_KEY_PASSPHRASE`, or asked on the terminal.
fn passphrase(lang: Lang) -> Result<String, String> {
    if let Ok(passphrase) = std::env::var("YUNWEI_KEY_PASSPHRASE") {
        return Ok(passphrase);
    }
    rpassword::prompt_password(lang.pick("签名口令：", "Signing passphrase: "))
        .map_err(|_| yunwei_core::Error::PassphraseRequired.message(lang))
}

/// The identity created on first headless use: the current user of Settings (or the system
/// user) at the organisation of Settings.
fn first_identity(store: &Store, lang: Lang, passphrase: &str) -> yunwei_core::Result<NewSigningIdentity> {
    let settings = store.settings()?;
    let name = Some(settings.user_name)
        .filter(|n| !n.trim().is_empty())
        .or_else(|| std::env::var("USER").ok().filter(|n| !n.trim().is_empty()))
        .unwrap_or_else(|| lang.pick("运维工程师", "Service engineer").to_owned());
    Ok(NewSigningIdentity {
        name,
        title: String::new(),
        organisation: documents::organisation(store, lang)?,
        passphrase: passphrase.to_owned(),
        confirm: passphrase.to_owned(),
    })
}

pub(crate) fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    Ok(writeln!(out, "{text}").map_err(|e| e.to_string())?)
}

/// Incident numbers said briefly after a count: up to three listed, more by the first and the
/// last (an import of 100,000 incidents prints one line, not 1.5 MB of numbers).
fn numbers_in_brief(numbers: &[String], lang: Lang) -> String {
    match (numbers, lang) {
        ([], _) => String::new(),
        ([first, .., last], Lang::ZhCn) if numbers.len() > 3 => format!("（首条 {first}，末条 {last}）"),
        ([first, .., last], Lang::En) if numbers.len() > 3 => format!(" (first {first}, last {last})"),
        (_, Lang::ZhCn) => format!("：{}", numbers.join("、")),
        (_, Lang::En) => format!(": {}", numbers.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_numbers_are_said_by_the_first_and_the_last() {
        let numbers: Vec<String> = (1..=100_000).map(|n| format!("INC-2026-{n:04}")).collect();
        assert_eq!(numbers_in_brief(&numbers, Lang::En), " (first INC-2026-0001, last INC-2026-100000)");
        assert_eq!(numbers_in_brief(&numbers[..2], Lang::ZhCn), "：INC-2026-0001、INC-2026-0002");
        assert_eq!(numbers_in_brief(&[], Lang::En), "");
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sample_data_then_list_through_a_real_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        run(&Command::SampleData, Some(dir.path()), &mut out).unwrap();
        let said = String::from_utf8(out).unwrap();
        let sandbox = dir.path().join("sample");
        assert!(said.starts_with("示例数据沙盒") && said.contains(&sandbox.display().to_string()), "{said}");
        assert!(sandbox.join("db/yunwei.db").exists(), "the sandbox is a data folder of its own");

        let list = Command::Incidents { search: String::new(), limit: 50, json: false };
        let mut out = Vec::new();
        run(&list, Some(&sandbox), &mut out).unwrap();
        let table = String::from_utf8(out).unwrap();
        assert_eq!(table.lines().count(), 50, "{table}");
        assert!(table.lines().all(|l| l.starts_with("DEMO-INC-")), "{table}");
        let mut out = Vec::new();
        run(&list, Some(dir.path()), &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 0, "the real record has none of it");
    }
}
