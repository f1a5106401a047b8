//! The STG001 split rewrite, end to end: every fixture it rewrites lints clean again with all
//! rules, line endings and keyword case are kept, and over the corpus the rewrites are
//! counted per recipe.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dlint::fix::{fix_until_stable, Applicability, Candidate};
use dlint::rules::{check, Finding, RuleSelector, RuleSettings, Selection};
use dlint::semantic::Purpose;
use dlint::syntax::parse;

fn stg001_only() -> RuleSettings {
    RuleSettings {
        selection: Selection {
            select: Some(vec![RuleSelector::parse("STG001").unwrap()]),
            ..Selection::default()
        },
        // The fixtures sit under `tests/fixtures/`; they show what happens to applications.
        purpose: Some(Purpose::Application),
        ..RuleSettings::default()
    }
}

fn candidates(path: &Path, text: &str, settings: &RuleSettings) -> Vec<Candidate> {
    check(Some(path), &parse(text), settings)
        .into_iter()
        .filter_map(|f| {
            f.violation.fix.map(|fix| Candidate {
                code: f.rule.code,
                fix,
            })
        })
        .collect()
}

/// The file after STG001's unsafe fixes alone.
fn split(path: &Path, source: &str) -> String {
    let settings = stg001_only();
    let outcome = fix_until_stable(source, true, |t| candidates(path, t, &settings));
    assert!(outcome.converged, "{}: did not converge", path.display());
    assert!(
        outcome.dropped.is_empty(),
        "{}: {:?}",
        path.display(),
        outcome.dropped
    );
    outcome.text
}

/// Findings that must be gone after the split.
fn leftovers(path: &Path, text: &str) -> Vec<String> {
    let settings = RuleSettings {
        purpose: Some(Purpose::Application),
        ..RuleSettings::default()
    };
    let findings: Vec<Finding> = check(Some(path), &parse(text), &settings);
    findings
        .iter()
        .filter(|f| {
            let code = f.rule.code;
            // DL3006/DL3007: a FROM dlint writes names a tag, and not `latest`.
            code == "STG001"
                || code == "IMG002"
                || code == "DL1000"
                || code == "DL3006"
                || code == "DL3007"
                || code.starts_with("STAT")
        })
        .map(|f| format!("{} {}", f.rule.code, f.violation.message))
        .collect()
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("STG001_")
        })
        .collect();
    found.sort();
    found
}

#[test]
fn rewritten_fixtures_lint_clean_with_all_rules() {
    let mut rewritten = 0;
    for path in fixtures() {
        let source = std::fs::read_to_string(&path).unwrap();
        let text = split(&path, &source);
        if text == source {
            continue;
        }
        rewritten += 1;
        let parsed = parse(&text);
        assert!(
            parsed.errors.is_empty(),
            "{}: {:?}",
            path.display(),
            parsed.errors
        );
        let left = leftovers(&path, &text);
        assert!(
            left.is_empty(),
            "{}:\n{}\n{}",
            path.display(),
            left.join("\n"),
            text
        );
        assert_eq!(split(&path, &text), text, "{}: second run", path.display());
    }
    assert!(rewritten >= 10, "only {rewritten} fixtures were rewritten");
}

/// A Dockerfile whose build context does not exist: nothing is read from it.
const NO_CONTEXT: &str = "/nonexistent-dlint-context/Dockerfile";

#[test]
fn keeps_crlf_line_endings() {
    let source = "FROM golang:1.23\r\nWORKDIR /src\r\nCOPY . .\r\nRUN go build -o /app .\r\nCMD [\"/app\"]\r\n";
    let text = split(Path::new(NO_CONTEXT), source);
    assert_eq!(
        text,
        "FROM golang:1.23 AS build\r\nWORKDIR /src\r\nCOPY . .\r\n\
         RUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /app .\r\nCMD [\"/app\"]\r\n\r\n\
         FROM gcr.io/distroless/static-debian13:nonroot\r\nWORKDIR /src\r\n\
         COPY --from=build /app /app\r\nUSER 65532:65532\r\nCMD [\"/app\"]\r\n"
    );
}

#[test]
fn keeps_a_missing_final_newline_missing() {
    let source = "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]";
    let text = split(Path::new(NO_CONTEXT), source);
    assert!(text.ends_with("USER 65532:65532\nCMD [\"/app\"]"), "{text}");
    assert!(text.contains("CMD [\"/app\"]\n\nFROM gcr.io/distroless/static-debian13:nonroot\n"));
}

/// What STG001 does with one file: nothing, a rewrite, or advice only.
fn outcome(path: &Path, source: &str) -> Option<(String, Applicability)> {
    let findings = check(Some(path), &parse(source), &stg001_only());
    let finding = findings.first()?;
    let message = &finding.violation.message;
    if std::env::var_os("DLINT_SPLIT_VERBOSE").is_some() {
        let fix = finding
            .violation
            .fix
            .as_ref()
            .map_or("", |f| f.message.as_str());
        eprintln!("{}: {message}\n    {fix}", path.display());
    }
    let label = message.split('`').nth(1).unwrap_or("?").to_string();
    let applicability = finding
        .violation
        .fix
        .as_ref()
        .map_or(Applicability::DisplayOnly, |f| f.applicability);
    Some((label, applicability))
}

#[test]
fn corpus_rewrites_per_recipe() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut files = Vec::new();
    collect(&shared.join("corpus/real"), &mut files);
    let mut counts: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for file in &files {
        let source = common::read_text(file);
        let Some((label, applicability)) = outcome(file, &source) else {
            continue;
        };
        let kind = match applicability {
            Applicability::Unsafe => "rewrite",
            _ => "advice",
        };
        *counts.entry((label, kind)).or_default() += 1;
        if kind == "rewrite" {
            let text = split(file, &source);
            let left = leftovers(file, &text);
            assert!(left.is_empty(), "{}: {}", file.display(), left.join("\n"));
        }
    }
    eprintln!("STG001 over {} corpus files:", files.len());
    for ((label, kind), n) in &counts {
        eprintln!("  {n:4}  {kind:7}  {label}");
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn names_the_rust_binary_from_cargo_toml_next_to_the_dockerfile() {
    let dir = std::env::temp_dir().join(format!("dlint-split-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"web\"\n\n[[bin]]\nname = \"server\"\npath = \"src/main.rs\"\n",
    )
    .unwrap();
    let path = dir.join("Dockerfile");
    let source = "FROM rust:1.82\nWORKDIR /src\nCOPY . .\nRUN cargo build --release && \\\n    cp target/release/server /usr/local/bin/\nCMD [\"server\"]\n";
    let text = split(&path, source);
    let without = split(Path::new("Dockerfile"), source);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        text.contains("cp target/x86_64-unknown-linux-gnu/release/server /usr/local/bin/"),
        "{text}"
    );
    assert!(
        text.contains("COPY --from=build /usr/local/bin/server /usr/local/bin/server"),
        "{text}"
    );
    assert!(leftovers(&path, &text).is_empty());
    // Without the manifest the name is unknown: advice only.
    assert_eq!(without, source);
}

/// A Go program that reads templates and static files from its working directory at run
/// time: the split carries what `COPY . .` brought besides the Go sources (and not what
/// `.dockerignore` excludes); a module that needs cgo keeps cgo on and runs on distroless
/// base; `go install .` names the binary after the module.
#[test]
fn go_split_carries_runtime_files_and_keeps_cgo_for_cgo_modules() {
    let dir = std::env::temp_dir().join(format!("dlint-split-go-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::create_dir_all(dir.join("static")).unwrap();
    std::fs::create_dir_all(dir.join("internal/db")).unwrap();
    std::fs::write(dir.join("templates/index.html"), "<p>hi</p>").unwrap();
    std::fs::write(dir.join("static/style.css"), "p {}").unwrap();
    std::fs::write(dir.join("internal/db/db.go"), "package db\n").unwrap();
    std::fs::write(dir.join("main.go"), "package main\n").unwrap();
    std::fs::write(dir.join("notes.txt"), "ignored\n").unwrap();
    std::fs::write(dir.join(".dockerignore"), "notes.txt\n").unwrap();
    std::fs::write(dir.join("go.mod"), "module example.com/pages\n\ngo 1.24\n").unwrap();
    let path = dir.join("Dockerfile");
    let source =
        "FROM golang:1.24\nWORKDIR /app\nCOPY . .\nRUN go build -o pages .\nCMD [\"./pages\"]\n";
    let text = split(&path, source);
    assert!(
        text.contains("COPY --from=build /app/templates /app/templates\n"),
        "{text}"
    );
    assert!(
        text.contains("COPY --from=build /app/static /app/static\n"),
        "{text}"
    );
    assert!(!text.contains("/app/internal"), "{text}");
    assert!(!text.contains("notes.txt"), "{text}");
    assert!(!text.contains("main.go"), "{text}");

    std::fs::write(
        dir.join("go.mod"),
        "module example.com/pages\n\ngo 1.24\n\nrequire github.com/mattn/go-sqlite3 v1.14.27\n",
    )
    .unwrap();
    let cgo = split(&path, source);
    let findings = check(Some(&path), &parse(source), &stg001_only());
    assert!(!cgo.contains("CGO_ENABLED=0"), "{cgo}");
    assert!(
        cgo.contains("FROM gcr.io/distroless/base-debian13:nonroot\n"),
        "{cgo}"
    );
    let notes: Vec<&str> = findings[0]
        .violation
        .suggestions
        .iter()
        .map(|s| s.message.as_str())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("github.com/mattn/go-sqlite3")),
        "{notes:?}"
    );

    std::fs::write(
        dir.join("go.mod"),
        "module example.com/pages/v2\n\ngo 1.24\n",
    )
    .unwrap();
    let install = "FROM golang:1.24\nWORKDIR /app\nCOPY . .\nRUN go install .\nCMD [\"pages\"]\n";
    let installed = split(&path, install);
    let renamed = split(&path, &install.replace("[\"pages\"]", "[\"server\"]"));
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        installed.contains("COPY --from=build /go/bin/pages /usr/local/bin/pages\n"),
        "{installed}"
    );
    // The container runs another name than the module's binary: advice only.
    assert!(!renamed.contains("AS build"), "{renamed}");
}

/// The images a file's findings name, for one rule.
fn named_images(findings: &[Finding], code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for f in findings.iter().filter(|f| f.rule.code == code) {
        let texts = f
            .violation
            .fix
            .iter()
            .chain(&f.violation.suggestions)
            .map(|fix| fix.message.clone());
        for text in texts {
            for (i, part) in text.split('`').enumerate() {
                if i % 2 == 1 && (part.contains(':') || part.contains('/')) && !part.contains(' ') {
                    names.push(part.to_string());
                }
            }
        }
    }
    names
}

/// One decision per stage: IMG002 names the runtime image STG001 splits to, and STG001 on
/// an Alpine stage the MUSL rules move to glibc names that glibc image and leaves the
/// rewrite to after the move.
#[test]
fn rules_agree_on_the_runtime_image() {
    let go = "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod ./\nCOPY cmd/ ./cmd/\nRUN go build -o /usr/local/bin/app ./cmd/app\nCMD [\"app\"]\n";
    let findings = check(
        Some(Path::new("Dockerfile")),
        &parse(go),
        &RuleSettings::default(),
    );
    let stg = named_images(&findings, "STG001");
    let img = named_images(&findings, "IMG002");
    assert!(
        stg.contains(&"gcr.io/distroless/static-debian13:nonroot".to_string()),
        "{stg:?}"
    );
    assert_eq!(
        img,
        vec!["gcr.io/distroless/static-debian13:nonroot".to_string()]
    );

    let alpine = "FROM python:3.12-alpine\nWORKDIR /app\nRUN apk add --no-cache gcc musl-dev\nCOPY . .\nRUN pip install --no-cache-dir numpy\nCMD [\"python\", \"app.py\"]\n";
    let findings = check(
        Some(Path::new("Dockerfile")),
        &parse(alpine),
        &RuleSettings::default(),
    );
    let musl = named_images(&findings, "MUSL001");
    let stg = named_images(&findings, "STG001");
    assert!(musl.iter().any(|m| m == "python:3.12-slim"), "{musl:?}");
    assert!(stg.iter().all(|s| s != "python:3.12-alpine"), "{stg:?}");
    assert!(stg.iter().any(|s| s == "python:3.12-slim"), "{stg:?}");
    let split = findings.iter().find(|f| f.rule.code == "STG001").unwrap();
    assert_eq!(
        split.violation.fix.as_ref().unwrap().applicability,
        Applicability::DisplayOnly
    );
}

/// A size rule never moves a builder to a smaller image: with IMG001's and STG001's fixes
/// together, the stage STG001 splits keeps `node:22` as its builder and only the new
/// runtime stage is slim.
#[test]
fn the_builder_keeps_the_full_image() {
    let settings = RuleSettings {
        selection: Selection {
            select: Some(vec![
                RuleSelector::parse("IMG001").unwrap(),
                RuleSelector::parse("STG001").unwrap(),
            ]),
            ..Selection::default()
        },
        ..RuleSettings::default()
    };
    let path = Path::new("Dockerfile");
    let source = "FROM node:22\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"node\", \"dist/server.js\"]\n";
    let outcome = fix_until_stable(source, true, |t| candidates(path, t, &settings));
    assert!(
        outcome.text.starts_with("FROM node:22 AS build\n"),
        "{}",
        outcome.text
    );
    assert!(
        outcome
            .text
            .contains("\nFROM gcr.io/distroless/nodejs22-debian13:nonroot\n")
            || outcome.text.contains("\nFROM node:22-slim\n"),
        "{}",
        outcome.text
    );
}

/// A crate that links the system OpenSSL cannot be built with `+crt-static`: the Rust split
/// is advice only; with OpenSSL vendored (`openssl-src` in Cargo.lock) it is rewritten.
#[test]
fn rust_split_refuses_crates_that_link_system_libraries() {
    let dir = std::env::temp_dir().join(format!("dlint-split-rust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"tls-hello\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    let lock = "[[package]]\nname = \"openssl-sys\"\nversion = \"0.9.104\"\n\n[[package]]\nname = \"tls-hello\"\nversion = \"0.1.0\"\n";
    std::fs::write(dir.join("Cargo.lock"), lock).unwrap();
    let path = dir.join("Dockerfile");
    let source = "FROM rust:1.85\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD [\"/app/target/release/tls-hello\"]\n";
    let linked = split(&path, source);
    let findings = check(Some(&path), &parse(source), &stg001_only());
    std::fs::write(
        dir.join("Cargo.lock"),
        format!("{lock}\n[[package]]\nname = \"openssl-src\"\nversion = \"300.4.1\"\n"),
    )
    .unwrap();
    let vendored = split(&path, source);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(linked, source);
    let advice = &findings[0].violation.fix.as_ref().unwrap().message;
    assert!(advice.contains("openssl-sys"), "{advice}");
    assert!(vendored.contains("+crt-static"), "{vendored}");
}

/// The direct-compiler recipe reads the one compile command: what it links, where the output
/// goes, what acts on it afterwards; whatever it cannot follow is advice naming the reason.
#[test]
fn direct_compiler_split_follows_the_command() {
    let path = Path::new(NO_CONTEXT);
    let head = "FROM debian:13\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev zlib1g-dev\nWORKDIR /src\nCOPY . .\n";
    let rewritten = |body: &str, wanted: &[&str], unwanted: &[&str]| {
        let source = format!("{head}{body}");
        let text = split(path, &source);
        assert_ne!(text, source, "not rewritten:\n{source}");
        let runtime = text.rsplit("\nFROM ").next().unwrap();
        for w in wanted {
            assert!(runtime.contains(w), "runtime stage lacks `{w}`:\n{text}");
        }
        for u in unwanted {
            assert!(!runtime.contains(u), "runtime stage has `{u}`:\n{text}");
        }
    };
    let advice = |body: &str, reason: &str| {
        let source = format!("{head}{body}");
        let findings = check(Some(path), &parse(&source), &stg001_only());
        let fix = findings[0].violation.fix.as_ref().unwrap();
        assert_eq!(fix.applicability, Applicability::DisplayOnly, "{source}");
        assert!(fix.message.contains(reason), "{}\n{source}", fix.message);
    };
    // Static: no runtime packages, even with -lz; a version query is no compile.
    rewritten(
        "RUN gcc --version && gcc -static -o /usr/local/bin/app app.c -lz\nCMD [\"app\"]\n",
        &["COPY --from=build /usr/local/bin/app /usr/local/bin/app"],
        &["apt-get"],
    );
    // Dynamic: zlib's runtime package; `-l z` written apart.
    rewritten(
        "RUN gcc -o /usr/local/bin/app app.c -l z -lm\nCMD [\"app\"]\n",
        &["apt-get install -y --no-install-recommends zlib1g"],
        &["libm"],
    );
    // A later chown/chmod of the program is repeated after the copy, in order.
    rewritten(
        "RUN gcc -o /usr/bin/probe probe.c && strip /usr/bin/probe\nRUN chown root:root /usr/bin/probe && chmod 4755 /usr/bin/probe\n",
        &["COPY --from=build /usr/bin/probe /usr/bin/probe\nRUN chown root:root /usr/bin/probe && chmod 4755 /usr/bin/probe"],
        &[],
    );
    advice(
        "RUN gcc -o /usr/local/bin/app app.c -L/opt/frob/lib -lz\nCMD [\"app\"]\n",
        "-L/opt/frob/lib",
    );
    advice(
        "RUN cd sub && gcc -o app app.c\nCMD [\"./sub/app\"]\n",
        "relative to a directory dlint does not know",
    );
    advice(
        "RUN gcc -shared -fPIC -o libx.so x.c\n",
        "does not link a program (`-shared`)",
    );
    advice(
        "RUN gcc -fopenmp -o /usr/local/bin/app app.c\nCMD [\"app\"]\n",
        "`-fopenmp`",
    );
    advice(
        "RUN gcc -o /usr/local/bin/app app.c\nCMD [\"other\"]\n",
        "the container runs `other`",
    );
    advice(
        "RUN gcc -o /usr/local/bin/app app.c\nRUN useradd app\nUSER app\nRUN chmod 700 /usr/local/bin/app\n",
        "runs after a USER",
    );
    advice(
        "RUN gcc -o /usr/local/bin/app app.c ./libfrob.so\nCMD [\"app\"]\n",
        "shared object `./libfrob.so`",
    );
    advice(
        "RUN make && gcc -o /usr/local/bin/tool tool.c\nCMD [\"tool\"]\n",
        "besides `make`/`cmake`",
    );
    // A slim base pinned by digest is the runtime image too, pin kept.
    let pinned = "FROM debian:trixie-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000\nWORKDIR /src\nCOPY . .\nRUN gcc -static -o /usr/local/bin/app app.c\nCMD [\"app\"]\n";
    let text = split(path, pinned);
    let runtime = text.rsplit("\nFROM ").next().unwrap();
    assert!(
        runtime.starts_with("debian:trixie-slim@sha256:0000"),
        "{text}"
    );
}
