//! The top bar: name, where the manifests go, language and projector mode.

use leptos::prelude::*;

use super::Ctx;
use crate::workspace;

#[component]
pub fn Header() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let projector = RwSignal::new(workspace::setting("projector").as_deref() == Some("on"));
    Effect::new(move |_| {
        let on = projector.get();
        if let Some(root) = document().document_element() {
            let _ = root.class_list().toggle_with_force("projector", on);
        }
        workspace::set_setting("projector", if on { "on" } else { "off" });
    });
    let switch_lang = move |_| {
        let next = lang.get_untracked().other();
        lang.set(next);
        workspace::set_setting("lang", next.code());
    };
    view! {
        <header class="top">
            <h1 class="brand">"kubefiche"<span class="tagline">{move || lang.get().t("app.tagline")}</span></h1>
            <p class="where">
                {move || ctx.session.get().map(|s| view! {
                    <span>{lang.get().t("context")}": "<strong>{s.context.clone()}</strong></span>
                    <span>{lang.get().t("namespace")}": "<strong class="namespace">{s.namespace.clone()}</strong></span>
                    <span class="version">{s.server_version.clone()}</span>
                })}
            </p>
            <div class="settings">
                <button
                    type="button"
                    class="toggle"
                    aria-pressed=move || projector.get().to_string()
                    on:click=move |_| projector.update(|p| *p = !*p)
                >
                    {move || lang.get().t("theme.large")}
                </button>
                <button
                    type="button"
                    class="toggle lang"
                    aria-label=move || lang.get().t("lang.switch")
                    on:click=switch_lang
                >
                    {move || lang.get().t("lang.short")}
                </button>
            </div>
        </header>
    }
}
