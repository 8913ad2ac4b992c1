//! One stream for every tab of a browser. A browser keeps at most six HTTP/1.1 connections to one
//! host, and each stream holds one for as long as its page is open: a seventh tab on the same
//! proxy would never load. So the tabs elect one of them (the Web Locks API: whoever holds the
//! lock, until its page goes) to follow the proxy's stream, and it passes every event on to the
//! others over a `BroadcastChannel`; a tab that arrives asks, and the one that follows answers
//! with what it holds. When that tab closes, the lock passes to another, which opens its own
//! stream and starts from the proxy's snapshot. Without these APIs each tab follows alone.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use kubefiche_core::wire::StreamEvent;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{BroadcastChannel, MessageEvent};

use super::{Link, follow};

/// What the tabs tell each other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Shared {
    /// A tab arrived: the one that follows the stream answers with what it holds.
    Hello,
    Event {
        event: Box<StreamEvent>,
    },
    Link {
        link: Link,
    },
}

/// Follow the proxy's stream through whichever tab holds the lock. `snapshot` gives what this
/// tab holds, once it has a first list, for a tab that arrives.
pub fn follow_shared(
    token: String,
    on_event: impl Fn(StreamEvent) + 'static,
    on_link: impl Fn(Link) + 'static,
    snapshot: impl Fn() -> Option<StreamEvent> + 'static,
) {
    let name = channel_name(&token);
    let locks = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &JsValue::from_str("locks")).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let (Some(locks), Ok(channel)) = (locks, BroadcastChannel::new(&name)) else {
        spawn_local(follow(token, on_event, on_link));
        return;
    };
    let on_event = Rc::new(on_event);
    let on_link = Rc::new(on_link);
    let leading = Rc::new(Cell::new(false));
    let last_link = Rc::new(Cell::new(Link::Connecting));
    let post = {
        let channel = channel.clone();
        move |message: &Shared| {
            if let Ok(text) = serde_json::to_string(message) {
                let _ = channel.post_message(&JsValue::from_str(&text));
            }
        }
    };
    let heard = {
        let (on_event, on_link, leading, last_link, post) = (
            on_event.clone(),
            on_link.clone(),
            leading.clone(),
            last_link.clone(),
            post.clone(),
        );
        Closure::<dyn Fn(MessageEvent)>::new(move |message: MessageEvent| {
            let Some(text) = message.data().as_string() else {
                return;
            };
            let Ok(shared) = serde_json::from_str::<Shared>(&text) else {
                return;
            };
            match (leading.get(), shared) {
                (true, Shared::Hello) => {
                    if let Some(event) = snapshot() {
                        post(&Shared::Event {
                            event: Box::new(event),
                        });
                    }
                    post(&Shared::Link {
                        link: last_link.get(),
                    });
                }
                (false, Shared::Event { event }) => on_event(*event),
                (false, Shared::Link { link }) => on_link(link),
                _ => {}
            }
        })
    };
    channel.set_onmessage(Some(heard.as_ref().unchecked_ref()));
    // The page lives as long as the channel: so do its listener and the election below.
    heard.forget();
    post(&Shared::Hello);
    let elected = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |_lock: JsValue| {
        leading.set(true);
        let (on_event, on_link, post, last_link) = (
            on_event.clone(),
            on_link.clone(),
            post.clone(),
            last_link.clone(),
        );
        let post_link = post.clone();
        spawn_local(follow(
            token.clone(),
            move |event: StreamEvent| {
                post(&Shared::Event {
                    event: Box::new(event.clone()),
                });
                on_event(event);
            },
            move |link: Link| {
                last_link.set(link);
                post_link(&Shared::Link { link });
                on_link(link);
            },
        ));
        // Held until the page goes.
        Promise::new(&mut |_, _| {})
    });
    let request = Reflect::get(&locks, &JsValue::from_str("request"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(request) = request {
        let _ = request.call2(&locks, &JsValue::from_str(&name), elected.as_ref());
    }
    elected.forget();
}

/// The channel and lock of the tabs of one proxy launch (named after its token, not by it).
pub fn channel_name(token: &str) -> String {
    // FNV-1a: tabs of another launch (another token) never share.
    let hash = token.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("kubefiche-stream-{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launches_do_not_share_and_messages_round_trip() {
        assert_ne!(channel_name("a"), channel_name("b"));
        assert!(!channel_name("secret-token").contains("secret"));
        for message in [
            Shared::Hello,
            Shared::Link { link: Link::Live },
            Shared::Event {
                event: Box::new(StreamEvent::Deleted {
                    kind: "Pod".into(),
                    name: "web".into(),
                }),
            },
        ] {
            let text = serde_json::to_string(&message).expect("json");
            assert_eq!(
                serde_json::from_str::<Shared>(&text).expect("back"),
                message
            );
        }
    }
}
