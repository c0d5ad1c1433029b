//! The human-facing writer: one line per request grouped under its file,
//! then a detail block per failure and a summary line CI can parse.
//!
//! Files run in parallel would interleave their lines; with
//! [`ConsoleOptions::parallel`] a file's lines are held until its `FileEnd`
//! and printed as one block. Memory stays flat: only failed requests (for
//! the detail section) and counters outlive their event.

mod render;

use std::collections::HashMap;
use std::io::{self, Write};

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget};

use super::event::{Event, Outcome, Reporter, RequestResult};
use super::excerpt::excerpt;
use super::palette::Palette;

/// How the console prints; the caller resolves terminals and `NO_COLOR`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ConsoleOptions {
    /// Style with ANSI colours; when false no escape sequence is written.
    pub color: bool,
    /// Print each request and response in full (`--verbose`).
    pub verbose: bool,
    /// Offer a progress bar on stderr: it appears once the run has lasted
    /// [`PROGRESS_DELAY`] (at the next finished request), so short runs
    /// never flash one.
    pub progress: bool,
    /// Files run concurrently: print each file as one block at its end.
    pub parallel: bool,
    /// Print every duration as `0ms` / `0.00s`, for exact comparisons.
    pub frozen_time: bool,
}

/// How long a run goes before its progress bar appears.
pub(crate) const PROGRESS_DELAY: Duration = Duration::from_secs(2);

pub(crate) struct ConsoleReporter {
    out: Box<dyn Write + Send>,
    options: ConsoleOptions,
    palette: Palette,
    dry_run: bool,
    /// With `parallel`: the text of each file that has not ended yet.
    pending: HashMap<usize, String>,
    /// Failed requests, body already cut to an excerpt, for the detail section.
    failed: Vec<RequestResult>,
    /// Under `--dry-run`: requests that would be sent, skipped, failed.
    dry: (usize, usize, usize),
    bar: Option<ProgressBar>,
    /// When the run started, while the bar is still hidden.
    bar_hidden_since: Option<Instant>,
}

impl ConsoleReporter {
    pub(crate) fn new(out: Box<dyn Write + Send>, options: ConsoleOptions) -> Self {
        ConsoleReporter {
            out,
            options,
            palette: Palette::new(options.color),
            dry_run: false,
            pending: HashMap::new(),
            failed: Vec::new(),
            dry: (0, 0, 0),
            bar: None,
            bar_hidden_since: None,
        }
    }

    /// Shows the hidden bar once the run has lasted [`PROGRESS_DELAY`].
    fn reveal_bar(&mut self) {
        if let (Some(bar), Some(since)) = (&self.bar, self.bar_hidden_since)
            && since.elapsed() >= PROGRESS_DELAY
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar_hidden_since = None;
        }
    }

    /// Writes now, with the progress bar lifted so lines do not tear it.
    fn emit(&mut self, text: &str) -> io::Result<()> {
        match &self.bar {
            Some(bar) => bar.suspend(|| {
                self.out.write_all(text.as_bytes())?;
                self.out.flush()
            }),
            None => self.out.write_all(text.as_bytes()),
        }
    }

    /// Text belonging to one file: held for its block when parallel, else written.
    fn file_text(&mut self, file: usize, text: &str) -> io::Result<()> {
        if self.options.parallel {
            self.pending.entry(file).or_default().push_str(text);
            Ok(())
        } else {
            self.emit(text)
        }
    }

    fn on_request(&mut self, r: &RequestResult) -> io::Result<()> {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        self.reveal_bar();
        match r.outcome {
            Outcome::Passed => self.dry.0 += 1,
            Outcome::Skipped { .. } => self.dry.1 += 1,
            Outcome::Failed => {
                self.dry.2 += 1;
                let mut kept = r.clone();
                kept.body_excerpt = r.body_excerpt.as_deref().map(excerpt);
                self.failed.push(kept);
            }
        }
        let line = render::request_line(r, self.dry_run, self.options.frozen_time, self.palette);
        self.file_text(r.file_index, &line)
    }

    /// The end of the run: leftover blocks, failure details, the summary.
    fn on_run_end(&mut self, summary: String) -> io::Result<()> {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let mut leftovers: Vec<_> = self.pending.drain().collect();
        leftovers.sort_by_key(|(index, _)| *index);
        for (_, text) in leftovers {
            self.emit(&text)?;
        }
        let mut text = String::new();
        if !self.failed.is_empty() {
            text.push_str(&format!("\n{}\n", self.palette.bold("failures:")));
            for r in std::mem::take(&mut self.failed) {
                text.push('\n');
                text.push_str(&render::failure_block(&r, self.palette));
            }
        }
        text.push('\n');
        text.push_str(&summary);
        self.emit(&text)
    }
}

impl Reporter for ConsoleReporter {
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn event(&mut self, event: &Event) -> io::Result<()> {
        let p = self.palette;
        match event {
            Event::RunStart(start) => {
                self.dry_run = start.dry_run;
                if self.options.progress {
                    let total = Some(start.requests as u64);
                    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
                    self.bar = Some(bar);
                    self.bar_hidden_since = Some(Instant::now());
                }
                Ok(())
            }
            Event::FileStart(f) => {
                self.file_text(f.index, &render::file_header(&f.path, &f.name, p))
            }
            Event::Exchange(x) if self.options.verbose => {
                self.file_text(x.file_index, &render::exchange(x, self.dry_run, p))
            }
            Event::Exchange(_) => Ok(()),
            Event::Request(r) => self.on_request(r),
            Event::FileEnd(f) => match self.pending.remove(&f.index) {
                Some(block) => self.emit(&block),
                None => Ok(()),
            },
            Event::Message { level, text } => self.emit(&render::message(*level, text, p)),
            Event::RunEnd(end) => {
                let summary = if self.dry_run {
                    let (sent, skipped, failed) = self.dry;
                    render::dry_run_summary(sent, skipped, failed, end.files)
                } else {
                    render::summary(end, self.options.frozen_time, p)
                };
                self.on_run_end(summary)
            }
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests;
