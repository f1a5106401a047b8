//! The syntax layer: positions of every flag, word and heredoc, recovery, and robustness.

use crate::common;

use dlint::syntax::{parse, ErrorSeverity, Keyword, Node};

fn text(source: &str, span: std::ops::Range<usize>) -> &str {
    &source[span]
}

#[test]
fn flags_and_args_point_at_their_bytes() {
    let src = "FROM golang:1.23 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build \\\n    --network=none go build ./...\nCOPY --from=build --chown=1000:1000 /out/app /usr/local/bin/app\n";
    let parsed = parse(src);
    assert!(parsed.is_ok(), "{:?}", parsed.errors);
    let instructions: Vec<_> = parsed.tree.instructions().collect();
    assert_eq!(instructions.len(), 3);

    let from = instructions[0];
    let words: Vec<_> = from
        .args
        .iter()
        .map(|a| text(src, a.span.clone()))
        .collect();
    assert_eq!(words, ["golang:1.23", "AS", "build"]);

    let run = instructions[1];
    assert_eq!((run.start_line, run.end_line), (2, 3));
    assert_eq!(run.flags.len(), 2);
    let mount = &run.flags[0];
    assert_eq!(mount.name, "mount");
    assert_eq!(
        mount.value.as_deref(),
        Some("type=cache,target=/root/.cache/go-build")
    );
    assert_eq!(text(src, mount.name_span.clone()), "mount");
    assert_eq!(
        text(src, mount.value_span.clone().unwrap()),
        "type=cache,target=/root/.cache/go-build"
    );
    assert_eq!(text(src, run.flags[1].span.clone()), "--network=none");
    assert_eq!(run.rest_text(), "go build ./...");
    assert_eq!(text(src, run.rest_span()), "go build ./...");

    let copy = instructions[2];
    assert_eq!(
        copy.flag("from").and_then(|f| f.value.as_deref()),
        Some("build")
    );
    assert_eq!(text(src, copy.keyword_span.clone()), "COPY");
    let args: Vec<_> = copy
        .args
        .iter()
        .map(|a| text(src, a.span.clone()))
        .collect();
    assert_eq!(args, ["/out/app", "/usr/local/bin/app"]);
}

#[test]
fn json_form_gives_one_arg_per_string() {
    let src = "FROM scratch\nCMD [\"/bin/app\", \"--port\", \"80\\\"80\"]\n";
    let parsed = parse(src);
    let cmd = parsed.tree.instructions().nth(1).unwrap();
    assert!(cmd.json);
    let values: Vec<_> = cmd.args.iter().map(|a| a.value.as_str()).collect();
    assert_eq!(values, ["/bin/app", "--port", "80\"80"]);
    assert_eq!(text(src, cmd.args[2].span.clone()), "\"80\\\"80\"");
}

#[test]
fn continuation_with_comment_lines_maps_back_to_the_file() {
    let src =
        "FROM debian\nRUN apt-get update && \\\n    # install tools\n    apt-get install -y curl\n";
    let parsed = parse(src);
    let run = parsed.tree.instructions().nth(1).unwrap();
    assert_eq!(
        run.rest_text(),
        "apt-get update &&     apt-get install -y curl"
    );
    // The command is one argument whose span runs across the dropped comment line.
    assert_eq!(run.args.len(), 1);
    let command = &run.args[0];
    assert_eq!(command.span.start, src.find("apt-get update").unwrap());
    assert_eq!(command.span.end, src.find("curl").unwrap() + 4);
    let curl_at = run.rest.start + run.rest_text().find("curl").unwrap();
    assert_eq!(run.line.map.to_file(curl_at), src.find("curl").unwrap());
}

#[test]
fn crlf_bom_and_missing_final_newline_are_kept() {
    let src = "\u{feff}FROM alpine\r\nRUN echo a \\\r\n  b\r\nCMD [\"sh\"]";
    let parsed = parse(src);
    assert!(parsed.is_ok());
    assert!(matches!(parsed.tree.nodes[0], Node::Bom(_)));
    assert_eq!(parsed.tree.print(), src);
    let run = parsed.tree.instructions().nth(1).unwrap();
    assert_eq!(run.rest_text(), "echo a   b");
    let last = parsed.tree.instructions().last().unwrap();
    assert_eq!(last.span.end, src.len());
    assert_eq!(
        dlint::syntax::dump(&parsed.tree),
        "(from \"alpine\")\n(run \"echo a   b\")\n(cmd \"sh\")"
    );
}

#[test]
fn escape_directive_changes_the_continuation_character() {
    let src = "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir `\n  C:\\\n";
    let parsed = parse(src);
    assert!(parsed.is_ok(), "{:?}", parsed.errors);
    assert_eq!(parsed.tree.escape, '`');
    let directive = parsed.tree.directives().next().unwrap();
    assert_eq!(
        (directive.name.as_str(), directive.value.as_str()),
        ("escape", "`")
    );
    let run = parsed.tree.instructions().nth(1).unwrap();
    assert_eq!(run.rest_text(), "dir   C:\\");
}

#[test]
fn heredocs_keep_name_chomp_quoting_and_body() {
    let src = "FROM alpine\nRUN <<-'EOT' cat <<EOF2 > /x\n\techo $HOME\n\tEOT\nbody\nEOF2\nRUN echo after\n";
    let parsed = parse(src);
    assert!(parsed.is_ok(), "{:?}", parsed.errors);
    let run = parsed.tree.instructions().nth(1).unwrap();
    assert_eq!((run.start_line, run.end_line), (2, 6));
    assert_eq!(run.heredocs.len(), 2);
    let first = &run.heredocs[0];
    assert_eq!(first.name, "EOT");
    assert!(first.chomp && !first.expand);
    assert_eq!(text(src, first.marker_span.clone()), "<<-'EOT'");
    assert_eq!(text(src, first.body_span.clone()), "\techo $HOME\n");
    assert_eq!(text(src, first.terminator_span.clone()), "\tEOT");
    let second = &run.heredocs[1];
    assert!(!second.chomp && second.expand);
    assert_eq!(text(src, second.body_span.clone()), "body\n");
    assert_eq!(parsed.tree.instructions().nth(2).unwrap().start_line, 7);
}

#[test]
fn onbuild_wraps_an_instruction() {
    let src = "FROM node\nONBUILD RUN --mount=type=cache,target=/x npm ci\n";
    let parsed = parse(src);
    let onbuild = parsed.tree.instructions().nth(1).unwrap();
    let inner = onbuild.onbuild.as_deref().unwrap();
    assert_eq!(inner.keyword, Keyword::Run);
    assert_eq!(text(src, inner.keyword_span.clone()), "RUN");
    assert_eq!(inner.flags[0].name, "mount");
    assert_eq!(inner.rest_text(), "npm ci");
}

#[test]
fn errors_do_not_stop_the_parse() {
    let src = "FROM alpine\nENV ONLYKEY\nCMD [\"a\", 1]\nRUN <<EOF\necho never closed\nCOPY . /app\nUSER nobody\n";
    let parsed = parse(src);
    let errors: Vec<_> = parsed
        .errors
        .iter()
        .filter(|e| e.severity == ErrorSeverity::Error)
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (2, "ENV must have two arguments"),
            (
                3,
                "when using JSON array syntax, arrays must be comprised of strings only"
            ),
            (4, "unterminated heredoc"),
        ]
    );
    let keywords: Vec<_> = parsed.tree.instructions().map(|i| i.keyword).collect();
    assert_eq!(
        keywords,
        [
            Keyword::From,
            Keyword::Env,
            Keyword::Cmd,
            Keyword::Run,
            Keyword::Copy,
            Keyword::User
        ]
    );
    assert_eq!(parsed.tree.print(), src);
}

#[test]
fn a_lone_continuation_at_the_end_is_an_empty_instruction_where_it_stands() {
    // BuildKit reads `\` then EOF as an instruction with an empty keyword (found by fuzzing:
    // its spans used to point at the file's start).
    let src = "FROM a\n\\\n";
    let parsed = parse(src);
    let empty = parsed.tree.instructions().nth(1).unwrap();
    assert_eq!(empty.keyword_text, "");
    assert_eq!(empty.span, 7..src.len());
    assert_eq!(empty.keyword_span, 7..7);
    assert_eq!(empty.rest_span(), 7..7);
}

#[test]
fn an_empty_flag_value_before_a_continuation_stays_inside_the_flag() {
    // Found by fuzzing: the empty value's span pointed past the `\` to the next line.
    let src = "FROM a\nRUN --mount=\\\n    echo hi\n";
    let parsed = parse(src);
    let run = parsed.tree.instructions().nth(1).unwrap();
    let mount = &run.flags[0];
    assert_eq!(text(src, mount.span.clone()), "--mount=");
    assert_eq!(mount.value_span, Some(mount.span.end..mount.span.end));
    assert_eq!(text(src, mount.name_span.clone()), "mount");
}

#[test]
fn a_healthcheck_type_split_inside_a_character_does_not_panic() {
    // Found by fuzzing: `ߠ` is 0xDF 0xA0, and Go takes the byte 0xA0 for white space.
    for src in ["HEALTHCHECK \u{7e0}", "HEALTHCHECK \u{7e0}x CMD true\n"] {
        let parsed = parse(src);
        assert_eq!(parsed.tree.print(), src);
        let healthcheck = parsed.tree.instructions().next().unwrap();
        assert!(healthcheck.args[0].value.starts_with('\u{7e0}'));
    }
}

#[test]
fn directive_errors_are_reported_with_their_line() {
    let parsed = parse("# syntax=a\n# syntax=b\nFROM x\n");
    assert_eq!(
        parsed.errors[0].message,
        "only one syntax parser directive can be used"
    );
    assert_eq!(parsed.errors[0].line, 2);
    let parsed = parse("# escape=x\nFROM x\n");
    assert!(parsed.errors[0]
        .message
        .starts_with("invalid escape token 'x'"));
    let parsed = parse("# just a comment\n\n");
    assert_eq!(parsed.errors[0].message, "file with no instructions");
}

/// A small deterministic generator, so the robustness tests need no extra crate.
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn arbitrary_bytes_never_panic_and_always_round_trip() {
    let alphabet: &[u8] =
        b"RUNFROMCOPYHEALTHCHECKONBUILD \t\r\n\\`#=<<-'\"[]{},$:EOF\xef\xbb\xbf\xc3\xa0\x85";
    let mut rng = XorShift(0x9E3779B97F4A7C15);
    for _ in 0..3000 {
        let len = (rng.next() % 200) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
            .collect();
        let source = String::from_utf8_lossy(&bytes);
        let parsed = parse(&source);
        assert_eq!(parsed.tree.print(), source);
        let _ = dlint::syntax::dump(&parsed.tree);
        let _ = dlint::syntax::dump_json(&parsed);
    }
}

/// Mutations per corpus file in the round-trip property test.
const MUTATIONS_PER_FILE: usize = 32;

/// Every real-world and conformance file, and random mutations of each (byte flips,
/// deletions, insertions of line continuations, heredoc markers, `\r` and quotes), prints
/// back exactly.
#[test]
fn every_corpus_file_and_its_mutations_round_trip() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut files = Vec::new();
    collect_files(&shared.join("corpus/real"), &mut files);
    collect_files(&shared.join("conformance"), &mut files);
    files.sort();
    assert!(files.len() > 1500, "only {} corpus files", files.len());
    let mut rng = XorShift(42);
    let mut checked = 0;
    for file in &files {
        let original = std::fs::read(file).unwrap();
        assert_round_trip(&original, file);
        for _ in 0..MUTATIONS_PER_FILE {
            let mutated = mutate(&original, &mut rng);
            assert_round_trip(&mutated, file);
            checked += 1;
        }
    }
    eprintln!("{} files, {checked} mutations round-trip", files.len());
}

fn assert_round_trip(bytes: &[u8], origin: &std::path::Path) {
    let source = String::from_utf8_lossy(bytes);
    let printed = parse(&source).tree.print();
    assert!(
        printed == source,
        "round trip failed for a mutation of {}:\n{source:?}",
        origin.display()
    );
}

fn mutate(original: &[u8], rng: &mut XorShift) -> Vec<u8> {
    const INSERTS: &[&[u8]] = &[
        b"\\\n",
        b"<<EOF",
        b"<<-'EOT'",
        b"\nEOF\n",
        b"\r",
        b"\r\n",
        b"\"",
        b"'",
        b"[",
        b"#",
        b"`",
        b"\xef\xbb\xbf",
        b"\xff",
        b"\xce\x85",
    ];
    let mut bytes = original.to_vec();
    for _ in 0..(1 + rng.next() % 6) {
        let at = (rng.next() % (bytes.len() as u64 + 1)) as usize;
        match rng.next() % 3 {
            0 if at < bytes.len() => bytes[at] = (rng.next() % 256) as u8,
            1 if at < bytes.len() => {
                let len = (1 + rng.next() % 8) as usize;
                bytes.drain(at..(at + len).min(bytes.len()));
            }
            _ => {
                let insert = INSERTS[(rng.next() % INSERTS.len() as u64) as usize];
                bytes.splice(at..at, insert.iter().copied());
            }
        }
    }
    bytes
}

fn collect_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn dump_json_snapshot() {
    let src = "# syntax=docker/dockerfile:1\nFROM --platform=$BUILDPLATFORM python:3.12 AS build\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r requirements.txt\nCOPY <<EOF /app/config\nkey=value\nEOF\n";
    let json = dlint::syntax::dump_json(&parse(src));
    insta::with_settings!({snapshot_path => "../../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_json_snapshot!("syntax__syntax_dump_json", json);
    });
}
