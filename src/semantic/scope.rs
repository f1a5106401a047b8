//! ARG and ENV variables in scope at one point of a Dockerfile.

use super::expand::{Env, Lookup};
use super::pmap::PMap;

/// BuildKit's predefined proxy ARGs, usable without an `ARG`. The first eight are the ones
/// hadolint also knows ([`HADOLINT_PROXY_ARGS`]).
pub const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The proxy variables hadolint declares for ShellCheck (it does not know `ALL_PROXY`).
pub const HADOLINT_PROXY_ARGS: &[&str] = PROXY_ARGS.split_at(8).0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VarKind {
    Arg,
    Env,
}

/// What is known of a variable's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarValue {
    Known(String),
    /// Set, to something we cannot compute: its definition uses an unknown value, or it is
    /// one of BuildKit's platform ARGs (`TARGETARCH`, …) which depend on the machine.
    Unknown,
    /// An ARG declared without a default and not given a build-arg: BuildKit leaves it unset
    /// unless the build passes one, so its value is unknown and it may well be empty.
    NoDefault,
}

impl VarValue {
    pub fn known(&self) -> Option<&str> {
        match self {
            VarValue::Known(v) => Some(v),
            _ => None,
        }
    }
}

/// One variable binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    pub kind: VarKind,
    pub value: VarValue,
    /// The instruction (index into `tree.instructions()`) that defined it; `None` for
    /// BuildKit's predefined ARGs and defaults such as `PATH`.
    pub instruction: Option<usize>,
}

/// The variables visible at one point. Cheap to clone (shared structure).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    vars: PMap<Var>,
    /// True when a base image may define variables this Dockerfile does not show (a stage
    /// built from an external image): a name not found here is then unknown, not unset.
    open: bool,
}

impl Scope {
    /// An empty scope; `open` when a base image may add variables we cannot see.
    pub fn new(open: bool) -> Scope {
        Scope {
            vars: PMap::default(),
            open,
        }
    }

    pub fn get(&self, name: &str) -> Option<&Var> {
        self.vars.get(name)
    }

    /// A new scope with `name` bound to `var`.
    pub fn with(&self, name: &str, var: Var) -> Scope {
        Scope {
            vars: self.vars.insert(name, var),
            open: self.open,
        }
    }

    /// Variables in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Var)> {
        self.vars.iter()
    }

    pub fn len(&self) -> usize {
        self.vars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// Whether a base image may define variables not listed here.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The value when it is known.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.value.known())
    }

    /// Set to something other than the empty string: a known non-empty value, or a value
    /// we cannot compute that a definition certainly sets (an ARG without a default is
    /// not set by default, so it does not count).
    pub fn is_set_non_empty(&self, name: &str) -> bool {
        match self.get(name).map(|v| &v.value) {
            Some(VarValue::Known(v)) => !v.is_empty(),
            Some(VarValue::Unknown) => true,
            Some(VarValue::NoDefault) | None => false,
        }
    }
}

impl Env for Scope {
    fn lookup(&self, name: &str) -> Lookup {
        match self.get(name).map(|v| &v.value) {
            Some(VarValue::Known(v)) => Lookup::Known(v.clone()),
            Some(VarValue::Unknown | VarValue::NoDefault) => Lookup::Unknown,
            None if self.open => Lookup::Unknown,
            None => Lookup::Unset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(kind: VarKind, value: VarValue) -> Var {
        Var {
            kind,
            value,
            instruction: None,
        }
    }

    #[test]
    fn lookups_follow_openness() {
        let closed = Scope::new(false)
            .with("A", var(VarKind::Arg, VarValue::Known("1".into())))
            .with("B", var(VarKind::Arg, VarValue::NoDefault));
        assert_eq!(closed.lookup("A"), Lookup::Known("1".into()));
        assert_eq!(closed.lookup("B"), Lookup::Unknown);
        assert_eq!(closed.lookup("C"), Lookup::Unset);
        let open = Scope::new(true).with("A", var(VarKind::Env, VarValue::Known("".into())));
        assert_eq!(open.lookup("C"), Lookup::Unknown);
        assert_eq!(open.lookup("A"), Lookup::Known(String::new()));
    }

    #[test]
    fn set_non_empty() {
        let scope = Scope::new(false)
            .with("EMPTY", var(VarKind::Env, VarValue::Known(String::new())))
            .with("FULL", var(VarKind::Env, VarValue::Known("1".into())))
            .with("COMPUTED", var(VarKind::Env, VarValue::Unknown))
            .with("PARAM", var(VarKind::Arg, VarValue::NoDefault));
        assert!(!scope.is_set_non_empty("EMPTY"));
        assert!(scope.is_set_non_empty("FULL"));
        assert!(scope.is_set_non_empty("COMPUTED"));
        assert!(!scope.is_set_non_empty("PARAM"));
        assert!(!scope.is_set_non_empty("MISSING"));
    }
}
