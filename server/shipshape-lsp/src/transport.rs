//! The byte streams between the client and tower-lsp, made robust.
//!
//! tower-lsp-server stops reading at the first message it cannot decode
//! (tokio-util's framed reader ends after a decoder error), so one
//! malformed message would end the session. This module reads the client's
//! stream itself, frame by frame: a message tower-lsp would accept is passed
//! on re-framed; anything else (bad headers, a body that is not JSON or not
//! a JSON-RPC message) is answered with a JSON-RPC error and skipped. The
//! server's output is copied a whole frame at a time so that those error
//! responses never interleave with its own messages.

use serde_json::{Value, json};
use tokio::{
    io::{
        AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
        DuplexStream,
    },
    sync::mpsc,
};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Messages larger than this are refused (and skipped by resynchronising on
/// the next header) rather than buffered.
const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// A header line longer than this is garbage: only its tail is kept (where
/// a `Content-Length` header glued to the garbage would be), so a stream
/// without line breaks cannot fill the memory.
const MAX_HEADER_LINE_BYTES: usize = 8 * 1024;

/// JSON-RPC error codes for what we answer ourselves.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

/// Copies the client's messages to tower-lsp (`to_server`), answering
/// broken ones through `errors`. Returns at the end of input or when the
/// server stops reading; dropping `to_server` then tells the server the
/// input ended.
pub async fn read_client(
    input: impl AsyncRead + Unpin,
    mut to_server: DuplexStream,
    errors: mpsc::UnboundedSender<Vec<u8>>,
) {
    let mut reader = BufReader::new(input);
    loop {
        let length = match read_headers(&mut reader).await {
            Headers::End => return,
            Headers::Length(length) => length,
            Headers::Invalid(reason) => {
                tracing::error!("malformed message header: {reason}");
                let _ = errors.send(error_response(
                    Value::Null,
                    PARSE_ERROR,
                    &format!("malformed header: {reason}"),
                ));
                continue;
            }
        };
        // Read as the bytes come rather than allocating the announced
        // length up front: a huge Content-Length with a short body costs
        // only what was sent. A frame cut short by the end of input ends
        // the session like any end of input.
        let mut body = Vec::with_capacity(length.min(64 * 1024));
        match (&mut reader)
            .take(length as u64)
            .read_to_end(&mut body)
            .await
        {
            Ok(read) if read == length => {}
            _ => {
                tracing::error!(
                    announced = length,
                    received = body.len(),
                    "input ended inside a message"
                );
                return;
            }
        }
        match check_body(&body) {
            Ok(()) => {
                let header = format!("Content-Length: {length}\r\n\r\n");
                if to_server.write_all(header.as_bytes()).await.is_err()
                    || to_server.write_all(&body).await.is_err()
                {
                    return;
                }
            }
            Err((id, code, message)) => {
                tracing::error!("refused a message: {message}");
                let _ = errors.send(error_response(id, code, &message));
            }
        }
    }
}

enum Headers {
    End,
    Length(usize),
    Invalid(String),
}

/// Reads a header block up to its empty line. Garbage before a
/// `Content-Length` header on a line is skipped, which resynchronises the
/// stream after a message with a wrong length.
async fn read_headers(reader: &mut (impl AsyncBufReadExt + Unpin)) -> Headers {
    let mut length: Option<Result<usize, String>> = None;
    let mut seen_header = false;
    loop {
        let Some(mut line) = read_line(reader).await else {
            return Headers::End;
        };
        // The last `Content-Length:` of a line: garbage glued before a
        // header may itself hold a (cut) header.
        if let Some(start) = rfind(&line, b"Content-Length:")
            && start > 0
        {
            tracing::error!(bytes = start, "skipped bytes that are not a message");
            line.drain(..start);
            length = None;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !seen_header {
                continue;
            }
            return match length {
                Some(Ok(length)) => Headers::Length(length),
                Some(Err(reason)) => Headers::Invalid(reason),
                None => Headers::Invalid("no Content-Length".into()),
            };
        }
        seen_header = true;
        let Some((name, value)) = text.split_once(':') else {
            length = Some(Err(format!("not a header: {text:.80}")));
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = Some(match value.trim().parse::<usize>() {
                Ok(length) if length <= MAX_MESSAGE_BYTES => Ok(length),
                Ok(length) => Err(format!("Content-Length {length} is over the limit")),
                Err(error) => Err(format!("Content-Length {:?}: {error}", value.trim())),
            });
        }
    }
}

/// Reads one line (with its `\n` when there is one), keeping at most
/// `MAX_HEADER_LINE_BYTES` of its end; `None` at the end of input.
async fn read_line(reader: &mut (impl AsyncBufReadExt + Unpin)) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    let mut dropped = 0usize;
    loop {
        let available = reader.fill_buf().await.ok()?;
        if available.is_empty() {
            return (!line.is_empty() || dropped > 0).then_some(line);
        }
        let (chunk, done) = match available.iter().position(|&byte| byte == b'\n') {
            Some(end) => (&available[..=end], true),
            None => (available, false),
        };
        line.extend_from_slice(chunk);
        let consumed = chunk.len();
        reader.consume(consumed);
        if line.len() > MAX_HEADER_LINE_BYTES {
            let excess = line.len() - MAX_HEADER_LINE_BYTES / 2;
            line.drain(..excess);
            dropped += excess;
        }
        if done {
            if dropped > 0 {
                tracing::error!(bytes = dropped, "skipped a line too long to be a header");
            }
            return Some(line);
        }
    }
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

/// Whether tower-lsp can decode this body; else the id to answer (when one
/// can be read), the error code and a message.
fn check_body(body: &[u8]) -> Result<(), (Value, i64, String)> {
    if serde_json::from_slice::<Request>(body).is_ok()
        || serde_json::from_slice::<Response>(body).is_ok()
    {
        return Ok(());
    }
    match serde_json::from_slice::<Value>(body) {
        Err(error) => Err((Value::Null, PARSE_ERROR, format!("not JSON: {error}"))),
        Ok(value) => {
            let id = match value.get("id") {
                Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
                _ => Value::Null,
            };
            Err((
                id,
                INVALID_REQUEST,
                "not a JSON-RPC 2.0 request, notification or response".into(),
            ))
        }
    }
}

fn error_response(id: Value, code: i64, message: &str) -> Vec<u8> {
    let body = json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
        .to_string();
    frame(body.as_bytes())
}

/// A message body with its `Content-Length` header.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

/// Copies the server's messages (`from_server`) and our error responses to
/// the client, whole frames at a time, until the server's output closes.
pub async fn write_client(
    from_server: DuplexStream,
    mut output: impl AsyncWrite + Unpin,
    mut errors: mpsc::UnboundedReceiver<Vec<u8>>,
) {
    // Frames are read by their own loop and handed over through a channel:
    // receiving from a channel is cancel-safe inside `select!`, reading a
    // frame is not.
    let (frames_sender, mut frames) = mpsc::channel::<Vec<u8>>(64);
    let pump = async move {
        let mut reader = BufReader::new(from_server);
        while let Some(frame) = read_frame(&mut reader).await {
            if frames_sender.send(frame).await.is_err() {
                break;
            }
        }
    };
    let write = async move {
        let mut errors_open = true;
        loop {
            let message = tokio::select! {
                biased;
                frame = frames.recv() => match frame {
                    Some(frame) => frame,
                    None => break,
                },
                error = errors.recv(), if errors_open => match error {
                    Some(error) => error,
                    None => {
                        errors_open = false;
                        continue;
                    }
                },
            };
            if output.write_all(&message).await.is_err() || output.flush().await.is_err() {
                break;
            }
        }
    };
    tokio::join!(pump, write);
}

/// Reads one frame of tower-lsp's (well-formed) output, header included.
async fn read_frame(reader: &mut BufReader<DuplexStream>) -> Option<Vec<u8>> {
    let mut frame = Vec::new();
    let mut length = None;
    loop {
        let start = frame.len();
        if reader.read_until(b'\n', &mut frame).await.ok()? == 0 {
            return None;
        }
        let line = String::from_utf8_lossy(&frame[start..])
            .trim_end()
            .to_string();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let start = frame.len();
    frame.resize(start + length?, 0);
    reader.read_exact(&mut frame[start..]).await.ok()?;
    Some(frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_checked_like_tower_lsp_decodes_them() {
        assert!(check_body(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#).is_ok());
        assert!(check_body(br#"{"jsonrpc":"2.0","method":"exit"}"#).is_ok());
        assert!(check_body(br#"{"jsonrpc":"2.0","id":3,"result":null}"#).is_ok());
        assert_eq!(check_body(b"{bad").unwrap_err().1, PARSE_ERROR);
        assert_eq!(check_body(b"[1,2]").unwrap_err().1, INVALID_REQUEST);
        let (id, code, _) = check_body(br#"{"jsonrpc":"1.0","id":7,"method":"x"}"#).unwrap_err();
        assert_eq!((id, code), (json!(7), INVALID_REQUEST));
        assert_eq!(check_body(b"\xff\xfe").unwrap_err().1, PARSE_ERROR);
    }
}
