//! The shipshape language server: a thin LSP layer over `shipshape-core`,
//! and the only crate that knows LSP and JSON-RPC.
//!
//! - [`server`]: the handlers (`Backend`).
//! - [`state`]: the shared state (`Inner`), which imports no worker or handler.
//! - [`workspace_state`]: the workspace part of the shared state, as data.
//! - [`document`]: open documents (rope, text, tree) and their analysis;
//!   protocol-free.
//! - [`diagnostics`]: checks on blocking threads, push-mode workers.
//! - [`actions`]: quick fixes, "ignore on this line", fix-all.
//! - [`convert`]: type mapping, position encoding negotiation.
//! - [`cross_file`]: what a project finding says about other files: related
//!   information, and the versions of open documents its fix edits.
//! - [`hover`]: a diagnostic's rule documentation and fix on hover.
//! - [`folders`]: the settings of the workspace and of each folder
//!   (`workspace/configuration` with a `scopeUri`).
//! - [`session`]: what `initialize` settled; workspace roots and projects.
//! - [`workspace`]: the projects of the workspace folders (first scan with
//!   progress, incremental updates, folders added and removed), workspace
//!   diagnostics, the readiness report.
//! - [`publish`]: an open document's file and project findings composed, and
//!   the `publishDiagnostics` frames that carry them.
//! - [`settings`]: the editor's `shipshape` settings section.
//! - [`status`]: `shipshape/findingsChanged`, the notification an editor's
//!   score display listens to.
//! - [`transport`]: framing between the client and tower-lsp that survives
//!   malformed messages.
#![deny(clippy::print_stdout)]

pub mod actions;
pub mod blocking;
pub mod convert;
pub mod cross_file;
pub mod diagnostics;
pub mod document;
pub mod folders;
pub mod hover;
pub mod publish;
pub mod server;
pub mod session;
pub mod settings;
pub mod state;
pub mod status;
pub mod transport;
pub mod workspace;
pub mod workspace_state;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// Serves the language server protocol on stdin/stdout until `exit`.
pub async fn run_stdio() -> std::io::Result<()> {
    serve(tokio::io::stdin(), tokio::io::stdout()).await;
    Ok(())
}

/// Serves the protocol over any byte streams until `exit` or end of input.
/// Malformed messages are answered with an error and skipped (see
/// [`transport`]).
pub async fn serve(input: impl AsyncRead + Unpin, output: impl AsyncWrite + Unpin) {
    // Frames we write ourselves: error responses to broken messages, and
    // diagnostics (see `workspace::send_diagnostics`).
    let (frames_sender, frames) = tokio::sync::mpsc::unbounded_channel();
    let backend_frames = frames_sender.clone();
    let (service, socket) =
        LspService::new(move |client| server::Backend::new(client, backend_frames.clone()));
    let (to_server, server_input) = tokio::io::duplex(64 * 1024);
    let (server_output, from_server) = tokio::io::duplex(64 * 1024);
    let reader = transport::read_client(input, to_server, frames_sender);
    // The server ends on `exit` or when its input closes; its output then
    // closes and the writer ends after copying everything.
    let work = async {
        tokio::join!(
            Server::new(server_input, server_output, socket).serve(service),
            transport::write_client(from_server, output, frames),
        )
    };
    tokio::pin!(reader, work);
    let mut reading = true;
    loop {
        tokio::select! {
            _ = &mut work => break,
            _ = &mut reader, if reading => reading = false,
        }
    }
}
