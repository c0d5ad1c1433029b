//! Puts every writer's input in path order, whatever `--jobs` is: the
//! events of file N pass through as they come while every earlier file has
//! ended; a later file's events are held until then and released in one
//! go. So the console shows files in path order (each block as soon as
//! every earlier file is done), TAP numbers and the JSON and JUnit reports
//! have the same order in every run, and `--jobs 1` (already in order)
//! passes straight through. Notes outside any file (a login, a warning)
//! pass at once.

use std::collections::BTreeMap;
use std::io;

use super::event::{Event, Reporter};

/// A [`Reporter`] that reorders events by file before `inner` sees them.
pub(crate) struct PathOrder<R> {
    inner: R,
    /// The file whose events pass through now: every earlier file ended.
    next: usize,
    /// Events of later files, by file index, and whether each has ended.
    held: BTreeMap<usize, (Vec<Event>, bool)>,
}

impl<R: Reporter> PathOrder<R> {
    pub(crate) fn new(inner: R) -> PathOrder<R> {
        PathOrder {
            inner,
            next: 0,
            held: BTreeMap::new(),
        }
    }

    /// The file an event belongs to; `None` for run-wide events.
    fn file_of(event: &Event) -> Option<usize> {
        match event {
            Event::FileStart(f) => Some(f.index),
            Event::FileEnd(f) => Some(f.index),
            Event::Request(r) => Some(r.file_index),
            // A profile's login and logout steps belong to no file.
            Event::Exchange(x) if x.file_index != usize::MAX => Some(x.file_index),
            _ => None,
        }
    }

    /// Passes the held events of every file whose turn has come.
    fn release(&mut self) -> io::Result<()> {
        while let Some((events, ended)) = self.held.remove(&self.next) {
            for e in &events {
                self.inner.event(e)?;
            }
            if !ended {
                return Ok(());
            }
            self.next += 1;
        }
        Ok(())
    }

    /// Passes everything still held, in file order (the run is over).
    fn release_all(&mut self) -> io::Result<()> {
        for (_, (events, _)) in std::mem::take(&mut self.held) {
            for e in &events {
                self.inner.event(e)?;
            }
        }
        Ok(())
    }
}

impl<R: Reporter> Reporter for PathOrder<R> {
    fn event(&mut self, event: &Event) -> io::Result<()> {
        if let Event::RunEnd(_) = event {
            self.release_all()?;
            return self.inner.event(event);
        }
        let Some(file) = Self::file_of(event) else {
            return self.inner.event(event);
        };
        let ends = matches!(event, Event::FileEnd(_));
        if file == self.next {
            self.inner.event(event)?;
            if ends {
                self.next += 1;
                self.release()?;
            }
            return Ok(());
        }
        let slot = self.held.entry(file).or_default();
        slot.0.push(event.clone());
        slot.1 |= ends;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.release_all()?;
        self.inner.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::event::{FileEnd, FileStart, Level};

    /// Records the order events arrive in, as short labels.
    #[derive(Default)]
    struct Seen(Vec<String>);

    impl Reporter for Seen {
        fn event(&mut self, event: &Event) -> io::Result<()> {
            self.0.push(match event {
                Event::FileStart(f) => format!("start {}", f.index),
                Event::FileEnd(f) => format!("end {}", f.index),
                Event::Message { text, .. } => text.clone(),
                _ => "other".into(),
            });
            Ok(())
        }
    }

    fn start(index: usize) -> Event {
        Event::FileStart(FileStart {
            index,
            path: format!("f{index}"),
            name: format!("f{index}"),
            requests: 1,
        })
    }

    fn end(index: usize) -> Event {
        Event::FileEnd(FileEnd {
            index,
            path: format!("f{index}"),
            name: format!("f{index}"),
            duration: std::time::Duration::ZERO,
        })
    }

    #[test]
    fn later_files_wait_for_earlier_ones_and_notes_pass_at_once() {
        let mut order = PathOrder::new(Seen::default());
        let note = Event::Message {
            level: Level::Info,
            text: "note".into(),
        };
        for e in [start(1), start(0), note, end(1), start(2), end(0), end(2)] {
            order.event(&e).unwrap();
        }
        assert_eq!(
            order.inner.0,
            [
                "start 0", "note", "end 0", "start 1", "end 1", "start 2", "end 2"
            ]
        );
    }
}
