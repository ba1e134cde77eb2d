//! The data folder shared by the window and the command line (issue 12): a stray `close()` of
//! the database file in the app's process (a GTK file chooser sniffing the folder) drops every
//! POSIX lock SQLite holds, so another process that opens the database believes it is the last
//! user, checkpoints and deletes the WAL the app is still writing into. The app-level lock must
//! keep that second process away.

use std::path::Path;
use std::process::{Command, Output};

use chrono::TimeZone;
use yunwei_core::incident::{IncidentQuery, NewIncident};
use yunwei_core::store::Store;

fn yunwei(dir: &Path, args: &[&str]) -> Output {
    run(Command::new(env!("CARGO_BIN_EXE_yunwei")), dir, args)
}

/// Runs `cmd` (the binary, or a wrapper of it) with `args` on the data folder `dir`, headless.
fn run(mut cmd: Command, dir: &Path, args: &[&str]) -> Output {
    cmd.args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run yunwei")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn incident(title: &str) -> NewIncident {
    NewIncident {
        title: title.into(),
        level: "III".into(),
        channel: "email".into(),
        reported_at: "2026-11-27T10:00:00+08:00".into(),
        reporter: "测试".into(),
        description: String::new(),
        system: String::new(),
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap()
}

fn count(store: &Store) -> usize {
    store.list_incidents(&IncidentQuery::default(), now()).expect("list").items.len()
}

/// What the GTK file chooser does in the app's process while it shows a folder: opens each file
/// and closes it again. Closing any descriptor of a file cancels the process's POSIX locks on it.
fn sniff_like_a_file_dialog(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        if let Ok(file) = std::fs::File::open(&name) {
            drop(file);
        }
    }
}

#[test]
fn a_file_dialog_then_the_command_line_lose_nothing_the_app_saves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = Store::open_app(Some(dir.path()), now()).expect("the app opens its data folder");
    app.create_incident(&incident("A"), now()).expect("save A");
    let db = app.path().expect("a file").to_path_buf();

    sniff_like_a_file_dialog(&db);
    let out = yunwei(dir.path(), &["incidents"]);
    assert!(out.status.success(), "reading while the app runs works: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains('A'), "the command line sees A: {}", text(&out.stdout));

    let import = tempfile::tempdir().expect("temp dir");
    let file = import.path().join("one.json");
    let one = r#"{"incidents": [{"title": "C", "level": "IV", "channel": "email", "reported_at": "2026-11-27T09:00:00+08:00"}]}"#;
    std::fs::write(&file, one).expect("write import file");
    let file = file.to_str().expect("utf-8 path");
    let out = yunwei(dir.path(), &["incident", "import", file]);
    assert!(!out.status.success(), "a change from the command line is refused while the app runs");
    assert!(text(&out.stderr).contains("运维台正在使用数据目录"), "and says why: {}", text(&out.stderr));

    app.create_incident(&incident("B"), now()).expect("save B");
    assert_eq!(count(&app), 2);
    let out = yunwei(dir.path(), &["incidents"]);
    assert_eq!(text(&out.stdout).lines().count(), 2, "the command line sees B too: {}", text(&out.stdout));
    drop(app);

    let reopened = Store::open_app(Some(dir.path()), now()).expect("reopen");
    assert_eq!(count(&reopened), 2, "both incidents survive the app closing");
    drop(reopened);
    let out = yunwei(dir.path(), &["incident", "import", file]);
    assert!(
        out.status.success(),
        "with the app closed the command line may change data: {}",
        text(&out.stderr)
    );
}

#[test]
fn a_second_window_on_the_same_folder_is_refused_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let _app = Store::open_app(Some(dir.path()), now()).expect("the first window");
    let Err(second) = Store::open_app(Some(dir.path()), now()) else { panic!("a second window is refused") };
    assert_eq!(second.code(), "app_already_open");
    assert!(second.message(yunwei_core::Lang::ZhCn).contains("另一个窗口"));
    let other = tempfile::tempdir().expect("temp dir");
    Store::open_app(Some(other.path()), now()).expect("a window on another folder opens");
}

/// Runs the command line as a user who may read `dir` but not write it: as root (who writes
/// anywhere) under the `nobody` account, else as the current user.
fn yunwei_without_write_access(dir: &Path, args: &[&str]) -> Output {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the process's effective user.
    let root = std::fs::metadata("/proc/self").expect("/proc/self").uid() == 0;
    if !root {
        return yunwei(dir, args);
    }
    let mut nobody = Command::new("setpriv");
    nobody.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_yunwei")]);
    run(nobody, dir, args)
}

/// Makes `path` and everything under it readable and not writable by anyone but root.
fn read_only_tree(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in std::fs::read_dir(path).expect("list") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_dir() {
            read_only_tree(&entry.path());
        } else {
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o444)).expect("chmod");
        }
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o555)).expect("chmod");
}

/// A data folder on a read-only share, or another user's: listing works read-only, a change is
/// refused in plain words, and nothing is written into the folder.
#[test]
fn a_read_only_data_folder_is_read_and_changes_are_refused_plainly() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let dir = tmp.path().join("data");
    {
        let mut store =
            Store::open_data_dir(Some(&dir), yunwei_core::data_dir::Access::Change, now()).expect("open");
        store.create_incident(&incident("只读目录中的故障"), now()).expect("save");
    }
    let import = tmp.path().join("history.json");
    std::fs::write(
        &import,
        r#"{"incidents": [{"title": "白屏", "level": "I", "channel": "onsite",
            "reported_at": "2026-11-02T09:00:00+08:00"}]}"#,
    )
    .expect("write import file");
    std::fs::set_permissions(&import, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    read_only_tree(&dir);
    let before: Vec<_> = walk(&dir);

    let out = yunwei_without_write_access(&dir, &["incidents"]);
    assert!(out.status.success(), "a read-only folder is listed: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("只读目录中的故障"), "{}", text(&out.stdout));

    let out = yunwei_without_write_access(&dir, &["incident", "import", import.to_str().expect("path")]);
    assert!(!out.status.success(), "a change is refused");
    let err = text(&out.stderr);
    assert!(err.contains("只读") && err.contains(&dir.display().to_string()), "and says why: {err}");

    assert_eq!(walk(&dir), before, "nothing was written into the folder");
}

/// Every file under `dir` with its size, sorted.
fn walk(dir: &Path) -> Vec<(String, u64)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("list") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_dir() {
            files.extend(walk(&entry.path()));
        } else {
            files.push((entry.path().display().to_string(), entry.metadata().expect("meta").len()));
        }
    }
    files.sort();
    files
}
