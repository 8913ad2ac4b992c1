//! The live view of the cluster: one event stream per tab, reconnecting by itself.

use kubefiche_core::wire::{PodRow, StreamEvent, TOKEN_HEADER};
use wasm_bindgen_futures::JsFuture;

/// Where the stream stands, for the status badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Connecting,
    Live,
    Retrying,
    /// The proxy refuses this page's token (it was restarted with a new one).
    Unauthorised,
}

/// Apply one event to the list of pods (kept sorted by name).
pub fn update(pods: &mut Vec<PodRow>, event: StreamEvent) {
    match event {
        StreamEvent::Snapshot { pods: all } => *pods = all,
        StreamEvent::Pod { pod } => match pods.binary_search_by(|p| p.name.cmp(&pod.name)) {
            Ok(i) => pods[i] = pod,
            Err(i) => pods.insert(i, pod),
        },
        StreamEvent::PodDeleted { name } => pods.retain(|p| p.name != name),
        StreamEvent::Problem { .. } | StreamEvent::Objects { .. } => {}
    }
}

/// Follow the stream until the page closes: after a break wait a little longer each time (up
/// to 5 s) and connect again; the proxy starts each connection with a full snapshot.
pub async fn follow(token: String, on_event: impl Fn(StreamEvent), on_link: impl Fn(Link)) {
    const FIRST: i32 = 500;
    const MOST: i32 = 5_000;
    let mut delay = FIRST;
    loop {
        let went_live = std::cell::Cell::new(false);
        let track = |link: Link| {
            went_live.set(went_live.get() || link == Link::Live);
            on_link(link);
        };
        let Err(ended) = read_stream(&token, &on_event, &track).await;
        if went_live.get() {
            delay = FIRST;
        }
        match ended {
            Ended::Unauthorised => {
                on_link(Link::Unauthorised);
                delay = MOST;
            }
            Ended::Broken => on_link(Link::Retrying),
        }
        sleep(delay).await;
        delay = (delay * 2).min(MOST);
    }
}

enum Ended {
    Broken,
    Unauthorised,
}

async fn read_stream(
    token: &str,
    on_event: &impl Fn(StreamEvent),
    on_link: &impl Fn(Link),
) -> Result<std::convert::Infallible, Ended> {
    let request = gloo_net::http::Request::post("/api/stream")
        .header(TOKEN_HEADER, token)
        .header("content-type", "application/json")
        .body("{}")
        .map_err(|_| Ended::Broken)?;
    let response = request.send().await.map_err(|_| Ended::Broken)?;
    if response.status() == 401 {
        return Err(Ended::Unauthorised);
    }
    if !response.ok() {
        return Err(Ended::Broken);
    }
    on_link(Link::Live);
    let _ = crate::sse::read(&response, |data| {
        if let Ok(event) = serde_json::from_str::<StreamEvent>(&data) {
            on_event(event);
        }
    })
    .await;
    Err(Ended::Broken)
}

/// Wait `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, status: &str) -> PodRow {
        PodRow {
            name: name.into(),
            status: status.into(),
            phase: status.into(),
            ready: 0,
            containers: 1,
            restarts: 0,
            created: None,
            node: None,
            labels: vec![],
        }
    }

    #[test]
    fn events_keep_the_list_sorted_and_current() {
        let mut pods = vec![];
        update(
            &mut pods,
            StreamEvent::Snapshot {
                pods: vec![row("b", "Pending")],
            },
        );
        update(
            &mut pods,
            StreamEvent::Pod {
                pod: row("a", "Pending"),
            },
        );
        update(
            &mut pods,
            StreamEvent::Pod {
                pod: row("b", "Running"),
            },
        );
        assert_eq!(
            pods.iter()
                .map(|p| (p.name.as_str(), p.status.as_str()))
                .collect::<Vec<_>>(),
            [("a", "Pending"), ("b", "Running")]
        );
        update(&mut pods, StreamEvent::PodDeleted { name: "a".into() });
        assert_eq!(pods.len(), 1);
    }
}
