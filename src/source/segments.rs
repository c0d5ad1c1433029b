//! A request file read one request at a time from disk, so that neither
//! checking nor running a collection of 100,000 requests holds its text.
//!
//! It applies to the usual layout only: `requests:` is the file's last
//! top-level key, its items are block-style `- ` lines at one indentation,
//! and the file has no anchors or aliases (an item could name one defined
//! elsewhere), no tabs in its indentation and no lone CR. In that layout a
//! line at the items' indentation that starts with `- ` begins the next
//! item, unless a quoted scalar or a flow collection is still open there
//! (the YAML library lets those go on at any indentation): the scanner
//! tracks both, and a file where such a line falls inside one is read
//! whole. Each item's lines are then a YAML document of their own.
//! Anything else is read whole, as before ([`scan`] says which).

use std::io::{self, BufRead};

/// Where the list of a file in the usual layout starts.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    /// The text up to and with the `requests:` line.
    pub head: String,
    /// Byte offset of the line after `requests:`.
    pub items_at: u64,
    /// Line number (from 1) of the line after `requests:`.
    pub items_line: u64,
    /// Number of items.
    pub items: usize,
    /// Column (from 0) of the items' `- `.
    pub indent: usize,
}

/// One item's lines.
#[derive(Debug)]
pub(crate) struct Segment {
    pub text: String,
    /// Line number (from 1) of the item's first line in the file.
    pub first_line: u64,
}

/// The layout of the request file at `path` when it is the usual one;
/// `None` for any other, and for a file that cannot be read (reading it
/// whole then says why).
pub(crate) fn layout(path: &std::path::Path, field: &str) -> Option<Layout> {
    if super::file_kind::not_a_regular_file(path).is_some() {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    scan(io::BufReader::new(file), field).ok().flatten()
}

/// Reads the file's lines once and returns its layout when it is the usual
/// one (see the module's documentation), `None` otherwise. Errors: the
/// reader's own.
pub(crate) fn scan(mut reader: impl BufRead, field: &str) -> io::Result<Option<Layout>> {
    let mut head = String::new();
    let mut found: Option<Layout> = None;
    let mut offset = 0u64;
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    let mut open = Open::default();
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(found.filter(|l| l.items > 0));
        }
        line_no += 1;
        offset += buf.len() as u64;
        let Ok(line) = std::str::from_utf8(&buf) else {
            return Ok(None);
        };
        if !plain_line(line) {
            return Ok(None);
        }
        let first = line.chars().next().unwrap_or(' ');
        let top_key = first.is_alphanumeric() || matches!(first, '_' | '"' | '\'');
        // Inside a quoted scalar or a flow collection that goes on, a line
        // that looks like a new key or item is not one.
        let was_open = open.is_open();
        open.feed(line);
        if was_open && (top_key || line.trim_start().starts_with('-')) {
            return Ok(None);
        }
        match &mut found {
            None if top_key && key_of(line) == field => {
                if !nothing_after_colon(line) {
                    return Ok(None);
                }
                head.push_str(line);
                found = Some(Layout {
                    head: std::mem::take(&mut head),
                    items_at: offset,
                    items_line: line_no + 1,
                    items: 0,
                    indent: usize::MAX,
                });
            }
            None => head.push_str(line),
            Some(_) if top_key => return Ok(None),
            Some(layout) => {
                if !item_line(line, layout) {
                    return Ok(None);
                }
            }
        }
    }
}

/// Counts `line` of the list region into `layout`; false when the line
/// does not fit the usual layout.
fn item_line(line: &str, layout: &mut Layout) -> bool {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let content = trimmed.trim_end();
    if content.is_empty() || content.starts_with('#') {
        return true;
    }
    let starts_item = trimmed.starts_with("- ") || content == "-";
    if layout.items == 0 {
        if !starts_item {
            return false;
        }
        layout.indent = indent;
    }
    if indent < layout.indent {
        return false;
    }
    if indent == layout.indent {
        if !starts_item {
            return false;
        }
        layout.items += 1;
    }
    true
}

/// The key of a top-level `key: value` line.
fn key_of(line: &str) -> &str {
    line.split(':').next().unwrap_or("").trim()
}

fn nothing_after_colon(line: &str) -> bool {
    let rest = line.split_once(':').map_or("", |(_, r)| r).trim();
    rest.is_empty() || rest.starts_with('#')
}

/// False for what the usual layout excludes: several documents,
/// directives, a flow-style top level, anchors and aliases, tabs in the
/// indentation, and a line break YAML sees that a line reader does not (a
/// lone CR).
fn plain_line(line: &str) -> bool {
    let first = line.chars().next().unwrap_or(' ');
    if line.starts_with("---") || line.starts_with("...") || matches!(first, '%' | '{' | '[') {
        return false;
    }
    let indentation = &line[..line.len() - line.trim_start().len()];
    let body = line
        .strip_suffix("\r\n")
        .or(line.strip_suffix('\n'))
        .unwrap_or(line);
    !indentation.contains('\t') && !body.contains('\r') && !has_anchor_or_alias(line)
}

/// What the lines so far leave open: a quoted scalar or a flow collection.
/// A `'` or `"` opens a scalar only where a node may start (`it's` does
/// not); a `#` after a space outside quotes starts a comment. Text inside
/// a block scalar is read the same way, which can only make a file look
/// open when it is not, and such a file is read whole.
#[derive(Default)]
struct Open {
    quote: Option<u8>,
    depth: usize,
}

impl Open {
    fn is_open(&self) -> bool {
        self.quote.is_some() || self.depth > 0
    }

    fn feed(&mut self, line: &str) {
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let after_space = i == 0 || matches!(b[i - 1], b' ' | b'\t');
            match self.quote {
                Some(b'"') if c == b'\\' => i += 1,
                Some(q) if c == q => self.quote = None,
                Some(_) => {}
                None if c == b'#' && after_space => return,
                None if matches!(c, b'"' | b'\'') && node_start(b, i) => self.quote = Some(c),
                None if matches!(c, b'[' | b'{') => self.depth += 1,
                None if matches!(c, b']' | b'}') => self.depth = self.depth.saturating_sub(1),
                None => {}
            }
            i += 1;
        }
    }
}

/// Whether a node may start at byte `i` of `b`.
fn node_start(b: &[u8], i: usize) -> bool {
    i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'[' | b'{' | b',' | b':' | b'-')
}

/// An `&name` or `*name` where a node may start; a name is any run of
/// characters but spaces and `,[]{}` (YAML 1.2 §6.9.2), so `&é` and `&/u`
/// are anchors. Text such as a URL's `?a=1&b=2` is not one; a quoted
/// `"a &b"` is taken for one, which only means the file is read whole.
fn has_anchor_or_alias(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        (b == b'&' || b == b'*')
            && node_start(bytes, i)
            && bytes
                .get(i + 1)
                .is_some_and(|n| !n.is_ascii_whitespace() && !b",[]{}".contains(n))
    })
}

/// The items of a list whose layout [`scan`] found, one at a time; the
/// reader must be positioned at [`Layout::items_at`].
pub(crate) struct Items<R> {
    reader: R,
    indent: usize,
    /// Line number of the next line to read.
    line: u64,
    /// The first line of the next item, read already.
    carry: Option<String>,
}

impl<R: BufRead> Items<R> {
    pub(crate) fn new(reader: R, layout: &Layout) -> Items<R> {
        Items {
            reader,
            indent: layout.indent,
            line: layout.items_line,
            carry: None,
        }
    }

    fn read_line(&mut self) -> io::Result<Option<String>> {
        let mut buf = Vec::new();
        if self.reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(None);
        }
        self.line += 1;
        String::from_utf8(buf)
            .map(Some)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "the file is not UTF-8 text"))
    }

    fn starts_item(&self, line: &str) -> bool {
        let trimmed = line.trim_start();
        line.len() - trimmed.len() == self.indent
            && (trimmed.starts_with("- ") || trimmed.trim_end() == "-")
    }
}

impl<R: BufRead> Iterator for Items<R> {
    type Item = io::Result<Segment>;

    fn next(&mut self) -> Option<io::Result<Segment>> {
        let (mut text, first_line) = match self.carry.take() {
            Some(line) => (line, self.line - 1),
            None => loop {
                match self.read_line() {
                    Ok(Some(line)) if self.starts_item(&line) => break (line, self.line - 1),
                    Ok(Some(_)) => {}
                    Ok(None) => return None,
                    Err(e) => return Some(Err(e)),
                }
            },
        };
        loop {
            match self.read_line() {
                Ok(Some(line)) if self.starts_item(&line) => {
                    self.carry = Some(line);
                    break;
                }
                Ok(Some(line)) => text.push_str(&line),
                Ok(None) => break,
                Err(e) => return Some(Err(e)),
            }
        }
        Some(Ok(Segment { text, first_line }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(text: &str) -> Option<Layout> {
        scan(text.as_bytes(), "requests").unwrap()
    }

    fn items(text: &str) -> Vec<(u64, String)> {
        let l = layout(text).unwrap();
        let rest = &text.as_bytes()[l.items_at as usize..];
        Items::new(rest, &l)
            .map(|s| s.map(|s| (s.first_line, s.text)).unwrap())
            .collect()
    }

    #[test]
    fn the_usual_layout_is_split_into_items_with_their_line_numbers() {
        let text = "name: a\nvars:\n  x: 1\nrequests:\n  # first\n  - url: u?a=1&b=2\n    body: |\n      - not an item\n\n  - url: v\n";
        let l = layout(text).unwrap();
        assert_eq!(l.head, "name: a\nvars:\n  x: 1\nrequests:\n");
        assert_eq!((l.items, l.indent, l.items_line), (2, 2, 5));
        assert_eq!(
            items(text),
            [
                (
                    6,
                    "  - url: u?a=1&b=2\n    body: |\n      - not an item\n\n".to_string()
                ),
                (10, "  - url: v\n".to_string()),
            ]
        );
    }

    #[test]
    fn unusual_layouts_are_read_whole() {
        for text in [
            "requests:\n  - url: u\nvars: {}\n",  // a key after the list
            "requests: [{url: u}]\n",             // flow style
            "{requests: []}\n",                   // flow top level
            "name: a\n",                          // no list
            "requests:\n",                        // an empty list
            "---\nrequests:\n  - url: u\n",       // several documents
            "x: &a 1\nrequests:\n  - url: *a\n",  // anchors
            "requests:\n  - url: u\n - url: v\n", // broken indentation
            "requests:\n  url: u\n",              // not a list
            "requests:\n  - url: \"a &b\"\n",     // looks like an anchor
        ] {
            assert!(layout(text).is_none(), "{text:?}");
        }
        assert!(
            scan(&b"requests:\n  - url: \xff\n"[..], "requests")
                .unwrap()
                .is_none()
        );
    }
}
