//! Importing 10,000 people from an .xlsx file. Run: `cargo bench -p yunwei-core --bench people`.
//!
//! Both write to a database file in a temporary directory, as on a user's disk.
//! *Now*: read the workbook, check every row, write all in one transaction (the app's import).
//! *Baseline*, same run: the same rows saved one by one through the person form's path
//! (`create_person`: a transaction and a duplicate check each), as typing them in would.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use yunwei_core::people::import::{auto_map, read_sheet, rows_to_forms};
use yunwei_core::people::PersonKind;
use yunwei_core::store::Store;
use yunwei_core::Lang;

const DEPARTMENTS: [&str; 5] = ["项目经理", "项目实施部", "客服服务部", "质量管理部", "培训组"];

fn workbook(rows: usize) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in
        ["姓名", "部门", "职务", "电话", "电子邮件", "技能", "证书", "驻场", "入职日期"].iter().enumerate()
    {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    for i in 0..rows {
        let r = (i + 1) as u32;
        let cells = [
            format!("员工{i:05}"),
            DEPARTMENTS[i % 5].to_owned(),
            "工程师".to_owned(),
            format!("138{i:08}"),
            format!("staff{i}@example.cn"),
            "Linux:5; Oracle:3".to_owned(),
            "PMP(2027-05-01)".to_owned(),
            if i % 7 == 0 { "是" } else { "否" }.to_owned(),
            "2024-03-01".to_owned(),
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, v).expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

/// A new database file, as on a user's disk (WAL, synchronous commits).
fn fresh_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("yunwei.db"), yunwei_core::now()).expect("store");
    (dir, store)
}

fn benches(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).single().expect("instant");
    let xlsx = workbook(10_000);
    eprintln!("workbook: {} bytes", xlsx.len());
    let mut group = c.benchmark_group("import 10,000 people");
    group.sample_size(10);
    group.bench_function("xlsx → checked → one transaction", |b| {
        b.iter_batched(
            fresh_store,
            |(_dir, mut store)| {
                let sheet = read_sheet(&xlsx, "people.xlsx").expect("sheet");
                let mapping = auto_map(&sheet.headers);
                let n = yunwei_core::app::people::import_people(
                    &mut store,
                    &sheet,
                    &mapping,
                    PersonKind::Team,
                    Lang::ZhCn,
                    now,
                    |_, _| {},
                )
                .expect("import");
                black_box(n)
            },
            BatchSize::PerIteration,
        )
    });
    let sheet = read_sheet(&xlsx, "people.xlsx").expect("sheet");
    let forms = rows_to_forms(&sheet, &auto_map(&sheet.headers), PersonKind::Team);
    group.bench_function("baseline: one create_person per row", |b| {
        b.iter_batched(
            fresh_store,
            |(_dir, mut store)| {
                for form in &forms {
                    store.create_person(form, now).expect("person");
                }
                black_box(store)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(people_benches, benches);
criterion_main!(people_benches);
