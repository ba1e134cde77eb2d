//! Where printed text may break into lines: the Unicode line-breaking algorithm (UAX #14, from
//! the `unicode-linebreak` crate) tailored with the Chinese typesetting rules (禁则): no line
//! starts with closing punctuation (。，、；：？！）」…), none ends with an opening one (（「…),
//! and a number stays with the unit after it ("0 分钟", "12 小时").

use unicode_linebreak::linebreaks;

/// Characters that never start a line.
pub const NO_LINE_START: &str = "。，、；：？！）」』】〕》〉”’…‥～·．,.;:?!)]}%‰℃";
/// Characters that never end a line.
pub const NO_LINE_END: &str = "（「『【〔《〈“‘([{";

/// `text` broken into lines no wider than `max`, as `width` measures a piece of text. A piece
/// that cannot break and is wider than a line (a long hash, a path) is cut where it must, still
/// never leaving a line to start with closing punctuation when it can avoid it.
pub fn wrap(text: &str, max: f32, width: impl Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(paragraph, max, &width, &mut lines);
    }
    lines
}

fn wrap_paragraph(p: &str, max: f32, width: &impl Fn(&str) -> f32, lines: &mut Vec<String>) {
    let mut ends = break_points(p);
    ends.push(p.len());
    let (mut start, mut fit, mut next) = (0, None, 0);
    while next < ends.len() {
        let end = ends[next];
        if width(p[start..end].trim_end()) <= max {
            fit = Some(end);
            next += 1;
            continue;
        }
        start = match fit.take() {
            // Break at the last point that fitted and try this one again on the next line.
            Some(at) => {
                lines.push(p[start..at].trim_end().to_owned());
                at
            }
            // Nothing fits: cut the piece itself.
            None => {
                let at = forced_cut(p, start, end, max, width);
                lines.push(p[start..at].to_owned());
                at
            }
        };
    }
    lines.push(p[start..].trim_end().to_owned());
}

/// Units of more than one character that follow a number ("2 小时", "5 个工作日").
const UNITS: [&str; 6] = ["个工作日", "工作日", "分钟", "小时", "个月", "毫秒"];

/// The byte indices inside `p` where a line may start.
fn break_points(p: &str) -> Vec<usize> {
    let kept = numbers_with_units(p);
    linebreaks(p)
        .map(|(at, _)| at)
        .filter(|&at| at > 0 && at < p.len() && permitted(p, at))
        .filter(|&at| !kept.iter().any(|(from, to)| *from < at && at < *to))
        .collect()
}

/// Whether the kinsoku rules let a line start at byte `at` of `p`.
fn permitted(p: &str, at: usize) -> bool {
    let Some(next) = p[at..].chars().next() else { return true };
    let Some(prev) = p[..at].trim_end_matches(' ').chars().last() else { return true };
    !NO_LINE_START.contains(next) && !NO_LINE_END.contains(prev)
}

/// The byte ranges of a number and the Chinese unit after it ("0 分钟", "12 小时", "120 人"),
/// kept on one line.
fn numbers_with_units(p: &str) -> Vec<(usize, usize)> {
    let mut kept = Vec::new();
    let mut chars = p.char_indices().peekable();
    while let Some((from, c)) = chars.next() {
        if !c.is_ascii_digit() {
            continue;
        }
        let mut end = from + 1;
        while let Some(&(i, c)) = chars.peek() {
            if !(c.is_ascii_digit() || c == '.' || c == ' ') {
                break;
            }
            end = i + 1;
            chars.next();
        }
        let rest = &p[end..];
        let unit = UNITS.iter().find(|u| rest.starts_with(**u)).map(|u| u.len());
        let unit = unit.or_else(|| rest.chars().next().filter(|c| is_han(*c)).map(char::len_utf8));
        if let Some(len) = unit {
            kept.push((from, end + len));
        }
    }
    kept
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Where to cut `p[start..end]`, a piece wider than `max` with no break inside: as much as
/// fits (at least one character), moved back one character if the next line would start with
/// closing punctuation.
fn forced_cut(p: &str, start: usize, end: usize, max: f32, width: &impl Fn(&str) -> f32) -> usize {
    let mut at = start;
    for (i, c) in p[start..end].char_indices() {
        let after = start + i + c.len_utf8();
        if at > start && width(&p[start..after]) > max {
            break;
        }
        at = after;
    }
    let starts_badly = p[at..].chars().next().is_some_and(|c| NO_LINE_START.contains(c));
    match p[start..at].char_indices().last() {
        Some((i, _)) if starts_badly && i > 0 => start + i,
        _ => at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Chinese character is 1 wide, anything else ½.
    fn width(text: &str) -> f32 {
        text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
    }

    fn assert_kinsoku(lines: &[String]) {
        for pair in lines.windows(2) {
            let first = pair[1].chars().next();
            assert!(
                !first.is_some_and(|c| NO_LINE_START.contains(c)),
                "a line starts with {first:?}: {lines:?}"
            );
            let last = pair[0].chars().last();
            assert!(!last.is_some_and(|c| NO_LINE_END.contains(c)), "a line ends with {last:?}: {lines:?}");
        }
    }

    #[test]
    fn closing_punctuation_stays_on_the_line_before() {
        // Eight wide: "数据库连接池已满" fits, but would leave "。" to start the next line.
        let lines = wrap("数据库连接池已满。重启后恢复", 8.0, width);
        assert_kinsoku(&lines);
        assert_eq!(lines, ["数据库连接池已", "满。重启后恢复"]);
    }

    #[test]
    fn an_opening_bracket_goes_down_with_what_it_opens() {
        let lines = wrap("公文系统白屏（未提交处理方案）", 6.0, width);
        assert_kinsoku(&lines);
        assert!(lines.iter().all(|l| width(l) <= 6.0), "{lines:?}");
        assert_eq!(lines[1].chars().next(), Some('（'), "{lines:?}");
    }

    #[test]
    fn a_number_stays_with_its_unit() {
        // "暂停 0 分钟" may not become "暂停 0" / "分钟".
        let lines = wrap("到期 11:00 = 报告 08:00 + 2 小时；暂停 0 分钟", 9.0, width);
        assert_kinsoku(&lines);
        for line in &lines {
            assert!(!line.ends_with(char::is_numeric) || line.ends_with("08:00"), "{lines:?}");
        }
        assert!(lines.iter().any(|l| l.contains("0 分钟")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("2 小时")), "{lines:?}");
        // Nor "30 分" / "钟" (which would fit), nor "120" / "人".
        assert_eq!(wrap("响应 30 分钟", 5.0, width), ["响应", "30 分钟"]);
        assert_eq!(wrap("影响 120 人", 3.5, width), ["影响", "120 人"]);
    }

    #[test]
    fn latin_words_break_at_spaces_and_the_space_is_not_printed() {
        let lines = wrap("Resolved before the engineer was due on site", 10.0, width);
        assert_eq!(lines, ["Resolved before the", "engineer was due on", "site"]);
    }

    #[test]
    fn a_piece_wider_than_a_line_is_cut_and_newlines_are_kept() {
        let lines = wrap("sha256:0123456789abcdef\n\n完", 4.0, width);
        assert_eq!(lines, ["sha256:0", "12345678", "9abcdef", "", "完"]);
        assert!(lines.iter().all(|l| width(l) <= 4.0));
    }

    #[test]
    fn a_forced_cut_keeps_punctuation_off_the_next_line() {
        assert_eq!(forced_cut("一二三。", 0, "一二三。".len(), 3.0, &width), "一二".len());
    }

    #[test]
    fn each_line_is_as_full_as_the_rules_allow() {
        let text = "应用未释放数据库连接，连接池耗尽；扩大连接池并修复连接泄漏后恢复。";
        let lines = wrap(text, 8.0, width);
        assert_kinsoku(&lines);
        assert_eq!(lines.concat(), text, "nothing lost or added");
        assert!(lines.iter().all(|l| width(l) <= 8.0), "{lines:?}");
        assert!(lines[..lines.len() - 1].iter().all(|l| width(l) >= 6.0), "{lines:?}");
    }
}
