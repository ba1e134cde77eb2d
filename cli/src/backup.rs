//! `yunwei backup …`: the data folder's backups (数据备份) from the command line.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use yunwei_core::app::backup::{self, Backups, PointKind, Progress, RunOutcome, Stage};
use yunwei_core::data_dir::Access;
use yunwei_core::store::Store;
use yunwei_core::Lang;

use crate::Failure;

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Set backups up: create the recovery key and write it to --key-out. Print it and keep it
    /// away from this computer: it is stored nowhere else, and restoring needs it
    Setup {
        /// Where to write the recovery key (a new file)
        #[arg(long, value_name = "FILE")]
        key_out: PathBuf,
        /// Also write the recovery sheet (an A4 PDF with the key as text and QR) to print
        #[arg(long, value_name = "FILE")]
        sheet: Option<PathBuf>,
        /// A second folder (USB disk, NAS share) that receives every point too
        #[arg(long, value_name = "DIR")]
        folder: Option<PathBuf>,
        /// How many monthly full points to keep, each with its weekly incrementals
        #[arg(long, default_value_t = 12)]
        keep_months: u32,
    },
    /// Make a backup point now (incremental when a newer full point exists, else full) and
    /// drill it: rebuilt from what reached the disk and checked
    Now {
        /// A full point even when an incremental would do
        #[arg(long)]
        full: bool,
        /// A further folder to receive this point
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
    },
    /// List the backup points, oldest first, and the latest drills
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Check a point (the newest when none is named) and the points it needs: without
    /// --identity, every file against its recorded SHA-256; with it, a restore drill (rebuilt
    /// in a temporary folder and compared byte for byte). Exit 1 when it fails
    Verify {
        point: Option<String>,
        /// The recovery key file
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
    },
    /// Restore the data as the point holds it. The current database is kept aside
    /// (`undo-restore` puts it back); signed documents the archive misses are added
    Restore {
        point: String,
        /// The recovery key file
        #[arg(long, value_name = "FILE")]
        identity: PathBuf,
        /// A further folder holding points (e.g. the USB disk after a lost laptop)
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
    },
    /// Put back the database as it was before the last restore
    UndoRestore,
}

impl BackupCommand {
    pub fn access(&self) -> Access {
        match self {
            BackupCommand::List { .. } | BackupCommand::Verify { identity: None, .. } => Access::Read,
            _ => Access::Change,
        }
    }
}

pub fn run(command: &BackupCommand, store: Store, lang: Lang, out: &mut impl Write) -> Result<(), Failure> {
    let fail = |e: yunwei_core::Error| Failure::from(e.describe(lang));
    let backups = Backups::of_store(&store).map_err(fail)?;
    let say = |out: &mut dyn Write, zh: String, en: String| -> Result<(), Failure> {
        writeln!(out, "{}", lang.pick(&zh, &en)).map_err(|e| Failure::from(e.to_string()))
    };
    match command {
        BackupCommand::Setup { key_out, sheet, folder, keep_months } => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(key_out)
                .map_err(|e| fail(yunwei_core::Error::file(key_out, e)))?;
            let key = backups.set_up(folder.as_deref(), Some(*keep_months));
            let key = match key {
                Ok(key) => key,
                Err(e) => {
                    drop(file);
                    let _ = std::fs::remove_file(key_out);
                    return Err(fail(e));
                }
            };
            restrict(key_out);
            let detail = serde_json::json!({ "recipient": key.recipient, "keepMonths": keep_months });
            store.record_audit("backup_set_up", "backup", "", &detail).map_err(fail)?;
            let text = format!(
                "# Yunwei (运维台) recovery key — restores the backups; keep it offline\n# public key: {}\n{}\n",
                key.recipient, key.secret
            );
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| fail(yunwei_core::Error::file(key_out, e)))?;
            if let Some(sheet) = sheet {
                let pdf = yunwei_core::app::documents::recovery_sheet_pdf(
                    &store,
                    &key.secret,
                    lang,
                    yunwei_core::now(),
                )
                .map_err(fail)?;
                std::fs::write(sheet, pdf).map_err(|e| fail(yunwei_core::Error::file(sheet, e)))?;
                restrict(sheet);
            }
            let same = backups.same_volume().map_err(fail)?;
            say(
                out,
                format!("已设置数据备份；恢复密钥已写入 {}（请打印并离机保存，本机不保存）", key_out.display()),
                format!("Backups are set up; the recovery key is in {} (print it and keep it off this computer; it is not stored here)", key_out.display()),
            )?;
            if same {
                say(
                    out,
                    "注意：所选文件夹与数据在同一磁盘上，磁盘损坏时两者同时丢失".into(),
                    "Note: the chosen folder is on the same disk as the data; a failed disk loses both"
                        .into(),
                )?;
            }
            Ok(())
        }
        BackupCommand::Now { full, to } => {
            let now = yunwei_core::now();
            let show = std::io::stderr().is_terminal();
            let mut last = (None, u64::MAX);
            let outcome = backups
                .run(*full, to.as_deref(), now, &mut |p: Progress| {
                    let percent = (p.done * 100).checked_div(p.total).unwrap_or(0);
                    if show && (Some(p.stage), percent / 5) != last {
                        last = (Some(p.stage), percent / 5);
                        eprint!("\r{} {percent:>3}%   ", stage_name(p.stage, lang));
                    }
                })
                .map_err(fail);
            if show {
                eprintln!();
            }
            drop(store);
            match outcome? {
                RunOutcome::Unchanged => say(
                    out,
                    "自上一个备份点以来没有变化，未生成新的备份点".into(),
                    "Nothing changed since the newest point; no new point was made".into(),
                ),
                RunOutcome::Made { point, drill } => {
                    let pages = match point.kind {
                        PointKind::Full => (format!("{} 页", point.pages), format!("{} pages", point.pages)),
                        PointKind::Incremental => (
                            format!("{}/{} 页有变化", point.changed_pages, point.pages),
                            format!("{} of {} pages changed", point.changed_pages, point.pages),
                        ),
                    };
                    let (id, bytes) = (&point.id, size(point.payload_size));
                    say(
                        out,
                        format!(
                            "已生成{}备份点 {id}（{bytes}，{}），恢复演练通过（{} ms）",
                            kind_name(point.kind, Lang::ZhCn),
                            pages.0,
                            drill.duration_ms
                        ),
                        format!(
                            "Made {} point {id} ({bytes}, {}); restore drill passed ({} ms)",
                            kind_name(point.kind, Lang::En),
                            pages.1,
                            drill.duration_ms
                        ),
                    )
                }
            }
        }
        BackupCommand::List { json } => {
            let points = backups.points(None).map_err(fail)?;
            if *json {
                return crate::write_json(out, &points);
            }
            if points.is_empty() {
                return say(out, "还没有备份点".into(), "No backup points yet".into());
            }
            for p in points {
                let at = yunwei_core::i18n::format_service_time(p.created_at);
                writeln!(
                    out,
                    "{}\t{}\t{at}\t{}\t{}",
                    p.id,
                    kind_name(p.kind, lang),
                    size(p.payload_size),
                    p.parent.unwrap_or_default()
                )
                .map_err(|e| Failure::from(e.to_string()))?;
            }
            Ok(())
        }
        BackupCommand::Verify { point, identity } => {
            let id = match point {
                Some(id) => id.clone(),
                None => newest(&backups, lang)?,
            };
            match identity {
                None => {
                    backups.check(&id, None).map_err(fail)?;
                    say(
                        out,
                        format!("备份点 {id} 及其依赖的备份点文件完好（校验值一致）"),
                        format!("Backup point {id} and the points it needs are intact (hashes match)"),
                    )
                }
                Some(path) => {
                    let key = read_key(path).map_err(fail)?;
                    let drill = backups.drill(Some(&id), &key, yunwei_core::now()).map_err(fail)?;
                    drop(store);
                    match drill.problem {
                        None => say(
                            out,
                            format!(
                                "恢复演练通过：备份点 {id} 已完整重建并逐字节核对（{} ms）",
                                drill.duration_ms
                            ),
                            format!(
                                "Restore drill passed: point {id} rebuilt and matched byte for byte ({} ms)",
                                drill.duration_ms
                            ),
                        ),
                        Some(problem) => Err(Failure::from(lang.pick(&problem.zh, &problem.en).to_string())),
                    }
                }
            }
        }
        BackupCommand::Restore { point, identity, from } => {
            let key = read_key(identity).map_err(fail)?;
            let mut store = store;
            let manifest =
                backup::restore_in_place(&mut store, point, &key, from.as_deref(), yunwei_core::now())
                    .map_err(fail)?;
            let at = yunwei_core::i18n::format_service_time(manifest.created_at);
            say(
                out,
                format!("已恢复到备份点 {point}（{at}）；原数据已保留，可用 yunwei backup undo-restore 撤销"),
                format!("Restored backup point {point} ({at}); the data before it is kept: yunwei backup undo-restore puts it back"),
            )
        }
        BackupCommand::UndoRestore => {
            let mut store = store;
            backup::undo_restore_in_place(&mut store, yunwei_core::now()).map_err(fail)?;
            say(
                out,
                "已撤销恢复，数据回到恢复前的状态".into(),
                "Restore undone: the data is as it was before it".into(),
            )
        }
    }
}

fn newest(backups: &Backups, lang: Lang) -> Result<String, Failure> {
    let points = backups.points(None).map_err(|e| Failure::from(e.describe(lang)))?;
    points
        .last()
        .map(|p| p.id.clone())
        .ok_or_else(|| Failure::from(lang.pick("还没有备份点", "No backup points yet").to_string()))
}

fn read_key(path: &Path) -> yunwei_core::Result<backup::RecoveryIdentity> {
    let text = std::fs::read_to_string(path).map_err(|e| yunwei_core::Error::file(path, e))?;
    backup::parse_recovery_key(&text)
}

/// Only the owner may read the key file.
fn restrict(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn stage_name(stage: Stage, lang: Lang) -> &'static str {
    match stage {
        Stage::Snapshot => lang.pick("快照", "Snapshot"),
        Stage::Check => lang.pick("检查", "Check"),
        Stage::Encrypt => lang.pick("加密", "Encrypt"),
        Stage::Copy => lang.pick("复制", "Copy"),
        Stage::Drill => lang.pick("恢复演练", "Drill"),
    }
}

fn kind_name(kind: PointKind, lang: Lang) -> &'static str {
    match kind {
        PointKind::Full => lang.pick("全量", "full"),
        PointKind::Incremental => lang.pick("增量", "incremental"),
    }
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}
