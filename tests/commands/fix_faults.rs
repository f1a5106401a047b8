//! `--fix` when writing goes wrong, through the real binary: symlinks inside and outside the
//! tree being fixed, dangling links, read-only files and a full disk. Whatever happens, a
//! file is either fixed whole or left byte for byte as it was, other files are still fixed,
//! and no temporary file is left behind.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::fix_leftovers;

/// DL3019 (`apk add` without `--no-cache`) has a safe fix: `--no-cache curl`.
const BAD: &str = "FROM alpine:3.20\nRUN apk add curl\n";
const FIXED: &str = "FROM alpine:3.20\nRUN apk add --no-cache curl\n";

fn dlint_fix(dir: &Path, paths: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dlint"))
        // Not a ShellCheck test: `--shellcheck auto` finds no binary.
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
        .args(["--fix", "--no-color", "--select", "DL3019"])
        .args(paths)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("dlint runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

#[test]
fn a_symlink_inside_the_walked_tree_is_written_through_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("base")).unwrap();
    fs::write(dir.path().join("base/alpine.txt"), BAD).unwrap();
    symlink("base/alpine.txt", dir.path().join("Dockerfile")).unwrap();
    let o = dlint_fix(dir.path(), &["."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(dir.path().join("base/alpine.txt")), FIXED);
    let link = fs::symlink_metadata(dir.path().join("Dockerfile")).unwrap();
    assert!(link.file_type().is_symlink());
    assert!(fix_leftovers(&dir.path().join("base")).is_empty());
    assert!(fix_leftovers(dir.path()).is_empty());
}

#[test]
fn a_symlink_named_on_the_command_line_is_written_when_its_target_is_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("real.txt"), BAD).unwrap();
    symlink("real.txt", dir.path().join("Dockerfile")).unwrap();
    let o = dlint_fix(dir.path(), &["Dockerfile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(dir.path().join("real.txt")), FIXED);
    assert!(fs::symlink_metadata(dir.path().join("Dockerfile"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_symlink_leaving_the_tree_is_refused_and_other_files_are_still_fixed() {
    let outside = tempfile::tempdir().unwrap();
    let far = outside.path().join("Dockerfile");
    fs::write(&far, BAD).unwrap();
    let dir = tempfile::tempdir().unwrap();
    symlink(&far, dir.path().join("Dockerfile")).unwrap();
    fs::write(dir.path().join("app.Dockerfile"), BAD).unwrap();
    for args in [&["."][..], &["Dockerfile", "app.Dockerfile"][..]] {
        fs::write(dir.path().join("app.Dockerfile"), BAD).unwrap();
        let o = dlint_fix(dir.path(), args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        let target = fs::canonicalize(&far).unwrap();
        assert!(err.contains("Dockerfile: a symlink to"), "{err}");
        assert!(err.contains(&target.display().to_string()), "{err}");
        assert!(
            err.contains("only writes through a symlink inside"),
            "{err}"
        );
        assert_eq!(read(&far), BAD, "the target outside is untouched");
        assert_eq!(read(dir.path().join("app.Dockerfile")), FIXED);
        assert!(fix_leftovers(outside.path()).is_empty());
    }
}

#[test]
fn a_dangling_symlink_is_an_error_when_named_and_skipped_when_walked() {
    let dir = tempfile::tempdir().unwrap();
    symlink("missing.txt", dir.path().join("Dockerfile")).unwrap();
    fs::write(dir.path().join("app.Dockerfile"), BAD).unwrap();

    let o = dlint_fix(dir.path(), &["Dockerfile", "app.Dockerfile"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("Dockerfile"), "{}", stderr(&o));
    assert_eq!(read(dir.path().join("app.Dockerfile")), FIXED);

    fs::write(dir.path().join("app.Dockerfile"), BAD).unwrap();
    let o = dlint_fix(dir.path(), &["."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(dir.path().join("app.Dockerfile")), FIXED);
    assert!(!dir.path().join("missing.txt").exists(), "nothing created");
}

#[test]
fn a_read_only_file_is_an_error_and_the_others_are_still_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("a.Dockerfile");
    fs::write(&locked, BAD).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o444)).unwrap();
    fs::write(dir.path().join("b.Dockerfile"), BAD).unwrap();
    let o = dlint_fix(dir.path(), &["."]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("a.Dockerfile"), "{err}");
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(read(&locked), BAD);
    assert_eq!(read(dir.path().join("b.Dockerfile")), FIXED);
    assert!(fix_leftovers(dir.path()).is_empty());
}

/// A write that fails halfway: under `ulimit -f` with SIGXFSZ ignored (ignored signals survive
/// `exec`), writing past the limit fails with EFBIG, as a full disk fails with ENOSPC.
#[test]
fn a_failing_write_leaves_the_original_untouched_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let padding = "# padding to grow the file past the size limit\n".repeat(40);
    let original = format!("{BAD}{padding}");
    assert!(
        original.len() > 1024,
        "larger than the limit in any block unit"
    );
    let file = dir.path().join("Dockerfile");
    fs::write(&file, &original).unwrap();
    fs::write(dir.path().join("small.Dockerfile"), BAD).unwrap();
    let script = format!(
        "trap '' XFSZ; ulimit -f 1; exec '{}' --fix --no-color --select DL3019 .",
        env!("CARGO_BIN_EXE_dlint")
    );
    let o = Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("sh runs");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Dockerfile: cannot write the fixed file"),
        "{err}"
    );
    assert!(err.contains("the original is unchanged"), "{err}");
    assert_eq!(fs::read(&file).unwrap(), original.as_bytes());
    assert_eq!(fix_leftovers(dir.path()), Vec::<String>::new());
    // A fix small enough to fit under the limit still lands.
    assert_eq!(read(dir.path().join("small.Dockerfile")), FIXED);
}
