//! The layers of `core/src` (docs/architecture.md), checked over the source's `crate::` and
//! `super::` paths:
//!
//! - the store keeps rows: it imports none of `report`, `signing`, `i18n`, words no text (no
//!   Chinese in its code, no `lang.pick`), and never reads the wall clock (`crate::now`);
//! - reports render values: `report` imports nothing from `store`;
//! - `error` is a leaf: it imports no module but `i18n` and `lang`;
//! - `app` is the front door: no other module imports it;
//! - the modules import each other without a cycle.
//!
//! What still breaks a rule is listed in [`DEBT`], exactly: a new break fails this test, and so
//! does a listed one that was mended (take it off the list). The list only shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every break of the rules above as the code stands (issue 14 mends them).
const DEBT: &[&str] = &[];

/// The top-level module of a source file (`store/quality.rs` → `store`).
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().expect("a path").as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_owned()
}

/// The source of a file without its test module (`#[cfg(test)] mod …` and what follows).
fn without_tests(text: &str) -> &str {
    let mut from = 0;
    while let Some(at) = text[from..].find("#[cfg(test)]").map(|i| from + i) {
        let next = text[at + "#[cfg(test)]".len()..].trim_start();
        if ["mod ", "pub mod ", "pub(crate) mod "].iter().any(|m| next.starts_with(m)) {
            return &text[..at];
        }
        from = at + 1;
    }
    text
}

/// The top-level modules a source names through `crate::…` (brace groups included), comments
/// left out; names that lib.rs re-exports count as the module they come from.
fn crate_references(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let code: String =
        text.lines().filter(|l| !l.trim_start().starts_with("//")).map(|l| format!("{l}\n")).collect();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            let mut items = Vec::new();
            let (mut level, mut start) = (0, 0);
            for (i, c) in group[..end].char_indices() {
                match c {
                    '{' => level += 1,
                    '}' => level -= 1,
                    ',' if level == 0 => {
                        items.push(group[start..i].trim());
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            items.push(group[start..end].trim());
            items
        } else {
            vec![rest]
        };
        for name in names {
            let word: String = name.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let module = match word.as_str() {
                "" | "self" => continue,
                "Error" | "FieldError" | "Result" => "error".to_owned(),
                "Lang" => "lang".to_owned(),
                "now" => "now".to_owned(),
                other => other.to_owned(),
            };
            found.insert(module);
        }
    }
    found
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("core/src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            let relative = path.strip_prefix(root).expect("under src");
            out.push((module_of(relative), std::fs::read_to_string(&path).expect("read")));
        }
    }
}

/// Whether code words text for people: Chinese in its literals, or a choice between languages
/// (`lang.pick(..)`). Comments do not count.
fn spells_words(text: &str) -> bool {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .any(|code| code.contains(".pick(") || code.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
}

/// The modules in a cycle, each cycle as its sorted members (Tarjan's strongly connected parts).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w.as_str()) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w.as_str()]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w.as_str()) {
                    let low = self.low[v].min(self.index[w.as_str()]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut part = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    part.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if part.len() > 1 {
                    part.sort();
                    self.found.push(part);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found.sort();
    walk.found
}

#[test]
fn the_layers_hold_except_for_the_listed_debt() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).filter(|m| m != "lib").collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut reads_clock = BTreeSet::new();
    for (module, text) in &files {
        for target in crate_references(without_tests(text)) {
            if target == "now" {
                reads_clock.insert(module.clone());
            } else if &target != module && modules.contains(&target) {
                graph.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    assert!(graph.get("store").is_some_and(|t| t.contains("incident")), "the graph was read: {graph:?}");

    let mut found = Vec::new();
    let imports = |from: &str, to: &str| graph.get(from).is_some_and(|t| t.contains(to));
    for to in ["report", "signing", "i18n"] {
        if imports("store", to) {
            found.push(format!("store imports {to}"));
        }
    }
    if files.iter().any(|(module, text)| module == "store" && spells_words(without_tests(text))) {
        found.push("store words text".to_owned());
    }
    if reads_clock.contains("store") {
        found.push("store reads the wall clock".to_owned());
    }
    if imports("report", "store") {
        found.push("report imports store".to_owned());
    }
    for to in graph.get("error").into_iter().flatten().filter(|m| !["i18n", "lang"].contains(&m.as_str())) {
        found.push(format!("error imports {to}"));
    }
    for (from, _) in graph.iter().filter(|(from, to)| *from != "app" && to.contains("app")) {
        found.push(format!("{from} imports app"));
    }
    for cycle in cycles(&graph) {
        found.push(format!("cycle: {}", cycle.join(" ")));
    }
    let debt: Vec<String> = DEBT.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(found, debt, "the breaks of the layers, exactly as listed in DEBT");
}
