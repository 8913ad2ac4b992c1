//! Whether what the pane shows is the cluster now: the badge next to its title, and a note over
//! data of unknown freshness. Two links can break: the page's stream from the proxy (the proxy
//! stopped: the page tries again by itself), and the proxy's watch on the cluster (the proxy
//! says so in its [`Health`]).

use kubefiche_core::Text;
use kubefiche_core::wire::Health;
use leptos::prelude::*;

use super::Pane;
use crate::app::Ctx;
use crate::cluster::Link;

/// What the badge says.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// The badge's class: `live`, `connecting`, `retrying` or `down`.
    pub class: &'static str,
    /// The label's key.
    pub key: &'static str,
    /// Since when the pane is not live (Unix milliseconds): what it shows is as of then.
    pub since: Option<f64>,
    /// Why, in both languages, when the proxy told.
    pub reason: Option<Text>,
}

/// The pane's status from the page's link to the proxy, the proxy's health, and when the page
/// lost the proxy (if it did).
pub fn status(link: Link, health: &Health, lost: Option<f64>) -> Status {
    let health_since = health.since().map(|s| s as f64);
    let earliest = match (health_since, lost) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    match link {
        Link::Connecting if lost.is_none() => Status {
            class: "connecting",
            key: "stream.connecting",
            since: None,
            reason: None,
        },
        Link::Connecting | Link::Retrying | Link::Unauthorised => Status {
            class: "retrying",
            key: "stream.proxy_lost",
            since: earliest,
            reason: Some(Text::new(
                "The page lost kubefiche (the program that serves it) and tries again by itself: check that it still runs.",
                "La page a perdu kubefiche (le programme qui la sert) et réessaie d'elle-même : vérifiez qu'il tourne toujours.",
            )),
        },
        Link::Live => match health {
            Health::Live => Status {
                class: "live",
                key: "stream.live",
                since: None,
                reason: None,
            },
            Health::Reconnecting { reason, .. } => Status {
                class: "retrying",
                key: "stream.reconnecting",
                since: health_since,
                reason: Some(reason.clone()),
            },
            Health::Unreachable { reason, .. } => Status {
                class: "down",
                key: "stream.unreachable",
                since: health_since,
                reason: Some(reason.clone()),
            },
        },
    }
}

/// `HH:MM:SS` of `millis` in the browser's time zone.
fn clock(millis: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
    format!(
        "{:02}:{:02}:{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}

/// The badge next to the pane's title: the state, and for how long when it is not live.
#[component]
pub fn Badge(status: Memo<Status>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang;
    let text = move || {
        let lang = lang.get();
        status.with(|s| {
            let label = lang.t(s.key);
            match s.since {
                Some(since) => format!(
                    "{label} · {} {}",
                    lang.t("stream.for"),
                    super::pods::age(pane.now.get() - since)
                ),
                None => label.to_owned(),
            }
        })
    };
    let title = move || {
        let code = lang.get().code();
        status.with(|s| s.reason.as_ref().map(|r| r.get(code).to_owned()))
    };
    view! {
        <span class=move || status.with(|s| format!("link {}", s.class)) role="status" title=title>
            {text}
        </span>
    }
}

/// Over data of unknown freshness: as of when it is, and why.
#[component]
pub fn StaleNote(status: Memo<Status>) -> impl IntoView {
    let lang = expect_context::<Ctx>().lang;
    move || {
        status.with(|s| {
            s.since.map(|since| {
                let lang = lang.get();
                let reason = s
                    .reason
                    .as_ref()
                    .map(|r| format!(" {}", r.get(lang.code())))
                    .unwrap_or_default();
                view! {
                    <p class="stale-note">
                        {format!("{} {} — {}{reason}", lang.t("stream.as_of"), clock(since), lang.t("stream.stale"))}
                    </p>
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason() -> Text {
        Text::new("refused", "refusé")
    }

    #[test]
    fn live_only_when_both_links_are() {
        let live = status(Link::Live, &Health::Live, None);
        assert_eq!(
            (live.class, live.key, live.since),
            ("live", "stream.live", None)
        );
        let starting = status(Link::Connecting, &Health::Live, None);
        assert_eq!(starting.key, "stream.connecting");
        assert_eq!(starting.since, None, "nothing shown yet: nothing stale");
    }

    #[test]
    fn the_cluster_going_away_is_said_with_since_and_why() {
        let reconnecting = Health::Reconnecting {
            since: 1_000,
            reason: reason(),
        };
        let s = status(Link::Live, &reconnecting, None);
        assert_eq!(
            (s.class, s.key, s.since),
            ("retrying", "stream.reconnecting", Some(1_000.0))
        );
        assert_eq!(s.reason, Some(reason()));
        let unreachable = Health::Unreachable {
            since: 1_000,
            reason: reason(),
        };
        let s = status(Link::Live, &unreachable, None);
        assert_eq!((s.class, s.key), ("down", "stream.unreachable"));
    }

    #[test]
    fn the_proxy_going_away_is_said_and_dates_the_view_from_the_earliest_break() {
        for link in [Link::Retrying, Link::Connecting, Link::Unauthorised] {
            let s = status(link, &Health::Live, Some(5_000.0));
            assert_eq!(
                (s.class, s.key, s.since),
                ("retrying", "stream.proxy_lost", Some(5_000.0))
            );
            assert!(s.reason.is_some_and(|r| r.fr.contains("réessaie")));
        }
        let unreachable = Health::Unreachable {
            since: 2_000,
            reason: reason(),
        };
        let s = status(Link::Retrying, &unreachable, Some(5_000.0));
        assert_eq!(s.since, Some(2_000.0));
    }
}
