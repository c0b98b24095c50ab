//! The language server: LSP handlers over the document store. Handlers stay
//! thin — they map types, update the store and hand CPU work to blocking
//! threads. Invariants: a change is applied before the handler's first
//! `.await` (tower-lsp starts handlers in message order), and no map guard
//! is held across an `.await`.

use std::{
    path::PathBuf,
    sync::{
        Arc, OnceLock,
        atomic::{AtomicU64, Ordering},
    },
};

use dashmap::DashMap;
use tower_lsp_server::{
    Client, LanguageServer,
    jsonrpc::{Error, Result},
    ls_types::{
        CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
        CodeActionResponse, DiagnosticOptions, DiagnosticServerCapabilities,
        DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
        DidChangeWorkspaceFoldersParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
        DidSaveTextDocumentParams, DocumentDiagnosticParams, DocumentDiagnosticReport,
        DocumentDiagnosticReportResult, ExecuteCommandOptions, ExecuteCommandParams,
        FileChangeType, FullDocumentDiagnosticReport, Hover, HoverParams, HoverProviderCapability,
        InitializeParams, InitializeResult, InitializedParams, LSPAny, OneOf,
        RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
        ServerCapabilities, ServerInfo, TextDocumentContentChangeEvent, TextDocumentSyncCapability,
        TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
        UnchangedDocumentDiagnosticReport, Uri, WorkspaceDiagnosticParams,
        WorkspaceDiagnosticReport, WorkspaceDiagnosticReportResult,
        WorkspaceDocumentDiagnosticReport, WorkspaceFoldersServerCapabilities,
        WorkspaceFullDocumentDiagnosticReport, WorkspaceServerCapabilities,
        WorkspaceUnchangedDocumentDiagnosticReport,
    },
};

use crate::{
    actions,
    convert::{self, DiagnosticData},
    diagnostics,
    document::{Change, Document, Snapshot},
    publish,
    session::{Session, file_path},
    state::{Computed, Inner, OpenDocument},
    workspace,
    workspace_state::{Source, WorkspaceState},
};

/// The command returning the readiness report of the workspace.
pub const REPORT_COMMAND: &str = "shipshape.report";

/// The `LanguageServer` implementation.
pub struct Backend {
    inner: Arc<Inner>,
}

impl Backend {
    pub fn new(client: Client, frames: tokio::sync::mpsc::UnboundedSender<Vec<u8>>) -> Backend {
        Backend {
            inner: Arc::new(Inner {
                client,
                frames,
                documents: DashMap::new(),
                session: OnceLock::new(),
                workspace: WorkspaceState::default(),
                next_open_id: AtomicU64::new(1),
            }),
        }
    }

    fn session(&self) -> Option<&Session> {
        self.inner.session.get()
    }
}

fn change_of(event: TextDocumentContentChangeEvent) -> Change {
    match event.range {
        Some(range) => Change::Range {
            start: convert::core_position(range.start),
            end: convert::core_position(range.end),
            text: event.text,
        },
        None => Change::Full(event.text),
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let session = Session::new(&params);
        if let Some(options) = &params.initialization_options {
            self.inner.workspace.apply_settings(options);
        }
        let capabilities = ServerCapabilities {
            position_encoding: Some(convert::encoding_kind(session.encoding)),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, actions::FIX_ALL]),
                ..CodeActionOptions::default()
            })),
            // Offered only to clients that pull: the others get published
            // diagnostics, never both.
            diagnostic_provider: session.pull_diagnostics.then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some(convert::SOURCE.to_string()),
                    // Project rules: an edit of one file changes others.
                    inter_file_dependencies: true,
                    workspace_diagnostics: true,
                    ..DiagnosticOptions::default()
                })
            }),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            workspace: Some(WorkspaceServerCapabilities {
                workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands: vec![REPORT_COMMAND.to_string()],
                ..ExecuteCommandOptions::default()
            }),
            ..ServerCapabilities::default()
        };
        tracing::info!(
            encoding = ?session.encoding,
            pull_diagnostics = session.pull_diagnostics,
            "initialized"
        );
        if self.inner.session.set(session).is_err() {
            return Err(Error::invalid_request());
        }
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "shipshape".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // Settings, watchers and the first scan run off the protocol loop.
        tokio::spawn(workspace::start(Arc::clone(&self.inner)));
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown requested");
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let Some(session) = self.session() else {
            return;
        };
        let item = params.text_document;
        let Some(placement) = session.place(&item.uri, &item.language_id, &item.text) else {
            tracing::debug!(
                uri = item.uri.as_str(),
                language = item.language_id,
                "not a kind of file shipshape checks"
            );
            return;
        };
        let absolute = file_path(&item.uri);
        let shared_text = Arc::new(item.text.clone());
        if let Some(path) = &absolute {
            session
                .open_texts
                .insert(path.clone(), Arc::clone(&shared_text));
        }
        let settings = match &absolute {
            Some(path) => self
                .inner
                .workspace
                .file_settings(session.root_of(path).as_deref(), path),
            None => self.inner.workspace.file_settings(None, &placement.path),
        };
        let open = OpenDocument {
            absolute: absolute.clone(),
            settings: Arc::new(settings),
            document: Document::new(
                placement.path,
                placement.kind,
                placement.kind_from_name,
                item.version,
                item.text,
            ),
            project: placement.project,
            open_id: self.inner.next_open_id.fetch_add(1, Ordering::Relaxed),
            dirty: false,
            worker_running: false,
            publisher: Arc::default(),
            last: None,
        };
        if self
            .inner
            .documents
            .insert(item.uri.clone(), open)
            .is_some()
        {
            tracing::warn!(
                uri = item.uri.as_str(),
                "didOpen of an open document: replaced it"
            );
        }
        if let Some(path) = absolute {
            workspace::enqueue(&self.inner, path, Source::Text(shared_text));
        }
        if !session.pull_diagnostics {
            diagnostics::schedule(&self.inner, &item.uri);
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let Some(session) = self.session() else {
            return;
        };
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let changes = params.content_changes.into_iter().map(change_of).collect();
        // Applied synchronously, before any `.await`; the guard ends here.
        let applied = match self.inner.documents.get_mut(&uri) {
            Some(mut open) => open
                .document
                .apply_changes(version, changes, session.encoding)
                .map(|()| (open.absolute.clone(), open.document.shared_text())),
            None => {
                tracing::debug!(
                    uri = uri.as_str(),
                    "didChange of a document that is not open: ignored"
                );
                return;
            }
        };
        match applied {
            Ok((absolute, text)) => {
                if let Some(path) = absolute {
                    session.open_texts.insert(path.clone(), Arc::clone(&text));
                    workspace::enqueue_edit(&self.inner, path, text);
                }
                if !session.pull_diagnostics {
                    diagnostics::schedule(&self.inner, &uri);
                }
            }
            Err(error) => {
                tracing::error!(uri = uri.as_str(), version, "didChange rejected: {error}")
            }
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let Some((_, open)) = self.inner.documents.remove(&uri) else {
            return;
        };
        // The file on disk is the truth again; its project findings are
        // reported as for any unopened file.
        if let Some(path) = open.absolute.clone() {
            if let Some(session) = self.session() {
                session.open_texts.remove(&path);
            }
            workspace::closed(&self.inner, path);
        }
        if self
            .session()
            .is_some_and(|session| !session.pull_diagnostics)
        {
            let mut publisher = open.publisher.lock().await;
            publisher.closed = true;
            publish::send_diagnostics(&self.inner, &uri, &[], None);
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        let Some(path) = file_path(&uri) else {
            return;
        };
        let source = match self.inner.documents.get(&uri) {
            Some(open) => Source::Text(open.document.shared_text()),
            None => Source::Disk,
        };
        workspace::enqueue(&self.inner, path, source);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        for event in params.changes {
            let Some(path) = file_path(&event.uri) else {
                continue;
            };
            // An open document's text is the editor's, whatever the disk says.
            if event.typ != FileChangeType::DELETED && self.inner.open_uri(&path).is_some() {
                continue;
            }
            workspace::enqueue(&self.inner, path, Source::Disk);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let inner = Arc::clone(&self.inner);
        let section = params
            .settings
            .get("shipshape")
            .filter(|section| section.is_object())
            .cloned();
        tokio::spawn(async move {
            // A client that answers `workspace/configuration` is asked, per
            // workspace folder: the notification's settings have no scope.
            let pull = inner
                .session
                .get()
                .is_some_and(|session| session.configuration);
            match section {
                _ if pull => crate::folders::pull_configuration(&inner).await,
                Some(section) => inner.workspace.apply_settings(&section),
                None if params.settings.is_object() => {
                    inner.workspace.apply_settings(&params.settings)
                }
                None => {}
            }
            workspace::settings_changed(&inner).await;
        });
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        tokio::spawn(crate::workspace::folders_changed(
            Arc::clone(&self.inner),
            params,
        ));
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        if self.session().is_none() {
            return Err(Error::invalid_request());
        }
        Ok(crate::hover::hover(&self.inner, params).await)
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if params.command != REPORT_COMMAND {
            return Err(Error::invalid_params(format!(
                "unknown command `{}`",
                params.command
            )));
        }
        let inner = Arc::clone(&self.inner);
        match crate::blocking::blocking("the readiness report", move || workspace::report(&inner))
            .await
        {
            Some(report) => Ok(Some(report)),
            None => Err(Error::internal_error()),
        }
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        if self.session().is_none() {
            return Err(Error::invalid_request());
        }
        let previous = workspace::previous_ids(params.previous_result_ids);
        let inner = Arc::clone(&self.inner);
        let paths: Vec<PathBuf> = previous.keys().cloned().collect();
        let reports = crate::blocking::blocking("workspace diagnostics", move || {
            workspace::unopened_reports(&inner, &paths)
        })
        .await
        .unwrap_or_default();
        let mut items = Vec::new();
        for (path, diagnostics) in reports {
            let Some(uri) = Uri::from_file_path(&path) else {
                continue;
            };
            let result_id = publish::result_id(&diagnostics);
            match previous.get(&path) {
                Some(id) if *id == result_id => {
                    items.push(WorkspaceDocumentDiagnosticReport::Unchanged(
                        WorkspaceUnchangedDocumentDiagnosticReport {
                            uri,
                            version: None,
                            unchanged_document_diagnostic_report:
                                UnchangedDocumentDiagnosticReport { result_id },
                        },
                    ))
                }
                None if diagnostics.is_empty() => {}
                _ => items.push(WorkspaceDocumentDiagnosticReport::Full(
                    WorkspaceFullDocumentDiagnosticReport {
                        uri,
                        version: None,
                        full_document_diagnostic_report: FullDocumentDiagnosticReport {
                            result_id: Some(result_id),
                            items: diagnostics,
                        },
                    },
                )),
            }
        }
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let Some(session) = self.session() else {
            return Err(Error::invalid_request());
        };
        let uri = params.text_document.uri;
        enum Next {
            Ready(Arc<Computed>),
            Compute(Snapshot, u64, Option<Arc<Computed>>),
        }
        let next = match self.inner.documents.get(&uri) {
            None => return Ok(full_report(None, Vec::new())),
            Some(open) => match &open.last {
                Some(last) if last.version == open.document.version() => {
                    Next::Ready(Arc::clone(last))
                }
                last => Next::Compute(open.snapshot(), open.open_id, last.clone()),
            },
        };
        let computed = match next {
            Next::Ready(computed) => computed,
            Next::Compute(snapshot, open_id, last) => {
                let Some((analysis, computed)) =
                    diagnostics::compute(snapshot, session.encoding, open_id, last).await
                else {
                    return Err(Error::internal_error());
                };
                let computed = Arc::new(computed);
                let _replaced = self.inner.accept(&uri, open_id, &analysis, &computed);
                computed
            }
        };
        // File and project findings together; the id covers both. The
        // project findings are the model's last, shifted over the edits it
        // has not taken in yet: a busy model never holds this answer back
        // (a refresh follows when it is done).
        let task_inner = Arc::clone(&self.inner);
        let task_uri = uri.clone();
        let diagnostics = crate::blocking::blocking("composing diagnostics", move || {
            publish::compose(&task_inner, &task_uri, &computed)
        })
        .await
        .ok_or_else(Error::internal_error)?;
        let result_id = publish::result_id(&diagnostics);
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                }),
            ));
        }
        Ok(full_report(Some(result_id), diagnostics))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some(session) = self.session() else {
            return Err(Error::invalid_request());
        };
        let uri = params.text_document.uri;
        let Some(snapshot) = self.inner.documents.get(&uri).map(|open| open.snapshot()) else {
            return Ok(None);
        };
        let only = params.context.only.as_deref();
        let mut response = Vec::new();
        if actions::wanted(only, &CodeActionKind::QUICKFIX) {
            let (task_uri, task_snapshot) = (uri.clone(), snapshot.clone());
            let (encoding, support) = (session.encoding, session.edit_support());
            let diagnostics = params.context.diagnostics.clone();
            let open_versions = crate::cross_file::open_versions(&self.inner);
            let fixes = crate::blocking::blocking("quick fixes", move || {
                actions::quick_fixes(
                    &task_uri,
                    &task_snapshot,
                    &diagnostics,
                    encoding,
                    support,
                    &open_versions,
                )
            })
            .await;
            response.extend(fixes.unwrap_or_default());
        }
        // Fix-all when asked for by kind, or alongside quick fixes when one
        // of the diagnostics in view has a safe fix.
        let fix_all_wanted = match only {
            Some(_) => actions::wanted(only, &actions::FIX_ALL),
            None => params.context.diagnostics.iter().any(|diagnostic| {
                DiagnosticData::of(diagnostic)
                    .and_then(|data| data.fix)
                    .is_some_and(|fix| fix.safe)
            }),
        };
        if fix_all_wanted {
            let (encoding, document_changes) = (session.encoding, session.document_changes);
            let task_uri = uri.clone();
            let action = crate::blocking::blocking("fix-all", move || {
                actions::fix_all_action(&task_uri, &snapshot, encoding, document_changes)
            })
            .await;
            response.extend(action.flatten());
        }
        Ok(Some(response))
    }
}

fn full_report(
    result_id: Option<String>,
    items: Vec<tower_lsp_server::ls_types::Diagnostic>,
) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
        },
    ))
}
