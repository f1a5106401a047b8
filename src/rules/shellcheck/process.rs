//! Running one `shellcheck` process on a batch of scripts (each written to a file in a fresh
//! private temporary directory), `--format=json1`, with a time limit. The child dies with
//! dlint: it is killed when its handle is dropped (an error, a panic, the time limit) and, on
//! Linux, by the kernel when the thread that started it ends (`PR_SET_PDEATHSIG`), so that a
//! killed dlint leaves no ShellCheck behind.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// Codes hadolint excludes: SC2187 (ash is checked as dash) and SC1090 (a `source` of a
/// non-constant path needs a directive a Dockerfile cannot hold).
pub const EXCLUDED: &str = "2187,1090";

/// The options every run passes; part of the cache key.
pub const OPTIONS: [&str; 2] = ["--norc", "--exclude=2187,1090"];

/// The environment variable that sets the time limit of one `shellcheck` process, in seconds.
pub const TIMEOUT_ENV: &str = "DLINT_SHELLCHECK_TIMEOUT";

/// One ShellCheck comment of `json1` output (its `file` is not kept: the batch maps it back).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    #[serde(default, skip_serializing)]
    pub file: String,
    pub line: usize,
    pub end_line: usize,
    pub column: usize,
    pub end_column: usize,
    pub level: String,
    pub code: u32,
    pub message: String,
    #[serde(default)]
    pub fix: Option<CommentFix>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct CommentFix {
    pub replacements: Vec<Replacement>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Replacement {
    pub line: usize,
    pub end_line: usize,
    pub column: usize,
    pub end_column: usize,
    pub replacement: String,
}

#[derive(Deserialize)]
struct Output {
    comments: Vec<Comment>,
}

/// Why a run produced nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    Io(String),
    /// ShellCheck exited with a status other than 0 (clean) or 1 (comments), or printed
    /// something that is not `json1`.
    Failed(String),
    /// ShellCheck ran past its time limit and was killed.
    TimedOut(Duration),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Io(e) => f.write_str(e),
            RunError::Failed(message) => f.write_str(message),
            RunError::TimedOut(limit) => write!(
                f,
                "shellcheck ran longer than {} s and was stopped (the limit is set with {TIMEOUT_ENV})",
                limit.as_secs_f64()
            ),
        }
    }
}

impl std::error::Error for RunError {}

fn io_error(what: &str, e: std::io::Error) -> RunError {
    RunError::Io(format!("{what}: {e}"))
}

/// The time limit for a process checking `scripts` scripts: `$DLINT_SHELLCHECK_TIMEOUT`
/// seconds, else 60 s plus 250 ms a script (generous: a loaded machine may run it slowly,
/// and a timeout is reported as an error).
pub fn time_limit(scripts: usize) -> Duration {
    if let Some(seconds) = std::env::var(TIMEOUT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
    {
        return Duration::from_secs_f64(seconds);
    }
    Duration::from_secs(60) + Duration::from_millis(250) * scripts as u32
}

/// Checks `scripts` with one `shellcheck` process; the comments come back per script, in
/// the order of `scripts`.
pub fn check_scripts(binary: &Path, scripts: &[&str]) -> Result<Vec<Vec<Comment>>, RunError> {
    check_scripts_within(binary, scripts, time_limit(scripts.len()))
}

fn check_scripts_within(
    binary: &Path,
    scripts: &[&str],
    limit: Duration,
) -> Result<Vec<Vec<Comment>>, RunError> {
    let mut per_script = vec![Vec::new(); scripts.len()];
    if scripts.is_empty() {
        return Ok(per_script);
    }
    let dir = TempDir::new().map_err(|e| io_error("cannot create a temporary directory", e))?;
    let mut paths = Vec::with_capacity(scripts.len());
    for (index, text) in scripts.iter().enumerate() {
        let path = dir.path.join(format!("{index}.sh"));
        write_private(&path, text.as_bytes())
            .map_err(|e| io_error("cannot write a temporary script", e))?;
        paths.push(path);
    }
    let mut command = Command::new(binary);
    command
        .arg("--format=json1")
        .args(OPTIONS)
        .args(&paths)
        // Options from the environment could change the output format.
        .env_remove("SHELLCHECK_OPTS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    die_with_parent(&mut command);
    let output = run_with_limit(command, limit).map_err(|e| match e {
        RunError::Io(m) => RunError::Io(format!("cannot run `{}`: {m}", binary.display())),
        other => other,
    })?;
    if !matches!(output.status.code(), Some(0 | 1)) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(RunError::Failed(format!(
            "`{}` exited with {}: {}",
            binary.display(),
            output.status,
            stderr.trim()
        )));
    }
    let parsed: Output = serde_json::from_slice(&output.stdout).map_err(|e| {
        RunError::Failed(format!(
            "unexpected output from `{}`: {e}",
            binary.display()
        ))
    })?;
    let index_of = |file: &str| -> Option<usize> {
        let name = Path::new(file).file_name()?.to_str()?;
        name.strip_suffix(".sh")?.parse().ok()
    };
    for comment in parsed.comments {
        if let Some(slot) = index_of(&comment.file).and_then(|i| per_script.get_mut(i)) {
            slot.push(comment);
        }
    }
    Ok(per_script)
}

/// `shellcheck --version`'s version (`0.9.0`).
pub fn version_of(binary: &Path) -> Result<String, RunError> {
    let mut command = Command::new(binary);
    command
        .arg("--version")
        .env_remove("SHELLCHECK_OPTS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    die_with_parent(&mut command);
    let output = run_with_limit(command, time_limit(0)).map_err(|e| match e {
        RunError::Io(m) => RunError::Io(format!("cannot run `{}`: {m}", binary.display())),
        other => other,
    })?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|line| line.strip_prefix("version:"))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            RunError::Failed(format!(
                "`{} --version` printed no version ({})",
                binary.display(),
                output.status
            ))
        })
}

struct Finished {
    status: std::process::ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// A child killed (with every process it started) and reaped when dropped, unless it was
/// waited for.
struct KillOnDrop(Option<Child>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            kill_group(&mut child);
            let _ = child.wait();
        }
    }
}

/// Kills the child's process group (it leads one of its own: see [`die_with_parent`]).
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: a plain system call; the group is the child's own.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
}

/// Runs `command` to its end or until `limit`, then kills it. Its output is read by two
/// threads so that a full pipe never stalls it.
fn run_with_limit(mut command: Command, limit: Duration) -> Result<Finished, RunError> {
    let mut guard = KillOnDrop(Some(command.spawn().map_err(|e| io_error("spawn", e))?));
    let child = guard.0.as_mut().expect("just spawned");
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let (sender, receiver) = std::sync::mpsc::channel();
    let read_all = |pipe: Option<Box<dyn Read + Send>>, sender: std::sync::mpsc::Sender<()>| {
        move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            let _ = sender.send(());
            bytes
        }
    };
    let out_reader = std::thread::spawn(read_all(
        stdout.map(|p| Box::new(p) as Box<dyn Read + Send>),
        sender.clone(),
    ));
    let err_reader = std::thread::spawn(read_all(
        stderr.map(|p| Box::new(p) as Box<dyn Read + Send>),
        sender,
    ));
    // Both pipes close when the child exits (or hands them on and they exit too).
    let deadline = Instant::now() + limit;
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(Instant::now());
        if receiver.recv_timeout(left).is_err() {
            drop(guard); // kills the child, which closes the pipes and ends the readers
            let _ = out_reader.join();
            let _ = err_reader.join();
            return Err(RunError::TimedOut(limit));
        }
    }
    let mut child = guard.0.take().expect("not yet reaped");
    let status = match wait_until(&mut child, deadline) {
        Ok(Some(status)) => status,
        Ok(None) => {
            kill_group(&mut child);
            let _ = child.wait();
            return Err(RunError::TimedOut(limit));
        }
        Err(e) => {
            kill_group(&mut child);
            let _ = child.wait();
            return Err(io_error("wait", e));
        }
    };
    Ok(Finished {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    })
}

/// Waits for `child` until `deadline`; its pipes are closed already, so it is ending.
fn wait_until(
    child: &mut Child,
    deadline: Instant,
) -> std::io::Result<Option<std::process::ExitStatus>> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The child leads a process group of its own, so that a time limit stops whatever it
/// started too; on Linux the kernel kills it when the thread that started it ends (dlint
/// waits for it on that same thread), however dlint ends: a `kill -9` included.
#[cfg(target_os = "linux")]
fn die_with_parent(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: only async-signal-safe calls (prctl, getppid, _exit) between fork and exec.
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // dlint died before the signal was armed.
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
fn die_with_parent(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(not(unix))]
fn die_with_parent(_command: &mut Command) {}

/// Creates `path` readable by its owner only, and writes `bytes` to it.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}

/// A directory of our own (mode 0700) under the system's temporary directory, removed on drop.
pub(crate) struct TempDir {
    pub(crate) path: PathBuf,
}

impl TempDir {
    pub(crate) fn new() -> std::io::Result<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        static SWEPT: std::sync::Once = std::sync::Once::new();
        let base = std::env::temp_dir();
        SWEPT.call_once(|| remove_stale(&base));
        let mut last_error = None;
        for _ in 0..16 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = base.join(format!("{TEMP_PREFIX}{}-{n}-{nanos}", std::process::id()));
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                builder.mode(0o700);
            }
            match builder.create(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| std::io::Error::other("no temporary directory")))
    }
}

/// The prefix of every directory [`TempDir`] creates, followed by the creating process's id.
const TEMP_PREFIX: &str = "dlint-shellcheck-";

/// A directory of a dead process is left alone this long: far past a run's time limit.
const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

/// Removes the directories that runs killed before they could clean up left behind (a
/// `kill -9` runs no destructor): ours, named after a process that no longer exists, and
/// older than any run keeps one (a process of the same number in another PID namespace
/// sharing this directory is not ours to judge by its number alone).
#[cfg(unix)]
fn remove_stale(base: &Path) {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    // SAFETY: a plain system call.
    let me = unsafe { libc::geteuid() };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TEMP_PREFIX))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<libc::pid_t>().ok())
        else {
            continue;
        };
        let ours = entry.metadata().is_ok_and(|m| {
            let age = m.modified().ok().and_then(|t| t.elapsed().ok());
            m.is_dir() && m.uid() == me && age.is_some_and(|age| age > STALE_AFTER)
        });
        if !ours || pid <= 0 || pid as u32 == std::process::id() {
            continue;
        }
        // SAFETY: signal 0 only asks whether the process exists.
        let gone = unsafe { libc::kill(pid, 0) } != 0
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        if gone {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(not(unix))]
fn remove_stale(_base: &Path) {}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stand-in `shellcheck` script in its own directory.
    fn fake(body: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shellcheck");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        (dir, path)
    }

    #[test]
    fn temporary_scripts_are_private() {
        // The fake prints the modes of its arguments and of their directory.
        let (_dir, binary) = fake(
            "for f in \"$@\"; do case $f in -*) ;; *) stat -c '%a' \"$f\" >&2; d=$(dirname \"$f\");; esac; done\nstat -c 'dir %a' \"$d\" >&2\nexit 3",
        );
        let Err(RunError::Failed(message)) = check_scripts(&binary, &["echo 1", "echo 2"]) else {
            panic!("the fake exits 3");
        };
        assert!(message.contains("600\n600\ndir 700"), "{message}");
    }

    #[test]
    fn a_hanging_shellcheck_is_stopped_at_its_limit() {
        let (_dir, binary) = fake("sleep 30");
        let started = Instant::now();
        let result = check_scripts_within(&binary, &["echo 1"], Duration::from_millis(300));
        assert!(matches!(result, Err(RunError::TimedOut(_))), "{result:?}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn failures_and_garbage_are_errors() {
        let (_dir, crashing) = fake("echo 'out of memory' >&2; exit 2");
        let message = check_scripts(&crashing, &["echo"]).unwrap_err().to_string();
        assert!(message.contains("out of memory"), "{message}");
        let (_dir, garbage) = fake("echo not json; exit 0");
        let message = check_scripts(&garbage, &["echo"]).unwrap_err().to_string();
        assert!(message.contains("unexpected output"), "{message}");
    }

    #[test]
    fn comments_come_back_to_their_script() {
        let (_dir, binary) = fake(
            "for f in \"$@\"; do last=$f; done\nprintf '{\"comments\":[{\"file\":\"%s\",\"line\":2,\"endLine\":2,\"column\":1,\"endColumn\":3,\"level\":\"info\",\"code\":2086,\"message\":\"m\"}]}' \"$last\"\nexit 1",
        );
        let per_script = check_scripts(&binary, &["a", "b", "c"]).unwrap();
        assert_eq!(per_script[0].len() + per_script[1].len(), 0);
        assert_eq!(per_script[2].len(), 1);
        assert_eq!(per_script[2][0].code, 2086);
    }
}
