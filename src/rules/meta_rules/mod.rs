//! Rules about dlint's own comments.

pub mod sup001;
pub mod sup002;
