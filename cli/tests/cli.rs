//! The headless commands through the real `yunwei-cli` binary: no display, no window, just
//! answers. (The desktop binary `yunwei` answers the same commands: src-tauri's tests.)

use std::process::Command;

fn yunwei(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_yunwei-cli"))
        .args(args)
        // No display: a command that tried to open a window would fail here.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run yunwei")
}

#[test]
fn without_a_command_the_help_is_shown() {
    let out = yunwei(&[]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("Usage: yunwei-cli") && text.contains("sample-data"), "{text}");
}

/// The point of a second binary: it loads none of the desktop's libraries.
#[cfg(target_os = "linux")]
#[test]
fn the_binary_links_no_desktop_library() {
    let out = Command::new("objdump")
        .args(["-p", env!("CARGO_BIN_EXE_yunwei-cli")])
        .output()
        .expect("objdump (binutils)");
    let needed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("NEEDED").map(|lib| lib.trim().to_owned()))
        .collect();
    assert!(!needed.is_empty(), "objdump lists the libraries");
    for lib in &needed {
        assert!(
            ["libc.so", "libm.so", "libgcc_s.so", "ld-linux"].iter().any(|ok| lib.starts_with(ok)),
            "yunwei-cli needs only the C runtime, not {lib} (of {needed:?})"
        );
    }
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

/// `yunwei incidents | head`: the reader goes away before the list is written. The command
/// ends quietly instead of reporting "Broken pipe (os error 32)".
#[test]
fn a_reader_that_stops_reading_is_no_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir_arg = dir.path().to_str().expect("utf-8 path");
    seed(dir_arg);
    let mut child = Command::new(env!("CARGO_BIN_EXE_yunwei-cli"))
        .args(["incidents", "--data-dir", dir_arg])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run yunwei");
    drop(child.stdout.take()); // the reader is gone before the first line
    let out = child.wait_with_output().expect("wait");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "nothing to complain about");
    assert!(out.status.success(), "{:?}", out.status);
}

/// Every message in one language: "找不到培训计划 TP-2099-01", not "找不到training plan …".
#[test]
fn a_missing_plan_is_named_in_the_users_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir_arg = dir.path().to_str().expect("utf-8 path");
    let out_file = dir.path().join("plan.pdf");
    let out = yunwei(&[
        "export-plan",
        "--plan",
        "TP-2099-01",
        "--out",
        out_file.to_str().expect("path"),
        "--data-dir",
        dir_arg,
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim_end(),
        "yunwei: 找不到培训计划 TP-2099-01",
        "no English words in the Chinese message"
    );
}

#[test]
fn sample_data_lands_in_a_sandbox_beside_the_real_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir_arg = dir.path().to_str().expect("utf-8 path");
    let out = yunwei(&["sample-data", "--data-dir", dir_arg]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sandbox = dir.path().join("sample");
    assert!(text(&out.stdout).contains(&sandbox.display().to_string()), "{}", text(&out.stdout));

    let list = |dir: &str| -> Vec<serde_json::Value> {
        let out = yunwei(&["incidents", "--json", "--data-dir", dir]);
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).expect("JSON list")
    };
    let samples = list(sandbox.to_str().expect("utf-8 path"));
    assert_eq!(samples.len(), 50, "months of sample incidents (the first 50 listed)");
    assert!(samples.iter().all(|i| i["number"].as_str().is_some_and(|n| n.starts_with("DEMO-INC-"))));
    assert!(list(dir_arg).is_empty(), "the real record has none of them");
}

/// Two resolved incidents with their analysis, neither report signed yet (`INC-2026-0001`, level
/// I, and `INC-2026-0002`), imported into the data folder `dir`, as the exports need.
fn seed(dir: &str) {
    let file = std::path::Path::new(dir).join("seed.json");
    std::fs::write(
        &file,
        r#"{"incidents": [{"title": "OA 系统登录后白屏，全单位无法办公", "level": "I", "channel": "onsite",
            "reported_at": "2026-11-27T09:00:00+08:00", "reporter": "信息中心 陈刚",
            "description": "所有用户登录后页面空白。", "system": "OA 门户与统一认证",
            "events": [
              {"kind": "responded", "occurred_at": "2026-11-27T09:10:00+08:00"},
              {"kind": "assigned", "occurred_at": "2026-11-27T09:12:00+08:00", "person": "李强"},
              {"kind": "plan_submitted", "occurred_at": "2026-11-27T10:00:00+08:00", "plan": "handling"},
              {"kind": "resolved", "occurred_at": "2026-11-27T12:00:00+08:00", "summary": "重启应用服务并修复内存泄漏"},
              {"kind": "report_submitted", "occurred_at": "2026-11-27T15:00:00+08:00",
               "report": {"fault_type": "应用服务器故障", "cause": "内存耗尽", "method": "重启并升级补丁",
                          "losses": "停止办公约 3 小时"}}]},
          {"title": "邮件网关队列积压", "level": "III", "channel": "monitoring",
            "reported_at": "2026-11-28T14:00:00+08:00", "reporter": "监控平台",
            "events": [
              {"kind": "responded", "occurred_at": "2026-11-28T14:05:00+08:00"},
              {"kind": "resolved", "occurred_at": "2026-11-28T16:00:00+08:00", "summary": "切换备用 DNS"},
              {"kind": "report_submitted", "occurred_at": "2026-11-29T09:00:00+08:00",
               "report": {"fault_type": "网络故障", "cause": "外部 DNS 超时", "method": "切换备用 DNS", "losses": "外发邮件延迟"}}]}]}"#,
    )
    .expect("write seed file");
    let out = yunwei(&["incident", "import", file.to_str().expect("path"), "--data-dir", dir]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
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

    // The same file again (say after a kill before the message): nothing twice, and it says so.
    let out = yunwei(&["incident", "import", file.to_str().expect("path"), "--data-dir", dir_arg]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("此文件已于"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let list = yunwei(&["incidents", "--data-dir", dir_arg]);
    assert_eq!(String::from_utf8_lossy(&list.stdout).lines().count(), 1, "still one incident");

    // A misspelt field is named; a byte-order mark is fine.
    let typo = dir.path().join("typo.json");
    std::fs::write(&typo, std::fs::read_to_string(&file).expect("read").replace("\"channel\"", "\"chanel\""))
        .expect("write");
    let out = yunwei(&["incident", "import", typo.to_str().expect("path"), "--data-dir", dir_arg]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown field `chanel`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bom = dir.path().join("bom.json");
    let text = std::fs::read_to_string(&file).expect("read").replace("白屏", "黑屏");
    std::fs::write(&bom, format!("\u{feff}{text}")).expect("write");
    let out = yunwei(&["incident", "import", bom.to_str().expect("path"), "--data-dir", dir_arg]);
    assert!(out.status.success(), "a BOM is accepted: {}", String::from_utf8_lossy(&out.stderr));

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ not json").expect("write");
    let out = yunwei(&["incident", "import", bad.to_str().expect("path"), "--data-dir", dir_arg]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("JSON"), "a clear error");
}

/// `yunwei` with the signing passphrase in the environment, stdin closed (no prompt possible).
fn yunwei_with(passphrase: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_yunwei-cli"));
    cmd.args(args).env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY").stdin(std::process::Stdio::null());
    match passphrase {
        Some(p) => cmd.env("YUNWEI_KEY_PASSPHRASE", p),
        None => cmd.env_remove("YUNWEI_KEY_PASSPHRASE"),
    };
    cmd.output().expect("run yunwei")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `tests/pyhanko/check.py` under the Python that has pyHanko (`make deps` puts it in
/// `.tools/venv`; `$YUNWEI_PYHANKO_PYTHON` names another).
fn pyhanko(args: &[&str]) -> std::process::Output {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace");
    let python = std::env::var_os("YUNWEI_PYHANKO_PYTHON")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join(".tools/venv/bin/python"));
    Command::new(&python)
        .arg(root.join("tests/pyhanko/check.py"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{} (make deps installs pyHanko): {e}", python.display()))
}

#[test]
fn a_report_signed_on_another_install_is_not_trusted_exit_2() {
    let (ours, theirs) = (tempfile::tempdir().expect("temp dir"), tempfile::tempdir().expect("temp dir"));
    let pass = Some("headless passphrase");
    let forged = theirs.path().join("forged.pdf");
    for dir in [&ours, &theirs] {
        let d = dir.path().to_str().expect("utf-8 path");
        seed(d);
        let out = dir.path().join("report.pdf");
        let args = [
            "export-report",
            "--incident",
            "INC-2026-0001",
            "--out",
            out.to_str().expect("path"),
            "--data-dir",
            d,
        ];
        assert!(yunwei_with(pass, &args).status.success());
        std::fs::copy(&out, &forged).expect("copy");
    }
    // The other install made a CA and a signer of the same names; ours does not trust it.
    let out = yunwei(&[
        "verify",
        forged.to_str().expect("path"),
        "--data-dir",
        ours.path().to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with("yunwei: 签名未被信任：签名证书不是由本单位 CA"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn export_report_signs_verify_checks_and_pdfsig_agrees() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8 path");
    let pass = Some("headless passphrase");
    seed(d);
    let file = |name: &str| dir.path().join(name).to_str().expect("path").to_owned();
    let (pdf, again, ca) = (file("report.pdf"), file("again.pdf"), file("ca.pem"));

    // Without a passphrase (none in the environment, no terminal) nothing is signed.
    let out =
        yunwei_with(None, &["export-report", "--incident", "INC-2026-0001", "--out", &pdf, "--data-dir", d]);
    assert!(
        !out.status.success() && text(&out.stderr).contains("YUNWEI_KEY_PASSPHRASE"),
        "{}",
        text(&out.stderr)
    );

    let out =
        yunwei_with(pass, &["export-report", "--incident", "INC-2026-0001", "--out", &pdf, "--data-dir", d]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("公司 CA") && said.contains("RPT-2026-0001 第 1 版"), "{said}");
    // Archived like every signed document (plans and monthly reports too), byte for byte.
    let archived = dir.path().join("reports/RPT-2026-0001-r1.pdf");
    assert_eq!(
        std::fs::read(&archived).ok(),
        std::fs::read(&pdf).ok(),
        "{} is the signed copy",
        archived.display()
    );
    let words =
        Command::new("pdftotext").args([pdf.as_str(), "-"]).output().expect("pdftotext (poppler-utils)");
    let words: String = text(&words.stdout).split_whitespace().collect();
    assert!(words.contains("故障处理报告") && words.contains("电子签名"), "{words}");

    // Unchanged: the stored revision again, byte for byte, without the passphrase.
    let out = yunwei_with(
        None,
        &["export-report", "--incident", "INC-2026-0001", "--out", &again, "--data-dir", d],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let signed = std::fs::read(&pdf).expect("read");
    assert_eq!(std::fs::read(&again).expect("read"), signed);

    let out = yunwei(&["verify", &pdf, "--data-dir", d]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("签名有效") && said.contains("覆盖整个文件") && said.contains("第 1 版"), "{said}");

    // pdfsig, with an NSS database that trusts the exported CA.
    assert!(yunwei(&["ca-cert", "--out", &ca, "--data-dir", d]).status.success());
    let nss = dir.path().join("nss");
    std::fs::create_dir(&nss).expect("mkdir");
    let db = format!("sql:{}", nss.display());
    for args in [
        vec!["-N", "-d", &db, "--empty-password"],
        vec!["-A", "-d", &db, "-n", "yunwei-ca", "-t", "CT,C,C", "-i", &ca],
    ] {
        let out = Command::new("certutil").args(&args).output().expect("certutil (libnss3-tools)");
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let out = Command::new("pdfsig").args(["-nssdir", &db, &pdf]).output().expect("pdfsig");
    let said = text(&out.stdout);
    for expected in ["Signature is Valid.", "Total document signed", "Certificate is Trusted."] {
        assert!(said.contains(expected), "{expected}: {said}");
    }

    // pyHanko, a second validator, agrees. A recipient's countersignature made with it
    // (`/Contents` before `/ByteRange`) is listed beside ours, which still covers revision 1;
    // the newest revision's signer is not trusted here, so the verdict is exit 2.
    let out = pyhanko(&["validate", &pdf, &ca]);
    assert!(
        text(&out.stdout)
            .contains(r#""intact": true, "valid": true, "trusted": true, "coverage": "ENTIRE_FILE""#),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let countersigned = file("countersigned.pdf");
    let out = pyhanko(&["countersign", &pdf, &countersigned]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = yunwei(&["verify", &countersigned, "--data-dir", d]);
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.starts_with("yunwei: 签名未被信任："), "the reason first: {said}");
    for part in [
        "签名 1/2：",
        "（受信任）",
        "签名 2/2：Recipient Reviewer",
        "（未受信任）",
        "与存档 RPT-2026-0001 第 1 版",
    ] {
        assert!(said.contains(part), "{part}: {said}");
    }

    // One flipped byte inside the signed range; an appended update; not a PDF at all.
    let mut flipped = signed.clone();
    flipped[1000] ^= 0x04;
    std::fs::write(&again, &flipped).expect("write");
    let out = yunwei(&["verify", &again, "--data-dir", d]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("摘要不符"), "{}", text(&out.stderr));
    let said = text(&Command::new("pdfsig").arg(&again).output().expect("pdfsig").stdout);
    assert!(said.contains("Digest Mismatch."), "{said}");
    let mut appended = signed.clone();
    appended.extend(b"\n1 0 obj\n<<>>\nendobj\n%%EOF\n");
    std::fs::write(&again, &appended).expect("write");
    let out = yunwei(&["verify", &again, "--data-dir", d]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("签名后文件末尾被追加"), "{}", text(&out.stderr));
    std::fs::write(&again, b"plain text").expect("write");
    let out = yunwei(&["verify", &again, "--data-dir", d]);
    assert!(out.status.code() == Some(1) && text(&out.stderr).contains("不是 PDF"));
    let out = yunwei(&["verify", &file("missing.pdf"), "--data-dir", d]);
    assert_eq!(out.status.code(), Some(1), "a missing file is an error too");

    // A wrong passphrase signs nothing; English is a new revision.
    let en = file("report-en.pdf");
    let out = yunwei_with(
        Some("wrong"),
        &["export-report", "--incident", "INC-2026-0002", "--out", &en, "--data-dir", d],
    );
    assert!(!out.status.success() && text(&out.stderr).contains("口令不正确"), "{}", text(&out.stderr));
    let args =
        ["export-report", "--incident", "INC-2026-0001", "--out", &en, "--lang", "en", "--data-dir", d];
    let out = yunwei_with(pass, &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("第 2 版"), "{}", text(&out.stdout));
    let words = Command::new("pdftotext").args([en.as_str(), "-"]).output().expect("pdftotext");
    assert!(text(&words.stdout).contains("Incident Report"));
}

#[test]
fn export_report_writes_a_pdf_with_real_chinese_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir_arg = dir.path().to_str().expect("utf-8 path");
    seed(dir_arg);
    let pdf = dir.path().join("report.pdf");
    let pdf_arg = pdf.to_str().expect("path");
    let out = yunwei_with(
        Some("a passphrase"),
        &["export-report", "--incident", "INC-2026-0001", "--out", pdf_arg, "--data-dir", dir_arg],
    );
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

#[test]
fn export_plan_signs_a_plan_pdfsig_accepts_and_export_signin_writes_the_sheet() {
    use yunwei_core::people::PersonForm;
    use yunwei_core::training::plan::SessionForm;
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8 path");
    let session = {
        let mut store =
            yunwei_core::store::Store::open_app(Some(dir.path()), yunwei_core::now()).expect("open");
        let now = yunwei_core::now();
        let person = |kind: &str, name: &str, department: &str| PersonForm {
            kind: kind.into(),
            name: name.into(),
            department: department.into(),
            organisation: "市财政局".into(),
            ..Default::default()
        };
        let trainer = store.create_person(&person("team", "张伟", "training"), now).expect("trainer").id;
        let clerk = store.create_person(&person("client", "李娜", ""), now).expect("clerk").id;
        let template = yunwei_core::app::training::plan_template(&store, yunwei_core::Lang::ZhCn, now)
            .expect("template");
        let plan = store.save_training_plan(None, &template, now).expect("plan");
        let form = SessionForm {
            plan_id: plan.id,
            title: "公文流转操作".into(),
            audience: "operator".into(),
            trainer_id: trainer,
            room: "302 会议室".into(),
            start: "2026-12-01T14:00:00+08:00".into(),
            end: "2026-12-01T16:00:00+08:00".into(),
            attendee_ids: vec![clerk],
            ..Default::default()
        };
        yunwei_core::app::training::save_session(&mut store, None, &form, now).expect("session").session.id
    };
    let file = |name: &str| dir.path().join(name).to_str().expect("path").to_owned();
    let (plan_pdf, sheet) = (file("plan.pdf"), file("signin.pdf"));

    let out = yunwei_with(
        Some("plan passphrase"),
        &["export-plan", "--plan", "TP-2026-01", "--out", &plan_pdf, "--data-dir", d],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("培训计划 TP-2026-01 第 1 版"), "{}", text(&out.stdout));
    let said = text(&Command::new("pdfsig").arg(&plan_pdf).output().expect("pdfsig").stdout);
    for expected in ["Signature is Valid.", "Total document signed"] {
        assert!(said.contains(expected), "{expected}: {said}");
    }
    let out = yunwei(&["verify", &plan_pdf, "--data-dir", d]);
    assert!(
        out.status.success() && text(&out.stdout).contains("TP-2026-01 第 1 版"),
        "{}",
        text(&out.stdout)
    );

    let out = yunwei(&["export-signin", "--session", &session, "--out", &sheet, "--data-dir", d]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let words = Command::new("pdftotext").args([sheet.as_str(), "-"]).output().expect("pdftotext");
    let words: String = text(&words.stdout).split_whitespace().collect();
    assert!(words.contains("培训签到表") && words.contains("李娜"), "{words}");
    let out = yunwei(&["export-signin", "--session", "nope", "--out", &sheet, "--data-dir", d]);
    assert!(!out.status.success() && text(&out.stderr).contains("找不到"), "{}", text(&out.stderr));
}

#[test]
fn export_monthly_signs_the_month_and_pdfsig_accepts_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8 path");
    seed(d);
    let pdf = dir.path().join("monthly.pdf");
    let pdf = pdf.to_str().expect("path");
    let month = yunwei_core::now().with_timezone(&yunwei_core::i18n::SERVICE_TZ).format("%Y-%m").to_string();
    let out = yunwei_with(
        Some("monthly passphrase"),
        &["export-monthly", "--month", &month, "--out", pdf, "--data-dir", d],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("运维月报 MR-{month} 第 1 版")), "{}", text(&out.stdout));
    let said = text(&Command::new("pdfsig").arg(pdf).output().expect("pdfsig").stdout);
    for expected in ["Signature is Valid.", "Total document signed"] {
        assert!(said.contains(expected), "{expected}: {said}");
    }
    let words = Command::new("pdftotext").args([pdf, "-"]).output().expect("pdftotext");
    let words: String = text(&words.stdout).split_whitespace().collect();
    assert!(words.contains("运维服务月报") && words.contains("SLA达标情况"), "{words}");
    let out = yunwei_with(
        Some("monthly passphrase"),
        &["export-monthly", "--month", "2026-13", "--out", pdf, "--data-dir", d],
    );
    assert!(!out.status.success() && text(&out.stderr).contains("2026-10"), "{}", text(&out.stderr));
}

#[test]
fn a_failed_export_signs_nothing_and_impossible_months_and_instants_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8 path");
    let pass = Some("headless passphrase");
    seed(d);

    // Three typos in --out: nothing signed, nothing stored, the path named.
    let nowhere = dir.path().join("no such folder/report.pdf");
    let nowhere = nowhere.to_str().expect("path");
    for _ in 0..3 {
        let out = yunwei_with(
            pass,
            &["export-report", "--incident", "INC-2026-0001", "--out", nowhere, "--data-dir", d],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out.stderr).contains(nowhere), "the path is named: {}", text(&out.stderr));
    }
    let good = dir.path().join("report.pdf");
    let out = yunwei_with(
        pass,
        &[
            "export-report",
            "--incident",
            "INC-2026-0001",
            "--out",
            good.to_str().expect("path"),
            "--data-dir",
            d,
        ],
    );
    assert!(
        text(&out.stdout).contains("第 1 版"),
        "the first real export is revision 1: {}",
        text(&out.stdout)
    );
    assert!(!dir.path().join("reports/RPT-2026-0002-r1.pdf").exists());

    for (month, expected) in [("2030-01", "晚于当前时间"), ("1999-12", "早于最早的记录")] {
        let out_file = dir.path().join(format!("{month}.pdf"));
        let out = yunwei_with(
            pass,
            &["export-monthly", "--month", month, "--out", out_file.to_str().expect("path"), "--data-dir", d],
        );
        assert_eq!(out.status.code(), Some(1), "{month}");
        assert!(text(&out.stderr).contains(expected), "{month}: {}", text(&out.stderr));
        assert!(!out_file.exists(), "no file left behind for {month}");
    }

    let out =
        yunwei(&["incident", "show", "INC-2026-0001", "--at", "2000-01-01T00:00:00+08:00", "--data-dir", d]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("早于故障上报时间"), "{}", text(&out.stderr));
}

#[test]
fn several_reports_export_into_a_folder_with_the_key_unlocked_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8 path");
    seed(d);
    let pass = Some("batch passphrase");
    let folder = dir.path().join("reports-out");
    std::fs::create_dir(&folder).expect("folder");
    let f = folder.to_str().expect("path");
    let both = ["export-report", "--incident", "INC-2026-0001", "--incident", "INC-2026-0002"];

    // A typo among the numbers: nothing signed, nothing written.
    let out = yunwei_with(
        pass,
        &[
            "export-report",
            "--incident",
            "INC-2026-0001",
            "--incident",
            "INC-2099-0009",
            "--out",
            f,
            "--data-dir",
            d,
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_dir(&folder).expect("read").count(), 0);
    // Several reports need a folder, not a file.
    let file = dir.path().join("one.pdf");
    let out =
        yunwei_with(pass, &[&both[..], &["--out", file.to_str().expect("path"), "--data-dir", d]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));

    let out = yunwei_with(pass, &[&both[..], &["--out", f, "--data-dir", d]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert_eq!(said.matches("创建公司 CA").count(), 1, "the key is set up and unlocked once: {said}");
    assert_eq!(said.matches("已导出签名的故障处理报告").count(), 2, "{said}");
    for name in ["RPT-2026-0001-r1.pdf", "RPT-2026-0002-r1.pdf"] {
        let pdf = folder.join(name);
        let check = Command::new("pdfsig").arg(&pdf).output().expect("pdfsig");
        assert!(text(&check.stdout).contains("Signature is Valid."), "{name}: {}", text(&check.stdout));
    }
}

#[test]
fn a_months_resolved_incidents_export_together() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8 path");
    seed(d);
    let folder = dir.path().join("november");
    std::fs::create_dir(&folder).expect("folder");
    let f = folder.to_str().expect("path");
    let pass = Some("monthly batch passphrase");
    let out = yunwei_with(pass, &["export-report", "--month", "2026-11", "--out", f, "--data-dir", d]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["RPT-2026-0001-r1.pdf", "RPT-2026-0002-r1.pdf"]);
    // A month with nothing resolved writes nothing; a month that is no month is refused.
    let out = yunwei_with(pass, &["export-report", "--month", "2026-10", "--out", f, "--data-dir", d]);
    assert!(out.status.success() && text(&out.stdout).contains("未导出任何报告"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_dir(&folder).expect("read").count(), 2);
    let out = yunwei_with(pass, &["export-report", "--month", "2026-13", "--out", f, "--data-dir", d]);
    assert!(!out.status.success() && text(&out.stderr).contains("2026-10"), "{}", text(&out.stderr));
}

/// `yunwei backup …` end to end on the sample data: set up, a full point, nothing new, a check
/// without the key, a drill with it, a restore of the point after a change, and its undo.
#[test]
fn backup_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = yunwei(&["sample-data", "--data-dir", dir.path().to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let data = dir.path().join("sample");
    let data = data.to_str().expect("utf-8 path");
    let key = dir.path().join("recovery.txt");
    let key = key.to_str().expect("utf-8 path");
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--data-dir", data]);
        yunwei(&all)
    };
    let ok = |args: &[&str]| {
        let out = run(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };

    assert!(text(&run(&["backup", "now"]).stderr).contains("尚未设置数据备份"));
    assert!(ok(&["backup", "setup", "--key-out", key]).contains("恢复密钥已写入"));
    assert!(std::fs::read_to_string(key).expect("key file").contains("AGE-SECRET-KEY-1"));
    assert!(ok(&["backup", "now"]).contains("全量备份点"));
    assert!(ok(&["backup", "now"]).contains("没有变化"));
    let points: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&["backup", "list", "--json"])).expect("JSON points");
    assert_eq!(points.len(), 1);
    let id = points[0]["id"].as_str().expect("id").to_owned();
    assert!(ok(&["backup", "verify"]).contains("完好"));
    assert!(ok(&["backup", "verify", &id, "--identity", key]).contains("恢复演练通过"));

    // A wrong key: refused, exit 1.
    let stranger = dir.path().join("stranger.txt");
    let out = yunwei(&[
        "backup",
        "setup",
        "--key-out",
        stranger.to_str().expect("path"),
        "--data-dir",
        dir.path().to_str().expect("path"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(&["backup", "restore", &id, "--identity", stranger.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("恢复密钥与该备份不符"), "{}", text(&out.stderr));

    let added = |out: String| out.lines().count();
    let search = ["incidents", "--search", "备份后新增"];
    let import = dir.path().join("one.json");
    std::fs::write(
        &import,
        r#"{"incidents":[{"title":"备份后新增","level":"III","channel":"hotline","reported_at":"2026-11-20T09:00:00+08:00","events":[]}]}"#,
    )
    .expect("import file");
    ok(&["incident", "import", import.to_str().expect("path")]);
    assert_eq!(added(ok(&search)), 1);
    assert!(ok(&["backup", "restore", &id, "--identity", key]).contains("已恢复到备份点"));
    assert_eq!(added(ok(&search)), 0, "the point is from before the import");
    assert!(ok(&["backup", "undo-restore"]).contains("已撤销恢复"));
    assert_eq!(added(ok(&search)), 1);
}

/// `yunwei audit verify` on the sample data finds the chain whole; an entry edited behind the
/// triggers' back is named.
#[test]
fn audit_verify_names_an_edited_entry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = yunwei(&["sample-data", "--data-dir", dir.path().to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let data = dir.path().join("sample");
    let data_arg = data.to_str().expect("utf-8 path");
    let out = yunwei(&["audit", "verify", "--data-dir", data_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("审计记录完整"), "{}", text(&out.stdout));
    let list = yunwei(&["audit", "list", "--json", "--limit", "1000", "--data-dir", data_arg]);
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).expect("JSON entries");
    assert!(entries.len() > 10, "the sample data's people, sessions and settings are in the trail");
    let second = entries[entries.len() - 2]["seq"].as_i64().expect("seq");

    edit_entry(&data.join("db/yunwei.db"), second);
    let out = yunwei(&["audit", "verify", "--data-dir", data_arg]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(&format!("第 {second} 条")), "{}", text(&out.stderr));
}

/// Edits entry `seq` the way a tool outside Yunwei could: the guard trigger dropped first.
fn edit_entry(db: &std::path::Path, seq: i64) {
    let status = Command::new("sqlite3")
        .arg(db)
        .arg(format!(
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = '改过' WHERE seq = {seq};"
        ))
        .status()
        .expect("sqlite3 (the Makefile installs it)");
    assert!(status.success());
}

#[test]
fn inspection_readings_import_from_a_script_and_the_month_exports_signed() {
    use yunwei_core::app::inspection::save_plan;
    use yunwei_core::inspection::{PlanForm, Recurrence};
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8 path");
    let now = yunwei_core::now();
    let today = yunwei_core::zone::service_date(now);
    {
        let mut store = yunwei_core::store::Store::open_data_dir(
            Some(dir.path()),
            yunwei_core::data_dir::Access::Change,
            now,
        )
        .expect("store");
        let form = PlanForm {
            name: "数据库日检".into(),
            template_id: "builtin-daily-database".into(),
            recurrence: Recurrence::Daily,
            first_date: today.to_string(),
            ..Default::default()
        };
        save_plan(&mut store, None, &form, yunwei_core::Lang::ZhCn, now).expect("plan");
    }
    let csv = dir.path().join("readings.csv");
    std::fs::write(
        &csv,
        format!("plan,time,item,value\n数据库日检,{today},db-free,12\n数据库日检,{today},writes,lots\n"),
    )
    .expect("csv");
    let out = yunwei(&["inspection", "import", csv.to_str().expect("path"), "--data-dir", d]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("第 3 行 value"), "{}", text(&out.stderr));
    std::fs::write(
        &csv,
        format!("plan,time,item,value\n数据库日检,{today},db-free,12\n数据库日检,{today},writes,900\n"),
    )
    .expect("csv");
    let out = yunwei(&["inspection", "import", csv.to_str().expect("path"), "--data-dir", d]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("已导入 2 个读数，填入 1 次巡检"), "{}", text(&out.stdout));
    let out = yunwei(&["inspection", "runs", "--json", "--data-dir", d]);
    let runs: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(runs[0]["abnormal"], 1, "12 GB is below the minimum: {runs}");
    let pdf = dir.path().join("inspection.pdf");
    let pdf = pdf.to_str().expect("path");
    let month = today.format("%Y-%m").to_string();
    let out = yunwei_with(
        Some("inspection passphrase"),
        &["export-inspection", "--month", &month, "--out", pdf, "--data-dir", d],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("巡检月报 IR-{month} 第 1 版")), "{}", text(&out.stdout));
    let said = text(&Command::new("pdfsig").arg(pdf).output().expect("pdfsig").stdout);
    assert!(said.contains("Signature is Valid."), "{said}");
}

#[test]
fn drills_list_the_year_and_export_drill_signs_the_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = yunwei(&["sample-data", "--data-dir", dir.path().to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sandbox = dir.path().join("sample");
    let d = sandbox.to_str().expect("utf-8 path");
    // The sandbox holds a tabletop drill ten days back and one planned three weeks ahead.
    let held = yunwei_core::zone::service_date(yunwei_core::now()) - chrono::Duration::days(10);
    let year = chrono::Datelike::year(&held).to_string();
    let out = yunwei(&["drills", "--year", &year, "--data-dir", d]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    let line = listed.lines().find(|l| l.contains("桌面推演")).unwrap_or_else(|| panic!("{listed}"));
    let number = line.split('\t').next().expect("a number");
    assert!(number.starts_with(&format!("DEMO-DR-{year}-")), "{line}");
    assert!(
        line.contains(&held.to_string()) && line.contains("已实施") && line.contains("整改 1/2 未关闭"),
        "{line}"
    );

    let pdf = dir.path().join("drill.pdf");
    let pdf = pdf.to_str().expect("path");
    let out = yunwei_with(
        Some("drill passphrase"),
        &["export-drill", "--drill", number, "--out", pdf, "--data-dir", d],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("演练报告 {number} 第 1 版")), "{}", text(&out.stdout));
    let said = text(&Command::new("pdfsig").arg(pdf).output().expect("pdfsig").stdout);
    for expected in ["Signature is Valid.", "Total document signed"] {
        assert!(said.contains(expected), "{expected}: {said}");
    }
    let words = Command::new("pdftotext").args([pdf, "-"]).output().expect("pdftotext");
    let words: String = text(&words.stdout).split_whitespace().collect();
    for expected in
        ["应急演练报告", "桌面推演", "更新应急通讯录中过期的两处号码", "已关闭：通讯录已更新并发至全员"]
    {
        assert!(words.contains(expected), "{expected} in {words}");
    }
    let en = dir.path().join("drill-en.pdf");
    let out = yunwei_with(
        Some("drill passphrase"),
        &[
            "export-drill",
            "--drill",
            number,
            "--out",
            en.to_str().expect("path"),
            "--lang",
            "en",
            "--data-dir",
            d,
        ],
    );
    assert!(out.status.success() && text(&out.stdout).contains("第 2 版"), "{}", text(&out.stdout));

    let out = yunwei_with(
        Some("drill passphrase"),
        &["export-drill", "--drill", "DR-2099-99", "--out", pdf, "--data-dir", d],
    );
    assert!(!out.status.success(), "an unknown drill fails");
    assert!(
        text(&out.stderr).contains("演练") && text(&out.stderr).contains("DR-2099-99"),
        "{}",
        text(&out.stderr)
    );
}

/// A name no other run has used: the process id and the time.
fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("time").as_nanos();
    format!("{}_{nanos}", std::process::id())
}

/// The team server's admin URL: `$YUNWEI_TEST_PG`, or the throw-away cluster of `tests/pg`.
fn team_server() -> String {
    if let Ok(url) = std::env::var("YUNWEI_TEST_PG") {
        return url;
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/pg/cluster.sh");
    let out = Command::new(&script).arg("start").output().expect("run tests/pg/cluster.sh");
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}

#[test]
fn server_init_then_status_and_a_refused_password_from_the_command_line() {
    let admin = team_server();
    let db = format!("cli_{}", uuid_like());
    let mut client = yunwei_team::connect(&admin, None).expect("admin connects");
    client.batch_execute(&format!("CREATE DATABASE {db}")).expect("database");
    let url = format!("{}/{db}", admin.rsplit_once('/').expect("url/db").0);
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8 path");
    let out = yunwei(&["server", "init", "--url", &url, "--data-dir", d]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!("从第 0 版升至第 {} 版", yunwei_team::SCHEMA_VERSION)),
        "{}",
        text(&out.stdout)
    );
    // Over TLS, the server's certificate checked against the team's CA.
    let state = std::env::var("YUNWEI_PG_STATE").unwrap_or_else(|_| "/tmp/yunwei-test-pg".into());
    let ca = std::path::Path::new(&state).join("ca.pem");
    let out =
        yunwei(&["server", "status", "--url", &url, "--ca", ca.to_str().expect("path"), "--data-dir", d]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with(&format!(
            "数据结构第 {} 版 · 0 条事件 · 0 个故障 · 登录 yunwei_admin",
            yunwei_team::SCHEMA_VERSION
        )),
        "{}",
        text(&out.stdout)
    );
    let (head, tail) = url.split_once('@').expect("user@host");
    let user = head.rsplit_once(':').expect("user:password").0;
    let out = yunwei(&["server", "status", "--url", &format!("{user}:wrong@{tail}"), "--data-dir", d]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("团队服务器拒绝了用户名或密码"), "{}", text(&out.stderr));
}

/// `yunwei sync`: the first run with --url joins and sends this copy's history (its numbers
/// kept, being free); another copy receives it; a later run uses the joined server with the
/// password from the environment; an unreachable server is a clear exit 1 with the queue kept.
#[test]
fn sync_joins_sends_and_receives_and_says_when_offline() {
    let admin = team_server();
    let db = format!("sync_{}", uuid_like());
    let mut client = yunwei_team::connect(&admin, None).expect("admin connects");
    client.batch_execute(&format!("CREATE DATABASE {db}")).expect("database");
    let url = format!("{}/{db}", admin.rsplit_once('/').expect("url/db").0);
    let (a, b) = (tempfile::tempdir().expect("a"), tempfile::tempdir().expect("b"));
    let (a, b) = (a.path().to_str().expect("a"), b.path().to_str().expect("b"));
    assert!(yunwei(&["server", "init", "--url", &url, "--data-dir", a]).status.success());
    seed(a);

    let out = yunwei(&["sync", "--url", &url, "--data-dir", a]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.starts_with("同步完成：发出 10 条事件，收到 0 条（新故障 0 个），待发送 0 条\n"), "{said}");
    // This copy's records (its calendar, policy, categories, plans…) go up with it.
    assert!(said.contains("人员、值班、培训等记录：发出 "), "{said}");
    assert!(!said.contains("选择保留"), "no conflict: {said}");
    let out = yunwei(&["sync", "--url", &url, "--data-dir", b, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!((report["pulled"].as_u64(), report["new_incidents"].as_u64()), (Some(10), Some(2)));
    let listed = text(&yunwei(&["incidents", "--data-dir", b]).stdout);
    assert!(listed.contains("INC-2026-0001\tI\t") && listed.contains("INC-2026-0002\tIII\t"), "{listed}");

    // Later runs: the joined server, the password from the environment, never from the store.
    let (head, tail) = url.split_once('@').expect("user@host");
    let (user, password) = head.rsplit_once(':').expect("user:password");
    let again = Command::new(env!("CARGO_BIN_EXE_yunwei-cli"))
        .args(["sync", "--data-dir", b])
        .env("YUNWEI_SERVER_PASSWORD", password)
        .env_remove("YUNWEI_SERVER_URL")
        .output()
        .expect("run yunwei");
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(text(&again.stdout).contains("收到 0 条"), "{}", text(&again.stdout));
    let file = std::path::Path::new(b).join("db/yunwei.db");
    let mut bytes = std::fs::read(&file).expect("database");
    bytes.extend(std::fs::read(file.with_extension("db-wal")).unwrap_or_default());
    let stored = String::from_utf8_lossy(&bytes);
    assert!(stored.contains(&format!("{user}@{tail}")), "the server is kept");
    assert!(!stored.contains(password), "the password is never stored");

    // Offline: a server that does not answer.
    let closed = format!("postgresql://{user}:{password}@127.0.0.1:9/{db}");
    let out = yunwei(&["sync", "--url", &closed, "--data-dir", a]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("无法连接团队服务器（离线）"), "{}", text(&out.stderr));
}
