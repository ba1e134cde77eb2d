use chrono::Duration;

use super::*;
use crate::app::documents;
use crate::document::SignedDocument;
use crate::signing::Problem;
use crate::store::testing::*;
use crate::timeline::{EventData, NewEvent, ReportFields, Status};
use crate::Lang;

pub(crate) const PASS: &str = "team passphrase 2026";

pub(crate) fn identity_form() -> NewSigningIdentity {
    NewSigningIdentity {
        name: "李强".into(),
        title: "项目经理".into(),
        organisation: "华信运维服务有限公司".into(),
        passphrase: PASS.into(),
        confirm: PASS.into(),
    }
}

fn report() -> ReportFields {
    ReportFields {
        fault_type: "应用故障".into(),
        cause: "连接池耗尽".into(),
        method: "重启并调整连接池".into(),
        losses: "停机 1 小时".into(),
        data_protection: "无数据丢失".into(),
        follow_up: "增加连接池监控".into(),
        ..Default::default()
    }
}

/// A resolved incident with a signing identity set up; returns the incident id.
fn resolved(store: &mut Store) -> String {
    let incident =
        store.create_incident(&new_incident("OA 登录失败", "2026-11-27T08:00:00+08:00"), now()).unwrap();
    let id = incident.summary.id;
    for (kind, minutes) in [("responded", 10), ("resolved", 60)] {
        let at = (incident.summary.reported_at + Duration::minutes(minutes)).to_rfc3339();
        let event =
            NewEvent {
                kind: kind.into(), occurred_at: at, summary: "重启服务".into(), ..Default::default()
            };
        store.append_event(&id, &event, now()).unwrap();
    }
    create_signing_identity(store, &identity_form(), now()).unwrap();
    id
}

#[test]
fn creating_an_identity_sets_up_a_ca_and_a_signer_once() {
    let mut store = in_memory_db();
    let status = create_signing_identity(&mut store, &identity_form(), now()).unwrap();
    let signer = status.signer.unwrap();
    assert_eq!((signer.name.as_str(), signer.title.as_str()), ("李强", "项目经理"));
    assert_eq!(signer.issuer, "华信运维服务有限公司 电子签名 CA");
    assert_eq!(status.authority.unwrap().name, "华信运维服务有限公司 电子签名 CA");
    assert!(matches!(
        create_signing_identity(&mut store, &identity_form(), now()),
        Err(Error::SigningIdentityExists)
    ));
    assert!(authority_certificate_pem(&store).unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
}

#[test]
fn the_form_is_checked_field_by_field() {
    let mut store = in_memory_db();
    let form = NewSigningIdentity { confirm: "something else".into(), ..identity_form() };
    let err = create_signing_identity(&mut store, &form, now()).unwrap_err();
    assert_eq!(err.fields()[0].field, "confirm");
    let form = NewSigningIdentity { name: " ".into(), ..identity_form() };
    assert_eq!(
        create_signing_identity(&mut store, &form, now()).unwrap_err().fields()[0].field,
        "signer_name"
    );
    assert!(
        !store.active_identity(crate::store::IdentityRole::Signer).map(|i| i.is_some()).unwrap(),
        "nothing half-created"
    );
}

#[test]
fn a_new_signer_after_retirement_is_issued_by_the_same_ca() {
    let mut store = in_memory_db();
    let first = create_signing_identity(&mut store, &identity_form(), now()).unwrap();
    retire_signing_identity(&mut store, now()).unwrap();
    let wrong = NewSigningIdentity {
        passphrase: "not the CA one".into(),
        confirm: "not the CA one".into(),
        ..identity_form()
    };
    assert!(matches!(create_signing_identity(&mut store, &wrong, now()), Err(Error::WrongPassphrase)));
    let form = NewSigningIdentity { name: "王芳".into(), ..identity_form() };
    let second = create_signing_identity(&mut store, &form, now()).unwrap();
    assert_eq!(second.signer.unwrap().name, "王芳");
    assert_eq!(second.authority, first.authority, "recipients keep trusting one CA");
}

#[test]
fn a_report_is_not_signed_while_its_incident_number_is_provisional() {
    let mut store = in_memory_db();
    store.join_team("postgresql://pm@server/yunwei", "pm", None, now()).unwrap();
    let id = resolved(&mut store);
    let incident = store.get_incident(&id, now()).unwrap();
    assert!(incident.provisional);
    assert_eq!(incident.summary.number, "TMP-2026-0001");
    let signer = unlock_signer(&store, PASS).unwrap();
    let refused =
        documents::sign_incident_report(&mut store, &id, Lang::ZhCn, &signer, Some(&report()), now())
            .unwrap_err();
    assert!(
        refused.message(Lang::ZhCn).contains("TMP-2026-0001 是临时编号"),
        "{}",
        refused.message(Lang::ZhCn)
    );
    assert!(refused.message(Lang::En).contains("sync first"));
    assert!(store.revisions(SignedDocument::IncidentReport, Some(&id)).unwrap().is_empty(), "nothing signed");
}

#[test]
fn signing_stores_revisions_and_records_the_submission() {
    let mut store = in_memory_db();
    let id = resolved(&mut store);
    assert!(matches!(unlock_signer(&store, "wrong"), Err(Error::WrongPassphrase)));
    let signer = unlock_signer(&store, PASS).unwrap();

    let first = documents::sign_incident_report(&mut store, &id, Lang::ZhCn, &signer, Some(&report()), now())
        .unwrap();
    assert_eq!((first.revision, first.report_number.as_str()), (1, "RPT-2026-0001"));
    let incident = store.get_incident(&id, now()).unwrap();
    let last = incident.events.last().unwrap();
    assert_eq!(last.data, EventData::ReportSubmitted { report: report(), revision: Some(1) });
    assert_eq!(last.actor.as_deref(), Some("李强"));
    assert_eq!(store.current_report_revision(&id, Lang::ZhCn.tag()).unwrap(), Some(1));
    assert_eq!(
        store.current_report_revision(&id, Lang::En.tag()).unwrap(),
        None,
        "another language is another document"
    );

    let (_, rev1) = store.revision_pdf(SignedDocument::IncidentReport, &id, 1).unwrap();
    let check = verify_pdf(&store, &rev1).unwrap();
    assert!(check.valid() && check.trusted && check.whole_file, "{check:?}");
    assert_eq!(check.revision.as_ref().map(|r| r.revision), Some(1));

    // The incident changes; signing again makes revision 2 and revision 1 stays as it was.
    let note =
        NewEvent { kind: "note".into(), text: "客户确认恢复正常".into(), ..Default::default() };
    store.append_event(&id, &note, now() + Duration::minutes(5)).unwrap();
    assert_eq!(store.current_report_revision(&id, Lang::ZhCn.tag()).unwrap(), None);
    let second = documents::sign_incident_report(
        &mut store,
        &id,
        Lang::ZhCn,
        &signer,
        None,
        now() + Duration::minutes(6),
    )
    .unwrap();
    assert_eq!(second.revision, 2);
    assert_ne!(second.sha256, first.sha256);
    let revisions = store.revisions(SignedDocument::IncidentReport, Some(&id)).unwrap();
    assert_eq!(revisions.iter().map(|r| r.revision).collect::<Vec<_>>(), vec![2, 1]);
    let (_, again) = store.revision_pdf(SignedDocument::IncidentReport, &id, 1).unwrap();
    assert_eq!(again, rev1, "revision 1 is kept byte for byte");
    assert_eq!(verify_pdf(&store, &rev1).unwrap().revision.map(|r| r.revision), Some(1));
    assert_eq!(store.get_incident(&id, now()).unwrap().summary.status, Status::Resolved);

    crate::signing::tests::assert_pdfsig_accepts(&rev1, &ca_der(&store));
}

pub(crate) fn ca_der(store: &Store) -> Vec<u8> {
    let pem = authority_certificate_pem(store).unwrap();
    let (_, der) = der::pem::decode_vec(pem.as_bytes()).unwrap();
    der
}

#[test]
fn stored_revisions_cannot_be_changed_or_removed() {
    let mut store = in_memory_db();
    let id = resolved(&mut store);
    let signer = unlock_signer(&store, PASS).unwrap();
    documents::sign_incident_report(&mut store, &id, Lang::En, &signer, Some(&report()), now()).unwrap();
    for sql in ["UPDATE report_revisions SET pdf = x'00'", "DELETE FROM report_revisions"] {
        let err = execute_sql(&store, sql).unwrap_err();
        assert!(err.to_string().contains("report revisions are"), "{err}");
    }
}

#[test]
fn reports_are_signed_only_for_resolved_incidents_with_an_analysis() {
    let mut store = in_memory_db();
    let open =
        store.create_incident(&new_incident("打印机脱机", "2026-11-27T09:00:00+08:00"), now()).unwrap();
    let id = resolved(&mut store);
    let signer = unlock_signer(&store, PASS).unwrap();
    let err = documents::sign_incident_report(
        &mut store,
        &open.summary.id,
        Lang::ZhCn,
        &signer,
        Some(&report()),
        now(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "incident_not_resolved");
    let err = documents::sign_incident_report(&mut store, &id, Lang::ZhCn, &signer, None, now()).unwrap_err();
    let fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_ref()).collect();
    assert_eq!(fields, ["fault_type", "cause", "method", "losses"]);
    assert!(store.revisions(SignedDocument::IncidentReport, Some(&id)).unwrap().is_empty(), "nothing stored");
}

#[test]
fn a_foreign_or_tampered_file_does_not_match_a_revision() {
    let mut store = in_memory_db();
    let id = resolved(&mut store);
    let signer = unlock_signer(&store, PASS).unwrap();
    documents::sign_incident_report(&mut store, &id, Lang::ZhCn, &signer, Some(&report()), now()).unwrap();
    let (_, mut pdf) = store.revision_pdf(SignedDocument::IncidentReport, &id, 1).unwrap();
    pdf.extend(b"% changed\n");
    let check = verify_pdf(&store, &pdf).unwrap();
    assert_eq!(check.problem, Some(Problem::ModifiedAfterSigning));
    assert!(check.revision.is_none());
    let covered = check.covered_revision.expect("the signed part is the stored revision 1");
    assert_eq!((covered.report_number.as_str(), covered.revision), ("RPT-2026-0001", 1));
}

#[test]
fn no_key_material_reaches_the_database_file_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("yunwei.db"), now()).unwrap();
    create_signing_identity(&mut store, &identity_form(), now()).unwrap();
    let secret = unlock_signer(&store, PASS).unwrap().key.to_bytes();
    drop(store);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_slice()));
    }
}

/// A copy of `base` damaged one way: bits flipped, cut short, bytes appended (random, or a
/// piece of the file such as a repeated `/ByteRange`), a window overwritten, a byte inserted or
/// removed, or digits changed near a signature's keys.
fn damaged(base: &[u8], rng: &mut crate::quality::SplitMix64) -> Vec<u8> {
    let mut copy = base.to_vec();
    let at = |rng: &mut crate::quality::SplitMix64, len: usize| rng.below(len.max(1) as u64) as usize;
    match rng.below(8) {
        0 => {
            for _ in 0..=rng.below(8) {
                let i = at(rng, copy.len());
                copy[i] ^= 1 << rng.below(8);
            }
        }
        1 => copy.truncate(at(rng, copy.len())),
        2 => copy.extend((0..=rng.below(64)).map(|_| rng.next() as u8)),
        3 => {
            let from = at(rng, base.len());
            let to = (from + 1 + at(rng, 200)).min(base.len());
            copy.extend(b"\n% ");
            copy.extend(&base[from..to]);
        }
        4 => {
            let from = at(rng, copy.len());
            for b in copy.iter_mut().skip(from).take(1 + at(rng, 32)) {
                *b = rng.next() as u8;
            }
        }
        5 => {
            let i = at(rng, copy.len() + 1);
            copy.insert(i, rng.next() as u8);
        }
        6 => {
            let from = at(rng, copy.len());
            let to = (from + 1 + at(rng, 16)).min(copy.len());
            copy.drain(from..to);
        }
        _ => {
            let keys: Vec<usize> = base
                .windows(10)
                .enumerate()
                .filter(|(_, w)| *w == b"/ByteRange" || *w == b"/Contents ")
                .map(|(i, _)| i)
                .collect();
            let i = (keys[at(rng, keys.len())] + at(rng, 80)).min(copy.len() - 1);
            copy[i] = b"0123456789 []<>/"[at(rng, 16)];
        }
    }
    copy
}

/// The verifier's property over a real signed report: no damaged, truncated, appended or
/// re-signed copy panics it, and none is judged valid — only the untouched file is. Cases from
/// `$YUNWEI_VERIFY_CASES` (default 2,000; `make fuzz-verify` runs 100,000 in release), seed
/// from `$YUNWEI_VERIFY_SEED` (default 2026), both printed with any failure.
#[test]
fn damaged_copies_of_a_real_report_never_panic_and_never_verify() {
    let number =
        |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (cases, seed) = (number("YUNWEI_VERIFY_CASES", 2_000), number("YUNWEI_VERIFY_SEED", 2026));
    let mut store = in_memory_db();
    let id = resolved(&mut store);
    let signer = unlock_signer(&store, PASS).unwrap();
    let info = documents::sign_incident_report(&mut store, &id, Lang::ZhCn, &signer, Some(&report()), now())
        .unwrap();
    let (_, original) = store.revision_pdf(SignedDocument::IncidentReport, &id, info.revision).unwrap();
    assert!(verify_pdf(&store, &original).unwrap().valid(), "the untouched report is valid");
    let stranger = crate::signing::tests::stranger_signer();
    let resigned: Vec<Vec<u8>> =
        [true, false].map(|first| crate::signing::tests::countersign(&original, &stranger, first)).into();
    for copy in &resigned {
        assert_eq!(verify_pdf(&store, copy).unwrap().verdict, crate::signing::Verdict::Untrusted);
    }

    let mut rng = crate::quality::SplitMix64(seed);
    let mut judged = [0_u32; 3];
    for case in 0..cases {
        let base = if rng.below(10) == 0 { &resigned[rng.below(2) as usize] } else { &original };
        let copy = damaged(base, &mut rng);
        if copy == original {
            continue;
        }
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| verify_pdf(&store, &copy)));
        let Ok(verification) = outcome else { panic!("case {case} of seed {seed}: the verifier panicked") };
        let v = verification.unwrap();
        assert!(!v.valid(), "case {case} of seed {seed}: a changed file was judged valid: {v:?}");
        judged[v.verdict as usize] += 1;
    }
    println!("{cases} cases, seed {seed}: valid / untrusted / invalid = {judged:?}");
}

#[test]
fn a_draft_previews_unsigned_marked_on_every_page_and_becomes_the_signed_revision() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("yunwei.db"), now()).unwrap();
    let id = resolved(&mut store);
    // Half typed: previewing needs no required field yet, and stores nothing.
    let typed = ReportFields { cause: "连接池耗尽，导致登录失败".into(), ..Default::default() };
    store.save_report_draft(&id, &typed, now()).unwrap();
    let draft = documents::preview_incident_report(&store, &id, Lang::ZhCn, &typed, now()).unwrap();
    assert_eq!(draft.name, "RPT-2026-0001-r1-draft.pdf");
    assert!(!draft.pdf.windows(b"/ByteRange".len()).any(|w| w == b"/ByteRange"), "not signed");
    let text = crate::report::tests::poppler("pdftotext", &draft.pdf);
    let pages = crate::report::tests::pages(&draft.pdf);
    assert_eq!(text.matches("草稿DRAFT").count(), pages, "every page is marked:\n{text}");
    assert!(text.contains("连接池耗尽，导致登录失败"));
    assert!(store.revisions(SignedDocument::IncidentReport, Some(&id)).unwrap().is_empty());
    let written = documents::write_preview(&store, &draft, now()).unwrap();
    assert!(written.path.ends_with("drafts/RPT-2026-0001-r1-draft.pdf") && written.missing_glyphs.is_empty());
    assert_eq!(std::fs::read(&written.path).unwrap(), draft.pdf);
    // A field over its length is refused in a draft as in the report.
    let long = ReportFields { method: "长".repeat(5001), ..Default::default() };
    assert_eq!(
        store_error_fields(documents::preview_incident_report(&store, &id, Lang::ZhCn, &long, now())),
        ["method"]
    );

    // Signing turns the draft into revision 1: no mark, and the draft is gone.
    let signer = unlock_signer(&store, PASS).unwrap();
    documents::sign_incident_report(&mut store, &id, Lang::En, &signer, Some(&report()), now()).unwrap();
    assert_eq!(store.report_draft(&id).unwrap(), None);
    let (_, signed) = store.revision_pdf(SignedDocument::IncidentReport, &id, 1).unwrap();
    assert!(!crate::report::tests::poppler("pdftotext", &signed).contains("DRAFT"));
}

fn store_error_fields<T>(result: crate::Result<T>) -> Vec<String> {
    result.err().expect("refused").fields().iter().map(|f| f.field.to_string()).collect()
}

/// Found by the property above: a hex digit pair written with a sign (`+B` for `0B`) read as
/// the same byte, so a changed signature value still verified.
#[test]
fn a_sign_in_the_signature_hex_is_a_change() {
    let mut store = in_memory_db();
    let id = resolved(&mut store);
    let signer = unlock_signer(&store, PASS).unwrap();
    let info = documents::sign_incident_report(&mut store, &id, Lang::ZhCn, &signer, Some(&report()), now())
        .unwrap();
    let (_, original) = store.revision_pdf(SignedDocument::IncidentReport, &id, info.revision).unwrap();
    let text = String::from_utf8_lossy(&original);
    let range = text.find("/ByteRange").unwrap();
    let numbers: Vec<usize> = text[range..]
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(2)
        .map(|s| s.parse().unwrap())
        .collect();
    // The hex value sits between `<` at numbers[1] and the `>` before the second range.
    let hex_start = numbers[1] + 1;
    let at = (hex_start..).step_by(2).find(|&i| original[i] == b'0').unwrap();
    let mut copy = original.clone();
    copy[at] = b'+';
    assert!(!verify_pdf(&store, &copy).unwrap().valid(), "a '+' in the signature value is refused");
}
