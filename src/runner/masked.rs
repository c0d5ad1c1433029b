//! The last gate before any writer: every string of every event passes
//! through the run's redactor once more, with every secret known by the
//! time it is written (one learned after the event was made included).
//! Events were masked when they were made, before any cut; this pass
//! cuts nothing, so it can only mask more.

use std::borrow::Cow;

use crate::report::event::{Event, Outcome};
use crate::secret::Redactor;

/// `event` with every string masked.
pub(crate) fn masked(event: Event, redactor: &Redactor) -> Event {
    if redactor.show_secrets() {
        return event;
    }
    let mask = |s: &mut String| {
        if let Cow::Owned(o) = redactor.redact(s) {
            *s = o;
        }
    };
    let mut event = event;
    match &mut event {
        Event::RunStart(r) => r.env.iter_mut().for_each(mask),
        Event::FileStart(f) => {
            mask(&mut f.path);
            mask(&mut f.name);
        }
        Event::FileEnd(f) => {
            mask(&mut f.path);
            mask(&mut f.name);
        }
        Event::Exchange(x) => {
            mask(&mut x.request);
            x.response.iter_mut().for_each(mask);
        }
        Event::Request(r) => {
            for s in [&mut r.file, &mut r.file_name, &mut r.name, &mut r.url] {
                mask(s);
            }
            if let Outcome::Skipped { reason } = &mut r.outcome {
                mask(reason);
            }
            for f in &mut r.failures {
                mask(&mut f.key);
                mask(&mut f.message);
                f.expected.iter_mut().for_each(mask);
                f.actual.iter_mut().for_each(mask);
            }
            r.body_excerpt.iter_mut().for_each(mask);
        }
        Event::Message { text, .. } => mask(text),
        Event::RunEnd(_) => {}
    }
    event
}

/// The console's stream, masked line by line on its way out: what the
/// console adds to events (the source line of a failure, read from the
/// request file) passes the redactor too.
pub(crate) struct MaskedWriter {
    inner: Box<dyn std::io::Write + Send>,
    redactor: std::sync::Arc<Redactor>,
    /// Bytes after the last newline, held until the line ends or a flush.
    pending: Vec<u8>,
}

impl MaskedWriter {
    pub(crate) fn new(
        inner: Box<dyn std::io::Write + Send>,
        redactor: std::sync::Arc<Redactor>,
    ) -> MaskedWriter {
        MaskedWriter {
            inner,
            redactor,
            pending: Vec::new(),
        }
    }

    fn pass(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(bytes);
        self.inner.write_all(self.redactor.redact(&text).as_bytes())
    }
}

impl std::io::Write for MaskedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') {
            let rest = self.pending.split_off(end + 1);
            let lines = std::mem::replace(&mut self.pending, rest);
            self.pass(&lines)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let partial = std::mem::take(&mut self.pending);
        self.pass(&partial)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_written_in_pieces_are_masked_whole() {
        let redactor = Arc::new(Redactor::new(false));
        redactor.add("hunter22");
        let sink = Sink::default();
        let mut w = MaskedWriter::new(Box::new(sink.clone()), redactor);
        for piece in ["a hun", "ter22 b\nc hunt", "er22"] {
            w.write_all(piece.as_bytes()).unwrap();
        }
        w.flush().unwrap();
        let out = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert_eq!(out, "a *** b\nc ***");
    }

    #[test]
    fn every_event_string_is_masked() {
        let redactor = Redactor::new(false);
        redactor.add("hunter22");
        let event = Event::Message {
            level: crate::report::event::Level::Info,
            text: "x hunter22".into(),
        };
        match masked(event, &redactor) {
            Event::Message { text, .. } => assert_eq!(text, "x ***"),
            _ => unreachable!(),
        }
    }
}
