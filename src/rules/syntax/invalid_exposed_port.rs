use super::reject::{buildkit_args, is_literal, parsed_instructions};
use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Reports an `EXPOSE` port BuildKit cannot read. The classes, with BuildKit's messages:
    ///
    /// | Class | BuildKit's message |
    /// |---|---|
    /// | not a number (`EXPOSE abc`, `EXPOSE http`) | `invalid containerPort: abc` |
    /// | a protocol other than tcp, udp, sctp | `invalid port: "80/http": invalid proto: http` |
    /// | no port before the protocol (`EXPOSE /tcp`) | `invalid port: "/tcp": no port specified` |
    /// | a reversed range (`EXPOSE 9000-8000`) | `invalid containerPort: 9000-8000` |
    /// | a host part that is not a port or an IP address | `invalid hostPort: x`, `invalid IP address: x` |
    /// | host and container ranges of different lengths | `invalid ranges specified for container and host Ports: 80-81 and 90-92` |
    ///
    /// A port above 65535 is DL3011's. Words with a variable are not checked: their value
    /// comes from the build.
    ///
    /// ## Why is this bad?
    /// `docker build` fails on the `EXPOSE`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE http
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the port number is for the author to write.
    pub struct InvalidExposedPort {
        code: "REJ008",
        name: "invalid-exposed-port",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidExposedPort {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (_, instr) in parsed_instructions(ctx) {
            if instr.keyword != Keyword::Expose {
                continue;
            }
            for word in buildkit_args(instr) {
                let plain = is_literal(word) && !word.contains(['"', '\'', '\\', ' ']);
                if !plain {
                    continue;
                }
                if let Some(message) = port_error(word) {
                    let span = instr
                        .args
                        .iter()
                        .find(|a| &a.value == word)
                        .map(|a| a.span.clone())
                        .unwrap_or_else(|| instr.rest_span());
                    out.push(Violation::new(
                        span,
                        format!("{message}; write PORT or PORT/tcp|udp|sctp, or a range PORT-PORT"),
                    ));
                }
            }
        }
    }
}

/// Why BuildKit's `parsePort` refuses `raw`; `None` when it accepts it or only the range
/// (0–65535) is wrong, which DL3011 reports.
fn port_error(raw: &str) -> Option<String> {
    let parts: Vec<&str> = raw.split(':').collect();
    let n = parts.len();
    let container = parts[n - 1];
    let (ip, host) = match n {
        1 => ("", ""),
        2 => ("", parts[0]),
        3 => (parts[0], parts[1]),
        _ => ("", parts[n - 2]),
    };
    let ip = if n > 3 {
        parts[..n - 2].join(":")
    } else {
        ip.to_string()
    };
    let (port, proto) = container.split_once('/').unwrap_or((container, ""));
    if port.is_empty() {
        return Some(format!("invalid port: {raw:?}: no port specified"));
    }
    if !matches!(
        proto.to_ascii_lowercase().as_str(),
        "" | "tcp" | "udp" | "sctp"
    ) {
        return Some(format!("invalid port: {raw:?}: invalid proto: {proto}"));
    }
    if !ip.is_empty() {
        let bare = ip.trim_start_matches('[').trim_end_matches(']');
        if bare.parse::<std::net::IpAddr>().is_err() {
            return Some(format!("invalid IP address: {ip}"));
        }
    }
    let container_range = match port_range(port) {
        Ok(range) => range,
        Err(RangeError::OutOfRange) => return None,
        Err(RangeError::Invalid) => return Some(format!("invalid containerPort: {port}")),
    };
    if !host.is_empty() {
        let host_range = match port_range(host) {
            Ok(range) => range,
            Err(RangeError::OutOfRange) => return None,
            Err(RangeError::Invalid) => return Some(format!("invalid hostPort: {host}")),
        };
        let width = |(a, b): (u32, u32)| b - a;
        if width(container_range) != width(host_range) && container_range.0 != container_range.1 {
            return Some(format!(
                "invalid ranges specified for container and host Ports: {port} and {host}"
            ));
        }
    }
    None
}

enum RangeError {
    Invalid,
    OutOfRange,
}

/// `parsePortRange`: `N` or `N-M` with M ≥ N.
fn port_range(text: &str) -> Result<(u32, u32), RangeError> {
    let (start, end) = match text.split_once('-') {
        Some((s, e)) => (s, Some(e)),
        None => (text, None),
    };
    let start_port = port_number(start)?;
    let Some(end) = end.filter(|e| *e != start) else {
        return Ok((start_port, start_port));
    };
    let end_port = port_number(end)?;
    if end_port < start_port {
        return Err(RangeError::Invalid);
    }
    Ok((start_port, end_port))
}

/// Go's `strconv.ParseInt(text, 10, 0)` limited to 0–65535.
fn port_number(text: &str) -> Result<u32, RangeError> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RangeError::Invalid);
    }
    match text.parse::<i64>() {
        Ok(n) if (0..=65535).contains(&n) => Ok(n as u32),
        _ => Err(RangeError::OutOfRange),
    }
}
