//! `--select` / `--ignore`: which rules run. A selector is a code (`DL3009`), a code prefix
//! (`IMG`, `DL30`), a rule name (`heavy-base-image`), a Docker build-check name
//! (`JSONArgsRecommended`, any case), a family name (`cache`) or `ALL`.

use super::{all_rules, RuleMeta};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSelector(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    pub selector: String,
}

impl std::fmt::Display for SelectorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown rule selector `{}`: expected a rule code (DL3009), a code prefix (IMG, DL30), a rule name or a family (see `dlint rules`)",
            self.selector
        )
    }
}

impl std::error::Error for SelectorError {}

impl RuleSelector {
    /// Parses a selector, checking that it matches at least one rule (ShellCheck's codes
    /// count: `SC`, `SC2086`, `shellcheck-2086`, `shellcheck`).
    pub fn parse(text: &str) -> Result<RuleSelector, SelectorError> {
        let selector = RuleSelector(text.trim().to_string());
        if all_rules().iter().any(|r| selector.matches(r.meta()))
            || crate::rules::shellcheck::selector_may_match(&selector.0)
        {
            Ok(selector)
        } else {
            Err(SelectorError {
                selector: text.to_string(),
            })
        }
    }

    pub fn matches(&self, meta: &RuleMeta) -> bool {
        let s = self.0.as_str();
        s.eq_ignore_ascii_case("ALL")
            || meta.name.eq_ignore_ascii_case(s)
            || super::registry::buildkit_name(meta).is_some_and(|n| n.eq_ignore_ascii_case(s))
            || meta.family.as_str().eq_ignore_ascii_case(s)
            || (!s.is_empty()
                && meta.code.len() >= s.len()
                && meta.code[..s.len()].eq_ignore_ascii_case(s))
    }

    /// Longer selectors are more specific: `DL3009` beats `DL30` beats `DL`.
    fn specificity(&self, meta: &RuleMeta) -> usize {
        if meta.code.eq_ignore_ascii_case(&self.0)
            || meta.name.eq_ignore_ascii_case(&self.0)
            || super::registry::buildkit_name(meta).is_some_and(|n| n.eq_ignore_ascii_case(&self.0))
        {
            usize::MAX
        } else {
            self.0.len()
        }
    }
}

/// The rule set in force: defaults, narrowed by `select`, widened by `extend_select`, minus
/// `ignore`. When a rule is both selected and ignored, the more specific selector wins.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Option<Vec<RuleSelector>>,
    pub extend_select: Vec<RuleSelector>,
    pub ignore: Vec<RuleSelector>,
}

impl Selection {
    /// `overlay` (the command line) on top of `self` (a configuration file): its `select`
    /// replaces ours when given; `extend_select` and `ignore` add up.
    pub fn overlaid_with(&self, overlay: &Selection) -> Selection {
        Selection {
            select: overlay.select.clone().or_else(|| self.select.clone()),
            extend_select: [self.extend_select.clone(), overlay.extend_select.clone()].concat(),
            ignore: [self.ignore.clone(), overlay.ignore.clone()].concat(),
        }
    }

    /// Could any ShellCheck code be enabled? (They are on by default; otherwise a selector
    /// must name them.) Lets the engine skip running `shellcheck` at all.
    pub fn may_enable_shellcheck(&self) -> bool {
        let names = |list: &[RuleSelector]| {
            list.iter()
                .any(|s| crate::rules::shellcheck::selector_may_match(&s.0))
        };
        self.select.as_deref().is_none_or(names) || names(&self.extend_select)
    }

    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let best = |list: &[RuleSelector]| {
            list.iter()
                .filter(|s| s.matches(meta))
                .map(|s| s.specificity(meta))
                .max()
        };
        let selected = match &self.select {
            Some(list) => best(list),
            None => meta.default_enabled.then_some(0),
        };
        let selected = selected.max(best(&self.extend_select));
        match (selected, best(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::find_rule;

    fn meta(code: &str) -> &'static RuleMeta {
        find_rule(code).expect("rule").meta()
    }

    #[test]
    fn docker_names_select_and_ignore_build_checks() {
        let select = |s: &str| Selection {
            select: Some(vec![RuleSelector::parse(s).expect("selector")]),
            ..Selection::default()
        };
        for s in [
            "JSONArgsRecommended",
            "jsonargsrecommended",
            "json-args-recommended",
            "BK007",
        ] {
            assert!(select(s).is_enabled(meta("BK007")), "{s}");
            assert!(!select(s).is_enabled(meta("DL3025")), "{s}");
        }
        let ignored = Selection {
            ignore: vec![RuleSelector::parse("UndefinedVar").expect("selector")],
            ..Selection::default()
        };
        assert!(!ignored.is_enabled(meta("BK011")));
        assert!(Selection::default().is_enabled(meta("BK011")));
        assert!(!Selection::default().is_enabled(meta("BK007")));
        // The CamelCase name of a duplicate selects only the build check.
        assert!(!select("MaintainerDeprecated").is_enabled(meta("DL4000")));
        assert!(RuleSelector::parse("NoSuchCheck").is_err());
    }
}
