//! `--diff` output applied by the real `git apply` and `patch -p1`: relative and absolute
//! paths, a path outside the current directory, no final newline, CRLF line ends. The patched
//! file must equal what `--fix` writes, and `--diff` itself must write nothing.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const UNSAFE: &[&str] = &["--isolated", "--unsafe-fixes"];

fn dlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(UNSAFE)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("dlint runs")
}

/// Runs a patch tool with the diff on stdin; None when the tool is not installed.
fn apply(tool: &str, args: &[&str], dir: &Path, diff: &[u8]) -> Option<Output> {
    let mut child = match Command::new(tool)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(_) => {
            eprintln!("skipping {tool}: not installed");
            return None;
        }
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(diff).unwrap();
    Some(child.wait_with_output().unwrap())
}

/// What `--fix` writes for `text`, from a scratch copy.
fn fixed(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), text).unwrap();
    let o = dlint(dir.path(), &["--fix", "Dockerfile"]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    fs::read_to_string(dir.path().join("Dockerfile")).unwrap()
}

/// Writes `text` at `cwd/rel`, takes `--diff` of `arg` run from `cwd`, checks that nothing was
/// written, then applies the diff with both tools from `cwd` and compares with `--fix`.
fn check(text: &str, rel: &str, arg: impl Fn(&Path) -> String) {
    let want = fixed(text);
    assert_ne!(want, text, "the sample must have something to fix");
    for (tool, args) in [
        ("git", &["apply", "-"][..]),
        ("patch", &["-p1", "--quiet"][..]),
    ] {
        let root = tempfile::tempdir().unwrap();
        let cwd = root.path().join("cwd");
        let file = cwd.join(rel);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, text).unwrap();
        let o = dlint(&cwd, &["--diff", &arg(&cwd)]);
        assert_eq!(o.status.code(), Some(1), "{o:?}");
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            text,
            "--diff wrote the file"
        );
        let diff = o.stdout;
        let header = String::from_utf8_lossy(&diff)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        assert!(
            !header.contains("a//") && !header.contains(".."),
            "{header}"
        );
        // the count goes to stderr, never glued to the diff
        assert!(!String::from_utf8_lossy(&diff).contains("Would fix"));
        let Some(applied) = apply(tool, args, &cwd, &diff) else {
            continue;
        };
        assert!(
            applied.status.success(),
            "{tool} failed on\n{}\n{}",
            String::from_utf8_lossy(&diff),
            String::from_utf8_lossy(&applied.stderr)
        );
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            want,
            "{tool} result differs from --fix"
        );
    }
}

const SAMPLE: &str = "FROM python:3.13\nRUN pip install flask==3.1.0\n";

#[test]
fn relative_path_applies() {
    check(SAMPLE, "Dockerfile", |_| "Dockerfile".into());
    check(SAMPLE, "app/Dockerfile", |_| {
        "./app/../app/Dockerfile".into()
    });
}

#[test]
fn absolute_path_inside_the_current_directory_applies() {
    check(SAMPLE, "app/Dockerfile", |cwd| {
        cwd.join("app/Dockerfile").display().to_string()
    });
}

#[test]
fn path_outside_the_current_directory_applies_from_the_root() {
    // `..` components are resolved before the path is made relative
    check(SAMPLE, "Dockerfile", |cwd| {
        fs::create_dir_all(cwd.join("sub")).unwrap();
        cwd.join("sub/../Dockerfile").display().to_string()
    });
    // a real outside path: headers relative to `/`
    let root = tempfile::tempdir().unwrap();
    let outside = root.path().join("elsewhere/Dockerfile");
    fs::create_dir_all(outside.parent().unwrap()).unwrap();
    fs::create_dir_all(root.path().join("cwd")).unwrap();
    fs::write(&outside, SAMPLE).unwrap();
    let o = dlint(
        &root.path().join("cwd"),
        &["--diff", &outside.display().to_string()],
    );
    let diff = String::from_utf8_lossy(&o.stdout).into_owned();
    let rel = outside
        .display()
        .to_string()
        .trim_start_matches('/')
        .to_string();
    assert!(
        diff.starts_with(&format!("--- a/{rel}\n+++ b/{rel}\n")),
        "{diff}"
    );
    for (tool, args) in [
        ("git", &["apply", "-"][..]),
        ("patch", &["-p1", "--quiet"][..]),
    ] {
        fs::write(&outside, SAMPLE).unwrap();
        let Some(applied) = apply(tool, args, Path::new("/"), diff.as_bytes()) else {
            continue;
        };
        assert!(applied.status.success(), "{tool}: {applied:?}");
        assert_eq!(fs::read_to_string(&outside).unwrap(), fixed(SAMPLE));
    }
}

#[test]
fn file_without_final_newline_applies() {
    check(SAMPLE.trim_end(), "Dockerfile", |_| "Dockerfile".into());
    // the change is not on the last line
    check(
        "FROM python:3.13\nRUN pip install flask==3.1.0\nCMD [\"flask\", \"run\"]",
        "Dockerfile",
        |_| "Dockerfile".into(),
    );
}

#[test]
fn crlf_file_applies() {
    check(&SAMPLE.replace('\n', "\r\n"), "Dockerfile", |_| {
        "Dockerfile".into()
    });
    check(
        SAMPLE.replace('\n', "\r\n").trim_end(),
        "Dockerfile",
        |_| "Dockerfile".into(),
    );
}

#[test]
fn diff_with_fix_still_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), SAMPLE).unwrap();
    let o = dlint(dir.path(), &["--fix", "--diff", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("--- a/Dockerfile\n"));
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        SAMPLE
    );
}
