//! CPU work off the protocol loop: a blocking thread, with panics
//! contained. Every handler and worker that parses, checks or builds a
//! report goes through [`blocking`].

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs CPU work on a blocking thread with panics contained: `None` (and
/// an error in the log) if it panicked or the runtime is going away.
pub async fn blocking<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    match tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(work))).await {
        Ok(Ok(result)) => Some(result),
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!("{what} panicked: {message}");
            None
        }
        Err(error) => {
            tracing::error!("{what} task failed: {error}");
            None
        }
    }
}
