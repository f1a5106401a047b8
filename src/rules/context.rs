//! What a rule sees of one file.

use std::path::Path;

use crate::semantic::Model;
use crate::syntax::{Parse, Tree};

pub struct Context<'a> {
    /// The file's path, when it has one (stdin may not): rules that read the build context
    /// (requirements.txt, package.json) look next to it.
    pub path: Option<&'a Path>,
    pub parse: &'a Parse,
    pub model: &'a Model,
}

impl<'a> Context<'a> {
    pub fn new(path: Option<&'a Path>, parse: &'a Parse, model: &'a Model) -> Self {
        Context { path, parse, model }
    }

    pub fn tree(&self) -> &'a Tree {
        &self.parse.tree
    }

    pub fn source(&self) -> &'a str {
        &self.parse.tree.source
    }
}
