//! ARG and ENV variables in scope at one point of a Dockerfile.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use super::expand::{Env, Lookup};
use super::pmap::PMap;

/// How many bytes of variable values expansions may still copy: shared by every scope of
/// one model (its build and the rules that expand words with it), so values that double at
/// each ARG, or a value repeated in every word, cost bounded time and memory. Once spent,
/// every known value reads as unknown.
#[derive(Debug)]
pub struct ExpansionBudget {
    left: AtomicUsize,
    spent: AtomicBool,
}

impl ExpansionBudget {
    /// Bytes every file may copy, however small.
    pub const BASE: usize = 16 << 20;
    /// Bytes more per byte of the file, so a long file with many references has room too.
    pub const PER_SOURCE_BYTE: usize = 16;

    /// The budget for a file of `source_len` bytes.
    pub fn for_source(source_len: usize) -> Arc<ExpansionBudget> {
        ExpansionBudget::new(
            Self::BASE.saturating_add(source_len.saturating_mul(Self::PER_SOURCE_BYTE)),
        )
    }

    pub fn new(bytes: usize) -> Arc<ExpansionBudget> {
        Arc::new(ExpansionBudget {
            left: AtomicUsize::new(bytes),
            spent: AtomicBool::new(false),
        })
    }

    /// Takes `bytes` from the budget; false (and the budget is spent from then on) when
    /// there are not that many left.
    fn take(&self, bytes: usize) -> bool {
        if self.spent.load(Ordering::Relaxed) {
            return false;
        }
        let taken = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .is_ok();
        if !taken {
            self.spent.store(true, Ordering::Relaxed);
        }
        taken
    }

    /// True once an expansion asked for more than was left.
    pub fn is_spent(&self) -> bool {
        self.spent.load(Ordering::Relaxed)
    }
}

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
    budget: Option<Arc<ExpansionBudget>>,
}

impl Scope {
    /// An empty scope; `open` when a base image may add variables we cannot see. Its
    /// expansions are not bounded: a model's scopes share a budget ([`Scope::bounded`]).
    pub fn new(open: bool) -> Scope {
        Scope {
            vars: PMap::default(),
            open,
            budget: None,
        }
    }

    /// An empty scope whose lookups draw on `budget`.
    pub fn bounded(open: bool, budget: Arc<ExpansionBudget>) -> Scope {
        Scope {
            vars: PMap::default(),
            open,
            budget: Some(budget),
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
            budget: self.budget.clone(),
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
            Some(VarValue::Known(v)) => match &self.budget {
                Some(budget) if !budget.take(v.len()) => Lookup::Unknown,
                _ => Lookup::Known(v.clone()),
            },
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
