//! `docs/rules/CODE.md` are generated from the rules' doc comments; this test keeps them in
//! sync (run with `DLINT_UPDATE_DOCS=1` to regenerate).

use std::path::Path;

use dlint::rules::{all_rules, docs::rule_page};

#[test]
fn rule_pages_match_the_doc_comments() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let update = std::env::var_os("DLINT_UPDATE_DOCS").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        let path = dir.join(format!("{}.md", meta.code));
        let page = rule_page(meta);
        if update {
            std::fs::write(&path, &page).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            stale.push(meta.code);
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule pages (run with DLINT_UPDATE_DOCS=1): {stale:?}"
    );
}
