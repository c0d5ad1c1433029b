//! Loading the user's YAML with positions kept, into the typed model.

pub(crate) mod file_kind;
pub(crate) mod load;
pub(crate) mod model;
pub(crate) mod project;
pub(crate) mod schema;
pub(crate) mod segments;
pub(crate) mod written;
