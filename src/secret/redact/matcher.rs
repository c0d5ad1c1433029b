//! The compiled form of the registered values: where each occurs in a text,
//! and whether a whole field is one of them.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use aho_corasick::AhoCorasick;
use regex::{Regex, RegexBuilder};

use super::pattern::pattern;

/// Compiled patterns stay under this size; past it the literal search still
/// masks the value as written.
const SIZE_LIMIT: usize = 64 << 20;

/// One value's expression, compiled the first time the value may occur and
/// kept across rebuilds (a run that learns many tokens rebuilds often).
pub(super) type Compiled = Arc<OnceLock<Option<Regex>>>;

/// The compiled expressions of every value ever registered, by value.
pub(super) type Cache = HashMap<String, Compiled>;

pub(super) struct Matcher {
    entries: Vec<Entry>,
    /// The longest run of letters and digits of each value that has one:
    /// it travels as written in every encoding, so a text without it
    /// cannot hold the value. Pattern `i` belongs to `anchored[i]`.
    anchors: Option<AhoCorasick>,
    anchored: Vec<usize>,
    /// Values without a letter or digit: always tried.
    unanchored: Vec<usize>,
    /// A short value as a whole query value inside free text: the value is
    /// capture group 1.
    query: Option<Regex>,
}

struct Entry {
    value: String,
    /// Shorter than the free-text minimum: only whole fields.
    short: bool,
    regex: Compiled,
}

impl Matcher {
    pub(super) fn build(
        free: &BTreeSet<String>,
        short: &BTreeSet<String>,
        cache: &mut Cache,
    ) -> Matcher {
        let mut m = Matcher {
            entries: Vec::with_capacity(free.len() + short.len()),
            anchors: None,
            anchored: Vec::new(),
            unanchored: Vec::new(),
            query: None,
        };
        let mut anchors = Vec::new();
        let tagged = free.iter().map(|v| (v, false));
        for (value, is_short) in tagged.chain(short.iter().map(|v| (v, true))) {
            let i = m.entries.len();
            match anchor(value) {
                Some(a) => {
                    anchors.push(a);
                    m.anchored.push(i);
                }
                None => m.unanchored.push(i),
            }
            m.entries.push(Entry {
                value: value.clone(),
                short: is_short,
                regex: Arc::clone(cache.entry(value.clone()).or_default()),
            });
        }
        m.anchors = AhoCorasick::new(anchors).ok();
        let mut shorts: Vec<&String> = short.iter().collect();
        // Longest first, so the alternation prefers the whole of a longer value.
        shorts.sort_by_key(|v| std::cmp::Reverse(v.chars().count()));
        if !shorts.is_empty() {
            let alternation: Vec<String> = shorts.iter().map(|v| pattern(v)).collect();
            m.query = compile(&format!(
                "(?:^|[?&\\s])[^=&#\\s]*=({})",
                alternation.join("|")
            ));
        }
        m
    }

    /// Every match as a byte range, overlapping ones included, unsorted.
    pub(super) fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        let mut spans: Vec<(usize, usize)> = self
            .candidates(text)
            .into_iter()
            .filter(|&i| !self.entries[i].short)
            .flat_map(|i| self.entry_spans(i, text))
            .collect();
        if let Some(query) = &self.query {
            spans.extend(query_spans(query, text));
        }
        spans
    }

    /// True when `text` as a whole is one registered value, in any form.
    pub(super) fn is_whole(&self, text: &str) -> bool {
        self.candidates(text)
            .into_iter()
            .any(|i| self.entry_spans(i, text).contains(&(0, text.len())))
    }

    /// Values that may occur in `text`: their anchor does.
    fn candidates(&self, text: &str) -> BTreeSet<usize> {
        let mut found: BTreeSet<usize> = self.unanchored.iter().copied().collect();
        // A server that escapes letters too (`\u0041`) hides every anchor:
        // text with such escapes is searched for every value.
        let escaped_letters = text.contains("\\u00");
        match &self.anchors {
            Some(_) if escaped_letters => found.extend(self.anchored.iter().copied()),
            Some(ac) => found.extend(
                ac.find_overlapping_iter(text)
                    .map(|hit| self.anchored[hit.pattern().as_usize()]),
            ),
            // No automaton (past its limits): try every value.
            None => found.extend(self.anchored.iter().copied()),
        }
        found
    }

    fn entry_spans(&self, i: usize, text: &str) -> Vec<(usize, usize)> {
        let entry = &self.entries[i];
        match entry.regex.get_or_init(|| compile(&pattern(&entry.value))) {
            Some(re) => overlapping(re, text),
            None => literal(&entry.value, text),
        }
    }
}

/// The longest run of ASCII letters and digits in `value`.
fn anchor(value: &str) -> Option<&str> {
    value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|run| !run.is_empty())
        .max_by_key(|run| run.len())
}

/// Every occurrence of `value` in `text`, overlapping ones included.
fn literal(value: &str, text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|rest| rest.find(value)) {
        let start = from + at;
        spans.push((start, start + value.len()));
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    spans
}

fn compile(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern)
        .size_limit(SIZE_LIMIT)
        .build()
        .ok()
}

/// Every match of `re`, starting a new search one character after the start
/// of each, so that overlapping occurrences (`abab` in `ababab`) all count.
fn overlapping(re: &Regex, text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(m) = re.find_at(text, from) {
        spans.push((m.start(), m.end()));
        from = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        if from >= text.len() {
            break;
        }
    }
    spans
}

/// Short values standing as a whole query value: followed by the end of the
/// text or a character that ends a query value.
fn query_spans(re: &Regex, text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(caps) = re.captures_at(text, from) {
        let (Some(whole), Some(value)) = (caps.get(0), caps.get(1)) else {
            break;
        };
        let ends = text[value.end()..].chars().next().is_none_or(|c| {
            matches!(c, '&' | '#' | '"' | '\'' | '<' | '>' | '\\' | ')') || c.is_whitespace()
        });
        if ends {
            spans.push((value.start(), value.end()));
        }
        from = whole.start() + 1;
    }
    spans
}
