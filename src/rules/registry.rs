//! The one list of rules. Adding a rule means adding its file and one line here.

use super::Rule;

/// Every rule dlint has, in code order.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    static RULES: &[&dyn Rule] = &[];
    RULES
}

/// Looks a rule up by code or name, case-insensitively.
pub fn find_rule(code_or_name: &str) -> Option<&'static dyn Rule> {
    all_rules().iter().copied().find(|r| {
        let meta = r.meta();
        meta.code.eq_ignore_ascii_case(code_or_name) || meta.name.eq_ignore_ascii_case(code_or_name)
    })
}
