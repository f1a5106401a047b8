//! Docker's build checks (`docker build --check`), one file per check, codes `BK001`…`BK022`
//! in the order of Docker's table. Each keeps Docker's name as its source, so
//! `JSONArgsRecommended`, `json-args-recommended` and `BK007` all name the same rule, and
//! BuildKit's `# check=skip=…` directive silences it.

pub(crate) mod common;
pub(crate) mod dockerignore;

pub mod bk001;
pub mod bk002;
pub mod bk003;
pub mod bk004;
pub mod bk005;
pub mod bk006;
pub mod bk007;
pub mod bk008;
pub mod bk009;
pub mod bk010;
pub mod bk011;
pub mod bk012;
pub mod bk013;
pub mod bk014;
pub mod bk015;
pub mod bk016;
pub mod bk017;
pub mod bk018;
pub mod bk019;
pub mod bk020;
pub mod bk021;
pub mod bk022;
