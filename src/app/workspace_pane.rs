//! The manifests: a tab per file, the editor, the apply buttons, problems and results (told to
//! screen readers by `announce`).

use kubefiche_core::wire::Outcome;
use kubefiche_core::{Diagnostic, Severity};
use leptos::html::Div;
use leptos::prelude::*;

use super::{ApplyState, Ctx};
use crate::editor::{self, Hooks};
use crate::i18n::Lang;

#[component]
pub fn WorkspacePane() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let host = NodeRef::<Div>::new();
    host.on_load(move |element| {
        let workbench = editor::create(
            &element,
            Hooks {
                on_change: Box::new(move |path, text| ctx.edited(&path, text)),
                label: Box::new(move |path| {
                    format!("{} {path}", lang.get_untracked().t("editor.label"))
                }),
                lang: Box::new(move || lang.get_untracked()),
            },
        );
        ctx.workbench.set_value(Some(workbench));
        ctx.show(ctx.active.get_untracked());
        // The editable text is in the tab order already (contenteditable); saying so lets
        // accessibility checkers see that the editor's scrolling box is reachable by keyboard.
        if let Ok(Some(content)) = element.query_selector(".cm-content") {
            let _ = content.set_attribute("tabindex", "0");
        }
    });
    // Every finding of the active file, from the browser and from the last apply, in the editor.
    Effect::new(move |_| {
        let index = ctx.active.get();
        let path = ctx.path(index);
        let lang = lang.get();
        let mine = shown(ctx, Some(&path));
        ctx.workbench.with_value(|wb| {
            if let Some(wb) = wb {
                wb.set_diagnostics(&path, &mine, lang);
            }
        });
    });
    let tabs = move || {
        ctx.files.with_value(|files| {
            files
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let path = f.path.clone();
                    let errors = move || shown(ctx, Some(&ctx.path(i))).iter().filter(|d| d.severity == Severity::Error).count();
                    view! {
                        <button
                            type="button"
                            role="tab"
                            class="tab"
                            aria-selected=move || (ctx.active.get() == i).to_string()
                            on:click=move |_| ctx.show(i)
                        >
                            {path}
                            {move || (errors() > 0).then(|| view! { <span class="badge error">{errors()}</span> })}
                        </button>
                    }
                })
                .collect_view()
        })
    };
    let running = move || ctx.apply_state.get() == ApplyState::Running;
    view! {
            <div class="tabs" role="tablist" aria-label=move || lang.get().t("files")>{tabs}</div>
            <div class="toolbar">
                <button type="button" class="primary" disabled=running on:click=move |_| ctx.apply(false, false)>
                    {move || lang.get().t("apply")}
                </button>
                <button type="button" disabled=running on:click=move |_| ctx.apply(true, false)>
                    {move || lang.get().t("apply.all")}
                </button>
                <button type="button" disabled=running on:click=move |_| ctx.apply(true, true)>
                    {move || lang.get().t("check")}
                </button>
                <button
                    type="button"
                    class="quiet"
                    on:click=move |_| {
                        if window().confirm_with_message(lang.get_untracked().t("reset.confirm")).unwrap_or(false) {
                            ctx.reset_active();
                        }
                    }
                >
                    {move || lang.get().t("reset")}
                </button>
            </div>
            <div class="editor" node_ref=host></div>
            <p class="hint" id="editor-keys">{move || lang.get().t("editor.keys")}</p>
            <Problems/>
            <Results/>
    }
}

/// The findings to show: the browser's and the last apply's, for one file or all.
fn shown(ctx: Ctx, file: Option<&str>) -> Vec<Diagnostic> {
    let mut all = ctx.diagnostics.get();
    all.extend(ctx.server_diagnostics.get());
    all.retain(|d| file.is_none_or(|f| d.file == f));
    all.sort_by(|a, b| {
        (&a.file, a.span.line, a.span.column, a.severity).cmp(&(
            &b.file,
            b.span.line,
            b.span.column,
            b.severity,
        ))
    });
    all.dedup();
    all
}

fn severity_label(severity: Severity, lang: Lang) -> &'static str {
    lang.t(match severity {
        Severity::Error => "severity.error",
        Severity::Warning => "severity.warning",
        Severity::Info => "severity.info",
    })
}

#[component]
fn Problems() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let jump = move |d: &Diagnostic| {
        let (file, line, column) = (d.file.clone(), d.span.line, d.span.column);
        move |_| {
            if ctx.show_path(&file) {
                ctx.workbench.with_value(|wb| {
                    if let Some(wb) = wb {
                        wb.goto(line, column);
                    }
                });
            }
        }
    };
    view! {
        <section class="problems" aria-label=move || lang.get().t("problems")>
            <h2>{move || lang.get().t("problems")}</h2>
            {move || {
                let list = shown(ctx, None);
                if list.is_empty() {
                    return view! { <p class="none">{lang.get().t("problems.none")}</p> }.into_any();
                }
                let lang = lang.get();
                view! {
                    <ul>
                        {list.iter().map(|d| {
                            let class = format!("problem {}", severity_label(d.severity, Lang::En));
                            view! {
                                <li class=class>
                                    <button type="button" on:click=jump(d)>
                                        <span class="where">{format!("{}:{}:{}", d.file, d.span.line, d.span.column)}</span>
                                        <span class="severity">{severity_label(d.severity, lang)}</span>
                                        <span class="message">{d.message.get(lang.code()).to_owned()}</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Results() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    move || {
        let lang = lang.get();
        match ctx.apply_state.get() {
            ApplyState::Idle => ().into_any(),
            ApplyState::Running => {
                view! { <p class="results">{lang.t("apply.running")}</p> }.into_any()
            }
            ApplyState::Failed(text) => {
                view! { <p class="results error">{text.get(lang.code()).to_owned()}</p> }.into_any()
            }
            ApplyState::Done { response, dry_run } => {
                let blocked = response.results.is_empty() && !response.diagnostics.is_empty();
                view! {
                    <section class="results" aria-label=lang.t("results")>
                        <h2>{lang.t("results")} {dry_run.then(|| format!(" {}", lang.t("outcome.dry")))}</h2>
                        {blocked.then(|| view! { <p class="error">{lang.t("outcome.blocked")}</p> })}
                        <ul>
                            {response.results.into_iter().map(|r| {
                                let (class, label) = match &r.outcome {
                                    Outcome::Created => ("created", lang.t("outcome.created")),
                                    Outcome::Configured => ("configured", lang.t("outcome.configured")),
                                    Outcome::Unchanged => ("unchanged", lang.t("outcome.unchanged")),
                                    Outcome::Failed { .. } => ("failed", lang.t("outcome.failed")),
                                };
                                let detail = match &r.outcome {
                                    Outcome::Failed { diagnostics, .. } => diagnostics.iter().map(|d| format!("{} {}: {}", lang.t("line"), d.span.line, d.message.get(lang.code()))).collect::<Vec<_>>().join(" · "),
                                    _ => String::new(),
                                };
                                view! {
                                    <li class=format!("outcome {class}")>
                                        <span class="object">{format!("{}/{}", r.kind.to_lowercase(), r.name)}</span>
                                        " "<strong>{label}</strong>
                                        <span class="where">{format!(" ({}:{})", r.file, r.line)}</span>
                                        {(!detail.is_empty()).then(|| view! { <p class="detail">{detail}</p> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any()
            }
        }
    }
}
