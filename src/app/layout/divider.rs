//! The divider between two panes: dragged with the pointer, or focused and moved with the
//! arrow keys (Home and End for the extremes), like a window splitter.

use leptos::html::Div;
use leptos::prelude::*;

use super::{Choices, Layout, Mode, PaneId};
use crate::app::Ctx;

/// One arrow key press moves the divider by this share of the panes' width (Shift: five times).
const STEP: f64 = 0.02;

#[component]
pub fn Divider(
    /// The pane on the divider's left (the worksheet or the manifests).
    after: PaneId,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let layout = expect_context::<Layout>();
    let lang = ctx.lang;
    let node = NodeRef::<Div>::new();
    let dragging = RwSignal::new(false);
    // In medium mode the divider after the worksheet borders whichever pane is beside it.
    let neighbour = move || match (layout.mode.get(), after) {
        (Mode::Medium, _) => layout.choices.with(Choices::second),
        (_, PaneId::Fiche) => PaneId::Workspace,
        _ => PaneId::Cluster,
    };
    let range = move || {
        let (mode, width, scale) = (layout.mode.get(), layout.width.get(), layout.scale());
        layout
            .choices
            .with(|c| c.divider_range(mode, after, width, scale))
    };
    let percent = |share: f64| (share * 100.0).round();
    let move_to = move |share: f64| {
        let (mode, width, scale) = (
            layout.mode.get_untracked(),
            layout.width.get_untracked(),
            layout.scale_untracked(),
        );
        layout
            .choices
            .update(|c| c.move_divider(mode, after, share, width, scale));
    };
    let on_key = move |event: web_sys::KeyboardEvent| {
        let (now, min, max) = layout.choices.with_untracked(|c| {
            c.divider_range(
                layout.mode.get_untracked(),
                after,
                layout.width.get_untracked(),
                layout.scale_untracked(),
            )
        });
        let step = if event.shift_key() { 5.0 * STEP } else { STEP };
        let target = match event.key().as_str() {
            "ArrowLeft" | "ArrowDown" => now - step,
            "ArrowRight" | "ArrowUp" => now + step,
            "Home" => min,
            "End" => max,
            _ => return,
        };
        event.prevent_default();
        move_to(target);
    };
    let on_down = move |event: web_sys::PointerEvent| {
        if event.button() != 0 {
            return;
        }
        if let Some(element) = node.get_untracked() {
            let _ = element.set_pointer_capture(event.pointer_id());
            let _ = element.focus();
        }
        event.prevent_default();
        dragging.set(true);
    };
    let on_move = move |event: web_sys::PointerEvent| {
        if !dragging.get_untracked() {
            return;
        }
        let x = f64::from(event.client_x());
        let share = Choices::share_at(
            layout.mode.get_untracked(),
            after,
            x,
            layout.width.get_untracked(),
        );
        move_to(share);
    };
    let on_up = move |_: web_sys::PointerEvent| dragging.set(false);
    let label = move || {
        let l = lang.get();
        format!(
            "{} {} | {}",
            l.t("divider.resize"),
            l.t(after.label_key()),
            l.t(neighbour().label_key())
        )
    };
    view! {
        <div
            node_ref=node
            class="divider"
            class:dragging=move || dragging.get()
            role="separator"
            aria-orientation="vertical"
            tabindex="0"
            aria-controls=format!("pane-{}", after.code())
            aria-label=label
            aria-valuemin=move || percent(range().1).to_string()
            aria-valuemax=move || percent(range().2).to_string()
            aria-valuenow=move || percent(range().0).to_string()
            aria-valuetext=move || {
                let (mode, width, scale) = (layout.mode.get(), layout.width.get(), layout.scale());
                let share = layout.choices.with(|c| c.share_of(mode, after, width, scale));
                format!("{} {} %", lang.get().t(after.label_key()), percent(share))
            }
            data-shown=move || {
                let mode = layout.mode.get();
                if layout.choices.with(|c| c.divider_shown(mode, after)) { "open" } else { "hidden" }
            }
            on:keydown=on_key
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_up
        ></div>
    }
}
