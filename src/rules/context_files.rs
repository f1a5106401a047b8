//! Files that rules read from a Dockerfile's build context (`.dockerignore`,
//! `<name>.dockerignore`), optionally cached for one run.
//!
//! A run over many Dockerfiles asks the same directories for the same ignore files again and
//! again, and most of them do not exist: on the corpus that was two failed `open`s per file.
//! With a cache, a directory is listed once it has been asked for more names than one
//! Dockerfile asks for (two); from then on a name the listing lacks costs no system call. A
//! file is read once. (A one-file run never lists a directory, which in a big directory costs
//! more than the two failed `open`s.) The LSP server lints files that change while it runs,
//! so it reads directly ([`ContextFiles::direct`]); only a `check` run, whose files are a
//! snapshot anyway, caches.

use std::ffi::OsString;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::regular_file::{open_regular, read_bounded, MAX_SMALL_FILE_BYTES};
use rustc_hash::{FxHashMap, FxHashSet};

/// A file's text (lossily decoded); `None` when it does not exist; `Err` when it exists but
/// dlint will not read it (a FIFO or a device, too large, unreadable, or a symlink leading
/// out of the project), which the run reports.
pub type ContextRead = Result<Option<Arc<str>>, Arc<str>>;

/// How rules read build-context files: directly, or through a cache kept for one run.
#[derive(Debug, Default)]
pub struct ContextFiles {
    cache: Option<Mutex<Cache>>,
}

/// Distinct names one Dockerfile looks up in its directory: `<name>.dockerignore` and
/// `.dockerignore`.
const NAMES_PER_DOCKERFILE: usize = 2;

/// What is known of one directory. Keys are the paths' bytes: hashing a `Path` walks its
/// components, several times the cost.
#[derive(Debug)]
struct Directory {
    /// `None` until listed; then the names in it, `None` when it could not be listed.
    listing: Option<Option<FxHashSet<OsString>>>,
    /// The result of each read so far.
    texts: FxHashMap<OsString, ContextRead>,
}

#[derive(Debug, Default)]
struct Cache {
    directories: FxHashMap<OsString, Directory>,
}

impl ContextFiles {
    /// Every read goes to the file system (the editor's case: files change between lints).
    pub const fn direct() -> ContextFiles {
        ContextFiles { cache: None }
    }

    /// Directory listings and file texts are kept for the life of this value.
    pub fn cached() -> ContextFiles {
        ContextFiles {
            cache: Some(Mutex::new(Cache::default())),
        }
    }

    /// The text of `path` (lossily decoded), `None` when it does not exist.
    pub fn read(&self, path: &Path) -> ContextRead {
        let Some(cache) = &self.cache else {
            return read_lossy(path);
        };
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return read_lossy(path);
        };
        let mut cache = cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(directory) = cache.directories.get_mut(dir.as_os_str()) else {
            let text = read_lossy(path);
            let directory = Directory {
                listing: None,
                texts: FxHashMap::from_iter([(name.to_os_string(), text.clone())]),
            };
            cache
                .directories
                .insert(dir.as_os_str().to_os_string(), directory);
            return text;
        };
        if let Some(text) = directory.texts.get(name) {
            return text.clone();
        }
        if directory.listing.is_none() && directory.texts.len() >= NAMES_PER_DOCKERFILE {
            directory.listing = Some(list(dir));
        }
        // An unlistable directory (no read permission, say) may still hold readable files.
        let absent = match &directory.listing {
            Some(Some(names)) => !names.contains(&name_key(name)),
            _ => false,
        };
        let text = if absent { Ok(None) } else { read_lossy(path) };
        directory.texts.insert(name.to_os_string(), text.clone());
        text
    }
}

/// Reads a regular file of at most [`MAX_SMALL_FILE_BYTES`]; a symlink is followed only to a
/// file inside the project that holds the directory (see [`crate::project::project_root`]).
fn read_lossy(path: &Path) -> ContextRead {
    let fail = |why: String| {
        Err(Arc::from(format!(
            "cannot read `{}`: {why}",
            path.display()
        )))
    };
    let (file, meta) = match open_regular(path) {
        Ok(opened) => opened,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return fail(e.to_string()),
    };
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        if let Err(why) = crate::project::inside_project(path) {
            return fail(why);
        }
    }
    match read_bounded(file, meta.len(), MAX_SMALL_FILE_BYTES) {
        Ok(bytes) => Ok(Some(Arc::from(String::from_utf8_lossy(&bytes)))),
        Err(e) => fail(e.to_string()),
    }
}

fn list(dir: &Path) -> Option<FxHashSet<OsString>> {
    let entries = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    })
    .ok()?;
    Some(
        entries
            .filter_map(|entry| entry.ok().map(|e| name_key(&e.file_name())))
            .collect(),
    )
}

/// File systems that ignore case (the defaults on macOS and Windows) open `.DockerIgnore` for
/// `.dockerignore`, so the listing is compared without case there.
fn name_key(name: &std::ffi::OsStr) -> OsString {
    if cfg!(any(target_os = "macos", windows)) {
        name.to_ascii_lowercase()
    } else {
        name.to_os_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn devices_and_symlinks_out_of_the_project_are_errors_not_reads() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "x\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let ignore = dir.path().join(".dockerignore");
        std::os::unix::fs::symlink("/dev/zero", &ignore).unwrap();
        let error = ContextFiles::direct().read(&ignore).unwrap_err();
        assert!(error.contains("not a regular file"), "{error}");
        std::fs::remove_file(&ignore).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), &ignore).unwrap();
        let error = ContextFiles::cached().read(&ignore).unwrap_err();
        assert!(error.contains("outside"), "{error}");
        std::fs::write(dir.path().join("inner"), "y\n").unwrap();
        std::fs::remove_file(&ignore).unwrap();
        std::os::unix::fs::symlink(dir.path().join("inner"), &ignore).unwrap();
        assert_eq!(
            ContextFiles::direct().read(&ignore).unwrap().as_deref(),
            Some("y\n")
        );
    }

    #[test]
    fn cached_and_direct_reads_agree() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".dockerignore"), "*.md\n").unwrap();
        std::fs::write(dir.path().join("latin1"), b"caf\xe9").unwrap();
        let cached = ContextFiles::cached();
        for name in [
            ".dockerignore",
            "latin1",
            "missing",
            "Dockerfile.dockerignore",
        ] {
            let path = dir.path().join(name);
            let direct = ContextFiles::direct().read(&path);
            assert_eq!(cached.read(&path), direct, "{name}");
            // The second read comes from the cache and must not differ either.
            assert_eq!(cached.read(&path), direct, "{name} again");
        }
        assert_eq!(
            cached.read(&dir.path().join("latin1")).unwrap().as_deref(),
            Some("caf\u{FFFD}")
        );
    }

    #[test]
    fn a_cached_run_keeps_its_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let ignore = dir.path().join(".dockerignore");
        let named = dir.path().join("Dockerfile.dockerignore");
        let cached = ContextFiles::cached();
        assert_eq!(cached.read(&ignore), Ok(None), "first name: read directly");
        assert_eq!(
            cached.read(&dir.path().join("a")),
            Ok(None),
            "second: read directly"
        );
        assert_eq!(
            cached.read(&dir.path().join("b")),
            Ok(None),
            "third: listed"
        );
        std::fs::write(&ignore, "x\n").unwrap();
        std::fs::write(&named, "y\n").unwrap();
        assert_eq!(cached.read(&ignore), Ok(None), "remembered");
        assert_eq!(cached.read(&named), Ok(None), "not in the listing");
        assert_eq!(
            ContextFiles::direct().read(&ignore).unwrap().as_deref(),
            Some("x\n")
        );
        assert_eq!(
            ContextFiles::direct().read(&named).unwrap().as_deref(),
            Some("y\n")
        );
    }

    #[test]
    fn a_bare_name_is_looked_up_in_the_current_directory() {
        let cached = ContextFiles::cached();
        assert_eq!(
            cached.read(Path::new("/nonexistent-dlint-dir/.dockerignore")),
            Ok(None)
        );
        // Tests run in the crate root, which holds Cargo.toml.
        let manifest = cached.read(Path::new("Cargo.toml")).unwrap();
        assert!(manifest.is_some_and(|text| text.contains("[package]")));
    }
}
