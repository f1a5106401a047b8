//! The persistent cache of ShellCheck results: one file per script, named by a hash of the
//! ShellCheck version, the options and the script, under the user's cache directory.
//!
//! An entry holds its whole key (version, options, script text) and is used only when all
//! of it matches, so a hash collision or a foreign file is a miss, never a wrong result.
//! Entries are written to a temporary file and renamed into place: concurrent runs (several
//! editors, CI jobs on one machine) see whole entries or none. The directory is kept under
//! [`MAX_BYTES`]: whoever writes entries sweeps it now and then (at most hourly), removing the
//! entries used least recently (a hit refreshes an entry's time once a day).

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use super::process::Comment;

/// Where the cache lives unless `DLINT_CACHE_DIR` says otherwise.
pub const DIR_ENV: &str = "DLINT_CACHE_DIR";

/// The size the directory is kept under (`DLINT_CACHE_MAX_BYTES` overrides it).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

const MAX_BYTES_ENV: &str = "DLINT_CACHE_MAX_BYTES";
const MAGIC: &str = "dlint shellcheck cache 1";
/// The folder below the cache directory; a new entry format gets a new one.
const FOLDER: &str = "shellcheck-v1";
const SWEEP_EVERY: Duration = Duration::from_secs(3600);
const REFRESH_AFTER: Duration = Duration::from_secs(24 * 3600);

/// A 128-bit name for a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(pub u128);

impl Key {
    /// The key of `text` checked with ShellCheck `tag` (version and options).
    pub fn new(tag: &str, text: &str) -> Key {
        let half = |seed: u64| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            seed.hash(&mut hasher);
            tag.hash(&mut hasher);
            text.hash(&mut hasher);
            hasher.finish()
        };
        Key((u128::from(half(0x5eed_0001)) << 64) | u128::from(half(0x5eed_0002)))
    }

    fn file_name(self) -> (String, String) {
        let hex = format!("{:032x}", self.0);
        (hex[..2].to_string(), hex[2..].to_string())
    }
}

/// The user's cache directory for dlint: `$DLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/dlint`,
/// else `~/.cache/dlint`, else `.dlint_cache` in the working directory.
pub fn default_dir() -> PathBuf {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var(DIR_ENV) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = var("XDG_CACHE_HOME").map(PathBuf::from) {
        if dir.is_absolute() {
            return dir.join("dlint");
        }
    }
    match var("HOME").or_else(|| var("LOCALAPPDATA")) {
        Some(home) => PathBuf::from(home).join(".cache").join("dlint"),
        None => PathBuf::from(".dlint_cache"),
    }
}

/// The cache in one directory.
#[derive(Debug)]
pub struct DiskCache {
    root: PathBuf,
    written: AtomicU64,
}

impl DiskCache {
    /// The cache under `dir` (created when first written to).
    pub fn new(dir: &Path) -> DiskCache {
        DiskCache {
            root: dir.join(FOLDER),
            written: AtomicU64::new(0),
        }
    }

    fn entry_path(&self, key: Key) -> PathBuf {
        let (folder, name) = key.file_name();
        self.root.join(folder).join(name)
    }

    /// The comments stored for `text` checked with `tag`, when there is such an entry.
    pub fn get(&self, key: Key, tag: &str, text: &str) -> Option<Vec<Comment>> {
        let path = self.entry_path(key);
        let bytes = std::fs::read(&path).ok()?;
        let comments = decode(&bytes, tag, text)?;
        refresh(&path);
        Some(comments)
    }

    /// Stores `comments` for `text` checked with `tag`. Failing to write is not an error:
    /// the next run checks the script again.
    pub fn put(&self, key: Key, tag: &str, text: &str, comments: &[Comment]) {
        let Ok(json) = serde_json::to_vec(comments) else {
            return;
        };
        let mut bytes = Vec::with_capacity(MAGIC.len() + tag.len() + text.len() + json.len() + 32);
        bytes.extend_from_slice(format!("{MAGIC}\n{tag}\n{}\n", text.len()).as_bytes());
        bytes.extend_from_slice(text.as_bytes());
        bytes.extend_from_slice(&json);
        if write_atomically(&self.entry_path(key), &bytes).is_ok() {
            self.written.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The version recorded for the binary `id` names (path, size, time, inode).
    pub fn version(&self, id: &str) -> Option<String> {
        let bytes = std::fs::read(self.version_path(id)).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (stored_id, version) = text.split_once('\n')?;
        (stored_id == id && !version.is_empty()).then(|| version.to_string())
    }

    pub fn put_version(&self, id: &str, version: &str) {
        let _ = write_atomically(
            &self.version_path(id),
            format!("{id}\n{version}").as_bytes(),
        );
    }

    fn version_path(&self, id: &str) -> PathBuf {
        let (folder, name) = Key::new("binary", id).file_name();
        self.root.join("versions").join(format!("{folder}{name}"))
    }

    /// After entries were written: sweeps the directory when it was not swept in the last
    /// hour, or when many entries were written since the last call.
    pub fn maybe_sweep(&self) {
        let written = self.written.swap(0, Ordering::Relaxed);
        if written == 0 {
            return;
        }
        let marker = self.root.join("last-sweep");
        let recent = std::fs::metadata(&marker)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age < SWEEP_EVERY);
        if recent && written < 1000 {
            return;
        }
        let _ = write_atomically(&marker, b"");
        self.sweep(max_bytes());
    }

    /// Removes the least recently used entries until the directory holds at most three
    /// quarters of `limit`, when it holds more than `limit`.
    pub fn sweep(&self, limit: u64) {
        let mut entries = Vec::new();
        let Ok(folders) = std::fs::read_dir(&self.root) else {
            return;
        };
        for folder in folders.flatten() {
            let name = folder.file_name();
            if name.len() != 2 || !name.to_str().is_some_and(is_hex) {
                continue; // `versions`, the sweep marker
            }
            let Ok(files) = std::fs::read_dir(folder.path()) else {
                continue;
            };
            for file in files.flatten() {
                let Ok(meta) = file.metadata() else { continue };
                let time = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                entries.push((time, meta.len(), file.path()));
            }
        }
        let total: u64 = entries.iter().map(|(_, len, _)| len).sum();
        if total <= limit {
            return;
        }
        entries.sort_by_key(|(time, _, _)| *time);
        let mut left = total;
        for (_, len, path) in entries {
            if left <= limit / 4 * 3 {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                left -= len;
            }
        }
    }
}

fn max_bytes() -> u64 {
    std::env::var(MAX_BYTES_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(MAX_BYTES)
}

fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The comments of an entry whose key is exactly `tag` and `text`.
fn decode(bytes: &[u8], tag: &str, text: &str) -> Option<Vec<Comment>> {
    let rest = bytes.strip_prefix(MAGIC.as_bytes())?.strip_prefix(b"\n")?;
    let rest = rest.strip_prefix(tag.as_bytes())?.strip_prefix(b"\n")?;
    let newline = rest.iter().position(|&b| b == b'\n')?;
    let length: usize = std::str::from_utf8(&rest[..newline]).ok()?.parse().ok()?;
    let rest = &rest[newline + 1..];
    if length != text.len() || rest.len() < length || &rest[..length] != text.as_bytes() {
        return None;
    }
    serde_json::from_slice(&rest[length..]).ok()
}

/// Marks an entry as used, at most once a day (a write per hit would cost more than the hit).
fn refresh(path: &Path) {
    let stale = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > REFRESH_AFTER);
    if stale {
        if let Ok(file) = std::fs::File::options().write(true).open(path) {
            let _ = file.set_modified(SystemTime::now());
        }
    }
}

/// Writes `bytes` to a private temporary file beside `path`, then renames it over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let temp = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = options
        .open(&temp)
        .and_then(|mut file| file.write_all(bytes))
        .and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(code: u32) -> Comment {
        Comment {
            file: String::new(),
            line: 3,
            end_line: 3,
            column: 6,
            end_column: 8,
            level: "info".into(),
            code,
            message: "Double quote to prevent globbing and word splitting.".into(),
            fix: None,
        }
    }

    #[test]
    fn an_entry_is_read_back_only_for_its_whole_key() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(dir.path());
        let key = Key::new("0.9.0", "echo $x");
        cache.put(key, "0.9.0", "echo $x", &[comment(2086)]);
        assert_eq!(
            cache.get(key, "0.9.0", "echo $x"),
            Some(vec![comment(2086)])
        );
        // Same file name, other key (as a collision would be): a miss.
        assert_eq!(cache.get(key, "0.10.0", "echo $x"), None);
        assert_eq!(cache.get(key, "0.9.0", "echo $y"), None);
        assert_eq!(
            cache.get(Key::new("0.9.0", "echo $y"), "0.9.0", "echo $y"),
            None
        );
    }

    #[test]
    fn a_damaged_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(dir.path());
        let key = Key::new("t", "ls");
        cache.put(key, "t", "ls", &[comment(2010)]);
        let path = cache.entry_path(key);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(cache.get(key, "t", "ls"), None);
    }

    #[cfg(unix)]
    #[test]
    fn entries_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(dir.path());
        let key = Key::new("t", "ls");
        cache.put(key, "t", "ls", &[]);
        let path = cache.entry_path(key);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }

    #[test]
    fn the_sweep_keeps_the_newest_entries_under_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(dir.path());
        let keys: Vec<Key> = (0..40)
            .map(|i| {
                let text = format!("echo {i} {}", "x".repeat(200));
                let key = Key::new("t", &text);
                cache.put(key, "t", &text, &[comment(2086)]);
                let old = SystemTime::now() - Duration::from_secs(1000 - i);
                let file = std::fs::File::options()
                    .write(true)
                    .open(cache.entry_path(key))
                    .unwrap();
                file.set_modified(old).unwrap();
                key
            })
            .collect();
        let size = std::fs::metadata(cache.entry_path(keys[0])).unwrap().len();
        cache.sweep(size * 20);
        let kept: Vec<bool> = keys.iter().map(|k| cache.entry_path(*k).exists()).collect();
        let count = kept.iter().filter(|k| **k).count();
        assert!((10..=15).contains(&count), "{count} kept");
        // The oldest went first.
        assert!(!kept[0] && kept[39], "{kept:?}");
    }

    #[test]
    fn versions_are_kept_per_binary() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(dir.path());
        cache.put_version("/usr/bin/shellcheck 1 2 3", "0.9.0");
        assert_eq!(
            cache.version("/usr/bin/shellcheck 1 2 3").as_deref(),
            Some("0.9.0")
        );
        assert_eq!(cache.version("/usr/bin/shellcheck 1 2 4"), None);
    }
}
