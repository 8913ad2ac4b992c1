//! Above the worksheet: which worksheet of the course this is, its contents (headings nested by
//! their depth, whatever their levels), the list of the others (with each one's progress), and a
//! way to open a worksheet file of the learner's own (picker or drop).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::Ctx;
use super::checking;
use crate::course;

#[component]
pub fn CourseBar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let open = RwSignal::new(false);
    let current = StoredValue::new(ctx.sheet_id());
    // The worksheet's headings, read once for the checks.
    let headings = expect_context::<checking::Checking>().headings;
    let title = headings
        .with_value(|h| h.first().map(|h| h.text.clone()))
        .unwrap_or_else(|| ctx.sheet_id());
    let list = move || {
        course::all()
            .into_iter()
            .map(|sheet| {
                let here = current.with_value(|c| *c == sheet.id);
                let fraction = checking::stored_fraction(&sheet);
                let id = sheet.id.clone();
                let own = sheet.own;
                let title = sheet.title();
                view! {
                    <li class="worksheet" data-fiche=id.clone() aria-current=here.then_some("page")>
                        <a href=format!("?fiche={id}") on:click={
                            let id = id.clone();
                            move |event: web_sys::MouseEvent| {
                                event.prevent_default();
                                course::open(&id);
                            }
                        }>{title}</a>
                        {own.then(|| view! { <span class="tag">{move || lang.get().t("course.own")}</span> })}
                        {here.then(|| view! { <span class="tag">{move || lang.get().t("course.current")}</span> })}
                        <span class="worksheet-progress">
                            {match fraction {
                                Some((done, total)) => view! {
                                    <progress max=total.max(1) value=done></progress>
                                    <span>{format!("{done}/{total}")}</span>
                                }.into_any(),
                                None => view! {
                                    <span class="muted">{move || lang.get().t("course.no.checks")}</span>
                                }.into_any(),
                            }}
                        </span>
                        {own.then(|| view! {
                            <button type="button" class="link" on:click={
                                let id = id.clone();
                                move |_| {
                                    course::remove_own(&id);
                                    open.set(false);
                                    open.set(true);
                                }
                            }>{move || lang.get().t("course.remove")}</button>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    let on_pick = move |event: web_sys::Event| {
        let input = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) {
            open_file(ctx, file);
        }
    };
    let contents = RwSignal::new(false);
    let repaired = ctx
        .sheet
        .with_value(|s| s.own.then(|| course::repaired(&s.id)).flatten());
    view! {
        <div class="course-bar">
            <span class="course-title">{title}</span>
            {repaired.map(|encoding| {
                let title = encoding.clone();
                view! {
                    <span class="tag repaired" title=title>
                        {move || format!("{} ({encoding})", lang.get().t("course.repaired"))}
                    </span>
                }
            })}
            <button
                type="button"
                class="toggle contents-toggle"
                aria-expanded=move || contents.get().to_string()
                aria-controls="contents"
                on:click=move |_| contents.update(|o| *o = !*o)
            >
                {move || lang.get().t("course.contents")}
            </button>
            <button
                type="button"
                class="toggle worksheets-toggle"
                aria-expanded=move || open.get().to_string()
                aria-controls="worksheets"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || lang.get().t("course.worksheets")}
            </button>
        </div>
        <Show when=move || contents.get()>
            <nav id="contents" class="contents" aria-label=move || lang.get().t("course.contents")>
                <ul>
                    {headings.get_value().into_iter().map(|h| {
                        let slug = h.slug.clone();
                        view! {
                            <li data-depth=h.depth style:padding-left=format!("{}em", h.depth.saturating_sub(1))>
                                <a href=format!("#{}", h.slug) on:click=move |event: web_sys::MouseEvent| {
                                    event.prevent_default();
                                    checking::scroll_to(&slug);
                                }>{h.text}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        </Show>
        <Show when=move || open.get()>
            <section id="worksheets" class="worksheets" aria-label=move || lang.get().t("course.list")>
                <ul>{list}</ul>
                <label class="pick-file">
                    <span>{move || lang.get().t("course.pick")}</span>
                    <input type="file" accept=".md,.markdown,text/markdown,text/plain" on:change=on_pick/>
                </label>
                <p class="muted">{move || lang.get().t("course.drop")}</p>
            </section>
        </Show>
    }
}

/// A `.md` file dropped on the worksheet opens like one picked.
pub fn on_drop(ctx: Ctx, event: &web_sys::DragEvent) -> bool {
    let Some(file) = event
        .data_transfer()
        .and_then(|d| d.files())
        .and_then(|f| f.get(0))
    else {
        return false;
    };
    event.prevent_default();
    open_file(ctx, file);
    true
}

fn open_file(ctx: Ctx, file: web_sys::File) {
    let name = file.name();
    spawn_local(async move {
        let bytes = match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
            Err(_) => {
                ctx.banner.set(Some(kubefiche_core::Text::new(
                    format!("{name} could not be read: choose it again."),
                    format!("{name} n'a pas pu être lu : choisissez-le à nouveau."),
                )));
                return;
            }
        };
        match course::add_own(&name, &bytes) {
            Ok((id, _)) => course::open(&id),
            Err(why) => ctx.banner.set(Some(why)),
        }
    });
}
