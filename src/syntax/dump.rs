//! `dlint dump`: BuildKit's AST dump format (as in its `result` conformance files), and a JSON
//! form with positions.

use serde_json::{json, Value};

use super::tree::{ErrorSeverity, Instruction, Parse, Tree};

/// BuildKit's `Node.Dump()` of the whole file: one s-expression per instruction.
pub fn dump(tree: &Tree) -> String {
    let lines: Vec<String> = tree
        .instructions()
        .map(|i| format!("({})", dump_instruction(i)))
        .collect();
    lines.join("\n")
}

fn dump_instruction(instruction: &Instruction) -> String {
    let mut out = instruction.keyword_text.to_lowercase();
    if !instruction.flags.is_empty() {
        let flags: Vec<String> = instruction
            .flags
            .iter()
            .map(|f| go_quote(&f.buildkit))
            .collect();
        out.push_str(&format!(" [{}]", flags.join(" ")));
    }
    for value in &instruction.values {
        out.push(' ');
        out.push_str(&go_quote(value));
    }
    if let Some(child) = &instruction.onbuild {
        out.push_str(&format!(" ({})", dump_instruction(child)));
    }
    out.trim().to_string()
}

/// Go's `strconv.Quote`: a double-quoted string with Go escapes for non-printable characters.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `strconv.IsPrint`: graphic characters and the ASCII space;
/// controls, other spaces, format characters and private use are escaped.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    let format_or_private = matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF);
    !format_or_private
}

/// `dlint dump --format json`: every instruction with 1-based lines and byte ranges for its
/// keyword, flags, arguments and heredocs, plus the parse errors. A stable contract.
pub fn dump_json(parse: &Parse) -> Value {
    let instructions: Vec<Value> = parse.tree.instructions().map(instruction_json).collect();
    let errors: Vec<Value> = parse
        .errors
        .iter()
        .map(|e| {
            json!({
                "message": e.message,
                "line": e.line,
                "range": [e.span.start, e.span.end],
                "severity": match e.severity {
                    ErrorSeverity::Error => "error",
                    ErrorSeverity::Warning => "warning",
                },
            })
        })
        .collect();
    json!({ "instructions": instructions, "errors": errors })
}

fn instruction_json(i: &Instruction) -> Value {
    let flags: Vec<Value> = i
        .flags
        .iter()
        .map(|f| {
            json!({
                "name": f.name,
                "value": f.value,
                "range": [f.span.start, f.span.end],
                "name_range": [f.name_span.start, f.name_span.end],
                "value_range": f.value_span.as_ref().map(|s| [s.start, s.end]),
            })
        })
        .collect();
    let args: Vec<Value> = i
        .args
        .iter()
        .map(|a| json!({ "value": a.value, "range": [a.span.start, a.span.end] }))
        .collect();
    let heredocs: Vec<Value> = i
        .heredocs
        .iter()
        .map(|h| {
            json!({
                "name": h.name,
                "chomp": h.chomp,
                "expand": h.expand,
                "fd": h.fd,
                "marker_range": [h.marker_span.start, h.marker_span.end],
                "body_range": [h.body_span.start, h.body_span.end],
                "terminator_range": [h.terminator_span.start, h.terminator_span.end],
            })
        })
        .collect();
    json!({
        "keyword": i.keyword_text.to_lowercase(),
        "start_line": i.start_line,
        "end_line": i.end_line,
        "range": [i.span.start, i.span.end],
        "keyword_range": [i.keyword_span.start, i.keyword_span.end],
        "json": i.json,
        "flags": flags,
        "args": args,
        "heredocs": heredocs,
        "onbuild": i.onbuild.as_deref().map(instruction_json),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\t\u{1}"), r#""\t\x01""#);
        assert_eq!(go_quote("é\u{a0}"), r#""é\u00a0""#);
    }
}
