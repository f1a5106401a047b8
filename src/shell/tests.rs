//! Unit tests of the shell layer's pieces; behaviour tests live in `tests/library/shell_layer.rs`.

use super::walk::{compose, push_mapped};
use super::*;

fn script(text: &str) -> Script {
    parse_script(text, &SourceMap::contiguous(0, text.len()))
}

fn word(value: &str) -> Word {
    Word::plain(value, 0..0)
}

fn command(argv: &str) -> Command {
    Command {
        words: argv.split(' ').map(word).collect(),
        assignments: Vec::new(),
        span: 0..0,
        context: CommandContext::default(),
    }
}

/// The acceptance example with its map written out by hand: a RUN of ten continued lines
/// with a comment line in the middle.
#[test]
fn ten_continued_lines_with_hand_built_map() {
    let file = "RUN apt-get update \\\n    && apt-get install \\\n        -y \\\n        --no-install-recommends \\\n        # certificates for https\n        curl \\\n        ca-certificates \\\n    && rm \\\n        -rf \\\n        /var/lib/apt/lists/*\n";
    let mut map = SourceMap::default();
    let mut text = String::new();
    let mut add = |from: usize, to: usize| {
        text.push_str(&file[from..to]);
        map.push(from, to - from);
    };
    let line = |n: usize| {
        let start: usize = file.split_inclusive('\n').take(n - 1).map(str::len).sum();
        let len = file.split_inclusive('\n').nth(n - 1).unwrap().len();
        (start, start + len)
    };
    for n in 1..=10 {
        let (s, e) = line(n);
        let s = if n == 1 { s + 4 } else { s }; // after `RUN `
        match n {
            5 => {}              // the comment line is dropped
            10 => add(s, e - 1), // no continuation: up to the newline
            _ => add(s, e - 2),  // without `\` + newline
        }
    }
    let s = parse_script(&text, &map);
    assert!(!s.has_errors);
    let names: Vec<_> = s.commands.iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["apt-get", "apt-get", "rm"]);
    assert_eq!(s.commands[1].words.len(), 6);
    for c in &s.commands {
        for w in &c.words {
            assert_eq!(&file[w.span.clone()], &*w.raw);
        }
    }
    let curl = &s.commands[1].words[4];
    assert_eq!(&*curl.raw, "curl");
    assert_eq!(curl.span.start, line(6).0 + 8);
}

#[test]
fn push_mapped_follows_segments() {
    let mut src = SourceMap::default();
    src.push(10, 5); // text 0..5  -> file 10..15
    src.push(20, 3); // text 5..8  -> file 20..23
    src.push(30, 4); // text 8..12 -> file 30..34
    let mut dst = SourceMap::default();
    push_mapped(&mut dst, &src, 2, 8); // text 2..10
    assert_eq!(dst.text_len(), 8);
    let files: Vec<usize> = (0..8).map(|i| dst.to_file(i)).collect();
    assert_eq!(files, [12, 13, 14, 20, 21, 22, 30, 31]);

    // Offsets with repeats and gaps (unescaped text).
    let map = compose(&src, &[0, 1, 3, 3, 6, 7, 8]);
    let files: Vec<usize> = (0..7).map(|i| map.to_file(i)).collect();
    assert_eq!(files, [10, 11, 13, 13, 21, 22, 30]);
    assert_eq!(map.span_to_file(0..7), 10..31);
}

#[test]
fn push_mapped_long_runs() {
    let mut src = SourceMap::default();
    for i in 0..1000 {
        src.push(i * 10, 7);
    }
    let mut dst = SourceMap::default();
    push_mapped(&mut dst, &src, 0, src.text_len());
    for t in (0..src.text_len()).step_by(13) {
        assert_eq!(dst.to_file(t), src.to_file(t));
    }
}

#[test]
fn effective_views() {
    let c = command("sudo -E -u root env -i A=1 nice -n 5 apt-get install");
    let v = c.effective();
    assert_eq!(v.name(), Some("apt-get"));
    assert_eq!(v.args().len(), 1);
    assert_eq!(v.assignments.len(), 1);
    let wrappers: Vec<_> = v.wrappers.iter().map(|w| &*w.raw).collect();
    assert_eq!(wrappers, ["sudo", "env", "nice"]);

    for (argv, name) in [
        ("command -v curl", "command"),
        ("command -p ls", "ls"),
        ("env", "env"),
        ("env -S a b", "env"),
        ("env - PATH=/x make", "make"),
        ("timeout 5 curl x", "curl"),
        ("timeout --signal KILL 5 curl", "curl"),
        ("xargs -n1 -I{} echo", "echo"),
        ("xargs", "xargs"),
        ("su-exec app:app /bin/run", "run"),
        ("busybox --install", "busybox"),
        ("sudo -l", "sudo"),
        ("/usr/bin/sudo /usr/bin/apt-get", "apt-get"),
        ("exec /entrypoint.sh", "entrypoint.sh"),
        ("doas -u root apk add", "apk"),
        ("stdbuf -o L grep x", "grep"),
        ("ionice -c3 nice make", "make"),
    ] {
        assert_eq!(command(argv).effective().name(), Some(name), "{argv}");
    }
}

#[test]
fn nested_shell_detection() {
    use super::nested::{shell_use, ShellUse};
    let cases: &[(&str, Option<(&str, ShellUse)>)] = &[
        (
            "sh -c x",
            Some(("sh", ShellUse::Command { word: 2, skip: 0 })),
        ),
        (
            "bash -ec x",
            Some(("bash", ShellUse::Command { word: 2, skip: 0 })),
        ),
        (
            "bash -o pipefail -c x",
            Some(("bash", ShellUse::Command { word: 4, skip: 0 })),
        ),
        (
            "bash -euo pipefail -c x y z",
            Some(("bash", ShellUse::Command { word: 4, skip: 0 })),
        ),
        (
            "bash --norc -c x",
            Some(("bash", ShellUse::Command { word: 3, skip: 0 })),
        ),
        ("sh", Some(("sh", ShellUse::Stdin))),
        ("sh -s -- a b", Some(("sh", ShellUse::Stdin))),
        ("sh -e", Some(("sh", ShellUse::Stdin))),
        ("sh script.sh", None),
        ("sh -c", None),
        (
            "su -c x user",
            Some(("su", ShellUse::Command { word: 2, skip: 0 })),
        ),
        (
            "su - user -c x",
            Some(("su", ShellUse::Command { word: 4, skip: 0 })),
        ),
        (
            "su -s /bin/sh -lc x",
            Some(("su", ShellUse::Command { word: 4, skip: 0 })),
        ),
        (
            "su --command=x",
            Some(("su", ShellUse::Command { word: 1, skip: 10 })),
        ),
        ("su user", None),
        ("python -c x", None),
    ];
    for (argv, want) in cases {
        let c = command(argv);
        let got = shell_use(&c.effective());
        let got = got.as_ref().map(|(n, u)| (n.as_str(), u));
        let want = want.as_ref().map(|(n, u)| (*n, u));
        assert_eq!(got, want, "{argv}");
    }
}

#[test]
fn shebangs() {
    use super::nested::shebang_shell;
    assert_eq!(shebang_shell("#!/bin/sh"), Some("sh"));
    assert_eq!(shebang_shell("#!/bin/bash -ex"), Some("bash"));
    assert_eq!(shebang_shell("#! /usr/bin/env bash"), Some("bash"));
    assert_eq!(shebang_shell("#!/usr/bin/env -S bash -e"), Some("bash"));
    assert_eq!(shebang_shell("#!/usr/bin/env python3"), None);
    assert_eq!(shebang_shell("#!/usr/bin/node"), None);
}

#[test]
fn ansi_c_and_dq_values() {
    let s = script(r#"printf $'a\tb\x41\u00e9\'' "x\y\$z\"" 'it''s' a\'b"#);
    let v: Vec<_> = s.commands[0]
        .words
        .iter()
        .map(|w| w.value.clone())
        .collect();
    assert_eq!(
        v,
        [
            Some("printf".into()),
            Some("a\tbAé'".into()),
            Some("x\\y$z\"".into()),
            Some("its".into()),
            Some("a'b".into()),
        ]
    );
}

#[test]
fn substitution_starts_a_fresh_pipeline() {
    let s = script("a | b \"$(c | d)\" && ! e $(f) || g $(h)");
    let ctx = |n: &str| {
        s.commands
            .iter()
            .find(|c| c.name() == Some(n))
            .unwrap()
            .context
            .clone()
    };
    assert!(ctx("b").in_pipeline);
    assert!(ctx("c").in_pipeline && ctx("c").in_substitution);
    assert!(ctx("e").negated && !ctx("f").negated);
    assert!(ctx("h").after_or && ctx("h").in_substitution);
}

#[test]
fn command_spans() {
    let text = "A=1 make -j4 >/dev/null && cd /x";
    let s = script(text);
    assert_eq!(&text[s.commands[0].span.clone()], "A=1 make -j4");
    assert_eq!(&text[s.commands[1].span.clone()], "cd /x");
}

#[test]
fn parser_is_reused_across_calls() {
    // Many small parses: would be slow if each created a parser.
    let t = std::time::Instant::now();
    for _ in 0..2000 {
        let s = script("apt-get install -y curl");
        assert_eq!(s.commands.len(), 1);
    }
    assert!(t.elapsed().as_secs() < 5);
}
