//! Problems that make the file unparseable (DL1000) or that `docker build` rejects once it
//! parsed (`REJ001`…, one file per class of rejection; `reject.rs` holds what they share),
//! and files past what dlint analyses (`LIM001`…: hostile sizes and depths).

pub mod dl1000;
pub mod lim001;
pub mod lim002;
pub mod rej001;
pub mod rej002;
pub mod rej003;
pub mod rej004;
pub mod rej005;
pub mod rej006;
pub mod rej007;
pub mod rej008;
pub mod rej009;
pub mod rej010;
pub mod rej011;
mod reject;
