//! The recovery sheet (数据备份恢复密钥): the one printed copy of the key that opens the
//! backups, as an A4 page with the same header and fonts as the reports — the key as text in
//! groups of four and as a QR code, and what to do with it.

use chrono::{DateTime, Utc};
use printpdf::PdfDocument;

use super::layout::{Pages, GREY};
use super::{finish_document, header, page_position, ReportFonts};
use crate::i18n::format_service_time;
use crate::{Error, Lang, Result};

pub struct RecoverySheetInput<'a> {
    pub organisation: &'a str,
    pub logo: Option<&'a [u8]>,
    /// `AGE-SECRET-KEY-1…`
    pub secret: &'a str,
    /// `age1…`, the public half the backups are encrypted to.
    pub recipient: &'a str,
    pub lang: Lang,
    pub generated_at: DateTime<Utc>,
}

/// The key for reading aloud and typing: its `AGE-SECRET-KEY-1` prefix on a line, then the rest
/// in groups of four characters, five groups a line.
pub fn grouped(key: &str) -> Vec<String> {
    const PREFIX: &str = "AGE-SECRET-KEY-1";
    let (head, rest) = match key.strip_prefix(PREFIX) {
        Some(rest) => (Some(PREFIX.to_owned()), rest),
        None => (None, key),
    };
    let chars: Vec<char> = rest.chars().collect();
    let groups: Vec<String> = chars.chunks(4).map(|c| c.iter().collect()).collect();
    head.into_iter().chain(groups.chunks(5).map(|line| line.join(" "))).collect()
}

pub fn recovery_sheet_pdf(input: &RecoverySheetInput, fonts: &ReportFonts) -> Result<Vec<u8>> {
    let lang = input.lang;
    let tr = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let title = tr("数据备份恢复密钥", "Backup recovery key");
    let mut doc = PdfDocument::new(title);
    let mut pages = Pages::new(&mut doc, fonts);
    header(&mut doc, &mut pages, input.organisation, input.logo)?;
    pages.centered(title, 18.0, true);
    let created = format_service_time(input.generated_at);
    pages.centered(&format!("{} {created}", tr("生成于", "Created")), 9.0, false);
    pages.space(4.0);
    pages.paragraph(
        tr(
            "运维台的数据备份（数据库与已签名文件）均以此密钥的公钥加密。恢复备份需要此密钥；本机不保存它。遗失此页，备份将无法恢复；他人取得此页，即可读取备份。请打印后存放于保险柜，并删除电子版。",
            "Yunwei's backups (the database and the signed documents) are encrypted to this key's public half. Restoring a backup needs this key, which is not stored on the computer. Lose this page and the backups cannot be restored; whoever holds it can read them. Print it, keep it in a safe, and delete the file.",
        ),
        10.0,
        false,
        GREY,
    );
    pages.space(4.0);
    pages.heading(tr("恢复密钥", "Recovery key"));
    for line in grouped(input.secret) {
        pages.centered(&line, 13.0, true);
    }
    pages.space(4.0);
    pages.qr_block(input.secret, 60.0).map_err(|e| Error::Corrupt(format!("QR: {e}")))?;
    pages.space(4.0);
    pages.heading(tr("恢复步骤", "To restore"));
    for step in [
        tr(
            "1. 在运维台中打开 设置 → 数据备份，选择要恢复的备份点，点击“恢复”，输入上面的密钥（空格可省略）或扫描二维码。",
            "1. In Yunwei open Settings → Backups, choose the point, click Restore and enter the key above (spaces optional) or scan the QR code.",
        ),
        tr(
            "2. 或在命令行：yunwei backup restore <备份点> --identity <存有密钥的文件>。",
            "2. Or on the command line: yunwei backup restore <point> --identity <file holding the key>.",
        ),
        tr(
            "3. 恢复前当前数据会被保留，可随时“撤销恢复”。",
            "3. The data before the restore is kept and the restore can be undone.",
        ),
    ] {
        pages.paragraph(step, 9.5, false, GREY);
    }
    pages.space(3.0);
    pages.paragraph(&format!("{} {}", tr("公钥：", "Public key:"), input.recipient), 8.0, false, GREY);
    let (pdf_pages, _) = pages.finish(&format!("backup-recipient;{}", input.recipient), |page, count| {
        (format!("{} · {title}", input.organisation), page_position(page, count, lang))
    });
    finish_document(doc, pdf_pages, title, input.organisation, input.generated_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_printed_in_groups_of_four_five_to_a_line() {
        let lines = grouped("AGE-SECRET-KEY-1ABCDEFGHIJKLMNOPQRSTUVWXY");
        assert_eq!(lines, ["AGE-SECRET-KEY-1", "ABCD EFGH IJKL MNOP QRST", "UVWX Y"]);
        // A real key: the prefix and 58 characters on three lines.
        assert_eq!(grouped(&format!("AGE-SECRET-KEY-1{}", "Q".repeat(58))).len(), 4);
    }
}
