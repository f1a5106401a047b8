//! What the label-schema rules (DL3049–DL3058) share: the `LABEL` pairs of a file with their
//! spans and values as BuildKit sets them, the schema from the configuration, and one
//! validator per schema type (`url`, `rfc3339`, `spdx`, `hash`, `semver`, `email`; `text`
//! only has to be present and non-empty).

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::rules::{Context, Violation};
use crate::semantic::{expand, Expanded, Lookup};
use crate::syntax::{Keyword, Span};

/// The schema types hadolint knows, in the order its documentation lists them.
pub const LABEL_TYPES: [&str; 7] = ["text", "url", "hash", "rfc3339", "semver", "spdx", "email"];

/// One `key=value` of a `LABEL` instruction.
#[derive(Debug, Clone)]
pub(crate) struct LabelPair {
    /// Index of the instruction in `Context::instructions()`.
    pub instruction: usize,
    /// The key as BuildKit sets it (quotes removed, variables expanded); `None` when a
    /// variable in it is unknown.
    pub key: Option<String>,
    pub key_span: Span,
    /// The value as BuildKit sets it; `None` when a variable in it is unknown (an ARG given
    /// at build time), so no rule can judge it.
    pub value: Option<String>,
    /// The value as written; the key's span when the value is empty.
    pub value_span: Span,
}

/// Every `LABEL` pair of the file, in order (labels inside `ONBUILD` are set in child
/// builds and are not read).
pub(crate) fn label_pairs(ctx: &Context<'_>) -> Vec<LabelPair> {
    let mut out = Vec::new();
    let escape = ctx.tree().escape;
    for (index, instr) in ctx.instructions().iter().enumerate() {
        if instr.keyword != Keyword::Label {
            continue;
        }
        let state = ctx.model.state_at(index);
        let resolve = |raw: &str| -> Option<String> {
            let expanded = match state {
                Some(state) => expand(raw, escape, &state.vars),
                None => expand(raw, escape, &|_: &str| Lookup::Unknown),
            };
            expanded
                .ok()
                .as_ref()
                .and_then(Expanded::resolved)
                .map(str::to_string)
        };
        let legacy = instr.values.get(2).is_some_and(String::is_empty);
        if legacy {
            // `LABEL key value`: the key is the first word, the value the rest of the line.
            let (Some(key), Some(value)) = (instr.args.first(), instr.args.get(1)) else {
                continue;
            };
            out.push(LabelPair {
                instruction: index,
                key: resolve(&key.value),
                key_span: key.span.clone(),
                value: resolve(&value.value),
                value_span: value.span.clone(),
            });
            continue;
        }
        for arg in &instr.args {
            let Some((key, value)) = arg.value.split_once('=') else {
                continue;
            };
            let key_end = arg.range.start + key.len();
            let key_span = instr.line.span(arg.range.start..key_end);
            let value_span = if value.is_empty() {
                key_span.clone()
            } else {
                instr.line.span(key_end + 1..arg.range.end)
            };
            out.push(LabelPair {
                instruction: index,
                key: resolve(key),
                key_span,
                value: resolve(value),
                value_span,
            });
        }
    }
    out
}

/// The labels the configuration types as `kind` (every label in the schema for `None`).
pub(crate) fn schema_labels<'c>(ctx: &Context<'c>, kind: Option<&str>) -> Vec<&'c str> {
    ctx.rule_options()
        .map(|options| {
            options
                .label_schema
                .iter()
                .filter(|(_, k)| kind.is_none_or(|kind| k.eq_ignore_ascii_case(kind)))
                .map(|(label, _)| label.as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// Reports each label typed `kind` in the schema whose known value `valid` rejects. Empty
/// values are DL3051's business; unknown ones (build-time ARGs) cannot be judged.
pub(crate) fn check_values(
    ctx: &Context<'_>,
    out: &mut Vec<Violation>,
    kind: &str,
    valid: fn(&str) -> bool,
    problem: &str,
) {
    let labels = schema_labels(ctx, Some(kind));
    if labels.is_empty() {
        return;
    }
    for pair in label_pairs(ctx) {
        let (Some(key), Some(value)) = (&pair.key, &pair.value) else {
            continue;
        };
        if value.is_empty() || !labels.contains(&key.as_str()) || valid(value) {
            continue;
        }
        out.push(Violation::new(
            pair.value_span,
            format!("Label `{key}` is not {problem}: `{value}`"),
        ));
    }
}

/// RFC 3986 `URI` (an absolute URI with a scheme; a fragment is allowed), as hadolint's
/// `Network.URI.parseURI` accepts it.
pub(crate) fn is_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return false;
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (rest, None),
    };
    if !fragment.is_none_or(|f| uri_chars(f, "/?")) {
        return false;
    }
    let (hier, query) = match rest.split_once('?') {
        Some((hier, query)) => (hier, Some(query)),
        None => (rest, None),
    };
    if !query.is_none_or(|q| uri_chars(q, "/?")) {
        return false;
    }
    let Some(after_slashes) = hier.strip_prefix("//") else {
        return uri_chars(hier, "/");
    };
    let (authority, path) = after_slashes
        .find('/')
        .map_or((after_slashes, ""), |at| after_slashes.split_at(at));
    valid_authority(authority) && uri_chars(path, "/")
}

/// `[userinfo@]host[:port]`.
fn valid_authority(authority: &str) -> bool {
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo), host_port),
        None => (None, authority),
    };
    if !userinfo.is_none_or(|u| uri_chars(u, "") && !u.contains(['/', '?', '@'])) {
        return false;
    }
    if let Some(literal) = host_port.strip_prefix('[') {
        let Some((ip, port)) = literal.split_once(']') else {
            return false;
        };
        let ip_ok = !ip.is_empty()
            && ip
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.' | 'v' | 'V'));
        return ip_ok && (port.is_empty() || valid_port(port.strip_prefix(':')));
    }
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_port, None),
    };
    uri_chars(host, "") && !host.contains([':', '@', '/']) && (port.is_none() || valid_port(port))
}

fn valid_port(port: Option<&str>) -> bool {
    port.is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
}

/// Unreserved, sub-delims, `:`, `@`, well-formed `%XX`, plus `extra`.
fn uri_chars(text: &str, extra: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b == b'%' {
            let hex = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(at + 1) && hex(at + 2)) {
                return false;
            }
            at += 3;
            continue;
        }
        let ok = b.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=:@".contains(&b)
            || extra.as_bytes().contains(&b);
        if !ok {
            return false;
        }
        at += 1;
    }
    true
}

/// RFC 3339 `date-time`: `2024-05-01T12:30:00Z`, `2024-05-01T12:30:00.5+02:00` (`T` and `Z`
/// in either case), with real calendar dates.
pub(crate) fn is_rfc3339(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = bytes.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let at = |i: usize, set: &[u8]| bytes.get(i).is_some_and(|b| set.contains(b));
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let (Some(hour), Some(minute), Some(second)) = (digits(11..13), digits(14..16), digits(17..19))
    else {
        return false;
    };
    if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt") && at(13, b":") && at(16, b":")) {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.len()
            - fraction
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len();
        if len == 0 {
            return false;
        }
        rest = &fraction[len..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
                && (h1 - b'0') * 10 + (h2 - b'0') <= 23
                && (m1 - b'0') * 10 + (m2 - b'0') <= 59
        }
        _ => false,
    }
}

/// A git commit hash as hadolint checks it: 7 or 40 lower-case hex digits.
pub(crate) fn is_git_hash(text: &str) -> bool {
    (text.len() == 7 || text.len() == 40)
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Semantic Versioning 2.0.0: `MAJOR.MINOR.PATCH[-pre.release][+build.meta]`, no leading
/// zeros in numbers, no `v` prefix.
pub(crate) fn is_semver(text: &str) -> bool {
    let (rest, build) = match text.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (text, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let number = |part: &str| {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
    };
    let identifier = |part: &str| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let core: Vec<&str> = core.split('.').collect();
    core.len() == 3
        && core.iter().all(|p| number(p))
        && pre.is_none_or(|pre| {
            pre.split('.')
                .all(|p| identifier(p) && (!p.bytes().all(|b| b.is_ascii_digit()) || number(p)))
        })
        && build.is_none_or(|build| build.split('.').all(identifier))
}

/// An RFC 5322 `addr-spec`: a dot-atom or quoted local part, `@`, and a domain of
/// letter/digit/hyphen labels or a `[literal]`.
pub(crate) fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || text.len() > 254 {
        return false;
    }
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = if let Some(quoted) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        let mut chars = quoted.chars();
        let mut ok = true;
        while let Some(c) = chars.next() {
            ok &= match c {
                '\\' => chars
                    .next()
                    .is_some_and(|e| e.is_ascii() && !e.is_ascii_control()),
                '"' => false,
                c => c == ' ' || (c.is_ascii_graphic()),
            };
        }
        ok
    } else {
        local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(atext))
    };
    let domain_ok =
        if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
            !literal.is_empty()
                && literal
                    .chars()
                    .all(|c| c.is_ascii_graphic() && !matches!(c, '[' | ']' | '\\'))
        } else {
            !domain.is_empty()
                && domain.len() <= 253
                && domain.split('.').all(|label| {
                    !label.is_empty()
                        && label.len() <= 63
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        };
    local_ok && domain_ok
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SpdxList {
    licenses: Vec<String>,
    deprecated_licenses: Vec<String>,
    exceptions: Vec<String>,
    deprecated_exceptions: Vec<String>,
}

/// Lower-cased licence and exception identifiers (SPDX matches them case-insensitively).
struct SpdxIds {
    licenses: HashSet<String>,
    exceptions: HashSet<String>,
}

fn spdx_ids() -> &'static SpdxIds {
    static IDS: OnceLock<SpdxIds> = OnceLock::new();
    IDS.get_or_init(|| {
        let list: SpdxList =
            toml::from_str(include_str!("../../../rules/spdx.toml")).unwrap_or(SpdxList {
                licenses: Vec::new(),
                deprecated_licenses: Vec::new(),
                exceptions: Vec::new(),
                deprecated_exceptions: Vec::new(),
            });
        let lower = |ids: Vec<String>, more: Vec<String>| {
            ids.into_iter()
                .chain(more)
                .map(|id| id.to_ascii_lowercase())
                .collect()
        };
        SpdxIds {
            licenses: lower(list.licenses, list.deprecated_licenses),
            exceptions: lower(list.exceptions, list.deprecated_exceptions),
        }
    })
}

/// How many identifiers the embedded SPDX list holds (licences, exceptions).
#[cfg(test)]
fn spdx_list_sizes() -> (usize, usize) {
    let ids = spdx_ids();
    (ids.licenses.len(), ids.exceptions.len())
}

/// An SPDX licence expression: one identifier (what hadolint accepts), optionally `+`,
/// `LicenseRef-…`, `WITH` an exception, combined with `AND` / `OR` and parentheses.
pub(crate) fn is_spdx_expression(text: &str) -> bool {
    let mut tokens = Vec::new();
    for word in text.split_ascii_whitespace() {
        let mut rest = word;
        while !rest.is_empty() {
            let cut = rest.find(['(', ')']).unwrap_or(rest.len());
            if cut == 0 {
                tokens.push(&rest[..1]);
                rest = &rest[1..];
            } else {
                tokens.push(&rest[..cut]);
                rest = &rest[cut..];
            }
        }
    }
    let mut parser = SpdxParser { tokens, at: 0 };
    parser.or_expression(0) && parser.at == parser.tokens.len()
}

struct SpdxParser<'a> {
    tokens: Vec<&'a str>,
    at: usize,
}

/// Deeper parentheses than this are rejected: hostile input must not exhaust the stack.
const MAX_SPDX_DEPTH: usize = 32;

impl SpdxParser<'_> {
    fn operator(&mut self, name: &str) -> bool {
        let found = self
            .tokens
            .get(self.at)
            .is_some_and(|t| *t == name || *t == name.to_ascii_lowercase());
        self.at += usize::from(found);
        found
    }

    fn or_expression(&mut self, depth: usize) -> bool {
        if !self.and_expression(depth) {
            return false;
        }
        while self.operator("OR") {
            if !self.and_expression(depth) {
                return false;
            }
        }
        true
    }

    fn and_expression(&mut self, depth: usize) -> bool {
        if !self.primary(depth) {
            return false;
        }
        while self.operator("AND") {
            if !self.primary(depth) {
                return false;
            }
        }
        true
    }

    fn primary(&mut self, depth: usize) -> bool {
        if self.operator("(") {
            return depth < MAX_SPDX_DEPTH && self.or_expression(depth + 1) && self.operator(")");
        }
        let Some(token) = self.tokens.get(self.at).copied() else {
            return false;
        };
        self.at += 1;
        if !is_license(token) {
            return false;
        }
        if self.operator("WITH") {
            let Some(exception) = self.tokens.get(self.at) else {
                return false;
            };
            self.at += 1;
            return spdx_ids()
                .exceptions
                .contains(&exception.to_ascii_lowercase());
        }
        true
    }
}

fn is_license(token: &str) -> bool {
    let idstring = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    };
    let reference = token
        .strip_prefix("DocumentRef-")
        .and_then(|r| r.split_once(':'))
        .map_or(
            token,
            |(document, license)| if idstring(document) { license } else { "" },
        );
    if let Some(name) = reference.strip_prefix("LicenseRef-") {
        return idstring(name);
    }
    let id = token.strip_suffix('+').unwrap_or(token);
    spdx_ids().licenses.contains(&id.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for good in [
            "https://example.com",
            "http://user@example.com:8080/a/b?q=1#frag",
            "git+ssh://git@github.com/org/repo.git",
            "mailto:someone@example.com",
            "urn:isbn:0451450523",
            "https://[::1]:80/",
        ] {
            assert!(is_url(good), "{good}");
        }
        for bad in [
            "example.com",
            "www.example.com/path",
            "https://exa mple.com",
            "1http://x",
            "http://x/%zz",
            "",
        ] {
            assert!(!is_url(bad), "{bad}");
        }
    }

    #[test]
    fn rfc3339_times() {
        for good in [
            "2024-02-29T12:30:00Z",
            "2024-05-01t00:00:00.123+02:00",
            "1999-12-31T23:59:60-05:30",
        ] {
            assert!(is_rfc3339(good), "{good}");
        }
        for bad in [
            "2023-02-29T12:30:00Z",
            "2024-05-01",
            "2024-05-01 12:00:00Z",
            "2024-05-01T12:00:00",
            "2024-13-01T12:00:00Z",
            "2024-05-01T12:00:00.Z",
            "2024-05-01T12:00:00+0200",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn git_hashes_and_semver() {
        assert!(is_git_hash("1a2b3c4"));
        assert!(is_git_hash(&"a".repeat(40)));
        assert!(!is_git_hash("1A2B3C4"));
        assert!(!is_git_hash("1a2b3c4d"));
        for good in [
            "1.2.3",
            "0.0.0",
            "1.0.0-alpha.1",
            "1.0.0-rc.1+build.5",
            "1.0.0+20130313",
        ] {
            assert!(is_semver(good), "{good}");
        }
        for bad in [
            "v1.2.3", "1.2", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.3+", "latest",
        ] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for good in [
            "dev@example.com",
            "first.last+tag@sub.example.org",
            "\"john doe\"@example.com",
            "ops@[192.168.0.1]",
            "root@localhost",
        ] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "example.com",
            "Jane <jane@example.com>",
            "a..b@example.com",
            ".a@example.com",
            "a@-example.com",
            "a@",
            "@example.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn spdx_expressions() {
        let (licenses, exceptions) = spdx_list_sizes();
        assert!(licenses > 700 && exceptions > 60, "{licenses} {exceptions}");
        for good in [
            "MIT",
            "Apache-2.0",
            "apache-2.0",
            "GPL-2.0",
            "GPL-2.0+",
            "MIT OR Apache-2.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause",
            "GPL-2.0-only WITH Classpath-exception-2.0",
            "LicenseRef-Proprietary",
            "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
        ] {
            assert!(is_spdx_expression(good), "{good}");
        }
        for bad in [
            "",
            "MIT License",
            "Apache 2.0",
            "MIT OR",
            "(MIT",
            "MIT)",
            "GPL-2.0 WITH MIT",
            "Proprietary",
            &"(".repeat(100),
        ] {
            assert!(!is_spdx_expression(bad), "{bad}");
        }
    }
}
