//! The events of a `/api/command` answer, read as the page reads them (server-sent events).

use std::time::Duration;

use axum::Router;
use axum::body::{Body, BodyDataStream};
use axum::http::{Request, header};
use futures::StreamExt;
use kubefiche_core::wire::CommandEvent;
use tower::ServiceExt;

/// Longest wait for one event.
const PATIENCE: Duration = Duration::from_secs(10);

/// An open answer and the events read from it so far.
pub struct Events {
    body: BodyDataStream,
    buffer: String,
    pub all: Vec<CommandEvent>,
}

impl Events {
    /// Sends `request` (asking for gzip, which an event stream must never get) and checks that
    /// the answer is an uncompressed event stream.
    pub async fn open(app: &Router, mut request: Request<Body>) -> Self {
        request
            .headers_mut()
            .insert(header::ACCEPT_ENCODING, "gzip".parse().expect("header"));
        let response = app.clone().oneshot(request).await.expect("answer");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body();
        if status != 200 {
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            panic!("HTTP {status}: {}", String::from_utf8_lossy(&bytes));
        }
        assert_eq!(
            headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            Some("text/event-stream")
        );
        assert!(
            headers.get(header::CONTENT_ENCODING).is_none(),
            "{headers:?}"
        );
        Self {
            body: body.into_data_stream(),
            buffer: String::new(),
            all: Vec::new(),
        }
    }

    /// Every event, to the end of the answer.
    pub async fn of(app: &Router, request: Request<Body>) -> Self {
        let mut events = Self::open(app, request).await;
        events.until_end().await;
        events
    }

    /// The next event, or `None` at the end of the answer.
    pub async fn next(&mut self) -> Option<CommandEvent> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let data: String = block
                    .lines()
                    .filter_map(|line| line.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect();
                if data.is_empty() {
                    continue;
                }
                let event: CommandEvent = serde_json::from_str(&data).expect("a CommandEvent");
                self.all.push(event.clone());
                return Some(event);
            }
            let chunk = tokio::time::timeout(PATIENCE, self.body.next())
                .await
                .expect("an event within 10 s");
            match chunk {
                Some(bytes) => self
                    .buffer
                    .push_str(std::str::from_utf8(&bytes.expect("body")).expect("UTF-8")),
                None => return None,
            }
        }
    }

    pub async fn until_end(&mut self) {
        while self.next().await.is_some() {}
    }

    /// Reads until the output (stdout) so far contains `text`.
    pub async fn until_output(&mut self, text: &str) {
        while !output_of(&self.all, false).contains(text) {
            assert!(
                self.next().await.is_some(),
                "ended before {text:?}: {:?}",
                self.all
            );
        }
    }
}

/// Everything written to stdout (or stderr), in order.
pub fn output_of(events: &[CommandEvent], stderr: bool) -> String {
    events
        .iter()
        .filter_map(|event| match event {
            CommandEvent::Output { text, stderr: e } if *e == stderr => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// The `Exit` event's code, `truncated` and `timed_out`; panics when there is none.
pub fn exit_of(events: &[CommandEvent]) -> (Option<i32>, bool, bool) {
    match events.last() {
        Some(CommandEvent::Exit {
            code,
            truncated,
            timed_out,
        }) => (*code, *truncated, *timed_out),
        other => panic!("the last event is not Exit: {other:?} in {events:?}"),
    }
}
