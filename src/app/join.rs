//! The join page (`/#join=CODE`): the learner picks the name the instructor will see, gets a seat
//! and their personal link, then starts. The link's token is kept like a `#token=` link's.

use kubefiche_core::Text;
use kubefiche_core::wire::class::{JoinRequest, Joined};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::class::{self, NAME_MAX};
use crate::i18n::Lang;
use crate::workspace;

#[component]
pub fn JoinPage(code: String) -> impl IntoView {
    let lang = RwSignal::new(super::initial_lang());
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().code());
        }
    });
    let name = RwSignal::new(String::new());
    // What went wrong: a label of ours, or the proxy's own words.
    let problem = RwSignal::new(None::<Text>);
    let busy = RwSignal::new(false);
    let joined = RwSignal::new(None::<Joined>);
    let code = StoredValue::new(code);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let name = match class::display_name(&name.get_untracked()) {
            Ok(name) => name,
            Err(why) => {
                problem.set(Some(Text::new(
                    Lang::En.t(why.key()),
                    Lang::Fr.t(why.key()),
                )));
                return;
            }
        };
        problem.set(None);
        busy.set(true);
        let request = JoinRequest {
            code: code.get_value(),
            name,
        };
        spawn_local(async move {
            match api::class::join(&request).await {
                Ok(seat) => {
                    api::keep_token(&seat.token);
                    joined.set(Some(seat));
                }
                Err(failure) => problem.set(Some(failure.message())),
            }
            busy.set(false);
        });
    };
    let switch_lang = move |_| {
        let next = lang.get_untracked().other();
        lang.set(next);
        workspace::set_setting("lang", next.code());
    };
    let t = move |key: &'static str| move || lang.get().t(key);
    let form = move || {
        view! {
            <form id="join-form" class="join-form" on:submit=submit novalidate>
                <h2>{t("join.title")}</h2>
                <label for="join-name">{t("join.name")}</label>
                <p class="hint" id="join-name-hint">{t("join.name.hint")}</p>
                <input
                    id="join-name"
                    type="text"
                    autocomplete="nickname"
                    maxlength=NAME_MAX.to_string()
                    aria-describedby="join-name-hint"
                    aria-invalid=move || problem.with(Option::is_some).to_string()
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <button id="join-submit" type="submit" class="primary" disabled=move || busy.get()>
                    {t("join.submit")}
                </button>
                {move || problem.get().map(|p| view! {
                    <p id="join-error" class="join-error" role="alert">{move || p.get(lang.get().code()).to_owned()}</p>
                })}
            </form>
        }
    };
    let done = move |seat: Joined| {
        let link = format!("{}/#token={}", class::origin(), seat.token);
        let copied = RwSignal::new(false);
        let to_copy = link.clone();
        view! {
            <section id="join-done" class="join-done">
                <h2>{move || format!("{} {} — {} {}", lang.get().t("join.welcome"), seat.name, lang.get().t("join.seat"), seat.seat)}</h2>
                <p>{t("join.link")}</p>
                <p class="personal-link">
                    <code id="personal-link">{link}</code>
                    <button id="personal-link-copy" type="button" on:click=move |_| {
                        let _ = window().navigator().clipboard().write_text(&to_copy);
                        copied.set(true);
                    }>
                        {move || lang.get().t(if copied.get() { "copied" } else { "copy" })}
                    </button>
                </p>
                <p class="join-private" role="note">{t("join.private")}</p>
                <button id="join-start" type="button" class="primary" on:click=move |_| start()>{t("join.start")}</button>
            </section>
        }
    };
    view! {
        <header class="top">
            <h1 class="brand">"kubefiche"<span class="tagline">{t("app.tagline")}</span></h1>
            <p class="where"></p>
            <div class="settings">
                <button type="button" class="toggle lang" lang=move || lang.get().other().code() on:click=switch_lang>
                    {t("lang.short")}
                </button>
            </div>
        </header>
        <main class="join-page">
            {move || match joined.get() {
                Some(seat) => done(seat).into_any(),
                None => form().into_any(),
            }}
        </main>
    }
}

/// Open the playground with the token just kept: the address without the join code.
fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    api::drop_fragment(&window);
    let _ = window.location().reload();
}
