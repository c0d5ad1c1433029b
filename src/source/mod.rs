//! Loading the user's YAML with positions kept, into the typed model.

pub mod file_kind;
pub mod load;
pub mod model;
pub mod project;
pub mod schema;
pub mod written;
