//! How a search term is looked for: the rule that picks the index, and the tokens written to
//! it. Three or more characters: every trigram of the term must be in the trigram index (SQLite's
//! own tokenizer), then the term itself is checked on the text. Two letters or digits (a Chinese
//! word is often two characters): one token of the pair index, which holds every pair of
//! adjacent letters or digits of the text. Anything shorter is a scan of the text.

use std::collections::BTreeSet;

/// The way a term is found.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// An FTS5 query of the trigram index; `exact` when a hit needs no check on the text
    /// (the term is one trigram).
    Trigrams { query: String, exact: bool },
    /// An FTS5 query of the pair index: one token, exact.
    Pair(String),
    /// No index fits: a substring scan of the text.
    Scan,
}

/// The index that finds `term` (trimmed, not empty).
pub fn lookup(term: &str) -> Lookup {
    let chars: Vec<char> = term.chars().collect();
    match chars.len() {
        0 | 1 => Lookup::Scan,
        2 if chars.iter().all(|c| c.is_alphanumeric()) => Lookup::Pair(pair_token(chars[0], chars[1])),
        2 => Lookup::Scan,
        n => {
            let trigrams: BTreeSet<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
            let query = trigrams
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" AND ");
            Lookup::Trigrams { query, exact: n == 3 }
        }
    }
}

/// A `LIKE` pattern (escape `\`) matching text that contains `term`.
pub fn like_pattern(term: &str) -> String {
    format!("%{}%", term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

/// The pair index's row for a text of several fields: each distinct pair of adjacent letters
/// or digits (case folded) as one token, space separated. A token is the pair's UTF-8 in hex,
/// so the index's tokenizer (`ascii`) never splits or folds it.
pub fn pair_tokens<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let mut pairs = Vec::new();
    for field in fields {
        let mut previous: Option<char> = None;
        for c in field.chars() {
            if !c.is_alphanumeric() {
                previous = None;
                continue;
            }
            if let Some(p) = previous {
                pairs.push((p, c));
            }
            previous = Some(c);
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut tokens = String::with_capacity(pairs.len() * 13);
    for (a, b) in pairs {
        if !tokens.is_empty() {
            tokens.push(' ');
        }
        push_pair_token(&mut tokens, a, b);
    }
    tokens
}

/// The token of the pair `a b`, case folded.
fn pair_token(a: char, b: char) -> String {
    let mut token = String::with_capacity(12);
    push_pair_token(&mut token, a, b);
    token
}

fn push_pair_token(out: &mut String, a: char, b: char) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut utf8 = [0; 4];
    for c in a.to_lowercase().chain(b.to_lowercase()) {
        for byte in c.encode_utf8(&mut utf8).bytes() {
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_character_word_is_one_token_of_the_pair_index() {
        // 数据 is E6 95 B0 E6 8D AE in UTF-8.
        assert_eq!(lookup("数据"), Lookup::Pair("e695b0e68dae".into()));
        assert_eq!(lookup("DB"), lookup("db"), "case folded");
        assert_eq!(lookup("a-"), Lookup::Scan, "a pair with punctuation is not indexed");
        assert_eq!(lookup("库"), Lookup::Scan);
    }

    #[test]
    fn the_pairs_of_a_text_are_those_a_two_character_term_looks_for() {
        let row = pair_tokens(["数据库 服务器", "VPN-故障", ""]);
        for term in ["数据", "据库", "服务", "务器", "vp", "pn", "故障"] {
            let Lookup::Pair(token) = lookup(term) else { panic!("{term} is a pair") };
            assert!(row.split(' ').any(|t| t == token), "{term} is found in {row}");
        }
        for absent in ["库服", "n故", "器v"] {
            let Lookup::Pair(token) = lookup(absent) else { panic!("{absent} is a pair") };
            assert!(!row.split(' ').any(|t| t == token), "{absent} spans a gap or a field: not found");
        }
        assert_eq!(pair_tokens(["aaaa"]), pair_token('a', 'a'), "each pair once");
        assert_eq!(pair_tokens(["Ab"]), pair_token('a', 'b'), "case folded");
    }

    #[test]
    fn a_longer_term_needs_every_trigram_and_is_checked_unless_it_is_one() {
        assert_eq!(lookup("数据库"), Lookup::Trigrams { query: "\"数据库\"".into(), exact: true });
        let Lookup::Trigrams { query, exact } = lookup("数据库服务器") else { panic!() };
        assert!(!exact);
        assert_eq!(query.matches(" AND ").count(), 3, "{query}");
        let Lookup::Trigrams { query, .. } = lookup("a\"bc") else { panic!() };
        let mut phrases: Vec<&str> = query.split(" AND ").collect();
        phrases.sort_unstable();
        assert_eq!(phrases, ["\"\"\"bc\"", "\"a\"\"b\""], "quotes are doubled inside a phrase");
    }

    #[test]
    fn like_patterns_escape_their_wildcards() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
