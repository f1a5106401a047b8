//! Writing to the terminal: the colour decision and writes that survive a closed pipe
//! (`dlint . | head` must not panic). Any other failed write (a full disk, `> /dev/full`) is
//! remembered and ends the run with exit code 2 ([`output_failure`]): output that never
//! arrived must not look like a clean run.

use std::ffi::OsStr;
use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;

use super::input::FileError;

/// Colour when the stream is a terminal, `--no-color` is absent and `NO_COLOR` is unset or
/// empty (<https://no-color.org>). `no_color_env` is the value of `NO_COLOR`.
pub fn color_enabled(
    no_color_flag: bool,
    stream_is_terminal: bool,
    no_color_env: Option<&OsStr>,
) -> bool {
    let env_says_no = no_color_env.is_some_and(|value| !value.is_empty());
    stream_is_terminal && !no_color_flag && !env_says_no
}

pub fn stdout_color(no_color_flag: bool) -> bool {
    let env = std::env::var_os("NO_COLOR");
    color_enabled(no_color_flag, io::stdout().is_terminal(), env.as_deref())
}

pub fn stderr_color(no_color_flag: bool) -> bool {
    let env = std::env::var_os("NO_COLOR");
    color_enabled(no_color_flag, io::stderr().is_terminal(), env.as_deref())
}

/// The first write to stdout or stderr that failed, other than a closed pipe.
static FAILURE: Mutex<Option<String>> = Mutex::new(None);

fn record(result: io::Result<()>, stream: &str) {
    match result {
        // A reader that went away (`dlint . | head`) is not an error worth reporting.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            let mut failure = FAILURE.lock().unwrap_or_else(|p| p.into_inner());
            failure.get_or_insert_with(|| {
                let text = e.to_string();
                // The OS message without Rust's "(os error 28)".
                let reason = text.split(" (os error").next().unwrap_or(&text);
                format!("cannot write to {stream}: {reason}")
            });
        }
        Ok(()) => {}
    }
}

/// Why some output could not be written, if it could not (taken: asked once, at the end).
pub fn output_failure() -> Option<String> {
    FAILURE.lock().unwrap_or_else(|p| p.into_inner()).take()
}

/// Writes to stdout.
pub fn print(text: &str) {
    record(write_all(&mut io::stdout().lock(), text), "stdout");
}

/// `pieces` on stdout in order, through one buffer (a large output is not joined first).
pub fn print_pieces(pieces: &[String]) {
    let total: usize = pieces.iter().map(String::len).sum();
    let mut out = io::BufWriter::with_capacity(total.min(1 << 16), io::stdout().lock());
    let written = pieces
        .iter()
        .try_for_each(|piece| out.write_all(piece.as_bytes()))
        .and_then(|()| out.flush());
    record(written, "stdout");
}

pub fn eprint(text: &str) {
    record(write_all(&mut io::stderr().lock(), text), "stderr");
}

fn write_all(stream: &mut impl Write, text: &str) -> io::Result<()> {
    stream
        .write_all(text.as_bytes())
        .and_then(|()| stream.flush())
}

/// `error: cannot read `x`: …` plus an indented hint, for stderr.
pub fn format_file_error(error: &FileError, color: bool) -> String {
    let mut text = format!("{}: {error}\n", label("error", "1;31", color));
    if let Some(hint) = &error.hint {
        text.push_str(&format!("  {}: {hint}\n", label("help", "1;36", color)));
    }
    text
}

/// A `warning: …` line for stderr.
pub fn format_warning(message: &str, color: bool) -> String {
    format!("{}: {message}\n", label("warning", "1;33", color))
}

fn label(word: &str, ansi: &str, color: bool) -> String {
    if color {
        format!("\u{1b}[{ansi}m{word}\u{1b}[0m")
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_needs_a_terminal_and_no_opt_out() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(color_enabled(false, true, None));
        assert!(
            color_enabled(false, true, empty),
            "an empty NO_COLOR is unset"
        );
        assert!(!color_enabled(false, false, None));
        assert!(!color_enabled(true, true, None));
        assert!(!color_enabled(false, true, set));
    }

    #[test]
    fn labels_are_plain_without_colour() {
        let warning = format_warning("nothing here", false);
        assert_eq!(warning, "warning: nothing here\n");
        assert!(format_warning("x", true).contains('\u{1b}'));
    }
}
