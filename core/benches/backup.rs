//! The window's list query while a backup runs: the first page of the incident list (the app's
//! own connection, as the window reads it) with nothing else running, and while a thread makes
//! full backup points of the same store one after another (snapshot, checks, zstd, age, drill).
//! The store is the 100,000-incident one `tests/bench/import.sh` leaves in
//! `target/bench-data/import/ours` (or `YUNWEI_BENCH_STORE`, a data folder); copied first.
//! Run: `cargo bench --workspace --bench backup` (tests/bench/backup.sh runs it).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use yunwei_core::app::backup::Backups;
use yunwei_core::incident::IncidentQuery;
use yunwei_core::store::Store;

fn store_folder() -> Option<PathBuf> {
    let source = std::env::var_os("YUNWEI_BENCH_STORE").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bench-data/import/ours"))
    });
    source.join("db/yunwei.db").is_file().then_some(source)
}

fn list_while_backing_up(c: &mut Criterion) {
    let Some(source) = store_folder() else {
        eprintln!("no 100,000-incident store: run tests/bench/import.sh first");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("db")).expect("db dir");
    std::fs::copy(source.join("db/yunwei.db"), dir.path().join("db/yunwei.db")).expect("copy the store");
    let now = yunwei_core::now();
    let store = Store::open_app(Some(dir.path()), now).expect("store");
    let backups = Backups::of_store(&store).expect("backups");
    backups.set_up(None, Some(100)).expect("set up");
    let query = IncidentQuery { limit: 50, ..Default::default() };

    let mut group = c.benchmark_group("list 50 of 100k");
    group.sample_size(30);
    group.bench_function("idle", |b| b.iter(|| store.list_incidents(&query, now).expect("list")));

    let stop = Arc::new(AtomicBool::new(false));
    let runs = Arc::new(AtomicUsize::new(0));
    let worker = {
        let (stop, runs) = (stop.clone(), runs.clone());
        let backups = Backups::of_store(&store).expect("backups");
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                backups.run(true, None, yunwei_core::now(), &mut |_| {}).expect("backup");
                runs.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    group.bench_function("during a full backup", |b| {
        b.iter(|| store.list_incidents(&query, now).expect("list"))
    });
    stop.store(true, Ordering::Relaxed);
    worker.join().expect("backup thread");
    eprintln!("full backups made while measuring: {}", runs.load(Ordering::Relaxed));
    group.finish();
}

criterion_group!(benches, list_while_backing_up);
criterion_main!(benches);
