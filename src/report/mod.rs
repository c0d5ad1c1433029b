//! Results flow as [`event::Event`]s to interchangeable writers.

pub mod event;
