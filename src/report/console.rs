//! Temporary stand-in until the console reporter lands.
use std::io::Write;

use crate::report::event::{Event, Outcome, Reporter};

pub struct ConsoleOptions {
    pub color: bool,
    pub verbose: bool,
    pub progress: bool,
    pub parallel: bool,
    pub frozen_time: bool,
}

pub struct ConsoleReporter {
    out: Box<dyn Write + Send>,
}

impl ConsoleReporter {
    pub fn new(out: Box<dyn Write + Send>, _options: ConsoleOptions) -> Self {
        ConsoleReporter { out }
    }
}

impl Reporter for ConsoleReporter {
    fn event(&mut self, event: &Event) -> std::io::Result<()> {
        match event {
            Event::Request(r) => {
                let mark = match &r.outcome {
                    Outcome::Passed => "ok",
                    Outcome::Failed => "FAIL",
                    Outcome::Skipped { .. } => "skip",
                };
                writeln!(self.out, "{mark} {} {} {} {:?}", r.name, r.method, r.url, r.status)?;
                for f in &r.failures {
                    writeln!(self.out, "   {}: {} (expected {:?}, actual {:?}) at {:?}", f.key, f.message, f.expected, f.actual, f.location)?;
                }
            }
            Event::Message { level, text } => writeln!(self.out, "{level:?}: {text}")?,
            Event::Exchange(x) => writeln!(self.out, "{}\n{}", x.request, x.response.as_deref().unwrap_or(""))?,
            Event::RunEnd(e) => writeln!(self.out, "{} passed, {} failed, {} skipped", e.passed, e.failed, e.skipped)?,
            _ => {}
        }
        Ok(())
    }
}
