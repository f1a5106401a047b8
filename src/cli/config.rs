//! `dlint config migrate`: turn a `.hadolint.yaml` into the equivalent `dlint.toml`.

use super::args::MigrateArgs;
use super::input::FileError;
use super::output::{eprint, format_file_error, print, stderr_color};
use super::ExitStatus;
use crate::config::hadolint::{read, to_dlint_toml};

pub fn migrate(args: &MigrateArgs, no_color: bool) -> ExitStatus {
    let fail = |error: FileError| {
        eprint(&format_file_error(&error, stderr_color(no_color)));
        ExitStatus::Error
    };
    let display = args.file.display().to_string();
    let limit = crate::regular_file::MAX_SMALL_FILE_BYTES;
    let text = match crate::regular_file::read_regular(&args.file, limit) {
        Ok(bytes) => super::input::decode_lossy(bytes),
        Err(e) => return fail(FileError::io(&display, &e)),
    };
    let hadolint = match read(&args.file, &text) {
        Ok(config) => config,
        Err(e) => return fail(super::check::config_error(&e, stderr_color(no_color))),
    };
    let toml = to_dlint_toml(&hadolint);
    if !args.write {
        print(&toml);
        return ExitStatus::Success;
    }
    let target = args
        .file
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("dlint.toml");
    // Created, never opened: an existing file is not overwritten and a symlink at the name
    // (even one leading nowhere yet) is not followed.
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target);
    let mut file = match created {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return fail(FileError {
                path: target.display().to_string(),
                message: format!(
                    "`{}` exists already (a file or a symlink): not overwritten",
                    target.display()
                ),
                hint: Some("run without --write to print the migrated configuration".into()),
            })
        }
        Err(e) => {
            let path = target.display().to_string();
            return fail(FileError {
                message: format!("cannot create `{path}`: {e}"),
                path,
                hint: Some("check that the directory is writable".into()),
            });
        }
    };
    match std::io::Write::write_all(&mut file, toml.as_bytes()).and_then(|()| file.sync_all()) {
        Ok(()) => {
            eprint(&format!("wrote {}\n", target.display()));
            ExitStatus::Success
        }
        Err(e) => {
            drop(file);
            let _ = std::fs::remove_file(&target);
            let path = target.display().to_string();
            fail(FileError {
                message: format!("cannot write `{path}`: {e}"),
                path,
                hint: Some("check that the directory is writable and the disk has room".into()),
            })
        }
    }
}
