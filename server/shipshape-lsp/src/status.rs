//! `shipshape/findingsChanged`: the server's own notification that the
//! workspace's findings may have changed (after the project model took in a
//! batch of changes, after the first scan, after the settings or the
//! workspace folders changed). An editor showing the readiness score asks
//! for the report again when it arrives (debounced), rather than on every
//! diagnostics change of every extension.

use tower_lsp_server::{Client, ls_types::notification::Notification};

/// The notification; it has no parameters.
pub enum FindingsChanged {}

impl Notification for FindingsChanged {
    type Params = ();
    const METHOD: &'static str = "shipshape/findingsChanged";
}

/// Tells the client that the findings may have changed. It takes the
/// client, not the server's state: a notification needs nothing else.
pub async fn findings_changed(client: &Client) {
    client.send_notification::<FindingsChanged>(()).await;
}
