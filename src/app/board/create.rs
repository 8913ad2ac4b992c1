//! The form that starts a class: its name, how many seats, the course's worksheets it works on,
//! and how long it lasts.

use leptos::prelude::*;

use super::Board;
use crate::api;
use crate::app::Ctx;
use crate::class::{self, SEATS_MAX};
use crate::course;

#[component]
pub fn CreateClass() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let board = expect_context::<Board>();
    let lang = ctx.lang;
    let t = move |key: &'static str| move || lang.get().t(key);
    let sheets: Vec<(String, String)> = course::shipped()
        .into_iter()
        .map(|s| (s.id.clone(), s.title()))
        .collect();
    let name = RwSignal::new(String::new());
    let seats = RwSignal::new("30".to_owned());
    let minutes = RwSignal::new("120".to_owned());
    let chosen = RwSignal::new(sheets.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>());
    let problem = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let asked = class::new_class(
            &name.get_untracked(),
            &seats.get_untracked(),
            chosen.get_untracked(),
            &minutes.get_untracked(),
        );
        let new = match asked {
            Ok(new) => new,
            Err(key) => {
                problem.set(Some(key));
                return;
            }
        };
        problem.set(None);
        busy.set(true);
        board.operate(ctx, move |token| async move {
            let answer = api::class::create(&token, &new).await;
            busy.set(false);
            answer
        });
    };
    let boxes = sheets
        .into_iter()
        .map(|(id, title)| {
            let checked_id = id.clone();
            let toggled_id = id.clone();
            view! {
                <label class="worksheet-choice">
                    <input
                        type="checkbox"
                        name="worksheet"
                        value=id
                        prop:checked=move || chosen.with(|c| c.contains(&checked_id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let id = toggled_id.clone();
                            chosen.update(|c| {
                                c.retain(|x| *x != id);
                                if on {
                                    c.push(id);
                                }
                            });
                        }
                    />
                    " "{title}
                </label>
            }
        })
        .collect_view();
    view! {
        <form id="class-form" class="class-form" on:submit=submit novalidate>
            <h2>{t("class.form.title")}</h2>
            <label for="class-name-input">{t("class.form.name")}</label>
            <input id="class-name-input" type="text" maxlength="80" required
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="class-seats-input">{t("class.form.seats")}</label>
            <input id="class-seats-input" type="number" min="1" max=SEATS_MAX.to_string() required
                prop:value=move || seats.get() on:input=move |ev| seats.set(event_target_value(&ev))/>
            <fieldset id="class-worksheets">
                <legend>{t("class.form.worksheets")}</legend>
                {boxes}
            </fieldset>
            <label for="class-minutes-input">{t("class.form.minutes")}</label>
            <input id="class-minutes-input" type="number" min="1" max=class::MINUTES_MAX.to_string() required
                prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev))/>
            {move || problem.get().map(|key| view! {
                <p id="class-form-error" class="form-error" role="alert">{move || lang.get().t(key)}</p>
            })}
            <button id="class-create" type="submit" class="primary" disabled=move || busy.get()>
                {t("class.form.create")}
            </button>
        </form>
    }
}
