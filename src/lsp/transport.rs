//! The protocol's base layer over stdin and stdout: `Content-Length` framing, read on its own
//! thread into an unbounded channel (so the message loop sees every message that has
//! arrived, and can coalesce a burst of edits), written by another.
//!
//! Hostile or broken input never ends the server, and never makes it allocate more than
//! [`MAX_BODY`] for one message:
//! - a body that is not JSON gets a `ParseError` reply, JSON that is not a message an
//!   `InvalidRequest` reply (with the request's id when it has one), and reading goes on;
//! - a header line that is not `Name: value`, a missing or unreadable `Content-Length`, or a
//!   length over [`MAX_BODY`] gets one error reply, then the reader skips ahead to the next
//!   `Content-Length:` header (looking at most [`MAX_LINE`] bytes back in each line).

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{unbounded, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message};
use serde_json::{json, Value};

/// The largest message body read: a 5 MB Dockerfile sent whole, JSON-escaped, fits.
pub const MAX_BODY: usize = 64 << 20;
/// The most bytes of one header line kept (its end: where a skipped-to header would be).
pub const MAX_LINE: usize = 4096;
/// The most header lines in one message.
const MAX_HEADERS: usize = 32;
const CONTENT_LENGTH: &str = "content-length:";

/// The reader and writer threads. The reader is not joined: it may be blocked on a stdin the
/// client keeps open, and ends with the process.
pub struct IoThreads {
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits until every message sent has been written (the connection's sender must have
    /// been dropped).
    pub fn join(self) -> io::Result<()> {
        self.writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")))
    }
}

/// A connection over the process's stdin and stdout.
pub fn stdio() -> (Connection, IoThreads) {
    let (reader_sender, receiver) = unbounded::<Message>();
    let (sender, writer_receiver) = unbounded::<Message>();
    std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            read_messages(&mut stdin.lock(), &reader_sender, &mut |reply| {
                let _ = write_frame(&mut io::stdout().lock(), &reply);
            });
        })
        .expect("spawning the reader thread");
    let writer = std::thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || write_messages(&writer_receiver))
        .expect("spawning the writer thread");
    (Connection { sender, receiver }, IoThreads { writer })
}

fn write_messages(receiver: &Receiver<Message>) -> io::Result<()> {
    for message in receiver {
        let value = serde_json::to_value(&message).map_err(io::Error::other)?;
        write_frame(&mut io::stdout().lock(), &value)?;
    }
    Ok(())
}

/// Writes one framed message and flushes it (whole, under the caller's lock of stdout).
pub fn write_frame(out: &mut impl Write, value: &Value) -> io::Result<()> {
    let body = value.to_string();
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body.as_bytes());
    out.write_all(&frame)?;
    out.flush()
}

/// Reads messages until end of input (or until `exit`), sending each to `sender` and each
/// error reply to `reply`.
pub fn read_messages(
    input: &mut impl BufRead,
    sender: &Sender<Message>,
    reply: &mut impl FnMut(Value),
) {
    let mut reader = FrameReader::new(input);
    loop {
        match reader.next_frame() {
            Frame::End => return,
            Frame::Broken(problem) => {
                reply(error_reply(Value::Null, ErrorCode::ParseError, &problem))
            }
            Frame::Body(body) => match decode(&body) {
                Ok(message) => {
                    let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                    if sender.send(message).is_err() || exit {
                        return;
                    }
                }
                Err(error) => reply(error),
            },
        }
    }
}

/// A message from a body, or the error reply it deserves.
fn decode(body: &[u8]) -> Result<Message, Value> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        error_reply(
            Value::Null,
            ErrorCode::ParseError,
            &format!("the message is not JSON: {e}"),
        )
    })?;
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    let invalid = |problem: &str| {
        error_reply(
            id.clone(),
            ErrorCode::InvalidRequest,
            &format!("not a JSON-RPC request, response or notification: {problem}"),
        )
    };
    // The untagged `Message` would take `{"id":7,"method":5}` for a response.
    let shaped = match value.get("method") {
        Some(method) => method.is_string(),
        None => value.get("result").is_some() || value.get("error").is_some(),
    };
    if !value.is_object() || !shaped {
        return Err(invalid("no method, result or error"));
    }
    serde_json::from_value::<Message>(value).map_err(|e| invalid(&e.to_string()))
}

fn error_reply(id: Value, code: ErrorCode, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code as i32, "message": message } })
}

enum Frame {
    Body(Vec<u8>),
    /// A frame that could not be read; the reader has moved on.
    Broken(String),
    End,
}

/// Reads frames with bounded lines, header counts and bodies.
struct FrameReader<'a, R: BufRead> {
    input: &'a mut R,
    /// After a broken frame: skip to the next `Content-Length:` header.
    skipping: bool,
}

impl<'a, R: BufRead> FrameReader<'a, R> {
    fn new(input: &'a mut R) -> Self {
        FrameReader {
            input,
            skipping: false,
        }
    }

    fn next_frame(&mut self) -> Frame {
        let mut length: Option<Result<usize, String>> = None;
        let mut headers = 0;
        loop {
            let Some(line) = self.read_line() else {
                return Frame::End;
            };
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\r', '\n']);
            if self.skipping {
                // The header may follow the end of a skipped body on the same line.
                let lower = line.to_ascii_lowercase();
                let Some(at) = lower.rfind(CONTENT_LENGTH) else {
                    continue;
                };
                self.skipping = false;
                length = Some(parse_length(&line[at + CONTENT_LENGTH.len()..]));
                headers = 1;
                continue;
            }
            if line.is_empty() {
                if headers == 0 {
                    // Blank lines between messages: tolerated.
                    continue;
                }
                break;
            }
            headers += 1;
            let Some((name, value)) = line.split_once(':') else {
                return self.broken(format!("expected a `Name: value` header, got {line:?}"));
            };
            if headers > MAX_HEADERS {
                return self.broken(format!("more than {MAX_HEADERS} header lines"));
            }
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(parse_length(value));
            }
        }
        let length = match length {
            None => return self.broken("a message without a Content-Length header".into()),
            Some(Err(problem)) => return self.broken(problem),
            Some(Ok(length)) => length,
        };
        let mut body = Vec::with_capacity(length);
        match self
            .input
            .by_ref()
            .take(length as u64)
            .read_to_end(&mut body)
        {
            Ok(read) if read == length => Frame::Body(body),
            _ => Frame::End,
        }
    }

    fn broken(&mut self, problem: String) -> Frame {
        self.skipping = true;
        Frame::Broken(format!(
            "{problem}; skipping to the next Content-Length header"
        ))
    }

    /// The next line, line ending included, keeping at most its last [`MAX_LINE`] bytes.
    /// `None` at the end of input (a last line without its line ending is no header).
    fn read_line(&mut self) -> Option<Vec<u8>> {
        let mut line = Vec::new();
        loop {
            let available = match self.input.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return None,
            };
            if available.is_empty() {
                return None;
            }
            let (piece, done) = match memchr::memchr(b'\n', available) {
                Some(at) => (&available[..=at], true),
                None => (available, false),
            };
            line.extend_from_slice(piece);
            let used = piece.len();
            self.input.consume(used);
            if line.len() > MAX_LINE {
                line.drain(..line.len() - MAX_LINE);
            }
            if done {
                return Some(line);
            }
        }
    }
}

fn parse_length(value: &str) -> Result<usize, String> {
    let value = value.trim();
    match value.parse::<u64>() {
        Ok(length) if length <= MAX_BODY as u64 => Ok(length as usize),
        Ok(length) => Err(format!(
            "a message of {length} bytes, over the limit of {MAX_BODY}"
        )),
        Err(_) => Err(format!("Content-Length {value:?} is not a length")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// Reads `input` whole: the methods received and the error codes replied.
    fn read(input: &str) -> (Vec<String>, Vec<(Value, i64)>) {
        let (sender, receiver) = unbounded();
        let mut replies = Vec::new();
        read_messages(&mut input.as_bytes(), &sender, &mut |reply| {
            replies.push((
                reply["id"].clone(),
                reply["error"]["code"].as_i64().unwrap(),
            ));
        });
        drop(sender);
        let methods = receiver
            .iter()
            .map(|m| match m {
                Message::Request(r) => r.method,
                Message::Notification(n) => n.method,
                Message::Response(r) => format!("response {}", r.id),
            })
            .collect();
        (methods, replies)
    }

    const PING: &str = r#"{"jsonrpc":"2.0","method":"ping"}"#;

    #[test]
    fn well_formed_messages_pass_through() {
        let input = frame(PING) + &frame(r#"{"jsonrpc":"2.0","id":1,"method":"a","params":{}}"#);
        assert_eq!(read(&input), (vec!["ping".into(), "a".into()], vec![]));
    }

    #[test]
    fn a_body_that_is_not_json_or_not_a_message_gets_an_error_reply() {
        let input = frame("{not json") + &frame(r#"{"id":7,"method":5}"#) + &frame(PING);
        let (methods, replies) = read(&input);
        assert_eq!(methods, ["ping"]);
        assert_eq!(replies, [(Value::Null, -32700), (json!(7), -32600)]);
    }

    #[test]
    fn garbage_and_bad_lengths_are_skipped_up_to_the_next_header() {
        for bad in [
            "garbage without a colon\r\n\r\n".to_string(),
            "Content-Length: twelve\r\n\r\n{}".to_string(),
            "Content-Length: -5\r\n\r\n{}".to_string(),
            "Content-Type: x\r\n\r\n{}".to_string(),
            // Over the limit: nothing is allocated, the claimed body is skipped.
            format!("Content-Length: 4000000000\r\n\r\n{PING}"),
            format!("Content-Length: {}\r\n\r\n", MAX_BODY + 1),
            format!("{}\r\n", "x".repeat(100_000)),
        ] {
            let input = bad.clone() + &frame(PING) + &frame(PING);
            let (methods, replies) = read(&input);
            assert_eq!(methods, ["ping", "ping"], "{:?}", &bad[..bad.len().min(60)]);
            assert_eq!(replies.len(), 1, "{:?}", &bad[..bad.len().min(60)]);
            assert_eq!(replies[0].1, -32700);
        }
    }

    #[test]
    fn a_truncated_stream_ends_quietly() {
        assert_eq!(read("Content-Length: 50\r\n\r\n{}"), (vec![], vec![]));
        assert_eq!(read("Content-Len"), (vec![], vec![]));
    }

    #[test]
    fn reading_stops_after_exit() {
        let input = frame(r#"{"jsonrpc":"2.0","method":"exit"}"#) + &frame(PING);
        assert_eq!(read(&input).0, ["exit"]);
    }
}
