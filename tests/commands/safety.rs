//! Hostile files and unlucky timing, through the real binary: `--fix` racing an editor's
//! saves, files that are not regular files or are huge, configuration and context files that
//! lead out of the project, outputs that fail, and ShellCheck failures in the language server.

#![cfg(target_os = "linux")]

use std::fs;
use std::io::{BufReader, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common;

fn dlint_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dlint"));
    command
        // Not a ShellCheck test (unless it sets its own).
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
        .env("XDG_CACHE_HOME", dir.join(".cache"))
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null());
    command
}

/// Runs dlint, killed after `limit` (a hang is a failure, not a stuck test).
fn dlint_within(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = dlint_command(dir, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dlint runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("dlint {args:?} still ran after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn dlint(dir: &Path, args: &[&str]) -> Output {
    dlint_within(dir, args, Duration::from_secs(60))
}

/// Runs dlint with its stdout (and optionally stderr) on `/dev/full`.
fn dlint_to_full(dir: &Path, args: &[&str], stderr_too: bool) -> Output {
    let full = || {
        fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let mut command = dlint_command(dir, args);
    command.stdout(full());
    if stderr_too {
        command.stderr(full());
    } else {
        command.stderr(Stdio::piped());
    }
    command.output().unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn is_root() -> bool {
    // SAFETY: a plain system call.
    unsafe { libc::geteuid() == 0 }
}

const FIXABLE: &str = "FROM alpine:3.20\nRUN apk add curl\n";

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

// ---------------------------------------------------------------------------------------
// `--fix` and concurrent saves

/// The number in the file's `# save N` line.
fn save_number(text: &str) -> Option<usize> {
    text.lines()
        .find_map(|line| line.strip_prefix("# save "))
        .and_then(|n| n.trim().parse().ok())
}

/// An editor saves 400 times (half by writing a new file and renaming it over the old one,
/// half by rewriting the file in place) while `dlint --fix` runs on it in a loop. After each
/// save, until the next one, the file must hold that save (as saved, or fixed by dlint): a
/// fix computed from an earlier save and written over a later one is a lost save.
#[test]
fn fix_never_loses_a_concurrent_save() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Dockerfile");
    let content = |n: usize| format!("# save {n}\n{FIXABLE}");
    fs::write(&file, content(0)).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let fixer = {
        let dir = dir.path().to_path_buf();
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut runs = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = dlint_command(&dir, &["--fix", "--select", "DL3019", "Dockerfile"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
                runs += 1;
            }
            runs
        })
    };
    let mut lost = Vec::new();
    // Saves dlint had fixed by the time they were checked: the race was run, not dodged.
    let mut fixed = 0;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for n in 1..=400 {
        let text = content(n);
        if n % 2 == 0 {
            let temp = dir.path().join(format!(".Dockerfile.editor-{n}"));
            fs::write(&temp, &text).unwrap();
            fs::rename(&temp, &file).unwrap();
        } else {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&file)
                .unwrap();
            f.write_all(text.as_bytes()).unwrap();
        }
        // A pause of 0–16 ms, so that dlint's reads and writes fall everywhere around saves.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(seed % 16_000));
        // dlint may be between swapping its file in and swapping a save back (longer on a
        // loaded machine): a lost save is one still missing two seconds later.
        let held = || save_number(&fs::read_to_string(&file).unwrap());
        fixed += usize::from(fs::read_to_string(&file).unwrap().contains("--no-cache"));
        let mut waited = Duration::ZERO;
        while held() != Some(n) && waited < Duration::from_secs(2) {
            std::thread::sleep(Duration::from_millis(20));
            waited += Duration::from_millis(20);
        }
        if let Some(found) = held().filter(|found| *found != n) {
            lost.push((n, found));
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let runs = fixer.join().unwrap();
    assert!(runs > 10, "dlint ran only {runs} times");
    assert!(fixed >= 3, "dlint fixed only {fixed} of 400 saves");
    eprintln!("{runs} runs of dlint --fix; {fixed} of 400 saves fixed when checked");
    assert!(
        lost.is_empty(),
        "{} of 400 saves lost (save, what the file held instead): {lost:?}",
        lost.len()
    );
    let leftovers = common::fix_leftovers(dir.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// `getfattr`-free: the extended attribute `name` of `path`, read with libc.
fn xattr(path: &Path, name: &str) -> Option<Vec<u8>> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let path = CString::new(path.as_os_str().as_bytes()).unwrap();
    let name = CString::new(name).unwrap();
    let mut buf = vec![0u8; 4096];
    // SAFETY: valid C strings and a buffer of the length given.
    let n = unsafe {
        libc::getxattr(
            path.as_ptr(),
            name.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    (n >= 0).then(|| {
        buf.truncate(n as usize);
        buf
    })
}

fn set_xattr(path: &Path, name: &str, value: &[u8]) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let path = CString::new(path.as_os_str().as_bytes()).unwrap();
    let name = CString::new(name).unwrap();
    // SAFETY: valid C strings and a value of the length given.
    unsafe {
        libc::setxattr(
            path.as_ptr(),
            name.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        ) == 0
    }
}

/// A POSIX access ACL as the kernel stores it (`system.posix_acl_access`): user::rw-,
/// user:`uid`:rw-, group::r--, mask::rw-, other::---.
fn acl_with_user(uid: u32) -> Vec<u8> {
    let mut acl = 2u32.to_le_bytes().to_vec();
    let mut entry = |tag: u16, perm: u16, id: u32| {
        acl.extend(tag.to_le_bytes());
        acl.extend(perm.to_le_bytes());
        acl.extend(id.to_le_bytes());
    };
    let undefined = u32::MAX;
    entry(0x01, 6, undefined); // ACL_USER_OBJ
    entry(0x02, 6, uid); // ACL_USER
    entry(0x04, 4, undefined); // ACL_GROUP_OBJ
    entry(0x10, 6, undefined); // ACL_MASK
    entry(0x20, 0, undefined); // ACL_OTHER
    acl
}

/// A second, real user for the owner and ACL tests (root only: `useradd`).
fn second_user() -> Option<(u32, u32)> {
    const NAME: &str = "dlint-safety-test";
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, NAME]).output().ok()?;
        String::from_utf8(out.stdout).ok()?.trim().parse().ok()
    };
    if id("-u").is_none() {
        let _ = Command::new("useradd")
            .args(["--no-create-home", "--shell", "/usr/sbin/nologin", NAME])
            .status();
    }
    Some((id("-u")?, id("-g")?))
}

/// `--fix` keeps a file's owner, group, mode, ACL and extended attributes.
#[test]
fn fix_keeps_owner_mode_acl_and_xattrs() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Dockerfile");
    fs::write(&file, FIXABLE).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    if !set_xattr(&file, "user.dlint-test", b"kept") {
        eprintln!("skipping: this file system takes no user extended attributes");
        return;
    }
    let owner = if is_root() {
        match second_user() {
            Some((uid, gid)) => {
                std::os::unix::fs::chown(&file, Some(uid), Some(gid)).unwrap();
                Some((uid, gid))
            }
            None => {
                eprintln!("note: `useradd` failed: the owner is not checked");
                None
            }
        }
    } else {
        eprintln!("note: not root: the owner is not checked (no second user)");
        None
    };
    let acl_uid = owner.map_or(65534, |(uid, _)| uid);
    // `setfacl` (Debian's `acl`) when installed, else the attribute it would write.
    let with_setfacl = Command::new("setfacl")
        .args(["-m", &format!("u:{acl_uid}:rw"), file.to_str().unwrap()])
        .status()
        .is_ok_and(|s| s.success());
    let acl =
        if with_setfacl || set_xattr(&file, "system.posix_acl_access", &acl_with_user(acl_uid)) {
            xattr(&file, "system.posix_acl_access")
        } else {
            eprintln!("note: no ACL support here: ACLs are not checked");
            None
        };
    if acl.is_some() {
        // An ACL entry for a named user makes the mode's group bits the ACL's mask.
        assert_eq!(fs::metadata(&file).unwrap().mode() & 0o070, 0o060);
    }
    let before = fs::metadata(&file).unwrap();
    let o = dlint(dir.path(), &["--fix", "--select", "DL3019", "Dockerfile"]);
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
        "{}",
        err(&o)
    );
    let after = fs::metadata(&file).unwrap();
    assert_eq!(after.mode(), before.mode(), "mode");
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    if let Some((uid, gid)) = owner {
        assert_eq!((after.uid(), after.gid()), (uid, gid));
    }
    assert_eq!(
        xattr(&file, "user.dlint-test").as_deref(),
        Some(&b"kept"[..])
    );
    if let Some(acl) = acl {
        assert_eq!(xattr(&file, "system.posix_acl_access"), Some(acl), "ACL");
    }
}

/// A file with several names (hard links) is not replaced: a rename would split it from its
/// other names, which would keep the old text.
#[test]
fn fix_refuses_a_file_with_hard_links() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Dockerfile");
    fs::write(&file, FIXABLE).unwrap();
    fs::hard_link(&file, dir.path().join("other-name")).unwrap();
    let o = dlint(dir.path(), &["--fix", "--select", "DL3019", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("hard link"), "{}", err(&o));
    assert_eq!(fs::read_to_string(&file).unwrap(), FIXABLE);
    assert_eq!(fs::metadata(&file).unwrap().nlink(), 2);
}

// ---------------------------------------------------------------------------------------
// Files that are not regular files, and huge files

#[test]
fn fifos_devices_and_huge_files_are_errors_not_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("Dockerfile");
    mkfifo(&fifo);
    for args in [
        vec!["Dockerfile"],
        vec!["--fix", "Dockerfile"],
        vec!["/dev/zero"],
        vec!["--fix", "/dev/zero"],
    ] {
        let o = dlint_within(dir.path(), &args, Duration::from_secs(20));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(
            err(&o).contains("not a regular file"),
            "{args:?}: {}",
            err(&o)
        );
    }
    let big = dir.path().join("big.Dockerfile");
    let mut text = String::from("FROM alpine:3.20\n");
    while text.len() <= 11 << 20 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    fs::write(&big, &text).unwrap();
    let o = dlint_within(dir.path(), &["big.Dockerfile"], Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("larger than"), "{}", err(&o));
}

// ---------------------------------------------------------------------------------------
// Configuration and context files

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
    dir
}

#[test]
fn a_configuration_that_is_a_fifo_or_a_device_is_an_error() {
    let dir = project();
    mkfifo(&dir.path().join("dlint.toml"));
    let o = dlint_within(dir.path(), &["Dockerfile"], Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("not a regular file"), "{}", err(&o));

    let dir = project();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".hadolint.yaml")).unwrap();
    let o = dlint_within(dir.path(), &["Dockerfile"], Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

#[test]
fn extend_never_leaves_the_project() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("base.toml"),
        "[lint]\nignore = [\"DL3006\"]\n",
    )
    .unwrap();
    let dir = project();
    let far = outside.path().join("base.toml");
    for target in [far.to_str().unwrap(), "/proc/self/environ", "/dev/zero"] {
        fs::write(
            dir.path().join("dlint.toml"),
            format!("extend = \"{target}\"\n"),
        )
        .unwrap();
        let o = dlint_within(dir.path(), &["Dockerfile"], Duration::from_secs(20));
        assert_eq!(o.status.code(), Some(2), "{target}: {}", err(&o));
        assert!(err(&o).contains("outside"), "{target}: {}", err(&o));
    }
    // A FIFO inside the project: an error, not a hang.
    mkfifo(&dir.path().join("base.toml"));
    fs::write(dir.path().join("dlint.toml"), "extend = \"base.toml\"\n").unwrap();
    let o = dlint_within(dir.path(), &["Dockerfile"], Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    // A symlink inside the project that leads out of it.
    fs::remove_file(dir.path().join("base.toml")).unwrap();
    std::os::unix::fs::symlink(&far, dir.path().join("base.toml")).unwrap();
    let o = dlint_within(dir.path(), &["Dockerfile"], Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("outside"), "{}", err(&o));
    // Named on the command line, the file is the user's choice, wherever it is.
    let o = dlint(
        dir.path(),
        &["--config", far.to_str().unwrap(), "Dockerfile"],
    );
    assert_ne!(o.status.code(), Some(2), "{}", err(&o));
}

#[test]
fn a_dockerignore_leading_to_dev_zero_is_an_error() {
    let dir = project();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nCOPY . /app\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".dockerignore")).unwrap();
    let o = dlint_within(
        dir.path(),
        &["--select", "ALL", "Dockerfile"],
        Duration::from_secs(20),
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains(".dockerignore"), "{}", err(&o));
}

#[test]
fn config_migrate_never_writes_through_a_symlink() {
    let outside = tempfile::tempdir().unwrap();
    let dir = project();
    fs::write(dir.path().join(".hadolint.yaml"), "ignored:\n  - DL3006\n").unwrap();
    let planted = outside.path().join("planted");
    std::os::unix::fs::symlink(&planted, dir.path().join("dlint.toml")).unwrap();
    let o = dlint(
        dir.path(),
        &["config", "migrate", "--write", ".hadolint.yaml"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(!planted.exists(), "written through the symlink");
}

/// Another user's configuration in a parent directory (a shared `/tmp`, say) is used with a
/// warning, never silently.
#[test]
fn a_configuration_owned_by_another_user_is_used_with_a_warning() {
    if !is_root() {
        eprintln!("skipping: only root can make files owned by another user");
        return;
    }
    let Some((uid, gid)) = second_user() else {
        eprintln!("skipping: `useradd` failed");
        return;
    };
    let shared = tempfile::tempdir().unwrap();
    fs::write(
        shared.path().join("dlint.toml"),
        "[lint]\nignore = [\"DL3006\"]\n",
    )
    .unwrap();
    std::os::unix::fs::chown(shared.path().join("dlint.toml"), Some(uid), Some(gid)).unwrap();
    let mine = shared.path().join("mine");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
    let o = dlint(&mine, &["Dockerfile"]);
    assert!(err(&o).contains("warning"), "{}", err(&o));
    assert!(err(&o).contains("owned by"), "{}", err(&o));
}

// ---------------------------------------------------------------------------------------
// Output errors

#[test]
fn a_full_stdout_is_an_error_in_every_subcommand() {
    let dir = project();
    fs::write(dir.path().join("Dockerfile"), FIXABLE).unwrap();
    fs::write(dir.path().join(".hadolint.yaml"), "ignored:\n  - DL3006\n").unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", "Dockerfile"],
        vec!["check", "--format", "json", "Dockerfile"],
        vec!["dump", "Dockerfile"],
        vec!["rules"],
        vec!["rule", "DL3019"],
        vec!["graph", "Dockerfile"],
        vec!["config", "migrate", ".hadolint.yaml"],
    ];
    for args in &cases {
        let o = dlint_to_full(dir.path(), args, false);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("cannot write"), "{args:?}: {}", err(&o));
    }
    // `--fix`: the file is fixed, but the findings could not be shown.
    let o = dlint_to_full(
        dir.path(),
        &["check", "--fix", "--select", "DL3019,DL3006", "Dockerfile"],
        false,
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    // Everything on /dev/full: nothing can be said, the exit status still tells.
    let o = dlint_to_full(dir.path(), &["check", "Dockerfile"], true);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_report_that_cannot_be_written_is_an_error() {
    let dir = project();
    for target in ["/dev/full", "/nonexistent-dir/report.json"] {
        let report = format!("json={target}");
        let o = dlint(dir.path(), &["check", "--report", &report, "Dockerfile"]);
        assert_eq!(o.status.code(), Some(2), "{target}: {}", err(&o));
        assert!(err(&o).contains("report"), "{target}: {}", err(&o));
    }
}

// ---------------------------------------------------------------------------------------
// ShellCheck failures and temporary files

/// A `shellcheck` that answers `--version` and fails on every check.
fn failing_shellcheck(dir: &Path) -> PathBuf {
    let path = dir.join("failing-shellcheck");
    fs::write(
        &path,
        "#!/bin/sh\ncase \"$1\" in --version) echo 'version: 0.9.0';; *) echo 'shellcheck: out of memory' >&2; exit 3;; esac\n",
    )
    .unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn a_failing_shellcheck_is_reported_by_the_cli() {
    let dir = project();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nRUN echo $HOME\n",
    )
    .unwrap();
    let shellcheck = failing_shellcheck(dir.path());
    let o = dlint_command(dir.path(), &["--shellcheck", "always", "Dockerfile"])
        .env("DLINT_SHELLCHECK", &shellcheck)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("ShellCheck failed"), "{}", err(&o));
}

/// The language server tells the user once when ShellCheck fails, instead of dropping its
/// findings silently.
#[test]
fn a_failing_shellcheck_is_reported_by_the_language_server() {
    let dir = project();
    let shellcheck = failing_shellcheck(dir.path());
    let mut child = dlint_command(dir.path(), &["server", "--stdio"])
        .env("DLINT_SHELLCHECK", &shellcheck)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, messages) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        while let Some(message) = common::lsp_read(&mut reader) {
            if sender.send(message).is_err() {
                return;
            }
        }
    });
    let mut send = |message: serde_json::Value| {
        stdin.write_all(&common::lsp_frame(&message)).unwrap();
        stdin.flush().unwrap();
    };
    send(
        serde_json::json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} } }),
    );
    send(serde_json::json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    let uri = format!("file://{}/Dockerfile", dir.path().display());
    for (version, body) in [(1, "echo $HOME"), (2, "echo $PWD")] {
        send(
            serde_json::json!({ "jsonrpc": "2.0", "method": if version == 1 { "textDocument/didOpen" } else { "textDocument/didChange" }, "params": {
            "textDocument": { "uri": uri, "languageId": "dockerfile", "version": version,
                "text": format!("FROM alpine:3.20\nRUN {body}\n") },
            "contentChanges": [{ "text": format!("FROM alpine:3.20\nRUN {body}\n") }] } }),
        );
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut shown = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match messages.recv_timeout(left.min(Duration::from_secs(3))) {
            Ok(m) if m["method"] == "window/showMessage" => {
                shown.push(m["params"]["message"].as_str().unwrap_or("").to_string());
            }
            Ok(_) => {}
            Err(_) if !shown.is_empty() => break,
            Err(_) => {}
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let about: Vec<_> = shown.iter().filter(|m| m.contains("ShellCheck")).collect();
    assert_eq!(about.len(), 1, "told once: {shown:?}");
    assert!(about[0].contains("out of memory"), "{about:?}");
}

/// A `kill -9` of dlint while ShellCheck runs leaves a temporary directory behind (nothing
/// can remove it then); a later run that starts ShellCheck removes it.
#[test]
fn temporary_script_directories_of_killed_runs_are_removed() {
    let dir = project();
    let tmp = dir.path().join("tmp");
    fs::create_dir(&tmp).unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nRUN echo $HOME\n",
    )
    .unwrap();
    let slow = dir.path().join("slow-shellcheck");
    fs::write(
        &slow,
        "#!/bin/sh\ncase \"$1\" in --version) echo 'version: 0.9.0';; *) sleep 30;; esac\n",
    )
    .unwrap();
    fs::set_permissions(&slow, fs::Permissions::from_mode(0o755)).unwrap();
    let scripts_dirs = || -> Vec<PathBuf> {
        fs::read_dir(&tmp)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("dlint-shellcheck"))
            .collect()
    };
    let mut child = dlint_command(
        dir.path(),
        &["--shellcheck", "always", "--no-cache", "Dockerfile"],
    )
    .env("DLINT_SHELLCHECK", &slow)
    .env("TMPDIR", &tmp)
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while scripts_dirs().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let left = scripts_dirs();
    assert_eq!(left.len(), 1, "ShellCheck's directory while it runs");
    let mode = fs::metadata(&left[0]).unwrap().mode() & 0o777;
    assert_eq!(mode, 0o700);
    // SAFETY: a plain system call on our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    let _ = child.wait();
    // A later run cleans up after the killed one (once its directory is old enough for no
    // run to be using it).
    let backdated = Command::new("touch")
        .args(["-d", "1 hour ago"])
        .arg(&left[0])
        .status()
        .unwrap();
    assert!(backdated.success());
    let fast = failing_shellcheck(dir.path());
    let _ = dlint_command(
        dir.path(),
        &["--shellcheck", "always", "--no-cache", "Dockerfile"],
    )
    .env("DLINT_SHELLCHECK", &fast)
    .env("TMPDIR", &tmp)
    .output()
    .unwrap();
    assert!(scripts_dirs().is_empty(), "{:?}", scripts_dirs());
}
