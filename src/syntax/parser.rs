use super::tree::*;

pub(crate) struct Parser<'a> {
    source: &'a str,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        Parser { source }
    }

    pub(crate) fn run(self) -> Parse {
        Parse {
            tree: Tree {
                source: self.source.to_string(),
                nodes: Vec::new(),
                escape: '\\',
                bom_len: 0,
            },
            errors: Vec::new(),
        }
    }
}
