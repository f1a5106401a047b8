//! Problems that make the file unparseable.

pub mod dl1000;
