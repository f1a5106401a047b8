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
    let text = match std::fs::read_to_string(&args.file) {
        Ok(text) => text,
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
    if target.exists() {
        return fail(FileError {
            path: target.display().to_string(),
            message: format!("`{}` exists already: not overwritten", target.display()),
            hint: Some("run without --write to print the migrated configuration".into()),
        });
    }
    match std::fs::write(&target, toml) {
        Ok(()) => {
            eprint(&format!("wrote {}\n", target.display()));
            ExitStatus::Success
        }
        Err(e) => fail(FileError::io(&target.display().to_string(), &e)),
    }
}
