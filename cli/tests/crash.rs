//! Crash safety: the process is killed (SIGKILL) at random moments while it writes and while it
//! backs up, 50 times. After each kill the database passes `PRAGMA integrity_check`, every write
//! that was acknowledged (its command exited 0) is there, every listed backup point is whole
//! (its files match their hashes), and the next run works.

#![cfg(unix)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 50;

fn cli() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yunwei-cli"));
    c.env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
    c
}

fn ok(args: &[&str]) -> String {
    let out = cli().args(args).output().expect("run yunwei-cli");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A small generator, seeded from the clock and printed, so a failing run can be repeated
/// (`CRASH_SEED=…`).
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn kill_after(mut child: Child, delay: Duration) -> bool {
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return status.success();
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill(); // SIGKILL
    child.wait().map(|s| s.success()).unwrap_or(false)
}

fn integrity(db: &Path) -> String {
    let out = Command::new("sqlite3")
        .arg(db)
        .arg("PRAGMA integrity_check;")
        .output()
        .expect("sqlite3 (the Makefile installs it)");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn killed_at_random_while_writing_and_backing_up_nothing_acknowledged_is_lost() {
    let seed = std::env::var("CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
    });
    println!("CRASH_SEED={seed}");
    let mut random = Random(seed);
    let dir = tempfile::tempdir().expect("temp dir");
    ok(&["sample-data", "--data-dir", dir.path().to_str().expect("path")]);
    let data = dir.path().join("sample");
    let d = data.to_str().expect("path");
    let key = dir.path().join("key.txt");
    ok(&["backup", "setup", "--key-out", key.to_str().expect("path"), "--data-dir", d]);
    ok(&["backup", "now", "--data-dir", d]);
    let db = data.join("db/yunwei.db");

    let mut acknowledged: Vec<String> = Vec::new();
    let (mut writes_killed, mut backups_killed) = (0, 0);
    for round in 0..KILLS {
        if round % 2 == 0 {
            // A write: one incident imported, killed somewhere between start and commit.
            let title = format!("崩溃测试 {round}");
            let file = dir.path().join(format!("import-{round}.json"));
            std::fs::write(
                &file,
                format!(r#"{{"incidents":[{{"title":"{title}","level":"IV","channel":"hotline","reported_at":"2026-11-20T09:00:00+08:00","events":[]}}]}}"#),
            )
            .expect("import file");
            let child = cli()
                .args(["incident", "import", file.to_str().expect("path"), "--data-dir", d])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn");
            if kill_after(child, Duration::from_millis(random.below(60))) {
                acknowledged.push(title);
            } else {
                writes_killed += 1;
            }
        } else {
            let child = cli()
                .args(["backup", "now", "--full", "--data-dir", d])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn");
            if !kill_after(child, Duration::from_millis(random.below(250))) {
                backups_killed += 1;
            }
        }
        assert_eq!(integrity(&db), "ok", "round {round} (CRASH_SEED={seed})");
        // Every listed point is whole: its files and the ones it needs match their hashes.
        let points: Vec<serde_json::Value> =
            serde_json::from_str(&ok(&["backup", "list", "--json", "--data-dir", d])).expect("points");
        for p in &points {
            ok(&["backup", "verify", p["id"].as_str().expect("id"), "--data-dir", d]);
        }
    }
    let listed: Vec<serde_json::Value> = serde_json::from_str(&ok(&[
        "incidents",
        "--search",
        "崩溃测试",
        "--limit",
        "500",
        "--json",
        "--data-dir",
        d,
    ]))
    .expect("incidents");
    for title in &acknowledged {
        let found: Vec<&serde_json::Value> = listed.iter().filter(|i| i["title"] == title.as_str()).collect();
        assert_eq!(found.len(), 1, "{title} stored once (CRASH_SEED={seed}): {found:?}");
    }
    // The next runs recover: a backup and a drill with the recovery key pass.
    ok(&["backup", "now", "--data-dir", d]);
    let drilled = ok(&["backup", "verify", "--identity", key.to_str().expect("path"), "--data-dir", d]);
    assert!(drilled.contains("恢复演练通过"), "{drilled}");
    println!(
        "{writes_killed} writes and {backups_killed} backups killed mid-way; {} writes acknowledged",
        acknowledged.len()
    );
    assert!(
        writes_killed + backups_killed >= KILLS / 5,
        "the kills land mid-way often enough to mean something"
    );
}
