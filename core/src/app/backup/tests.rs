use super::*;
use crate::data_dir::DataDir;
use crate::store::testing::{new_incident, now, seed_incidents};
use crate::store::Store;
use chrono::{Duration, TimeZone};
use rusqlite::Connection;

/// A data folder with a store of `n` incidents, closed, and its backups.
struct Folder {
    _dir: tempfile::TempDir,
    data: DataDir,
    backups: Backups,
}

impl Folder {
    fn new(n: i64) -> Folder {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = DataDir::resolve(Some(dir.path())).expect("data dir");
        let mut store = Store::open_app(Some(dir.path()), now()).expect("store");
        seed_incidents(&mut store, n);
        drop(store);
        let backups = Backups::new(data.root(), &data.db_file(), &data.reports_dir());
        Folder { _dir: dir, data, backups }
    }

    fn store(&self) -> Store {
        Store::open_app(Some(self.data.root()), now()).expect("store")
    }

    fn add_incidents(&self, n: usize, tag: &str) {
        let mut store = self.store();
        for i in 0..n {
            store
                .create_incident(&new_incident(&format!("{tag} {i}"), &now().to_rfc3339()), now())
                .expect("incident");
        }
    }

    fn run(&self, full: bool, at: DateTime<Utc>) -> RunOutcome {
        self.backups.run(full, None, at, &mut |_| {}).expect("backup run")
    }

    fn document(&self, name: &str, bytes: &[u8]) {
        let path = self.data.reports_dir().join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("reports dir");
        fs::write(path, bytes).expect("document");
    }
}

fn made(outcome: RunOutcome) -> (BackupPoint, RestoreDrill) {
    match outcome {
        RunOutcome::Made { point, drill } => (*point, drill),
        RunOutcome::Unchanged => panic!("expected a point"),
    }
}

/// Every row of every table, as text, table by table: what "the same data" means.
fn dump(db: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<rusqlite::Result<_>>()
        .expect("tables");
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).expect("select");
            let width = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..width)
                        .map(|i| format!("{:?}", r.get_ref(i).map(|v| v.to_owned())))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .expect("rows")
                .collect::<rusqlite::Result<_>>()
                .expect("rows");
            rows.sort();
            (t, rows)
        })
        .collect()
}

fn key(secret: &str) -> age::x25519::Identity {
    parse_recovery_key(secret).expect("recovery key")
}

#[test]
fn each_point_of_a_chain_restores_the_data_as_it_was() {
    let f = Folder::new(20);
    let secret = f.backups.set_up(None, None).expect("set up").secret;
    f.document("2026/report-1.pdf", b"%PDF first");
    let t0 = now();
    let (full, drill) = made(f.run(false, t0));
    assert_eq!(full.kind, PointKind::Full);
    assert!(drill.ok, "{drill:?}");
    let at_full = dump(&f.data.db_file());

    f.add_incidents(5, "第二批");
    f.document("2026/report-2.pdf", b"%PDF second");
    let (first, drill) = made(f.run(false, t0 + Duration::days(7)));
    assert_eq!((first.kind, first.parent.as_deref()), (PointKind::Incremental, Some(full.id.as_str())));
    assert!(drill.ok, "{drill:?}");
    assert!(
        first.changed_pages < first.pages,
        "only changed pages: {} of {}",
        first.changed_pages,
        first.pages
    );
    let at_first = dump(&f.data.db_file());

    f.add_incidents(3, "第三批");
    let (second, _) = made(f.run(false, t0 + Duration::days(14)));
    assert_eq!(second.parent.as_deref(), Some(first.id.as_str()));
    let at_second = dump(&f.data.db_file());
    assert_ne!(at_first, at_second);

    // Rebuilt elsewhere with the recovery key: each point is the data of its time.
    let out = tempfile::tempdir().expect("out");
    for (point, expected, docs) in [(&full, &at_full, 1), (&first, &at_first, 2), (&second, &at_second, 2)] {
        let db = out.path().join(format!("{}.db", point.id));
        let reports = out.path().join(format!("{}-reports", point.id));
        f.backups.rebuild(&point.id, &key(&secret), None, &db, &reports).expect("rebuild");
        assert_eq!(&dump(&db), expected, "point {}", point.id);
        assert_eq!(list_documents(&reports).expect("documents").len(), docs);
    }
    assert_eq!(
        fs::read(out.path().join(format!("{}-reports/2026/report-2.pdf", second.id))).expect("doc"),
        b"%PDF second"
    );
    // Every run's drill is on record, newest first.
    let drills = f.backups.drills().expect("drills");
    assert_eq!(
        drills.iter().map(|d| d.point.as_str()).collect::<Vec<_>>(),
        [&second.id, &first.id, &full.id]
    );
}

#[test]
fn restore_puts_an_older_point_in_place_and_undo_brings_the_newer_data_back() {
    let f = Folder::new(5);
    let secret = f.backups.set_up(None, None).expect("set up").secret;
    let (full, _) = made(f.run(false, now()));
    let before = dump(&f.data.db_file());
    f.add_incidents(4, "之后");
    let after = dump(&f.data.db_file());

    f.backups.restore(&full.id, &key(&secret), None).expect("restore");
    assert_eq!(dump(&f.data.db_file()), before);
    assert_eq!(f.store().list_incidents(&Default::default(), now()).expect("list").total, 5);
    assert!(f.backups.can_undo_restore());

    f.backups.undo_restore().expect("undo");
    assert_eq!(dump(&f.data.db_file()), after);
    assert!(!f.backups.can_undo_restore());
}

#[test]
fn a_wrong_recovery_key_is_refused_and_changes_nothing() {
    let f = Folder::new(3);
    f.backups.set_up(None, None).expect("set up");
    let (full, _) = made(f.run(false, now()));
    let db_before = fs::read(f.data.db_file()).expect("db");
    let stranger = age::x25519::Identity::generate();
    let err = f.backups.restore(&full.id, &stranger, None).expect_err("wrong key");
    assert_eq!(err.refusal::<Refusal>(), Some(&Refusal::WrongKey));
    assert!(err.message(Lang::ZhCn).contains("恢复密钥"));
    assert_eq!(fs::read(f.data.db_file()).expect("db"), db_before);
    assert!(!f.backups.can_undo_restore());
    assert_eq!(
        parse_recovery_key("age1notasecret").err().and_then(|e| e.refusal::<Refusal>().cloned()),
        Some(Refusal::BadRecoveryKey)
    );
}

#[test]
fn one_flipped_byte_in_a_point_is_found_and_the_point_is_never_restored() {
    let f = Folder::new(3);
    let secret = f.backups.set_up(None, None).expect("set up").secret;
    let (full, _) = made(f.run(false, now()));
    f.add_incidents(2, "改");
    let (incr, _) = made(f.run(false, now() + Duration::days(7)));
    f.backups.check(&incr.id, None).expect("sound");

    let data = f.backups.local_points().join(&full.id).join("data.age");
    let mut bytes = fs::read(&data).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    fs::write(&data, bytes).expect("write");

    let damaged = Some(Refusal::Damaged { point: full.id.clone() });
    assert_eq!(f.backups.check(&incr.id, None).err().and_then(|e| e.refusal::<Refusal>().cloned()), damaged);
    let db_before = fs::read(f.data.db_file()).expect("db");
    let err = f.backups.restore(&incr.id, &key(&secret), None).expect_err("damaged");
    assert_eq!(err.refusal::<Refusal>().cloned(), damaged);
    assert_eq!(fs::read(f.data.db_file()).expect("db"), db_before);
}

#[test]
fn nothing_changed_makes_no_incremental_and_a_missing_base_makes_a_full_point() {
    let f = Folder::new(3);
    f.backups.set_up(None, None).expect("set up");
    made(f.run(false, now()));
    assert_eq!(f.run(false, now() + Duration::days(7)), RunOutcome::Unchanged);
    // A new document alone is a change.
    f.document("a.pdf", b"%PDF");
    let (point, _) = made(f.run(false, now() + Duration::days(7)));
    assert_eq!((point.kind, point.changed_pages, point.documents), (PointKind::Incremental, 0, 1));
    fs::remove_file(f.backups.base()).expect("base gone");
    let (point, _) = made(f.run(false, now() + Duration::days(8)));
    assert_eq!(point.kind, PointKind::Full);
}

#[test]
fn a_half_written_point_is_never_listed() {
    let f = Folder::new(1);
    f.backups.set_up(None, None).expect("set up");
    let (full, _) = made(f.run(false, now()));
    let points = f.backups.local_points();
    let partial = points.join("20991231T000000Z-full.partial");
    fs::create_dir_all(&partial).expect("partial");
    fs::copy(points.join(&full.id).join("manifest.json"), partial.join("manifest.json")).expect("copy");
    fs::write(partial.join("data.age"), b"cut").expect("cut");
    // A folder whose manifest is missing (the crash came before it) is not a point either.
    fs::create_dir_all(points.join("20991231T000001Z-full")).expect("dir");
    fs::write(points.join("20991231T000001Z-full/data.age"), b"cut").expect("cut");
    let listed: Vec<String> = f.backups.points(None).expect("points").into_iter().map(|p| p.id).collect();
    assert_eq!(listed, [full.id]);
}

#[test]
fn the_schedule_asks_for_a_full_point_each_month_and_an_incremental_each_week() {
    let f = Folder::new(1);
    let monday = Utc.with_ymd_and_hms(2026, 11, 2, 2, 0, 0).unwrap(); // 10:00 in Shanghai
    assert_eq!(f.backups.due(monday).expect("due"), None, "not set up: nothing due");
    f.backups.set_up(None, None).expect("set up");
    assert_eq!(f.backups.due(monday).expect("due"), Some(PointKind::Full));
    made(f.run(false, monday));
    assert_eq!(f.backups.due(monday + Duration::days(3)).expect("due"), None);
    assert_eq!(f.backups.due(monday + Duration::days(7)).expect("due"), Some(PointKind::Incremental));
    // The laptop was off for weeks: the next start in a new month catches up with a full one.
    assert_eq!(f.backups.due(monday + Duration::days(35)).expect("due"), Some(PointKind::Full));
}

#[test]
fn retention_keeps_the_newest_fulls_with_their_incrementals() {
    let f = Folder::new(2);
    f.backups.set_up(None, Some(2)).expect("set up");
    let t = Utc.with_ymd_and_hms(2026, 9, 1, 2, 0, 0).unwrap();
    let mut ids = Vec::new();
    for month in 0..3 {
        let start = t + Duration::days(31 * month);
        ids.push(made(f.run(true, start)).0.id);
        f.add_incidents(1, "周");
        ids.push(made(f.run(false, start + Duration::days(7))).0.id);
    }
    let listed: Vec<String> = f.backups.points(None).expect("points").into_iter().map(|p| p.id).collect();
    assert_eq!(listed, ids[2..]);
}

#[test]
fn a_second_folder_receives_every_point_and_a_point_from_a_newer_yunwei_is_refused() {
    let f = Folder::new(2);
    let other = tempfile::tempdir().expect("usb");
    let secret = f.backups.set_up(Some(other.path()), None).expect("set up").secret;
    let (full, _) = made(f.run(false, now()));
    assert_eq!(full.folders.len(), 2);
    let copy = other.path().join(FOLDER_NAME).join(&full.id);
    assert_eq!(
        fs::read(copy.join("data.age")).expect("copy"),
        fs::read(f.backups.local_points().join(&full.id).join("data.age")).expect("local")
    );

    // Only the second folder is left (the laptop was lost): it restores.
    fs::remove_dir_all(f.backups.local_points()).expect("local gone");
    let out = tempfile::tempdir().expect("out");
    f.backups
        .rebuild(&full.id, &key(&secret), None, &out.path().join("db"), &out.path().join("r"))
        .expect("rebuild");

    let manifest_path = copy.join("manifest.json");
    let mut manifest: Manifest =
        serde_json::from_slice(&fs::read(&manifest_path).expect("manifest")).expect("json");
    manifest.schema_version = SCHEMA_VERSION + 1;
    fs::write(&manifest_path, serde_json::to_vec(&manifest).expect("json")).expect("write");
    let err = f.backups.restore(&full.id, &key(&secret), None).expect_err("newer");
    assert!(matches!(err.refusal::<Refusal>(), Some(Refusal::Newer { .. })));
}

#[test]
fn the_key_as_typed_from_the_sheet_opens_the_backups_and_the_sheet_renders() {
    let f = Folder::new(2);
    let secret = f.backups.set_up(None, None).expect("set up").secret;
    let typed = crate::report::recovery::grouped(&secret).join("\n").to_lowercase();
    assert_eq!(key(&typed).to_public().to_string(), key(&secret).to_public().to_string());
    let store = f.store();
    let pdf = crate::app::documents::recovery_sheet_pdf(&store, &typed, Lang::ZhCn, now()).expect("sheet");
    assert!(pdf.starts_with(b"%PDF"));
    let err = crate::app::documents::recovery_sheet_pdf(&store, "AGE-SECRET-KEY-1XYZ", Lang::En, now())
        .expect_err("bad");
    assert_eq!(err.refusal::<Refusal>(), Some(&Refusal::BadRecoveryKey));
}

#[test]
fn restore_in_place_reopens_the_store_on_the_restored_data() {
    let f = Folder::new(3);
    let secret = f.backups.set_up(None, None).expect("set up").secret;
    let (full, _) = made(f.run(false, now()));
    f.add_incidents(2, "后来");
    let mut store = f.store();
    restore_in_place(&mut store, &full.id, &key(&secret), None, now()).expect("restore");
    assert_eq!(store.list_incidents(&Default::default(), now()).expect("list").total, 3);
    // The folder is still held by the reopened store.
    assert!(Store::open_app(Some(f.data.root()), now()).is_err());
    undo_restore_in_place(&mut store, now()).expect("undo");
    assert_eq!(store.list_incidents(&Default::default(), now()).expect("list").total, 5);
    // The trail of the data in place says which restore was undone.
    let trail = store.audit_entries(&Default::default()).expect("trail");
    assert_eq!((trail[0].action.as_str(), trail[0].entity_id.as_str()), ("undo_restore", full.id.as_str()));
}
