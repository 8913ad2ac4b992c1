//! A pane's frame (its name, the enlarge button, the strip it shrinks to, its own scrolling),
//! the switch between panes when they do not all fit, and the pointer's halo on a projector.

use leptos::prelude::*;

use super::{Layout, Mode, PaneId};
use crate::app::Ctx;

/// A pane: a head with its name and the enlarge button, the content in a scrolling region
/// reachable by keyboard, and a strip that stands in for the pane when another is enlarged.
#[component]
pub fn Pane(id: PaneId, children: Children) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let layout = expect_context::<Layout>();
    let lang = ctx.lang;
    let name = move || lang.get().t(id.label_key());
    let focused = move || layout.choices.with(|c| c.focus == Some(id));
    let enlarge_label = move || {
        let l = lang.get();
        if focused() {
            l.t("pane.all").to_owned()
        } else {
            format!("{} {}", l.t("pane.enlarge"), name())
        }
    };
    view! {
        <div
            class=format!("pane {}", id.code())
            id=format!("pane-{}", id.code())
            data-shown=move || layout.shown(id).code()
        >
            <div class="pane-head">
                <span class="pane-name">{name}</span>
                <button
                    type="button"
                    class="enlarge"
                    aria-label=enlarge_label
                    on:click=move |_| layout.toggle_focus(id)
                >
                    {move || lang.get().t(if focused() { "pane.all" } else { "pane.enlarge" })}
                </button>
            </div>
            <button
                type="button"
                class="strip-open"
                aria-label=move || format!("{} {}", lang.get().t("pane.enlarge"), name())
                on:click=move |_| layout.toggle_focus(id)
            >
                <span class="strip-name">{name}</span>
            </button>
            <section class="pane-body" tabindex="0" aria-label=name>
                {children()}
            </section>
        </div>
    }
}

/// The buttons that pick the pane to see when they do not all fit side by side.
#[component]
pub fn PaneSwitch() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let layout = expect_context::<Layout>();
    let lang = ctx.lang;
    let pressed = move |pane: PaneId| {
        let mode = layout.mode.get();
        layout.choices.with(|c| match mode {
            Mode::Medium => c.second() == pane,
            _ => c.chosen == pane,
        })
    };
    let count = move |pane: PaneId| match pane {
        PaneId::Cluster => ctx.pods.with(Vec::len),
        _ => 0,
    };
    view! {
        <nav class="switch" aria-label=move || lang.get().t("panes")>
            {PaneId::ALL.into_iter().map(|pane| view! {
                <button
                    type="button"
                    class=format!("toggle {}", pane.code())
                    aria-pressed=move || pressed(pane).to_string()
                    on:click=move |_| layout.choose(pane)
                >
                    {move || lang.get().t(pane.label_key())}
                    {move || (count(pane) > 0).then(|| view! { <span class="count">{count(pane)}</span> })}
                </button>
            }).collect_view()}
        </nav>
    }
}

/// A ring that follows the pointer in projector mode, so that the room sees where it is.
#[component]
pub fn PointerHalo() -> impl IntoView {
    let layout = expect_context::<Layout>();
    let at = RwSignal::new(None::<(i32, i32)>);
    let listener = window_event_listener(leptos::ev::pointermove, move |event| {
        if layout.projector.get_untracked() && event.pointer_type() != "touch" {
            at.set(Some((event.client_x(), event.client_y())));
        }
    });
    let leave = window_event_listener(leptos::ev::pointerout, move |event| {
        if event.related_target().is_none() {
            at.set(None);
        }
    });
    on_cleanup(move || {
        listener.remove();
        leave.remove();
    });
    move || {
        let (x, y) = at.get().filter(|_| layout.projector.get())?;
        Some(view! {
            <div class="pointer-halo" aria-hidden="true" style:transform=format!("translate({x}px, {y}px)")></div>
        })
    }
}
