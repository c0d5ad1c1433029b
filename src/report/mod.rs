//! Results flow as [`event::Event`]s to interchangeable writers.

pub mod console;
pub mod event;

use std::path::PathBuf;

use event::{Event, Reporter};

pub enum ReportSpec {
    Junit(PathBuf),
    Json(PathBuf),
    Tap(PathBuf),
}

impl std::str::FromStr for ReportSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Err(format!("reports are not available yet: {s}"))
    }
}

pub fn open(_spec: &ReportSpec) -> std::io::Result<Box<dyn Reporter>> {
    Err(std::io::Error::other("not yet"))
}

pub struct Fanout(pub Vec<Box<dyn Reporter>>);

impl Reporter for Fanout {
    fn event(&mut self, event: &Event) -> std::io::Result<()> {
        for r in &mut self.0 {
            r.event(event)?;
        }
        Ok(())
    }
    fn finish(&mut self) -> std::io::Result<()> {
        for r in &mut self.0 {
            r.finish()?;
        }
        Ok(())
    }
}
