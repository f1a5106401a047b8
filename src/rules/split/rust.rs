//! rust: not yet written.

use super::rewrite::{Planned, Reason, Single};

pub(crate) fn rewrite(_single: &Single<'_, '_>) -> Result<Planned, Reason> {
    Err("not yet".into())
}

pub(crate) fn advice(_single: Option<&Single<'_, '_>>) -> String {
    "Build in a stage of its own".into()
}
