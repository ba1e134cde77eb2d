//! Backups of the data folder: the database and the archive of signed documents, as points —
//! a full one each month, an incremental one (the pages that changed since the point before)
//! each week, and any on demand — encrypted to the public half of a recovery key that only the
//! team holds (printed on the recovery sheet), in the data folder and in a second folder of the
//! user's choice (a USB disk, a NAS share).
//!
//! The data folder's `backups/`:
//! - `config.json`  the recovery key's public half, the second folder, how many months to keep;
//! - `points/<id>/` each point: `manifest.json` (what it is, hashes) and `data.age`; a point is
//!   written as `<id>.partial/` and renamed once whole, so a half-written one is never listed;
//! - `base.db`      the database as the newest point holds it, to find the pages that changed
//!   (as sensitive as the database beside it, and no more);
//! - `drills.jsonl` every restore drill: each run rebuilds its point from what reached the disk.
//!
//! Nothing here needs the recovery key to make a point: the run keeps the point's own file key
//! in memory to read back what it wrote. Restoring needs the recovery key.

mod payload;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::data_dir::sidecar;
use crate::store::backup::{check_copy, snapshot, CopyCheck};
use crate::store::{Store, SCHEMA_VERSION};
use crate::zone::SERVICE_TZ;
use crate::{Error, Lang, Result};
pub use age::x25519::Identity as RecoveryIdentity;
use payload::{sha256_file, Opener, PayloadWriter, Records, RunKey};

/// The layout of `manifest.json` and `data.age` this version writes and reads.
const FORMAT: u32 = 1;
const DEFAULT_KEEP_MONTHS: u32 = 12;
/// How many drills the status lists.
const RECENT_DRILLS: usize = 20;
/// Where points go inside the second folder.
const FOLDER_NAME: &str = "yunwei-backups";

/// How backups are set up: stored in `backups/config.json`, outside the database, so that
/// restoring an older point does not undo it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupConfig {
    /// The recovery key's public half (`age1…`): points are encrypted to it.
    pub recipient: String,
    /// A second folder that receives every point too (`yunwei-backups/` inside it).
    pub folder: Option<String>,
    /// How many monthly full points are kept, each with its weekly incrementals.
    pub keep_months: u32,
}

/// A new recovery key: the secret half is shown once, printed, and never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryKey {
    /// `AGE-SECRET-KEY-1…`
    pub secret: String,
    /// `age1…`
    pub recipient: String,
    /// The secret as the recovery sheet prints it, for reading aloud and typing.
    pub grouped: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PointKind {
    Full,
    Incremental,
}

/// A signed document as the points hold it: which point carries its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentEntry {
    pub sha256: String,
    pub size: u64,
    pub point: String,
}

/// `manifest.json`: what a point is and how to check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub format: u32,
    pub id: String,
    pub kind: PointKind,
    /// The point an incremental applies to.
    pub parent: Option<String>,
    pub created_at: DateTime<Utc>,
    pub app_version: String,
    pub schema_version: i64,
    pub page_size: u32,
    pub pages: u32,
    pub changed_pages: u32,
    /// SHA-256 of the database as this point restores it, byte for byte.
    pub snapshot_sha256: String,
    /// SHA-256 and size of `data.age` as written: any changed byte is found without the key.
    pub payload_sha256: String,
    pub payload_size: u64,
    /// Rows per table of the database as this point restores it.
    pub rows: BTreeMap<String, u64>,
    /// Every signed document of the archive at this point (name under `reports/`).
    pub documents: BTreeMap<String, DocumentEntry>,
    pub recipient: String,
}

/// A point found on disk, and the folders holding it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupPoint {
    pub id: String,
    pub kind: PointKind,
    pub parent: Option<String>,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub payload_size: u64,
    pub changed_pages: u32,
    pub pages: u32,
    pub documents: u32,
    #[ts(type = "Record<string, number>")]
    pub rows: BTreeMap<String, u64>,
    pub folders: Vec<String>,
}

/// What the Backups screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    /// `None` until backups are set up.
    pub config: Option<BackupConfig>,
    /// Oldest first.
    pub points: Vec<BackupPoint>,
    /// The latest drills, newest first.
    pub drills: Vec<RestoreDrill>,
    /// What the schedule asks for now.
    pub due: Option<PointKind>,
    /// The second folder is on the data folder's disk.
    pub same_volume: bool,
    /// The database before the last restore is kept.
    pub can_undo_restore: bool,
}

/// One restore drill: a point rebuilt in a temporary folder and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreDrill {
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub point: String,
    /// `run`: the run that made the point, with its own file key; `recovery`: with the
    /// recovery key, the whole chain from the files.
    pub with: String,
    pub ok: bool,
    /// What failed, when it did, in both languages.
    pub problem: Option<DrillProblem>,
    #[ts(type = "number")]
    pub duration_ms: u64,
}

/// A failure as a drill records it, readable in either language later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DrillProblem {
    pub zh: String,
    pub en: String,
}

impl DrillProblem {
    fn of(e: &Error) -> DrillProblem {
        DrillProblem { zh: e.message(Lang::ZhCn), en: e.message(Lang::En) }
    }
}

/// What a backup run is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    Snapshot,
    Check,
    Encrypt,
    Copy,
    Drill,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub stage: Stage,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "outcome")]
pub enum RunOutcome {
    /// A point was made and its drill passed.
    Made { point: Box<BackupPoint>, drill: RestoreDrill },
    /// Nothing changed since the newest point: no incremental was needed.
    Unchanged,
}

/// Why a backup was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotSetUp,
    AlreadySetUp,
    /// The text is not an age X25519 secret key.
    BadRecoveryKey,
    /// The key does not open the point.
    WrongKey,
    /// The point's file is not as written (a changed byte, a cut file).
    Damaged {
        point: String,
    },
    /// The chain from the point back to its full point misses a point.
    ChainBroken {
        point: String,
        missing: String,
    },
    NoSuchPoint {
        id: String,
    },
    /// Written by a newer Yunwei (schema `found`, this one `supported`).
    Newer {
        found: i64,
        supported: i64,
    },
    /// The rebuilt database is not the one the point recorded.
    DrillFailed {
        point: String,
        problem: String,
    },
    NothingToUndo,
    /// A backup or restore is under way already.
    Running,
}

impl crate::error::Explain for Refusal {
    fn code(&self) -> &'static str {
        match self {
            Refusal::NotSetUp => "backup_not_set_up",
            Refusal::AlreadySetUp => "backup_already_set_up",
            Refusal::BadRecoveryKey => "backup_bad_recovery_key",
            Refusal::WrongKey => "backup_wrong_key",
            Refusal::Damaged { .. } => "backup_damaged",
            Refusal::ChainBroken { .. } => "backup_chain_broken",
            Refusal::NoSuchPoint { .. } => "backup_no_such_point",
            Refusal::Newer { .. } => "backup_newer",
            Refusal::DrillFailed { .. } => "backup_drill_failed",
            Refusal::NothingToUndo => "backup_nothing_to_undo",
            Refusal::Running => "backup_running",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            Refusal::NotSetUp => lang
                .pick("尚未设置数据备份：请先在 设置 → 数据备份 中生成恢复密钥", "Backups are not set up: create the recovery key in Settings → Backups first")
                .into(),
            Refusal::AlreadySetUp => lang.pick("数据备份已设置", "Backups are already set up").into(),
            Refusal::BadRecoveryKey => lang
                .pick("这不是恢复密钥（应以 AGE-SECRET-KEY-1 开头）", "This is not a recovery key (it starts with AGE-SECRET-KEY-1)")
                .into(),
            Refusal::WrongKey => lang
                .pick("恢复密钥与该备份不符，未做任何更改", "The recovery key does not open this backup; nothing was changed")
                .into(),
            Refusal::Damaged { point } => match lang {
                Lang::ZhCn => format!("备份点 {point} 已损坏（文件与记录的校验值不符），不能用于恢复"),
                Lang::En => format!("Backup point {point} is damaged (its file does not match its recorded hash) and cannot be restored"),
            },
            Refusal::ChainBroken { point, missing } => match lang {
                Lang::ZhCn => format!("备份点 {point} 依赖的备份点 {missing} 不存在，无法恢复"),
                Lang::En => format!("Backup point {point} needs point {missing}, which is missing"),
            },
            Refusal::NoSuchPoint { id } => match lang {
                Lang::ZhCn => format!("没有备份点 {id}"),
                Lang::En => format!("There is no backup point {id}"),
            },
            Refusal::Newer { found, supported } => match lang {
                Lang::ZhCn => format!("该备份由更新版本的运维台写入（数据版本 {found}，本版本支持到 {supported}），请先升级"),
                Lang::En => format!("This backup was written by a newer Yunwei (data version {found}; this one reads up to {supported}); update first"),
            },
            Refusal::DrillFailed { point, problem } => match lang {
                Lang::ZhCn => format!("备份点 {point} 的恢复演练未通过：{problem}"),
                Lang::En => format!("The restore drill of backup point {point} failed: {problem}"),
            },
            Refusal::NothingToUndo => lang.pick("没有可撤销的恢复", "There is no restore to undo").into(),
            Refusal::Running => lang
                .pick("备份或恢复正在进行，请稍候再试", "A backup or restore is under way; try again when it has finished")
                .into(),
        }
    }
}

fn refused(r: Refusal) -> Error {
    Error::refused(r)
}

/// The backups of one data folder.
pub struct Backups {
    /// `backups/` of the data folder.
    home: PathBuf,
    db: PathBuf,
    reports: PathBuf,
}

impl Backups {
    /// The backups of the database `db` whose signed documents are in `reports`, kept in
    /// `data_root/backups/`.
    pub fn new(data_root: &Path, db: &Path, reports: &Path) -> Backups {
        Backups { home: data_root.join("backups"), db: db.to_path_buf(), reports: reports.to_path_buf() }
    }

    /// The backups of the data folder `store` belongs to (the real one, or the sample sandbox).
    pub fn of_store(store: &Store) -> Result<Backups> {
        let (Some(root), Some(db)) = (store.data_dir(), store.path()) else { return Err(Error::NoDataDir) };
        Ok(Backups::new(root, db, store.reports_dir()?))
    }

    /// Everything the Backups screen shows.
    pub fn status(&self, now: DateTime<Utc>) -> Result<BackupStatus> {
        let mut drills = self.drills()?;
        drills.truncate(RECENT_DRILLS);
        Ok(BackupStatus {
            config: self.config()?,
            points: self.points(None)?,
            drills,
            due: self.due(now)?,
            same_volume: self.same_volume()?,
            can_undo_restore: self.can_undo_restore(),
        })
    }

    fn config_file(&self) -> PathBuf {
        self.home.join("config.json")
    }

    fn local_points(&self) -> PathBuf {
        self.home.join("points")
    }

    fn base(&self) -> PathBuf {
        self.home.join("base.db")
    }

    fn work(&self) -> Result<PathBuf> {
        let work = self.home.join("work");
        fs::create_dir_all(&work).map_err(|e| Error::file(&work, e))?;
        Ok(work)
    }

    pub fn config(&self) -> Result<Option<BackupConfig>> {
        let path = self.config_file();
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| Error::Corrupt(format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::file(&path, e)),
        }
    }

    fn require_config(&self) -> Result<BackupConfig> {
        self.config()?.ok_or_else(|| refused(Refusal::NotSetUp))
    }

    fn write_config(&self, config: &BackupConfig) -> Result<()> {
        fs::create_dir_all(&self.home).map_err(|e| Error::file(&self.home, e))?;
        let json = serde_json::to_vec_pretty(config).map_err(|e| Error::Corrupt(e.to_string()))?;
        write_durably(&self.config_file(), &json)
    }

    /// Sets backups up: a new recovery key, whose secret half is returned to be shown and
    /// printed once and is stored nowhere.
    pub fn set_up(&self, folder: Option<&Path>, keep_months: Option<u32>) -> Result<RecoveryKey> {
        if self.config()?.is_some() {
            return Err(refused(Refusal::AlreadySetUp));
        }
        let identity = age::x25519::Identity::generate();
        let recipient = identity.to_public().to_string();
        use age::secrecy::ExposeSecret;
        let secret = identity.to_string().expose_secret().to_string();
        self.write_config(&BackupConfig {
            recipient: recipient.clone(),
            folder: folder.map(|f| f.display().to_string()),
            keep_months: keep_months.unwrap_or(DEFAULT_KEEP_MONTHS).max(1),
        })?;
        let grouped = crate::report::recovery::grouped(&secret);
        Ok(RecoveryKey { secret, recipient, grouped })
    }

    /// Changes the second folder (`Some(None)`: none) and how many months are kept; `None`
    /// leaves a setting as it is.
    pub fn configure(&self, folder: Option<Option<&Path>>, keep_months: Option<u32>) -> Result<BackupConfig> {
        let mut config = self.require_config()?;
        if let Some(folder) = folder {
            config.folder = folder.map(|f| f.display().to_string());
        }
        if let Some(keep) = keep_months {
            config.keep_months = keep.max(1);
        }
        self.write_config(&config)?;
        Ok(config)
    }

    /// The folders points are written to: the local one, then the chosen one.
    fn destinations(&self, config: &BackupConfig, extra: Option<&Path>) -> Vec<PathBuf> {
        let mut dirs = vec![self.local_points()];
        for folder in config.folder.as_deref().map(Path::new).into_iter().chain(extra) {
            let dir = folder.join(FOLDER_NAME);
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
        dirs
    }

    /// Whether the chosen folder is on the same disk as the data folder (a backup there does
    /// not survive the disk).
    pub fn same_volume(&self) -> Result<bool> {
        let Some(folder) = self.config()?.and_then(|c| c.folder) else { return Ok(false) };
        Ok(same_device(Path::new(&folder), &self.home))
    }

    /// Every whole point in the local folder, the chosen folder and `extra`, oldest first.
    pub fn points(&self, extra: Option<&Path>) -> Result<Vec<BackupPoint>> {
        Ok(self.found(extra)?.into_iter().map(|(m, dirs)| point_of(&m, &dirs)).collect())
    }

    /// Manifests of the whole points, with the folders each is in, oldest first.
    fn found(&self, extra: Option<&Path>) -> Result<Vec<(Manifest, Vec<PathBuf>)>> {
        let config = self.config()?;
        let dirs = match &config {
            Some(c) => self.destinations(c, extra),
            None => [Some(self.local_points()), extra.map(|e| e.join(FOLDER_NAME))]
                .into_iter()
                .flatten()
                .collect(),
        };
        let mut found: BTreeMap<String, (Manifest, Vec<PathBuf>)> = BTreeMap::new();
        for dir in dirs {
            let Ok(entries) = fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".partial") || !path.join("data.age").is_file() {
                    continue;
                }
                let Ok(bytes) = fs::read(path.join("manifest.json")) else { continue };
                let Ok(manifest) = serde_json::from_slice::<Manifest>(&bytes) else { continue };
                if manifest.id != name {
                    continue;
                }
                found.entry(name).or_insert_with(|| (manifest, Vec::new())).1.push(path);
            }
        }
        let mut list: Vec<_> = found.into_values().collect();
        list.sort_by(|a, b| (a.0.created_at, &a.0.id).cmp(&(b.0.created_at, &b.0.id)));
        Ok(list)
    }

    /// What the schedule asks for at `now`: a full point when this month (service time) has
    /// none, else an incremental when this ISO week has no point; `None` when backups are not
    /// set up or nothing is due.
    pub fn due(&self, now: DateTime<Utc>) -> Result<Option<PointKind>> {
        if self.config()?.is_none() {
            return Ok(None);
        }
        let points = self.found(None)?;
        let local = now.with_timezone(&SERVICE_TZ);
        let month = (local.year(), local.month());
        let week = local.iso_week();
        let in_month = |m: &Manifest| {
            let t = m.created_at.with_timezone(&SERVICE_TZ);
            (t.year(), t.month()) == month
        };
        if !points.iter().any(|(m, _)| m.kind == PointKind::Full && in_month(m)) {
            return Ok(Some(PointKind::Full));
        }
        let this_week =
            points.iter().any(|(m, _)| m.created_at.with_timezone(&SERVICE_TZ).iso_week() == week);
        Ok((!this_week).then_some(PointKind::Incremental))
    }

    /// Makes a point now: a full one when `full` is asked or no base is usable, else an
    /// incremental one (or none, when nothing changed). Writes it to every folder, then drills
    /// it, records the drill, and applies the retention.
    pub fn run(
        &self,
        full: bool,
        extra: Option<&Path>,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RunOutcome> {
        let config = self.require_config()?;
        let to: age::x25519::Recipient =
            config.recipient.parse().map_err(|_| Error::Corrupt("backup recipient".into()))?;
        let work = self.work()?;
        let snap = work.join("snapshot.db");
        snapshot(&self.db, &snap, |c| {
            progress(Progress { stage: Stage::Snapshot, done: c.done, total: c.total })
        })?;
        // The full check of the copy (integrity_check is most of a run's time) runs on a second
        // thread while this one hashes, compares and encrypts; the point is kept only if it passes.
        progress(Progress { stage: Stage::Check, done: 0, total: 1 });
        let (check, staged) = std::thread::scope(|scope| {
            let checker = scope.spawn(|| check_copy(&snap));
            let staged = self.stage(full, &snap, &to, self.destinations(&config, extra), now, progress);
            let check = checker
                .join()
                .unwrap_or_else(|_| Err(Error::Corrupt("the check of the copy stopped".into())));
            (check, staged)
        });
        let refusal = match &check {
            Err(_) => None,
            Ok(c) if c.schema_version > SCHEMA_VERSION => {
                Some(refused(Refusal::Newer { found: c.schema_version, supported: SCHEMA_VERSION }))
            }
            Ok(_) => None,
        };
        if check.is_err() || refusal.is_some() {
            if let Ok(Some(staged)) = &staged {
                let _ = fs::remove_dir_all(&staged.partial);
            }
            let _ = fs::remove_file(&snap);
        }
        let check = check?;
        if let Some(refusal) = refusal {
            return Err(refusal);
        }
        let Some(staged) = staged? else {
            fs::remove_file(&snap).map_err(|e| Error::file(&snap, e))?;
            return Ok(RunOutcome::Unchanged);
        };
        let Staged { id, parent, dests, partial, run_key, .. } = &staged;
        let first = &dests[0];
        let manifest = Manifest {
            format: FORMAT,
            id: id.clone(),
            kind: if parent.is_some() { PointKind::Incremental } else { PointKind::Full },
            parent: parent.as_ref().map(|p| p.id.clone()),
            created_at: now,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            schema_version: check.schema_version,
            page_size: staged.page_size,
            pages: staged.pages,
            changed_pages: staged.changed,
            snapshot_sha256: staged.snapshot_sha256.clone(),
            payload_sha256: staged.written.sha256.clone(),
            payload_size: staged.written.size,
            rows: check.rows.clone(),
            documents: staged.documents.clone(),
            recipient: config.recipient.clone(),
        };
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Corrupt(e.to_string()))?;
        write_durably(&partial.join("manifest.json"), &json)?;
        // The drill, before the point is listed: rebuild it from what reached the disk, with this
        // run's file key. A point is listed only once it passed.
        progress(Progress { stage: Stage::Drill, done: 0, total: 1 });
        let started = Instant::now();
        let drilled = self.drill_run(partial, &manifest, run_key, parent.is_some(), &check);
        let drill = RestoreDrill {
            at: now,
            point: id.clone(),
            with: "run".into(),
            ok: drilled.is_ok(),
            problem: drilled.as_ref().err().map(DrillProblem::of),
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        self.record_drill(&drill)?;
        if let Err(e) = drilled {
            // A point that failed its drill is not kept: the next run makes a full one.
            let _ = fs::remove_dir_all(partial);
            let _ = fs::remove_file(self.base());
            return Err(e);
        }
        publish(partial, &first.join(id))?;
        fs::rename(&snap, self.base()).map_err(|e| Error::file(&snap, e))?;

        // Then the other folders: each a copy of the drilled files.
        for (i, dest) in dests.iter().enumerate().skip(1) {
            progress(Progress { stage: Stage::Copy, done: i as u64 - 1, total: dests.len() as u64 - 1 });
            copy_point(&first.join(id), dest, id)?;
        }
        self.prune(&config)?;
        let found = self.found(extra)?;
        let point = found
            .iter()
            .find(|(m, _)| &m.id == id)
            .map(|(m, dirs)| point_of(m, dirs))
            .ok_or_else(|| refused(Refusal::NoSuchPoint { id: id.clone() }))?;
        Ok(RunOutcome::Made { point: Box::new(point), drill })
    }

    /// Everything of a run that does not wait for the check of the copy: the snapshot's hash,
    /// the base to build on, the changed pages and documents, and the encrypted file written as
    /// `<id>.partial/data.age` in the local folder. `None` when nothing changed.
    fn stage(
        &self,
        full: bool,
        snap: &Path,
        to: &age::x25519::Recipient,
        dests: Vec<PathBuf>,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Option<Staged>> {
        let snapshot_sha256 = sha256_file(snap)?;
        let (page_size, pages) = page_geometry(snap)?;
        let documents = list_documents(&self.reports)?;

        let parent = if full { None } else { self.usable_base()? };
        let id = self.new_id(now, parent.is_some())?;
        let mut carried: BTreeMap<String, DocumentEntry> = BTreeMap::new();
        let mut changed: Vec<u32> = Vec::new();
        if let Some(parent) = &parent {
            changed = changed_pages(&self.base(), snap, page_size)?;
            carried = parent.documents.clone();
            let docs_same =
                documents.iter().all(|(name, (sha, _))| carried.get(name).is_some_and(|d| &d.sha256 == sha));
            if changed.is_empty() && docs_same && documents.len() == carried.len() {
                return Ok(None);
            }
        }

        // Write the point in the local folder first, after sweeping what a run cut short left.
        sweep_partials(&dests);
        let first = &dests[0];
        fs::create_dir_all(first).map_err(|e| Error::file(first, e))?;
        let partial = first.join(format!("{id}.partial"));
        fs::create_dir_all(&partial).map_err(|e| Error::file(&partial, e))?;
        let mut writer = PayloadWriter::create(&partial.join("data.age"), to)?;
        match &parent {
            None => {
                progress(Progress { stage: Stage::Encrypt, done: 0, total: u64::from(pages) });
                writer.database(snap)?;
            }
            Some(_) => {
                progress(Progress { stage: Stage::Encrypt, done: 0, total: changed.len() as u64 });
                writer.pages(snap, page_size, pages, &changed)?;
            }
        }
        let mut listed = BTreeMap::new();
        for (name, (sha256, size)) in &documents {
            let entry = match carried.get(name) {
                Some(kept) if &kept.sha256 == sha256 => kept.clone(),
                _ => {
                    writer.document(name, &self.reports.join(name))?;
                    DocumentEntry { sha256: sha256.clone(), size: *size, point: id.clone() }
                }
            };
            listed.insert(name.clone(), entry);
        }
        let (written, run_key) = writer.finish()?;
        let changed = if parent.is_some() { u32::try_from(changed.len()).unwrap_or(u32::MAX) } else { pages };
        Ok(Some(Staged {
            id,
            parent,
            dests,
            partial,
            page_size,
            pages,
            changed,
            snapshot_sha256,
            written,
            run_key,
            documents: listed,
        }))
    }

    /// The newest point, when `base.db` is the database it restores (else the next point
    /// must be full).
    fn usable_base(&self) -> Result<Option<Manifest>> {
        let Some((newest, _)) = self.found(None)?.pop() else { return Ok(None) };
        let base = self.base();
        if !base.is_file() || sha256_file(&base)? != newest.snapshot_sha256 {
            return Ok(None);
        }
        Ok(Some(newest))
    }

    fn new_id(&self, now: DateTime<Utc>, incremental: bool) -> Result<String> {
        let stem = format!("{}-{}", now.format("%Y%m%dT%H%M%SZ"), if incremental { "incr" } else { "full" });
        let taken: Vec<String> = self.found(None)?.into_iter().map(|(m, _)| m.id).collect();
        let mut id = stem.clone();
        let mut n = 1;
        while taken.contains(&id) {
            n += 1;
            id = format!("{stem}{n}");
        }
        Ok(id)
    }

    fn drill_run(
        &self,
        dir: &Path,
        manifest: &Manifest,
        key: &RunKey,
        incremental: bool,
        expected: &CopyCheck,
    ) -> Result<()> {
        check_payload(dir, manifest)?;
        let work = self.work()?;
        let rebuilt = work.join("drill.db");
        let docs = work.join("drill-reports");
        let _ = fs::remove_dir_all(&docs);
        if incremental {
            fs::copy(self.base(), &rebuilt).map_err(|e| Error::file(&rebuilt, e))?;
        } else {
            File::create(&rebuilt).map_err(|e| Error::file(&rebuilt, e))?;
        }
        let mut into = Rebuild::open(&rebuilt, &docs)?;
        payload::read(&dir.join("data.age"), &manifest.id, Opener::Run(key), &mut into)?;
        into.finish()?;
        let result = verify_rebuilt(&rebuilt, manifest, Some(expected));
        let _ = fs::remove_file(&rebuilt);
        let _ = fs::remove_dir_all(&docs);
        result
    }

    fn record_drill(&self, drill: &RestoreDrill) -> Result<()> {
        let path = self.home.join("drills.jsonl");
        let mut line = serde_json::to_vec(drill).map_err(|e| Error::Corrupt(e.to_string()))?;
        line.push(b'\n');
        let mut file =
            OpenOptions::new().create(true).append(true).open(&path).map_err(|e| Error::file(&path, e))?;
        file.write_all(&line).and_then(|()| file.sync_all()).map_err(|e| Error::file(&path, e))
    }

    /// Every drill recorded, newest first.
    pub fn drills(&self) -> Result<Vec<RestoreDrill>> {
        let path = self.home.join("drills.jsonl");
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::file(&path, e)),
        };
        // A line cut by a crash is skipped, not fatal.
        let mut drills: Vec<RestoreDrill> =
            text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
        drills.reverse();
        Ok(drills)
    }

    /// The chain of manifests from the full point to `id`, each with a folder holding it.
    fn chain(&self, id: &str, extra: Option<&Path>) -> Result<Vec<(Manifest, PathBuf)>> {
        let found = self.found(extra)?;
        let by_id: BTreeMap<&str, &(Manifest, Vec<PathBuf>)> =
            found.iter().map(|p| (p.0.id.as_str(), p)).collect();
        let mut chain = Vec::new();
        let mut next = Some(id.to_string());
        while let Some(current) = next {
            let Some((manifest, dirs)) = by_id.get(current.as_str()) else {
                return Err(refused(if chain.is_empty() {
                    Refusal::NoSuchPoint { id: current }
                } else {
                    Refusal::ChainBroken { point: id.to_string(), missing: current }
                }));
            };
            next = manifest.parent.clone();
            chain.push((manifest.clone(), dirs[0].clone()));
        }
        chain.reverse();
        Ok(chain)
    }

    /// Checks the point `id` and every point it needs against their recorded hashes, in every
    /// folder holding them, without the recovery key: a changed byte anywhere is found.
    pub fn check(&self, id: &str, extra: Option<&Path>) -> Result<()> {
        let found = self.found(extra)?;
        for (manifest, _) in self.chain(id, extra)? {
            let dirs =
                &found.iter().find(|(m, _)| m.id == manifest.id).map(|p| p.1.clone()).unwrap_or_default();
            for dir in dirs {
                check_payload(dir, &manifest)?;
            }
        }
        Ok(())
    }

    /// Rebuilds the point `id` with the recovery key into `into` (a database file) and
    /// `reports` (its signed documents), checked: byte-exact against the point's record,
    /// sound, with the rows it recorded.
    pub fn rebuild(
        &self,
        id: &str,
        key: &age::x25519::Identity,
        extra: Option<&Path>,
        into: &Path,
        reports: &Path,
    ) -> Result<Manifest> {
        let chain = self.chain(id, extra)?;
        let target = chain
            .last()
            .map(|(m, _)| m.clone())
            .ok_or_else(|| refused(Refusal::NoSuchPoint { id: id.into() }))?;
        if target.schema_version > SCHEMA_VERSION || target.format > FORMAT {
            return Err(refused(Refusal::Newer { found: target.schema_version, supported: SCHEMA_VERSION }));
        }
        // Every file is checked before any is opened: a damaged point is never half applied.
        for (manifest, dir) in &chain {
            check_payload(dir, manifest)?;
        }
        let _ = fs::remove_dir_all(reports);
        File::create(into).map_err(|e| Error::file(into, e))?;
        let mut rebuild = Rebuild::open(into, reports)?;
        for (manifest, dir) in &chain {
            payload::read(&dir.join("data.age"), &manifest.id, Opener::Recovery(key), &mut rebuild)?;
        }
        rebuild.finish()?;
        verify_rebuilt(into, &target, None)?;
        Ok(target)
    }

    /// A restore drill with the recovery key: rebuilds the point `id` (the newest when `None`)
    /// from its files in a temporary folder, checks it, and records the drill.
    pub fn drill(
        &self,
        id: Option<&str>,
        key: &age::x25519::Identity,
        now: DateTime<Utc>,
    ) -> Result<RestoreDrill> {
        let id = match id {
            Some(id) => id.to_string(),
            None => self
                .found(None)?
                .pop()
                .map(|(m, _)| m.id)
                .ok_or_else(|| refused(Refusal::NoSuchPoint { id: "-".into() }))?,
        };
        let work = self.work()?;
        let (db, docs) = (work.join("drill.db"), work.join("drill-reports"));
        let started = Instant::now();
        let result = self.rebuild(&id, key, None, &db, &docs);
        let _ = fs::remove_file(&db);
        let _ = fs::remove_dir_all(&docs);
        if result.as_ref().is_err_and(|e| e.refusal::<Refusal>() == Some(&Refusal::WrongKey)) {
            // A wrong key says nothing about the point: no drill to record.
            return Err(refused(Refusal::WrongKey));
        }
        let drill = RestoreDrill {
            at: now,
            point: id,
            with: "recovery".into(),
            ok: result.is_ok(),
            problem: result.as_ref().err().map(DrillProblem::of),
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        self.record_drill(&drill)?;
        Ok(drill)
    }

    /// Restores the point `id`: rebuilds and checks it beside the database, keeps the current
    /// database as `<db>.pre-restore` (see [`Backups::undo_restore`]) and puts the rebuilt one
    /// in its place, adding the point's signed documents the archive misses. The database must
    /// be closed (the caller holds the data folder).
    pub fn restore(&self, id: &str, key: &age::x25519::Identity, extra: Option<&Path>) -> Result<Manifest> {
        let work = self.work()?;
        let (rebuilt, docs) = (work.join("restore.db"), work.join("restore-reports"));
        let manifest = self.rebuild(id, key, extra, &rebuilt, &docs)?;
        let aside = sidecar(&self.db, ".pre-restore");
        for suffix in ["-wal", "-shm", "-closed"] {
            let _ = fs::remove_file(sidecar(&aside, suffix));
        }
        if self.db.exists() {
            fs::rename(&self.db, &aside).map_err(|e| Error::file(&self.db, e))?;
            for suffix in ["-wal", "-shm"] {
                let side = sidecar(&self.db, suffix);
                if side.exists() {
                    fs::rename(&side, sidecar(&aside, suffix)).map_err(|e| Error::file(&side, e))?;
                }
            }
        }
        let _ = fs::remove_file(sidecar(&self.db, "-closed"));
        fs::rename(&rebuilt, &self.db).map_err(|e| Error::file(&self.db, e))?;
        sync_dir(&self.db);
        merge_documents(&docs, &self.reports)?;
        let _ = fs::remove_dir_all(&docs);
        Ok(manifest)
    }

    /// Whether a restore can be undone (the database before it is kept).
    pub fn can_undo_restore(&self) -> bool {
        sidecar(&self.db, ".pre-restore").is_file()
    }

    /// Puts back the database as it was before the last restore. The database must be closed.
    pub fn undo_restore(&self) -> Result<()> {
        let aside = sidecar(&self.db, ".pre-restore");
        if !aside.is_file() {
            return Err(refused(Refusal::NothingToUndo));
        }
        for suffix in ["-wal", "-shm", "-closed"] {
            let _ = fs::remove_file(sidecar(&self.db, suffix));
        }
        fs::rename(&aside, &self.db).map_err(|e| Error::file(&aside, e))?;
        for suffix in ["-wal", "-shm"] {
            let side = sidecar(&aside, suffix);
            if side.exists() {
                fs::rename(&side, sidecar(&self.db, suffix)).map_err(|e| Error::file(&side, e))?;
            }
        }
        sync_dir(&self.db);
        Ok(())
    }

    /// Keeps the newest `keep_months` full points and every incremental that builds on them;
    /// removes the rest, in every folder.
    fn prune(&self, config: &BackupConfig) -> Result<()> {
        let found = self.found(None)?;
        let fulls: Vec<&Manifest> =
            found.iter().map(|(m, _)| m).filter(|m| m.kind == PointKind::Full).collect();
        let keep_from = fulls.len().saturating_sub(config.keep_months as usize);
        let kept_fulls: Vec<&str> = fulls[keep_from..].iter().map(|m| m.id.as_str()).collect();
        let root_of = |m: &Manifest| -> Option<String> {
            let mut current = m.clone();
            loop {
                match &current.parent {
                    None => return Some(current.id),
                    Some(parent) => current = found.iter().find(|(p, _)| &p.id == parent)?.0.clone(),
                }
            }
        };
        for (manifest, dirs) in &found {
            let keep = root_of(manifest).is_some_and(|root| kept_fulls.contains(&root.as_str()));
            if !keep {
                for dir in dirs {
                    fs::remove_dir_all(dir).map_err(|e| Error::file(dir, e))?;
                }
            }
        }
        Ok(())
    }
}

fn point_of(m: &Manifest, dirs: &[PathBuf]) -> BackupPoint {
    BackupPoint {
        id: m.id.clone(),
        kind: m.kind,
        parent: m.parent.clone(),
        created_at: m.created_at,
        schema_version: m.schema_version,
        payload_size: m.payload_size,
        changed_pages: m.changed_pages,
        pages: m.pages,
        documents: u32::try_from(m.documents.len()).unwrap_or(u32::MAX),
        rows: m.rows.clone(),
        folders: dirs.iter().filter_map(|d| d.parent()).map(|d| d.display().to_string()).collect(),
    }
}

/// The point's file as written: its size and SHA-256 as the manifest records them.
fn check_payload(dir: &Path, manifest: &Manifest) -> Result<()> {
    let data = dir.join("data.age");
    let size = fs::metadata(&data).map_err(|e| Error::file(&data, e))?.len();
    if size != manifest.payload_size || sha256_file(&data)? != manifest.payload_sha256 {
        return Err(refused(Refusal::Damaged { point: manifest.id.clone() }));
    }
    Ok(())
}

/// The rebuilt database is the point's, byte for byte. With `checked` — the run that took the
/// snapshot checked it (`integrity_check`, `foreign_key_check`, rows) and `checked` is what it
/// found — identical bytes are that same checked database, so the check is not repeated (it is
/// most of a run's time on a large store); otherwise (a drill or restore with the recovery key)
/// the rebuilt file is checked and its rows compared with the point's record.
fn verify_rebuilt(db: &Path, manifest: &Manifest, checked: Option<&CopyCheck>) -> Result<()> {
    let fail = |problem: String| refused(Refusal::DrillFailed { point: manifest.id.clone(), problem });
    if sha256_file(db)? != manifest.snapshot_sha256 {
        return Err(fail("SHA-256 differs from the snapshot".into()));
    }
    let rows = match checked {
        Some(check) => check.rows.clone(),
        None => check_copy(db).map_err(|e| fail(e.message(Lang::En)))?.rows,
    };
    if rows != manifest.rows {
        return Err(fail("row counts differ".into()));
    }
    Ok(())
}

/// A point written but not yet drilled or listed (see [`Backups::stage`]).
struct Staged {
    id: String,
    parent: Option<Manifest>,
    dests: Vec<PathBuf>,
    partial: PathBuf,
    page_size: u32,
    pages: u32,
    /// Pages carried: all of them in a full point.
    changed: u32,
    snapshot_sha256: String,
    written: payload::Written,
    run_key: RunKey,
    documents: BTreeMap<String, DocumentEntry>,
}

/// Applies records to a database file and a folder of documents.
struct Rebuild {
    file: File,
    reports: PathBuf,
}

impl Rebuild {
    fn open(db: &Path, reports: &Path) -> Result<Rebuild> {
        let file = OpenOptions::new().read(true).write(true).open(db).map_err(|e| Error::file(db, e))?;
        Ok(Rebuild { file, reports: reports.to_path_buf() })
    }

    fn finish(self) -> Result<()> {
        self.file.sync_all()?;
        Ok(())
    }
}

impl Records for Rebuild {
    fn database(&mut self, _len: u64, bytes: &mut dyn Read) -> Result<()> {
        self.file.set_len(0)?;
        self.file.seek(SeekFrom::Start(0))?;
        std::io::copy(bytes, &mut self.file)?;
        Ok(())
    }

    fn no_pages(&mut self, page_size: u32, pages: u32) -> Result<()> {
        self.file.set_len(u64::from(page_size) * u64::from(pages))?;
        Ok(())
    }

    fn page(&mut self, page_size: u32, _pages: u32, number: u32, page: &[u8]) -> Result<()> {
        self.file.seek(SeekFrom::Start(u64::from(number - 1) * u64::from(page_size)))?;
        self.file.write_all(page)?;
        Ok(())
    }

    fn document(&mut self, name: &str, bytes: Vec<u8>) -> Result<()> {
        let path = safe_join(&self.reports, name)
            .ok_or_else(|| Error::Corrupt(format!("document name {name:?}")))?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::file(parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::file(&path, e))
    }
}

/// `root/name` for a relative name of plain parts (no `..`, no root): a point cannot write
/// outside the folder it is restored into.
fn safe_join(root: &Path, name: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for part in name.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains(['\\', ':']) {
            return None;
        }
        path.push(part);
    }
    Some(path)
}

/// The database file's page size and page count, from its header.
fn page_geometry(db: &Path) -> Result<(u32, u32)> {
    let mut header = [0u8; 100];
    let mut file = File::open(db).map_err(|e| Error::file(db, e))?;
    file.read_exact(&mut header).map_err(|e| Error::file(db, e))?;
    let raw = u32::from(u16::from_be_bytes([header[16], header[17]]));
    let page_size = if raw == 1 { 65_536 } else { raw };
    let len = file.metadata().map_err(|e| Error::file(db, e))?.len();
    if page_size < 512 || len % u64::from(page_size) != 0 {
        return Err(Error::Corrupt(format!("{}: not whole pages", db.display())));
    }
    Ok((
        page_size,
        u32::try_from(len / u64::from(page_size)).map_err(|_| Error::Corrupt("too many pages".into()))?,
    ))
}

/// The pages of `new` (numbered from 1) that differ from `old` or that `old` lacks.
fn changed_pages(old: &Path, new: &Path, page_size: u32) -> Result<Vec<u32>> {
    let mut a = std::io::BufReader::with_capacity(1 << 20, File::open(old).map_err(|e| Error::file(old, e))?);
    let mut b = std::io::BufReader::with_capacity(1 << 20, File::open(new).map_err(|e| Error::file(new, e))?);
    let size = page_size as usize;
    let (mut pa, mut pb) = (vec![0; size], vec![0; size]);
    let mut changed = Vec::new();
    let mut number = 0u32;
    loop {
        if !read_page(&mut b, &mut pb)? {
            return Ok(changed);
        }
        number += 1;
        if !read_page(&mut a, &mut pa)? || pa != pb {
            changed.push(number);
        }
    }
}

/// Reads a whole page; `false` at the end of the file.
fn read_page(from: &mut impl Read, page: &mut [u8]) -> Result<bool> {
    let mut filled = 0;
    while filled < page.len() {
        match from.read(&mut page[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled == page.len())
}

/// Every file under `reports/`: name (with `/`) → (SHA-256, size).
fn list_documents(reports: &Path) -> Result<BTreeMap<String, (String, u64)>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![(reports.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::file(&dir, e)),
        };
        for entry in entries.flatten() {
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let path = entry.path();
            if path.is_dir() {
                stack.push((path, format!("{name}/")));
            } else if path.is_file() {
                let size = entry.metadata().map_err(|e| Error::file(&path, e))?.len();
                found.insert(name, (sha256_file(&path)?, size));
            }
        }
    }
    Ok(found)
}

/// Adds the documents of `from` that `to` does not have (signed documents are never changed,
/// so one that is there is kept as it is).
fn merge_documents(from: &Path, to: &Path) -> Result<()> {
    for (name, _) in list_documents(from)? {
        let Some(target) = safe_join(to, &name) else { continue };
        if target.exists() {
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::file(parent, e))?;
        }
        let source = from.join(&name);
        fs::copy(&source, &target).map_err(|e| Error::file(&target, e))?;
    }
    Ok(())
}

/// Removes the `.partial` folders a run cut short (a crash, a pulled disk) left behind; only
/// one run writes at a time.
fn sweep_partials(dirs: &[PathBuf]) {
    for dir in dirs {
        let Ok(entries) = fs::read_dir(dir) else { continue };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().ends_with(".partial") {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Copies the point folder `from` into `dest/<id>`, whole or not at all.
fn copy_point(from: &Path, dest: &Path, id: &str) -> Result<()> {
    fs::create_dir_all(dest).map_err(|e| Error::file(dest, e))?;
    let partial = dest.join(format!("{id}.partial"));
    let _ = fs::remove_dir_all(&partial);
    fs::create_dir_all(&partial).map_err(|e| Error::file(&partial, e))?;
    for name in ["data.age", "manifest.json"] {
        let target = partial.join(name);
        fs::copy(from.join(name), &target).map_err(|e| Error::file(&target, e))?;
        File::open(&target).and_then(|f| f.sync_all()).map_err(|e| Error::file(&target, e))?;
    }
    publish(&partial, &dest.join(id))
}

/// Renames a whole point folder into place and makes the rename durable.
fn publish(partial: &Path, done: &Path) -> Result<()> {
    sync_dir(&partial.join("x"));
    fs::rename(partial, done).map_err(|e| Error::file(done, e))?;
    sync_dir(done);
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file, synced and renamed.
fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = sidecar(path, ".tmp");
    let mut file = File::create(&tmp).map_err(|e| Error::file(&tmp, e))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| Error::file(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| Error::file(path, e))?;
    sync_dir(path);
    Ok(())
}

/// Makes the directory entry of `path` durable (not possible on Windows, where renames are).
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
}

/// Whether two folders are on one device (never on Windows, which has no device numbers here).
fn same_device(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let dev = |p: &Path| p.ancestors().find_map(|d| fs::metadata(d).ok()).map(|m| m.dev());
        dev(a).is_some() && dev(a) == dev(b)
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Restores the point `id` into the open store's data folder: the store is closed (its folder
/// still held), the point put in place and the store opened again on it. Should the restored
/// file not open, the restore is undone and the store reopened on the data as it was.
pub fn restore_in_place(
    store: &mut Store,
    id: &str,
    key: &RecoveryIdentity,
    extra: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<Manifest> {
    let backups = Backups::of_store(store)?;
    let mut restored = None;
    let swap = || {
        restored = Some(backups.restore(id, key, extra)?);
        Ok(())
    };
    swap_in_place(store, now, swap, || backups.undo_restore())?;
    let manifest = restored.ok_or_else(|| refused(Refusal::NoSuchPoint { id: id.to_string() }))?;
    // Recorded in the restored database's own trail (the one before keeps its own).
    let detail = serde_json::json!({ "point": manifest.id, "createdAt": manifest.created_at, "schemaVersion": manifest.schema_version });
    store.record_audit("restore", "backup", &manifest.id, &detail)?;
    Ok(manifest)
}

/// Puts back the database as it was before the last restore, with the store reopened on it.
pub fn undo_restore_in_place(store: &mut Store, now: DateTime<Utc>) -> Result<()> {
    let backups = Backups::of_store(store)?;
    if !backups.can_undo_restore() {
        return Err(refused(Refusal::NothingToUndo));
    }
    // The restore being undone, named in the entry (its own entry goes with the data it made).
    let recent = crate::store::audit::AuditQuery { entity: "backup".into(), limit: 50, ..Default::default() };
    let point =
        store.audit_entries(&recent)?.into_iter().find(|e| e.action == "restore").map(|e| e.entity_id);
    let point = point.unwrap_or_default();
    swap_in_place(store, now, || backups.undo_restore(), || Ok(()))?;
    store.record_audit("undo_restore", "backup", &point, &serde_json::json!({ "point": point }))
}

/// Closes `store`, runs `swap` on its file, and reopens it; when the swapped file does not
/// open, runs `back` and reopens what it left.
fn swap_in_place(
    store: &mut Store,
    now: DateTime<Utc>,
    swap: impl FnOnce() -> Result<()>,
    back: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let placeholder = Store::open_in_memory(now)?;
    let mut closed = std::mem::replace(store, placeholder).close_keeping_folder()?;
    let swapped = swap();
    match (swapped, closed.reopen(now)) {
        (Ok(()), Ok(reopened)) => {
            *store = reopened;
            Ok(())
        }
        (Err(e), Ok(reopened)) => {
            *store = reopened;
            Err(e)
        }
        (swapped, Err(open_failed)) => {
            if swapped.is_ok() {
                back()?;
            }
            *store = closed.reopen(now)?;
            Err(swapped.err().unwrap_or(open_failed))
        }
    }
}

/// Reads the recovery key from text: a file holding it, or the key as typed from the recovery
/// sheet (in groups, spaces and line breaks anywhere, any case).
pub fn parse_recovery_key(text: &str) -> Result<RecoveryIdentity> {
    const PREFIX: &str = "AGE-SECRET-KEY-1";
    let squeezed: String =
        text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let start = squeezed.find(PREFIX).ok_or_else(|| refused(Refusal::BadRecoveryKey))?;
    let key: String = squeezed[start..]
        .chars()
        .enumerate()
        .take_while(|(i, c)| *i < PREFIX.len() || c.is_ascii_alphanumeric())
        .map(|(_, c)| c)
        .collect();
    key.parse().map_err(|_| refused(Refusal::BadRecoveryKey))
}
