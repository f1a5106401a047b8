//! The shell layer: RUN bodies as commands with spans into the file.

use crate::common;

use std::time::Instant;

use dlint::shell::{parse_script, run_scripts, Command, Script};
use dlint::syntax::{self, Arg, Heredoc, Instruction, Keyword, LogicalLine, SourceMap};

// ---------------------------------------------------------------------------------------------
// Helpers

/// The ten-line RUN of the acceptance example: a comment line in the middle of the
/// continuation.
const APT_RUN: &str = "FROM debian:12\n\
RUN apt-get update \\\n    && apt-get install \\\n        -y \\\n        --no-install-recommends \\\n        # certificates for https\n        curl \\\n        ca-certificates \\\n    && rm \\\n        -rf \\\n        /var/lib/apt/lists/*\n";

fn script(text: &str) -> Script {
    parse_script(text, &SourceMap::contiguous(0, text.len()))
}

/// Every word's span shows its raw text in `file`.
fn assert_spans_exact(file: &str, s: &Script) {
    for c in &s.commands {
        for w in c.words.iter().chain(&c.assignments) {
            assert_eq!(&file[w.span.clone()], &*w.raw, "word {w:?} in {c:?}");
        }
    }
}

fn names(s: &Script) -> Vec<&str> {
    s.commands.iter().map(|c| c.name().unwrap_or("?")).collect()
}

fn values(c: &Command) -> Vec<&str> {
    c.words
        .iter()
        .map(|w| w.value.as_deref().unwrap_or("?"))
        .collect()
}

fn find<'a>(s: &'a Script, name: &str) -> &'a Command {
    s.commands
        .iter()
        .find(|c| c.name() == Some(name))
        .unwrap_or_else(|| panic!("no {name} in\n{}", s.dump()))
}

/// A minimal stand-in for the syntax layer, for one RUN instruction starting at `start`:
/// BuildKit's line joining (escape `\`, comment and blank lines inside a continuation
/// dropped), flags skipped, JSON form, heredocs. Enough to test `run_scripts` before the real
/// parser lands.
fn fake_run(file: &str, start: usize) -> Instruction {
    let mut line = LogicalLine::default();
    let mut pos = start;
    let mut first = true;
    let end_of_logical = loop {
        let eol = file[pos..].find('\n').map_or(file.len(), |i| pos + i);
        let content = &file[pos..eol];
        let trimmed = content.trim_start();
        if !first && (trimmed.starts_with('#') || trimmed.is_empty()) {
            pos = (eol + 1).min(file.len());
            continue;
        }
        first = false;
        if let Some(body) = content.strip_suffix('\\') {
            line.text.push_str(body);
            line.map.push(pos, body.len());
            pos = eol + 1;
        } else {
            line.text.push_str(content);
            line.map.push(pos, content.len());
            break eol;
        }
    };
    let kw_len = line.text.find(' ').unwrap_or(line.text.len());
    let mut rest_start = kw_len;
    loop {
        let t = &line.text[rest_start..];
        let skipped = t.len() - t.trim_start().len();
        rest_start += skipped;
        if line.text[rest_start..].starts_with("--") {
            rest_start += line.text[rest_start..]
                .find(' ')
                .unwrap_or(line.text.len() - rest_start);
        } else {
            break;
        }
    }
    let rest = rest_start..line.text.trim_end().len();
    let rest_text = &line.text[rest.clone()];

    let mut args = Vec::new();
    let json = rest_text.starts_with('[')
        && serde_json::from_str::<Vec<String>>(rest_text).is_ok_and(|values| {
            // Locate each string literal.
            let b = rest_text.as_bytes();
            let mut i = 0;
            for v in values {
                while b[i] != b'"' {
                    i += 1;
                }
                let s = i;
                i += 1;
                while b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                let range = rest.start + s..rest.start + i;
                args.push(Arg {
                    span: line.map.span_to_file(range.clone()),
                    value: v,
                    range,
                });
            }
            true
        });

    // Heredocs: bodies follow the instruction's line.
    let mut heredocs = Vec::new();
    let mut body_pos = (end_of_logical + 1).min(file.len());
    if !json {
        let mut search = 0;
        while let Some(i) = rest_text[search..].find("<<") {
            let m = search + i;
            let mut j = m + 2;
            let chomp = rest_text[j..].starts_with('-');
            if chomp {
                j += 1;
            }
            let quoted = rest_text[j..].starts_with(['"', '\'']);
            let name_start = if quoted { j + 1 } else { j };
            let name_len = rest_text[name_start..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest_text.len() - name_start);
            let name = rest_text[name_start..name_start + name_len].to_string();
            search = name_start + name_len;
            if name.is_empty() {
                continue;
            }
            let bstart = body_pos;
            let mut p = bstart;
            let (body_end, term) = loop {
                if p >= file.len() {
                    break (file.len(), file.len()..file.len());
                }
                let eol = file[p..].find('\n').map_or(file.len(), |i| p + i);
                let l = &file[p..eol];
                let cmp = if chomp { l.trim_start_matches('\t') } else { l };
                if cmp == name {
                    break (p, p..eol);
                }
                p = (eol + 1).min(file.len());
            };
            body_pos = (term.end + 1).min(file.len());
            let marker = rest.start + m..rest.start + search + usize::from(quoted);
            heredocs.push(Heredoc {
                name,
                marker_span: line.map.span_to_file(marker),
                chomp,
                expand: !quoted,
                fd: 0,
                body_span: bstart..body_end,
                terminator_span: term,
            });
        }
    }
    let end = if heredocs.is_empty() {
        (end_of_logical + 1).min(file.len())
    } else {
        body_pos
    };
    Instruction {
        span: start..end,
        keyword: Keyword::from_lowercase(&line.text[..kw_len].to_ascii_lowercase()),
        keyword_text: line.text[..kw_len].to_string(),
        keyword_span: start..start + kw_len,
        flags: Vec::new(),
        args,
        rest,
        json,
        heredocs,
        start_line: 1,
        end_line: 1,
        onbuild: None,
        values: Vec::new(),
        line,
    }
}

fn fake_scripts(file: &str) -> (Instruction, Vec<Script>) {
    let start = file.find("RUN").expect("a RUN");
    let instr = fake_run(file, start);
    let scripts = run_scripts(&instr, file);
    (instr, scripts)
}

fn one_script(file: &str) -> Script {
    let (instr, mut scripts) = fake_scripts(file);
    assert_eq!(scripts.len(), 1, "{:?}", instr.rest_text());
    let s = scripts.remove(0);
    for c in &s.commands {
        for w in c.words.iter().chain(&c.assignments) {
            assert!(
                w.span.start >= instr.span.start && w.span.end <= instr.span.end,
                "{w:?} outside {:?}",
                instr.span
            );
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// The acceptance example

fn check_apt_example(file: &str, s: &Script) {
    assert!(!s.has_errors);
    assert_eq!(names(s), ["apt-get", "apt-get", "rm"]);
    assert_eq!(values(&s.commands[0]), ["apt-get", "update"]);
    assert_eq!(
        values(&s.commands[1]),
        [
            "apt-get",
            "install",
            "-y",
            "--no-install-recommends",
            "curl",
            "ca-certificates"
        ]
    );
    assert_eq!(
        values(&s.commands[2]),
        ["rm", "-rf", "/var/lib/apt/lists/*"]
    );
    assert_spans_exact(file, s);
    // Words sit on the lines they were written on.
    let line_of = |off: usize| file[..off].matches('\n').count() + 1;
    let install = &s.commands[1];
    assert_eq!(line_of(install.words[2].span.start), 4); // -y
    assert_eq!(line_of(install.words[4].span.start), 7); // curl, after the comment line
    assert_eq!(line_of(s.commands[2].words[2].span.start), 11);
    // The command span runs from `apt-get` on line 3 to the end of `ca-certificates`.
    assert_eq!(&file[install.span.clone()][..19], "apt-get install \\\n ");
    assert!(file[install.span.clone()].ends_with("ca-certificates"));
}

#[test]
fn apt_example_with_hand_built_map() {
    let file = APT_RUN;
    // BuildKit's joined text: each continued line without its `\` + newline; the comment
    // line dropped.
    let lines: Vec<(usize, &str)> = file
        .split_inclusive('\n')
        .scan(0, |pos, l| {
            let at = *pos;
            *pos += l.len();
            Some((at, l))
        })
        .collect();
    let mut text = String::new();
    let mut map = SourceMap::default();
    let run_start = lines[1].0 + "RUN ".len();
    for (i, (at, l)) in lines.iter().enumerate().skip(1) {
        if i == 5 {
            assert!(l.trim_start().starts_with('#'));
            continue;
        }
        let (from, content) = if i == 1 {
            (run_start, &l[4..])
        } else {
            (*at, *l)
        };
        let content = content.trim_end_matches('\n');
        let content = content.strip_suffix('\\').unwrap_or(content);
        text.push_str(content);
        map.push(from, content.len());
    }
    assert_eq!(
        text.split_whitespace().collect::<Vec<_>>().join(" "),
        "apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*"
    );
    let s = parse_script(&text, &map);
    check_apt_example(file, &s);
}

#[test]
fn apt_example_through_run_scripts() {
    let s = one_script(APT_RUN);
    check_apt_example(APT_RUN, &s);
}

/// End to end through the real syntax parser. Skips while `syntax::parse` is the stub that
/// returns no nodes.
#[test]
fn apt_example_end_to_end() {
    let parse = syntax::parse(APT_RUN);
    if parse.tree.nodes.is_empty() {
        eprintln!("skipped: syntax::parse is still a stub");
        return;
    }
    let run = parse
        .tree
        .instructions()
        .find(|i| i.keyword == Keyword::Run)
        .expect("a RUN");
    let scripts = run_scripts(run, APT_RUN);
    assert_eq!(scripts.len(), 1);
    check_apt_example(APT_RUN, &scripts[0]);
}

/// The RUN forms through the real syntax parser: heredocs, exec form, ONBUILD.
#[test]
fn run_forms_end_to_end() {
    let file = "FROM debian\n\
RUN <<EOF\nset -e\napt-get update\nEOF\n\
RUN bash -e <<EOF && cat <<-'X' > /f\napt-get install -y curl\nEOF\n\tnot a command\n\tX\n\
RUN [\"/bin/sh\", \"-c\", \"apk add \\\"x\\\" && rm -rf /var/cache/apk/*\"]\n\
RUN [\"apt-get\", \"update\"]\n\
ONBUILD RUN make \\\n  install\n\
RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n";
    let parse = syntax::parse(file);
    if parse.tree.nodes.is_empty() {
        eprintln!("skipped: syntax::parse is still a stub");
        return;
    }
    let all: Vec<Vec<Script>> = parse
        .tree
        .instructions()
        .map(|i| run_scripts(i, file))
        .collect();
    let got: Vec<Vec<Vec<&str>>> = all
        .iter()
        .map(|scripts| scripts.iter().map(names).collect())
        .collect();
    assert_eq!(
        got,
        [
            vec![],
            vec![vec!["set", "apt-get"]],
            vec![vec!["bash", "cat", "apt-get"]],
            vec![vec!["sh", "apk", "rm"]],
            vec![],
            vec![vec!["make"]],
            vec![],
        ]
    );
    for (instr, scripts) in parse.tree.instructions().zip(&all) {
        for s in scripts {
            assert!(!s.has_errors, "{}", s.dump());
            for c in &s.commands {
                for w in &c.words {
                    assert!(w.span.start >= instr.span.start && w.span.end <= instr.span.end);
                    if !w.raw.contains('"') {
                        assert_eq!(&file[w.span.clone()], &*w.raw, "{w:?}");
                    }
                }
            }
        }
    }
    let apk = &all[3][0].commands[1];
    assert_eq!(apk.words[2].value.as_deref(), Some("x"));
    assert_eq!(apk.context.nested_in.as_deref(), Some("sh -c"));
    let make = &all[5][0].commands[0];
    assert_eq!(values(make), ["make", "install"]);
}

// ---------------------------------------------------------------------------------------------
// Structure and context

#[test]
fn lists_pipelines_and_context() {
    let s = script("a && b || c; d | e; ! f; (g; h) && { i; }; j $(k `l`) <(m)");
    assert_eq!(
        names(&s),
        ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"]
    );
    let ctx = |n: &str| find(&s, n).context.clone();
    assert!(!ctx("a").after_or && !ctx("b").after_or && ctx("c").after_or);
    assert!(ctx("d").in_pipeline && ctx("e").in_pipeline && !ctx("c").in_pipeline);
    assert!(ctx("f").negated);
    assert!(ctx("g").in_subshell && ctx("h").in_subshell && !ctx("i").in_subshell);
    assert!(!ctx("j").in_substitution);
    assert!(ctx("k").in_substitution && ctx("l").in_substitution && ctx("m").in_substitution);
    assert_spans_exact(
        "a && b || c; d | e; ! f; (g; h) && { i; }; j $(k `l`) <(m)",
        &s,
    );
}

#[test]
fn or_binds_to_its_right_side_only() {
    let s = script("a || b && c; x || { y; z; }; p || q | r");
    let ctx = |n: &str| find(&s, n).context.clone();
    assert!(ctx("b").after_or);
    assert!(!ctx("c").after_or, "c runs when a || b succeeded");
    assert!(ctx("y").after_or && ctx("z").after_or);
    assert!(ctx("q").after_or && ctx("q").in_pipeline && ctx("r").after_or);
}

#[test]
fn conditions_and_loops() {
    let s = script(
        "if [ -f x ] && test -d y; then a; elif b; then c; else d; fi\n\
         while read l; do e; done < f\nuntil g; do h; done\n\
         for i in 1 $(seq 3); do k; done\ncase $x in a|b) m;; *) n;; esac\nf() { o; }",
    );
    let ctx = |n: &str| find(&s, n).context.clone();
    for n in ["[", "test", "b", "read", "g"] {
        assert!(ctx(n).in_condition, "{n}");
    }
    for n in ["a", "c", "d", "e", "h", "k", "m", "n", "o"] {
        assert!(!ctx(n).in_condition, "{n}");
    }
    assert!(ctx("seq").in_substitution);
    assert_eq!(values(find(&s, "[")), ["[", "-f", "x", "]"]);
}

#[test]
fn set_and_declarations() {
    let s = script("set -eux; export A=1 PATH=\"/x:$PATH\"; unset B; C=3; D=1 E=2 make");
    assert_eq!(names(&s), ["set", "export", "unset", "?", "make"]);
    assert_eq!(values(&s.commands[0]), ["set", "-eux"]);
    assert_eq!(values(&s.commands[1]), ["export", "A=1", "?"]);
    assert!(s.commands[3].words.is_empty());
    assert_eq!(s.commands[3].assignments[0].value.as_deref(), Some("C=3"));
    let make = &s.commands[4];
    assert_eq!(make.assignments.len(), 2);
    assert_eq!(&*make.assignments[1].raw, "E=2");
    assert_eq!(values(make), ["make"]);
}

#[test]
fn word_values() {
    let text = r#"cmd 'a b' "x" --opt="$V" a"b"'c' x\ y $'t\tn' "" "a\"b" ~/x *.c $"tr" {a,b} $((1+2)) "${X}" "p\nq""#;
    let s = script(text);
    let c = &s.commands[0];
    let v: Vec<Option<&str>> = c.words.iter().map(|w| w.value.as_deref()).collect();
    assert_eq!(
        v,
        [
            Some("cmd"),
            Some("a b"),
            Some("x"),
            None,
            Some("abc"),
            Some("x y"),
            Some("t\tn"),
            Some(""),
            Some("a\"b"),
            Some("~/x"),
            Some("*.c"),
            Some("tr"),
            Some("{a,b}"),
            None,
            None,
            Some("p\\nq"),
        ]
    );
    assert_eq!(&*c.words[3].raw, "--opt=\"$V\"");
    assert_spans_exact(text, &s);
}

#[test]
fn names_are_basenames() {
    let s = script("/usr/bin/apt-get update; \"$CC\" -o x; ./configure");
    assert_eq!(s.commands[0].name(), Some("apt-get"));
    assert_eq!(s.commands[1].name(), None);
    assert_eq!(s.commands[2].name(), Some("configure"));
    assert_eq!(&*s.commands[0].args()[0].raw, "update");
}

#[test]
fn effective_skips_wrappers() {
    let s = script(
        "sudo -E -u root env -i DEBIAN_FRONTEND=noninteractive apt-get install -y x\n\
         nohup nice -n 5 timeout -s KILL 10s make\n\
         command -v curl\nexec >log 2>&1\nfind . | xargs -0 -I {} rm -f {}\n\
         time -p stdbuf -oL gosu app:app ./run\nbusybox wget x\nsudo $CMD",
    );
    let e = |i: usize| s.commands[i].effective();
    assert_eq!(e(0).name(), Some("apt-get"));
    assert_eq!(&*e(0).args()[0].raw, "install");
    assert_eq!(&*e(0).assignments[0].raw, "DEBIAN_FRONTEND=noninteractive");
    assert_eq!(e(0).wrappers.len(), 2);
    assert_eq!(e(1).name(), Some("make"));
    assert_eq!(e(2).name(), Some("command"), "command -v is a lookup");
    assert_eq!(e(3).name(), Some("exec"), "nothing to run");
    assert_eq!(e(5).name(), Some("rm"));
    assert!(e(5).via_xargs());
    assert_eq!(e(6).name(), Some("run"));
    assert_eq!(e(7).name(), Some("wget"));
    assert_eq!(e(8).name(), Some("sudo"), "dynamic command");
    assert_eq!(s.commands_named("apt-get").count(), 1);
}

// ---------------------------------------------------------------------------------------------
// Nested shells

#[test]
fn sh_c_single_quoted_is_exact() {
    let text = "sh -c 'apt-get update && apt-get install -y curl' && bash -euo pipefail -c 'x | y'";
    let s = script(text);
    assert_eq!(names(&s), ["sh", "apt-get", "apt-get", "bash", "x", "y"]);
    let inner = &s.commands[2];
    assert_eq!(inner.context.nested_in.as_deref(), Some("sh -c"));
    assert_eq!(values(inner), ["apt-get", "install", "-y", "curl"]);
    assert_eq!(find(&s, "x").context.nested_in.as_deref(), Some("bash -c"));
    assert!(find(&s, "y").context.in_pipeline);
    assert_spans_exact(text, &s);
}

#[test]
fn sh_c_double_quoted() {
    let text = r#"bash -c "apt-get install -y \"$PKG\" curl && echo \$HOME""#;
    let s = script(text);
    assert_eq!(names(&s), ["bash", "apt-get", "echo"]);
    let apt = find(&s, "apt-get");
    assert_eq!(&*apt.words[3].raw, "\"$PKG\"");
    assert_eq!(apt.words[3].value, None);
    // Words without escapes are exact; escaped ones stay inside the string.
    assert_eq!(&text[apt.words[4].span.clone()], "curl");
    assert_eq!(&text[apt.words[0].span.clone()], "apt-get");
    let body = text.find("\"apt").unwrap()..text.len();
    for c in &s.commands[1..] {
        for w in &c.words {
            assert!(
                w.span.start >= body.start && w.span.end <= body.end,
                "{w:?}"
            );
        }
    }
    // An escaped char maps to itself, not to its backslash: the span starts after the `\`.
    let pkg = &apt.words[3].span;
    assert_eq!(&text[pkg.clone()], r#""$PKG\""#);
}

#[test]
fn nested_twice_and_through_wrappers() {
    let text = r#"sudo su -s /bin/sh -c 'sh -c "id -u"' nobody; su - app --command="make install""#;
    let s = script(text);
    assert_eq!(names(&s), ["sudo", "sh", "id", "su", "make"]);
    assert_eq!(find(&s, "id").context.nested_in.as_deref(), Some("sh -c"));
    assert_eq!(find(&s, "sh").context.nested_in.as_deref(), Some("su -c"));
    assert_eq!(values(find(&s, "make")), ["make", "install"]);
    assert_spans_exact(text, &s);
}

#[test]
fn shell_heredocs_in_scripts() {
    let text = "bash -e <<EOF && echo done\nset -x\napt-get update\nEOF\ncat <<'X' | sh\nyum install -y y\nX\ncat <<EOF > /etc/conf\nnot a command\nEOF\nsh <<Z | tee /log\nmake\nZ\n";
    let s = script(text);
    assert_eq!(
        names(&s),
        ["bash", "echo", "set", "apt-get", "cat", "sh", "yum", "cat", "sh", "tee", "make"]
    );
    assert!(find(&s, "make").context.in_pipeline);
    assert_eq!(
        find(&s, "make").context.nested_in.as_deref(),
        Some("sh <<Z")
    );
    assert_eq!(
        find(&s, "apt-get").context.nested_in.as_deref(),
        Some("bash <<EOF")
    );
    assert_eq!(find(&s, "yum").context.nested_in.as_deref(), Some("sh <<X"));
    assert!(s.commands[4].context.in_pipeline && s.commands[5].context.in_pipeline);
    assert_spans_exact(text, &s);
}

// ---------------------------------------------------------------------------------------------
// run_scripts

#[test]
fn run_heredoc_is_the_script() {
    let file = "FROM alpine\nRUN <<EOF\nset -e\napk add --no-cache curl\nEOF\n";
    let s = one_script(file);
    assert_eq!(names(&s), ["set", "apk"]);
    assert_spans_exact(file, &s);

    let file = "FROM alpine\nRUN <<-'EOT'\n\t#!/bin/bash\n\tapk add x\n\tEOT\n";
    assert_eq!(names(&one_script(file)), ["apk"]);

    let file = "FROM alpine\nRUN <<EOF\n#!/usr/bin/env bash\napk add x\nEOF\n";
    assert_eq!(names(&one_script(file)), ["apk"]);

    let file = "FROM python\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nEOF\n";
    assert!(
        fake_scripts(file).1.is_empty(),
        "a python heredoc is not shell"
    );
}

#[test]
fn run_command_with_heredocs() {
    let file = "FROM debian\nRUN bash -e <<EOF && cat <<X > /f\napt-get update\nEOF\nnot a command\nX\nRUN true\n";
    let s = one_script(file);
    assert!(!s.has_errors, "{}", s.dump());
    assert_eq!(names(&s), ["bash", "cat", "apt-get"], "{}", s.dump());
    assert_eq!(
        find(&s, "apt-get").context.nested_in.as_deref(),
        Some("bash <<EOF")
    );
    assert_spans_exact(file, &s);

    // Two heredocs: tree-sitter-bash cannot hold both; the second marker is blanked.
    let file = "FROM debian\nRUN cat <<-A > /a && bash <<-'B'\n\tline\n\tA\n\techo hi\n\tB\n";
    let s = one_script(file);
    assert!(!s.has_errors, "{}", s.dump());
    assert_eq!(names(&s), ["cat", "bash"]);
    assert_spans_exact(file, &s);

    let file = "FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n";
    let s = one_script(file);
    assert_eq!(values(&s.commands[0]), ["apt-get", "update"]);
    assert_spans_exact(file, &s);

    let file = "FROM debian\nRUN python3 <<EOF\nprint('hi')\nEOF\n";
    let s = one_script(file);
    assert_eq!(names(&s), ["python3"]);
}

#[test]
fn exec_form() {
    let (_, scripts) = fake_scripts("FROM x\nRUN [\"apt-get\", \"install\", \"-y\", \"x\"]\n");
    assert!(scripts.is_empty());

    let file =
        "FROM x\nRUN [\"/bin/sh\", \"-c\", \"apt-get update && apt-get install -y \\\"x\\\"\"]\n";
    let s = one_script(file);
    assert_eq!(names(&s), ["sh", "apt-get", "apt-get"]);
    let apt = &s.commands[1];
    assert_eq!(apt.context.nested_in.as_deref(), Some("sh -c"));
    assert_eq!(&file[apt.words[1].span.clone()], "update");
    assert_eq!(&file[s.commands[0].words[1].span.clone()], "\"-c\"");
    assert_eq!(s.commands[2].words[3].value.as_deref(), Some("x"));
}

#[test]
fn onbuild_run() {
    let file = "FROM x\nONBUILD RUN make && make install\n";
    let start = file.find("ONBUILD").unwrap();
    let mut outer = fake_run(file, start);
    outer.keyword = Keyword::Onbuild;
    let inner_start = file.find("RUN").unwrap();
    outer.onbuild = Some(Box::new(fake_run(file, inner_start)));
    let scripts = run_scripts(&outer, file);
    assert_eq!(scripts.len(), 1);
    assert_eq!(names(&scripts[0]), ["make", "make"]);
    assert_spans_exact(file, &scripts[0]);

    let copy = fake_run("COPY a b\n", 0);
    assert!(run_scripts(&copy, "COPY a b\n").is_empty());
}

#[test]
fn continuation_inside_a_word() {
    // A continuation splitting a word: the value is joined, the span covers the bytes between.
    let file = "FROM x\nRUN apt-get ins\\\ntall curl\n";
    let s = one_script(file);
    let w = &s.commands[0].words[1];
    assert_eq!(w.value.as_deref(), Some("install"));
    assert_eq!(&*w.raw, "install");
    assert_eq!(&file[w.span.clone()], "ins\\\ntall");
    assert_eq!(&file[s.commands[0].words[2].span.clone()], "curl");
}

// ---------------------------------------------------------------------------------------------
// Errors and scale

#[test]
fn double_parens_are_subshells_when_arithmetic_fails() {
    // `sh` reads `((` as two subshells; tree-sitter-bash reads arithmetic and fails.
    let text = "((cat /etc/os-release | grep alpine) && apk add x || true) && echo \"((\"";
    let s = script(text);
    assert!(!s.has_errors, "{}", s.dump());
    assert_eq!(names(&s), ["cat", "grep", "apk", "true", "echo"]);
    assert!(find(&s, "cat").context.in_subshell && find(&s, "true").context.after_or);
    assert_eq!(find(&s, "echo").words[1].value.as_deref(), Some("(("));
    assert_spans_exact(text, &s);
    // Real arithmetic is left alone.
    let s = script("(( i++ )) && x");
    assert!(!s.has_errors);
    assert_eq!(names(&s), ["x"]);
}

#[test]
fn syntax_errors_do_not_panic() {
    for text in [
        "echo \"unterminated; foo && ; bar (",
        "if then fi",
        "a && && b",
        "$(",
        "`",
        "case",
        "x <<EOF",
        "sh -c 'unterminated",
        "bash -c \"a && \"",
        "((((",
        "\\",
        "",
        "\u{feff}é && ü | ¥",
    ] {
        let s = script(text);
        for c in &s.commands {
            for w in c.words.iter().chain(&c.assignments) {
                assert!(w.span.end <= text.len(), "{text:?}: {w:?}");
                assert!(
                    text.get(w.span.clone()).is_some(),
                    "{text:?}: {w:?} not on a char boundary"
                );
            }
        }
        if !text.is_empty() && text != "\u{feff}é && ü | ¥" {
            assert!(s.has_errors, "{text:?} should have errors:\n{}", s.dump());
        }
    }
    let s = script("echo ok && if then fi");
    assert!(s.has_errors);
    assert_eq!(s.commands[0].name(), Some("echo"));
    assert!(
        script("sh -c 'a &&'").has_errors,
        "errors in nested bodies count"
    );
}

/// A continued RUN of 1,500 `&&` lines, with its map, parses in linear time.
#[test]
fn long_chain_is_fast() {
    let n = 1500;
    let mut file = String::from("RUN true");
    for i in 0..n {
        file.push_str(&format!(" \\\n    && echo step-{i} >> /log"));
    }
    file.push('\n');
    let instr = fake_run(&file, 0);
    // Warm up the parser of this thread.
    run_scripts(&instr, &file);
    let t = Instant::now();
    let scripts = run_scripts(&instr, &file);
    let took = t.elapsed();
    let s = &scripts[0];
    assert_eq!(s.commands.len(), n + 1);
    assert!(!s.has_errors);
    assert_spans_exact(&file, s);
    eprintln!("1,500-line chain: {took:?}");
    // Generous: an unoptimised test build on a busy machine.
    assert!(took.as_millis() < 500, "{took:?}");
}

#[test]
fn deep_nesting_does_not_overflow() {
    let n = 3000;
    let text = format!("{}x{}", "( ".repeat(n), " )".repeat(n));
    let s = script(&text);
    assert_eq!(s.commands.len(), 1);
    // Command substitutions are read up to their bound (`shell::MAX_SUBSTITUTION_DEPTH`),
    // not past it (LIM002).
    let text = format!("{}x{}", "$(".repeat(100), ")".repeat(100));
    let s = script(&text);
    assert!(s.commands.iter().any(|c| c.name() == Some("x")));
    let text = format!("{}x{}", "$(".repeat(101), ")".repeat(101));
    assert!(script(&text).too_deep);
    let text = format!("{}x{}", "if a; then ".repeat(2000), "; fi".repeat(2000));
    let s = script(&text);
    assert_eq!(s.commands.len(), 2001);
}

// ---------------------------------------------------------------------------------------------
// Snapshots

fn snapshot(name: &str, value: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, value));
}

#[test]
fn snapshot_representative_runs() {
    let cases = [
        "apt-get update && apt-get install -y --no-install-recommends curl=7.88.* && rm -rf /var/lib/apt/lists/*",
        "set -eux; \\\n    apk add --no-cache --virtual .build-deps gcc musl-dev; \\\n    pip install --no-cache-dir -r /tmp/req.txt || (cat /tmp/log && false); \\\n    apk del .build-deps",
        "curl -fsSL https://example.com/install.sh | sh -s -- -y && export PATH=\"$HOME/bin:$PATH\"",
        "if ! command -v node >/dev/null; then sudo -E bash -c 'npm ci && npm cache clean --force'; fi",
        "wget -qO- \"https://go.dev/dl/go${GO_VERSION}.linux-$(dpkg --print-architecture).tar.gz\" | tar -xz -C /usr/local",
        "[ -d /app ] || mkdir -p /app; for f in a b; do cp \"$f\" /app/; done; find /app -name '*.pyc' -delete",
    ];
    let mut out = String::new();
    for text in cases {
        let file = format!("FROM x\nRUN {text}\n");
        let s = one_script(&file);
        out.push_str(&format!("RUN {text}\n{}\n", s.dump()));
    }
    snapshot("shell_representative_runs", out);
}

// ---------------------------------------------------------------------------------------------
// Property over the real-world corpus

/// For every word of every RUN in the corpus: inside the instruction; and exact when the
/// word lies within one segment of the map.
#[test]
fn corpus_spans() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut files = Vec::new();
    common::collect_files(&shared.join("corpus/real"), &mut files);
    files.sort();
    let (mut runs, mut words, mut exact) = (0, 0, 0);
    for path in files {
        let source = common::read_text(&path);
        let parse = syntax::parse(&source);
        let mut instrs: Vec<&Instruction> = Vec::new();
        for i in parse.tree.instructions() {
            instrs.push(i);
            if let Some(inner) = &i.onbuild {
                instrs.push(inner);
            }
        }
        for instr in instrs {
            for s in run_scripts(instr, &source) {
                runs += 1;
                for c in &s.commands {
                    assert!(
                        c.span.start >= instr.span.start && c.span.end <= instr.span.end,
                        "{}: command {c:?} outside {:?}",
                        path.display(),
                        instr.span
                    );
                    for w in c.words.iter().chain(&c.assignments) {
                        words += 1;
                        assert!(
                            w.span.start >= instr.span.start && w.span.end <= instr.span.end,
                            "{}: {w:?} outside {:?}",
                            path.display(),
                            instr.span
                        );
                        // One segment: the file bytes are as long as the text.
                        let file = &source[w.span.clone()];
                        if file.len() == w.raw.len() && c.context.nested_in.is_none() {
                            assert_eq!(file, &*w.raw, "{}", path.display());
                            exact += 1;
                        }
                    }
                }
            }
        }
    }
    eprintln!("corpus: {runs} scripts, {words} words, {exact} checked exactly");
}

#[test]
fn an_unterminated_heredoc_at_the_end_of_the_file_keeps_spans_inside_it() {
    // Found by fuzzing: the newline put after the cut-off body was mapped past the file's end.
    // The open backtick runs to the end of the text, over the body.
    let src = "FROM alpine\nRUN <<EOF` x\nhi";
    let parsed = dlint::syntax::parse(src);
    let run = parsed.tree.instructions().nth(1).unwrap();
    let scripts = dlint::shell::run_scripts(run, src);
    let commands = &scripts[0].commands;
    assert!(!commands.is_empty());
    for command in commands {
        assert!(command.span.end <= src.len(), "{:?}", command.span);
        for word in &command.words {
            assert!(word.span.end <= src.len(), "{:?}", word.span);
        }
    }
}
