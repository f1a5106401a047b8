//! ShellCheck's results for many scripts at once: each distinct script (same text, same
//! version and options) is checked once per process (an in-memory memo), then looked up in
//! the persistent cache, and only what is left goes to `shellcheck`: in batches of many
//! scripts per process, on all cores at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::cache::{DiskCache, Key};
use super::process::{self, Comment, RunError};

/// One script's result.
pub type Outcome = Result<Arc<Vec<Comment>>, RunError>;

/// What this process's ShellCheck runs did, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    /// The version of the binary that ran (or was asked for its results).
    pub version: Option<String>,
    /// Distinct scripts checked by `shellcheck` processes.
    pub checked: usize,
    /// Distinct scripts whose results came from the persistent cache.
    pub cached: usize,
    /// `shellcheck` processes started (version queries aside).
    pub processes: usize,
}

static ACTIVITY: Mutex<Activity> = Mutex::new(Activity {
    version: None,
    checked: 0,
    cached: 0,
    processes: 0,
});

/// What ShellCheck did in this process so far.
pub fn activity() -> Activity {
    lock(&ACTIVITY).clone()
}

fn record(change: impl FnOnce(&mut Activity)) {
    change(&mut lock(&ACTIVITY));
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock only means another thread panicked: the data is still sound.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

static DISK: OnceLock<Option<DiskCache>> = OnceLock::new();

/// Turns the persistent cache on (in `dir`) or off for this process; the first call wins.
/// Without a call there is none (library users and tests opt in).
pub fn use_cache(dir: Option<&Path>) {
    let _ = DISK.set(dir.map(DiskCache::new));
}

fn disk() -> Option<&'static DiskCache> {
    DISK.get().and_then(Option::as_ref)
}

/// The in-memory results, by key. Bounded: a language server checks a new script on many
/// keystrokes.
static MEMO: OnceLock<Mutex<HashMap<Key, Outcome>>> = OnceLock::new();
const MEMO_LIMIT: usize = 50_000;

fn memo() -> &'static Mutex<HashMap<Key, Outcome>> {
    MEMO.get_or_init(Default::default)
}

/// The version of `binary`, found once per process and binary (and kept in the persistent
/// cache by the binary's path, size, time and inode, so a warm run starts no process).
pub fn version(binary: &Path) -> Result<String, RunError> {
    static VERSIONS: OnceLock<Mutex<HashMap<String, Result<String, RunError>>>> = OnceLock::new();
    let id = binary_id(binary);
    let versions = VERSIONS.get_or_init(Default::default);
    if let Some(known) = lock(versions).get(&id) {
        return known.clone();
    }
    let found = match disk().and_then(|d| d.version(&id)) {
        Some(version) => Ok(version),
        None => {
            let version = process::version_of(binary);
            if let (Ok(version), Some(disk)) = (&version, disk()) {
                disk.put_version(&id, version);
            }
            version
        }
    };
    lock(versions).insert(id, found.clone());
    found
}

/// A binary's identity: its resolved path, size, modification time and inode.
fn binary_id(binary: &Path) -> String {
    let resolved = std::fs::canonicalize(binary).unwrap_or_else(|_| PathBuf::from(binary));
    let Ok(meta) = std::fs::metadata(&resolved) else {
        return resolved.display().to_string();
    };
    let time = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    format!("{} {} {time} {inode}", resolved.display(), meta.len())
}

/// The results for `texts` (in their order), checking what neither the memo nor the cache
/// knows. A failure to run ShellCheck is the outcome of every script it would have checked.
pub fn check_texts(binary: &Path, texts: &[&str]) -> Vec<Outcome> {
    if texts.is_empty() {
        return Vec::new();
    }
    let version = match version(binary) {
        Ok(version) => version,
        Err(error) => return texts.iter().map(|_| Err(error.clone())).collect(),
    };
    record(|a| {
        if a.version.is_none() {
            a.version = Some(version.clone());
        }
    });
    let tag = format!("{version}\t{}", process::OPTIONS.join(" "));
    let keys: Vec<Key> = texts.iter().map(|t| Key::new(&tag, t)).collect();

    // Distinct scripts the memo does not know yet.
    let mut missing: Vec<(Key, &str)> = Vec::new();
    {
        let memo = lock(memo());
        let mut seen = std::collections::HashSet::new();
        for (key, text) in keys.iter().zip(texts) {
            if !memo.contains_key(key) && seen.insert(*key) {
                missing.push((*key, text));
            }
        }
    }
    let mut found: Vec<(Key, Outcome)> = Vec::with_capacity(missing.len());
    if let Some(disk) = disk() {
        missing.retain(|(key, text)| match disk.get(*key, &tag, text) {
            Some(comments) => {
                found.push((*key, Ok(Arc::new(comments))));
                false
            }
            None => true,
        });
        record(|a| a.cached += found.len());
    }
    if !missing.is_empty() {
        let scripts: Vec<&str> = missing.iter().map(|(_, text)| *text).collect();
        let outcomes = run_on_all_cores(binary, &scripts);
        record(|a| a.checked += outcomes.iter().filter(|o| o.is_ok()).count());
        for ((key, text), outcome) in missing.iter().zip(outcomes) {
            if let (Ok(comments), Some(disk)) = (&outcome, disk()) {
                disk.put(*key, &tag, text, comments);
            }
            found.push((*key, outcome));
        }
        // The language server has no end of run: it tidies up as it writes.
        if let Some(disk) = disk() {
            disk.maybe_sweep();
        }
    }
    let found: HashMap<Key, Outcome> = found.into_iter().collect();
    let mut memo = lock(memo());
    let answer = keys
        .iter()
        .map(|key| {
            found
                .get(key)
                .or_else(|| memo.get(key))
                .cloned()
                .unwrap_or_else(|| Err(RunError::Failed("no result was recorded".into())))
        })
        .collect();
    if memo.len() + found.len() > MEMO_LIMIT {
        memo.clear();
    }
    memo.extend(found);
    answer
}

/// The smallest and largest batch one process gets: large enough that start-up is a small
/// part of it, small enough that the cores share the work evenly.
const MIN_BATCH: usize = 4;
const MAX_BATCH: usize = 64;

/// Checks `scripts` in batches, one `shellcheck` process per batch, as many processes at once
/// as there are cores.
fn run_on_all_cores(binary: &Path, scripts: &[&str]) -> Vec<Outcome> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_batch = scripts
        .len()
        .div_ceil(cores * 4)
        .clamp(MIN_BATCH, MAX_BATCH);
    let batches: Vec<&[&str]> = scripts.chunks(per_batch).collect();
    let run = |batch: &[&str]| -> Vec<Outcome> {
        record(|a| a.processes += 1);
        match process::check_scripts(binary, batch) {
            Ok(per_script) => per_script.into_iter().map(|c| Ok(Arc::new(c))).collect(),
            Err(error) => batch.iter().map(|_| Err(error.clone())).collect(),
        }
    };
    if batches.len() == 1 {
        return run(batches[0]);
    }
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(batches.len()));
    std::thread::scope(|scope| {
        for _ in 0..cores.min(batches.len()) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(batch) = batches.get(index) else {
                    break;
                };
                let outcomes = run(batch);
                lock(&done).push((index, outcomes));
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(index, _)| *index);
    done.into_iter()
        .flat_map(|(_, outcomes)| outcomes)
        .collect()
}
