//! Colours for the console, decided once by the caller (terminal, `NO_COLOR`)
//! and applied here: with colour off no escape sequence is ever produced.

use console::Style;

#[derive(Clone, Copy, Debug)]
pub(super) struct Palette {
    color: bool,
}

impl Palette {
    pub(super) fn new(color: bool) -> Self {
        Palette { color }
    }

    /// Whether this palette colours at all.
    pub(super) fn colored(&self) -> bool {
        self.color
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            style.force_styling(true).apply_to(text).to_string()
        } else {
            text.to_string()
        }
    }

    pub(super) fn pass(&self, text: &str) -> String {
        self.paint(Style::new().green(), text)
    }

    pub(super) fn fail(&self, text: &str) -> String {
        self.paint(Style::new().red(), text)
    }

    pub(super) fn skip(&self, text: &str) -> String {
        self.paint(Style::new().yellow(), text)
    }

    pub(super) fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    pub(super) fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dim(), text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_asked() {
        assert_eq!(Palette::new(false).fail("x"), "x");
        assert_eq!(Palette::new(true).fail("x"), "\u{1b}[31mx\u{1b}[0m");
    }
}
