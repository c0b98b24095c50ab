//! Fuzzing of the JSON-RPC framing (`shipshape_lsp::transport`) with
//! proptest: arbitrary byte streams never panic the reader and only ever
//! reach tower-lsp as well-formed frames; valid frames split at arbitrary
//! points arrive whole and in order; valid frames after garbage are still
//! served; and the whole server, fed garbage before `initialize`, still
//! answers it.
//!
//! `PROPTEST_CASES` sets how many cases each property runs (see the
//! README's "Fuzzing" section).

use std::{
    collections::VecDeque,
    io,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

use proptest::prelude::*;
use serde_json::{Value, json};
use shipshape_tests::proptest_cases;
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadBuf},
    sync::mpsc,
};

/// An input that hands out its bytes in exactly the chunks given: one
/// chunk (or as much of it as fits) per read, so every split point is
/// exercised.
struct Chunked {
    chunks: VecDeque<Vec<u8>>,
}

impl Chunked {
    fn new(chunks: Vec<Vec<u8>>) -> Chunked {
        Chunked {
            chunks: chunks
                .into_iter()
                .filter(|chunk| !chunk.is_empty())
                .collect(),
        }
    }
}

impl AsyncRead for Chunked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Some(front) = self.chunks.front_mut() {
            let count = front.len().min(buf.remaining());
            buf.put_slice(&front[..count]);
            front.drain(..count);
            if front.is_empty() {
                self.chunks.pop_front();
            }
        }
        Poll::Ready(Ok(()))
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// What the transport's reader passes on to tower-lsp and what it answers
/// itself, for an input delivered in the given chunks.
struct Forwarded {
    /// The raw bytes written towards tower-lsp.
    raw: Vec<u8>,
    /// Error responses (whole frames) sent back to the client.
    errors: Vec<Vec<u8>>,
}

fn run_reader(chunks: Vec<Vec<u8>>) -> Forwarded {
    runtime().block_on(async {
        let (to_server, mut server_side) = tokio::io::duplex(4096);
        let (errors_sender, mut errors_receiver) = mpsc::unbounded_channel();
        let reader =
            shipshape_lsp::transport::read_client(Chunked::new(chunks), to_server, errors_sender);
        let collect = async {
            let mut raw = Vec::new();
            server_side.read_to_end(&mut raw).await.unwrap();
            raw
        };
        let ((), raw) = tokio::time::timeout(Duration::from_secs(20), async {
            tokio::join!(reader, collect)
        })
        .await
        .expect("the reader ends at the end of its input");
        let mut errors = Vec::new();
        while let Ok(error) = errors_receiver.try_recv() {
            errors.push(error);
        }
        Forwarded { raw, errors }
    })
}

/// Splits a stream of well-formed frames (`Content-Length` only, as the
/// transport writes them) into bodies; panics on anything else.
fn bodies_of(mut stream: &[u8]) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    while !stream.is_empty() {
        let end = stream
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .expect("a header block");
        let header = std::str::from_utf8(&stream[..end]).expect("an ASCII header");
        let length: usize = header
            .strip_prefix("Content-Length: ")
            .and_then(|length| length.parse().ok())
            .unwrap_or_else(|| panic!("one Content-Length header: {header:?}"));
        let body_start = end + 4;
        assert!(stream.len() >= body_start + length, "a whole body");
        bodies.push(stream[body_start..body_start + length].to_vec());
        stream = &stream[body_start + length..];
    }
    bodies
}

/// Whether a body is a JSON-RPC 2.0 message tower-lsp can decode.
fn is_json_rpc(body: &[u8]) -> bool {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    value["jsonrpc"] == "2.0"
        && (value["method"].is_string()
            || value.get("result").is_some()
            || value["error"].is_object())
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

/// A valid JSON-RPC message: a request, a notification or a response, with
/// free text (any Unicode) in its params.
fn message() -> impl Strategy<Value = Vec<u8>> {
    let text = "\\PC{0,40}";
    prop_oneof![
        (any::<u32>(), "[a-zA-Z/$]{1,24}", text).prop_map(|(id, method, text)| {
            json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": { "text": text } })
        }),
        ("[a-zA-Z/$]{1,24}", text).prop_map(|(method, text)| {
            json!({ "jsonrpc": "2.0", "method": method, "params": [text] })
        }),
        (any::<u32>(), text)
            .prop_map(|(id, text)| json!({ "jsonrpc": "2.0", "id": id, "result": text })),
    ]
    .prop_map(|value| value.to_string().into_bytes())
}

/// Bytes that are mostly not a message: random bytes, header fragments,
/// line breaks, JSON-looking text and whole frames with broken bodies.
fn noise() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        Just(b"Content-Length: ".to_vec()),
        Just(b"Content-Length: 5\r\n\r\n".to_vec()),
        Just(b"Content-Length: 99999999999999999999\r\n\r\n".to_vec()),
        Just(b"Content-Length: 300000000\r\n\r\n".to_vec()),
        Just(b"Content-Length: -1\r\n\r\n".to_vec()),
        Just(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"{\"jsonrpc\":\"2.0\",".to_vec()),
        "[0-9]{1,12}".prop_map(String::into_bytes),
        message().prop_map(|body| frame(&body)),
        message().prop_map(|body| frame(&body[..body.len() / 2])),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Bytes with no `content-length` in any letter case: garbage that cannot
/// pass for a header, so that what follows it must still be read.
fn garbage() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..48),
        Just(b"\r\n".to_vec()),
        Just(b"\n\n".to_vec()),
        Just(b"Content-Type: text/plain\r\n".to_vec()),
        Just(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}".to_vec()),
        Just(b"Content-".to_vec()),
        Just(b": 12\r\n".to_vec()),
    ];
    prop::collection::vec(piece, 0..16)
        .prop_map(|pieces| pieces.concat())
        .prop_filter("no content-length header", |bytes| {
            !String::from_utf8_lossy(bytes)
                .to_ascii_lowercase()
                .contains("content-length")
        })
}

/// Cuts a byte stream at the given seeds into chunks.
fn split(bytes: &[u8], seeds: &[prop::sample::Index]) -> Vec<Vec<u8>> {
    let mut cuts: Vec<usize> = seeds
        .iter()
        .map(|seed| seed.index(bytes.len() + 1))
        .collect();
    cuts.push(0);
    cuts.push(bytes.len());
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|pair| bytes[pair[0]..pair[1]].to_vec())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: proptest_cases(256),
        ..ProptestConfig::default()
    })]

    /// Anything at all: no panic, the reader ends with its input, and
    /// tower-lsp only ever sees whole frames holding JSON-RPC messages.
    #[test]
    fn arbitrary_bytes_reach_tower_lsp_only_as_valid_frames(
        bytes in noise(),
        seeds in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let forwarded = run_reader(split(&bytes, &seeds));
        for body in bodies_of(&forwarded.raw) {
            prop_assert!(is_json_rpc(&body), "{}", String::from_utf8_lossy(&body));
        }
        for error in &forwarded.errors {
            let [body] = &bodies_of(error)[..] else {
                panic!("one frame per error response");
            };
            let value: Value = serde_json::from_slice(body).unwrap();
            prop_assert!(value["error"]["code"].is_i64(), "{value}");
        }
    }

    /// Valid frames, cut anywhere: each arrives whole, in order, and
    /// nothing is answered as an error.
    #[test]
    fn valid_frames_split_anywhere_arrive_whole_and_in_order(
        messages in prop::collection::vec(message(), 1..8),
        seeds in prop::collection::vec(any::<prop::sample::Index>(), 0..24),
    ) {
        let stream: Vec<u8> = messages.iter().flat_map(|body| frame(body)).collect();
        let forwarded = run_reader(split(&stream, &seeds));
        prop_assert_eq!(bodies_of(&forwarded.raw), messages);
        prop_assert!(forwarded.errors.is_empty());
    }

    /// Garbage first (answered with errors or skipped), then valid frames:
    /// every one of them is served.
    #[test]
    fn valid_frames_after_garbage_are_served(
        garbage in garbage(),
        messages in prop::collection::vec(message(), 1..5),
        seeds in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let mut stream = garbage.clone();
        stream.extend(messages.iter().flat_map(|body| frame(body)));
        let forwarded = run_reader(split(&stream, &seeds));
        prop_assert_eq!(bodies_of(&forwarded.raw), messages);
    }
}

/// The frames a server wrote, as JSON values.
fn messages_in(output: &[u8]) -> Vec<Value> {
    bodies_of(output)
        .iter()
        .map(|body| serde_json::from_slice(body).expect("the server writes JSON"))
        .collect()
}

/// The whole server (`shipshape_lsp::serve`): garbage, then `initialize`;
/// the garbage gets errors (or nothing), `initialize` gets its result and
/// the server ends cleanly at the end of input.
fn serve_after(garbage: &[u8]) -> Result<(), TestCaseError> {
    runtime().block_on(async {
        let (mut client, server_input) = tokio::io::duplex(64 * 1024);
        let (server_output, mut from_server) = tokio::io::duplex(64 * 1024);
        let server = tokio::spawn(shipshape_lsp::serve(server_input, server_output));
        client.write_all(garbage).await.unwrap();
        let initialize = json!({
            "jsonrpc": "2.0", "id": "init", "method": "initialize",
            "params": { "capabilities": {} },
        });
        client
            .write_all(&frame(initialize.to_string().as_bytes()))
            .await
            .unwrap();
        let mut output = Vec::new();
        let answered = tokio::time::timeout(Duration::from_secs(20), async {
            let mut buffer = [0u8; 4096];
            loop {
                let read = from_server.read(&mut buffer).await.unwrap();
                prop_assert!(read > 0, "the server ended before answering");
                output.extend_from_slice(&buffer[..read]);
                if let Some(end) = complete_prefix(&output) {
                    let messages = messages_in(&output[..end]);
                    if messages.iter().any(|message| message["id"] == "init") {
                        return Ok(messages);
                    }
                }
            }
        })
        .await
        .expect("initialize is answered");
        let messages = answered?;
        let reply = messages
            .iter()
            .find(|message| message["id"] == "init")
            .unwrap();
        prop_assert!(reply["result"]["capabilities"].is_object(), "{reply}");
        for message in &messages {
            prop_assert!(
                message["id"] == "init" || message["error"]["code"].is_i64(),
                "{message}"
            );
        }
        // End of input ends the server.
        drop(client);
        tokio::time::timeout(Duration::from_secs(20), async {
            let mut rest = Vec::new();
            from_server.read_to_end(&mut rest).await.unwrap();
            server.await.unwrap();
        })
        .await
        .expect("the server ends with its input");
        Ok(())
    })
}

/// The length of the longest prefix made of whole frames.
fn complete_prefix(stream: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let rest = &stream[at..];
        let Some(end) = rest.windows(4).position(|window| window == b"\r\n\r\n") else {
            return (at > 0).then_some(at);
        };
        let header = std::str::from_utf8(&rest[..end]).ok()?;
        let length: usize = header.strip_prefix("Content-Length: ")?.parse().ok()?;
        if rest.len() < end + 4 + length {
            return (at > 0).then_some(at);
        }
        at += end + 4 + length;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: proptest_cases(32),
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_server_answers_initialize_after_garbage(garbage in garbage()) {
        serve_after(&garbage)?;
    }
}

#[test]
fn huge_lengths_and_truncated_frames_end_or_resynchronise_cleanly() {
    let ping = br#"{"jsonrpc":"2.0","method":"ping"}"#;
    // Over the limit: refused, and the next frame is read.
    let mut stream = b"Content-Length: 999999999999\r\n\r\n".to_vec();
    stream.extend(frame(ping));
    let forwarded = run_reader(vec![stream]);
    assert_eq!(bodies_of(&forwarded.raw), vec![ping.to_vec()]);
    assert_eq!(forwarded.errors.len(), 1);
    // Under the limit but longer than what is sent: the reader waits for
    // the body, buffers only what came, and ends with the input.
    let mut stream = b"Content-Length: 200000000\r\n\r\n".to_vec();
    stream.extend(frame(ping));
    let forwarded = run_reader(vec![stream]);
    assert!(forwarded.raw.is_empty());
    // A frame cut short by the end of input.
    let whole = frame(ping);
    let forwarded = run_reader(vec![frame(ping), whole[..whole.len() - 3].to_vec()]);
    assert_eq!(bodies_of(&forwarded.raw), vec![ping.to_vec()]);
    // A megabyte without a line break, then a frame glued to it.
    let mut stream = vec![b'x'; 1 << 20];
    stream.extend(frame(ping));
    let forwarded = run_reader(vec![stream]);
    assert_eq!(bodies_of(&forwarded.raw), vec![ping.to_vec()]);
}
