use super::tree::Tree;

pub fn dump(_tree: &Tree) -> String {
    String::new()
}

pub fn go_quote(s: &str) -> String {
    format!("{s:?}")
}
