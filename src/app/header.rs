//! The top bar: name, where the manifests go (in a class: the class, the learner, their own
//! namespace), the pane switch when the panes do not all fit,
//! language and projector mode; before it, links that skip to each pane.

use kubefiche_core::wire::class::Role;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Ctx;
use super::console::Console;
use super::layout::{Layout, PaneId, PaneSwitch};
use crate::workspace;

#[component]
pub fn Header() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let layout = expect_context::<Layout>();
    let lang = ctx.lang;
    let projector = layout.projector;
    let console = expect_context::<Console>();
    // The board has no panes and no console.
    let instructor = move || {
        ctx.session.with(|s| {
            s.as_ref()
                .is_some_and(|s| matches!(s.role, Role::Instructor { .. }))
        })
    };
    let switch_lang = move |_| {
        let next = lang.get_untracked().other();
        lang.set(next);
        workspace::set_setting("lang", next.code());
    };
    view! {
        <nav class="skip" aria-label=move || lang.get().t("skip") hidden=instructor>
            {[(PaneId::Workspace, "skip.workspace"), (PaneId::Cluster, "skip.cluster")].map(|(pane, key)| view! {
                <button type="button" on:click=move |_| go_to(layout, pane)>{move || lang.get().t(key)}</button>
            })}
        </nav>
        <header class="top">
            <h1 class="brand">"kubefiche"<span class="tagline">{move || lang.get().t("app.tagline")}</span></h1>
            <p class="where">
                {move || ctx.session.get().map(|s| match s.role.clone() {
                    Role::Local => view! {
                        <span class="context">{lang.get().t("context")}": "<strong>{s.context.clone()}</strong></span>
                        <span>{lang.get().t("namespace")}": "<strong class="namespace">{s.namespace.clone()}</strong></span>
                        <span class="version">{s.server_version.clone()}</span>
                    }.into_any(),
                    Role::Learner { class, name, .. } => view! {
                        <span class="class-of">{lang.get().t("class.label")}": "<strong id="header-class">{class}</strong></span>
                        <span class="learner-of">{lang.get().t("learner.label")}": "<strong id="header-learner">{name}</strong></span>
                        <span>
                            {lang.get().t("namespace")}": "<strong class="namespace">{s.namespace.clone()}</strong>
                            " "<span class="own-namespace">{lang.get().t("namespace.own")}</span>
                        </span>
                    }.into_any(),
                    Role::Instructor { class } => view! {
                        <span class="instructor-of"><strong>{lang.get().t("instructor.label")}</strong></span>
                        {class.map(|c| view! { <span class="class-of">{lang.get().t("class.label")}": "<strong>{c}</strong></span> })}
                        <span class="version">{s.server_version.clone()}</span>
                    }.into_any(),
                })}
            </p>
            {move || (!instructor()).then(|| view! { <PaneSwitch/> })}
            <div class="settings">
                <button
                    type="button"
                    class="toggle console-toggle"
                    hidden=instructor
                    aria-pressed=move || console.open.get().to_string()
                    aria-controls=move || console.open.get().then_some("console")
                    on:click=move |_| console.toggle()
                >
                    {move || lang.get().t("console")}
                </button>
                <button
                    type="button"
                    class="toggle projector-toggle"
                    aria-pressed=move || projector.get().to_string()
                    on:click=move |_| projector.update(|p| *p = !*p)
                >
                    {move || lang.get().t("theme.large")}
                </button>
                <button
                    type="button"
                    class="toggle lang"
                    lang=move || lang.get().other().code()
                    on:click=switch_lang
                >
                    {move || lang.get().t("lang.short")}
                </button>
            </div>
        </header>
    }
}

/// Show `pane` and move the keyboard focus into it.
fn go_to(layout: Layout, pane: PaneId) {
    layout.reveal(pane);
    request_animation_frame(move || {
        let body = document()
            .query_selector(&format!("#pane-{} .pane-body", pane.code()))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(body) = body {
            let _ = body.focus();
        }
    });
}
