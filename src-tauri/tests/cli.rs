//! The headless face of the real binary: no display, no window, just answers.

use std::process::Command;

fn yunwei(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_yunwei"))
        .args(args)
        // No display: a command that tried to open a window would fail here.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run yunwei")
}

#[test]
fn help_lists_the_commands() {
    let out = yunwei(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for word in ["sample-data", "incidents", "--data-dir"] {
        assert!(text.contains(word), "--help mentions {word}: {text}");
    }
}

#[test]
fn sample_data_lands_in_the_given_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir_arg = dir.path().to_str().expect("utf-8 path");
    let out = yunwei(&["sample-data", "--data-dir", dir_arg]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = yunwei(&["incidents", "--json", "--data-dir", dir_arg]);
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON list");
    assert_eq!(list.as_array().map(Vec::len), Some(6), "six sample incidents");
    assert!(list[0]["number"].as_str().is_some_and(|n| n.starts_with("INC-")));
}

#[test]
fn a_bad_argument_is_a_clear_error_with_a_non_zero_exit() {
    let out = yunwei(&["frobnicate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("frobnicate"));
}

#[test]
fn import_then_show_an_incident_at_an_instant() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir_arg = dir.path().to_str().expect("utf-8 path");
    let file = dir.path().join("history.json");
    std::fs::write(
        &file,
        r#"{"incidents": [{"title": "白屏", "level": "I", "channel": "onsite",
            "reported_at": "2026-11-02T09:00:00+08:00",
            "events": [{"kind": "responded", "occurred_at": "2026-11-02T09:45:00+08:00"}]}]}"#,
    )
    .expect("write import file");
    let out = yunwei(&["incident", "import", file.to_str().expect("path"), "--data-dir", dir_arg]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("INC-2026-0001"));

    let show = |at: &str| {
        let out = yunwei(&["incident", "show", "INC-2026-0001", "--at", at, "--json", "--data-dir", dir_arg]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let incident: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        incident["milestones"][0].clone()
    };
    let respond = show("2026-11-02T09:20:00+08:00");
    assert_eq!(respond["kind"], "respond");
    assert_eq!(respond["state"], "running", "at 09:20 the response is still to come");
    let respond = show("2026-11-02T10:00:00+08:00");
    assert_eq!(respond["state"], "breached_met", "responded at 09:45, due 09:30");
    assert_eq!(respond["left_seconds"], -15 * 60);

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ not json").expect("write");
    let out = yunwei(&["incident", "import", bad.to_str().expect("path"), "--data-dir", dir_arg]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("JSON"), "a clear error");
}

#[test]
fn export_report_writes_a_pdf_with_real_chinese_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir_arg = dir.path().to_str().expect("utf-8 path");
    assert!(yunwei(&["sample-data", "--data-dir", dir_arg]).status.success());
    let pdf = dir.path().join("report.pdf");
    let pdf_arg = pdf.to_str().expect("path");
    let out =
        yunwei(&["export-report", "--incident", "INC-2026-0001", "--out", pdf_arg, "--data-dir", dir_arg]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = Command::new("pdftotext").args([pdf_arg, "-"]).output().expect("pdftotext (poppler-utils)");
    let text: String = String::from_utf8_lossy(&text.stdout).split_whitespace().collect();
    assert!(text.contains("故障处理报告") && text.contains("RPT-2026-0001"), "{text}");

    let bad =
        yunwei(&["export-report", "--incident", "INC-2026-9999", "--out", pdf_arg, "--data-dir", dir_arg]);
    assert!(!bad.status.success(), "an unknown incident is an error");
    let bad = yunwei(&[
        "export-report",
        "--incident",
        "INC-2026-0001",
        "--out",
        pdf_arg,
        "--lang",
        "fr",
        "--data-dir",
        dir_arg,
    ]);
    assert!(!bad.status.success(), "an unknown language is an error");
}
