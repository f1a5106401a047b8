//! Rules about dlint's own comments.

pub mod invalid_purpose_pragma;
pub mod unused_suppression;
