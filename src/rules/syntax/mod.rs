//! Problems that make the file unparseable (DL1000) or that `docker build` rejects once it
//! parsed (`REJ001`…, one file per class of rejection; `reject.rs` holds what they share).

pub mod dl1000;
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
mod reject;
