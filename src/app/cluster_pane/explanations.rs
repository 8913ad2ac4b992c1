//! Failures explained: a badge on the row of an object that has explanations (its most serious
//! level, in words and an icon, not colour alone), and in its details each explanation's title,
//! cause, fix and remedies — a line of the workspace to open, or a command: a kubectl line runs
//! here through the pane's runner, any other is for the learner's own terminal.

use kubefiche_core::command::{Parsed, parse};
use kubefiche_core::live::ObjectKey;
use kubefiche_core::live::explain::{Explanation, Level, Remedy, about};
use leptos::prelude::*;

use super::{Pane, open_at};
use crate::app::Ctx;
use crate::i18n::Lang;

/// The most serious level among the explanations of `key`, and how many there are.
pub fn summary(all: &[Explanation], key: &ObjectKey) -> Option<(Level, usize)> {
    let mine: Vec<&Explanation> = about(all, key).collect();
    let level = mine.iter().map(|e| e.level).max()?;
    Some((level, mine.len()))
}

pub fn level_code(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "info",
    }
}

fn level_icon(level: Level) -> &'static str {
    match level {
        Level::Error => "⛔",
        Level::Warning => "⚠",
        Level::Info => "ℹ",
    }
}

fn level_label(level: Level, lang: Lang) -> &'static str {
    lang.t(match level {
        Level::Error => "severity.error",
        Level::Warning => "severity.warning",
        Level::Info => "severity.info",
    })
}

/// How a remedy's command can be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runnable {
    /// A kubectl line the page runs.
    Here,
    /// A line for the learner's own terminal (`kind load docker-image …`).
    Elsewhere,
}

pub fn runnable(line: &str) -> Runnable {
    match parse(line) {
        Parsed::Kubectl(_) => Runnable::Here,
        _ => Runnable::Elsewhere,
    }
}

#[component]
pub fn Badge(key: ObjectKey) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang;
    let found = Memo::new(move |_| pane.explanations.with(|all| summary(all, &key)));
    move || {
        found.get().map(|(level, count)| {
            let lang = lang.get();
            let words = if count > 1 {
                format!("{} ×{count}", level_label(level, lang))
            } else {
                level_label(level, lang).to_owned()
            };
            view! {
                <span class=format!("explained-badge {}", level_code(level))>
                    <span aria-hidden="true">{level_icon(level)}" "</span>{words}
                </span>
            }
        })
    }
}

/// Every explanation of `key`, most serious first.
#[component]
pub fn Explained(key: ObjectKey) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang;
    let mine = Memo::new(move |_| {
        pane.explanations
            .with(|all| about(all, &key).cloned().collect::<Vec<_>>())
    });
    move || {
        let list = mine.get();
        if list.is_empty() {
            return ().into_any();
        }
        let l = lang.get();
        view! {
            <ul class="explanations" aria-label=l.t("explained")>
                {list.into_iter().map(|e| one(ctx, pane, e, l)).collect_view()}
            </ul>
        }
        .into_any()
    }
}

fn one(ctx: Ctx, pane: Pane, e: Explanation, lang: Lang) -> impl IntoView {
    let code = lang.code();
    let remedies = e
        .remedies
        .into_iter()
        .map(|r| remedy(ctx, pane, r, lang))
        .collect_view();
    view! {
        <li class=format!("explanation {}", level_code(e.level)) data-code=e.code.clone()>
            <p class="explanation-title">
                <span aria-hidden="true">{level_icon(e.level)}" "</span>
                <span class="level">{level_label(e.level, lang)}</span>{lang.t("colon")}" "
                <strong>{e.title.get(code).to_owned()}</strong>
            </p>
            <p class="cause">{e.cause.get(code).to_owned()}</p>
            <p class="fix"><span class="fix-label">{lang.t("explained.fix")}</span>{lang.t("colon")}" "{e.fix.get(code).to_owned()}</p>
            <ul class="remedies">{remedies}</ul>
        </li>
    }
}

fn remedy(ctx: Ctx, pane: Pane, remedy: Remedy, lang: Lang) -> impl IntoView {
    match remedy {
        Remedy::Line { file, line, label } => {
            let shown = format!("{file}:{line}");
            view! {
                <li class="remedy line">
                    <button type="button" class="file-link" on:click=move |_| open_at(ctx, &file, line)>
                        {shown}
                    </button>
                    " "{label.get(lang.code()).to_owned()}
                </li>
            }
            .into_any()
        }
        Remedy::Command { line } => {
            let action = match runnable(&line) {
                Runnable::Here => {
                    let run = line.clone();
                    view! {
                        <button type="button" class="run-remedy" on:click=move |_| pane.runs.start(ctx, run.clone())>
                            <span aria-hidden="true">"▶ "</span>{lang.t("run.label.short")}
                        </button>
                    }
                    .into_any()
                }
                Runnable::Elsewhere => {
                    let copy = line.clone();
                    view! {
                        <span class="elsewhere">{lang.t("explained.elsewhere")}</span>
                        " "
                        <button type="button" class="copy" on:click=move |_| copy_text(&copy)>
                            {lang.t("copy")}
                        </button>
                    }
                    .into_any()
                }
            };
            view! {
                <li class="remedy command"><code>{line}</code>" "{action}</li>
            }
            .into_any()
        }
    }
}

fn copy_text(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

#[cfg(test)]
mod tests {
    use kubefiche_core::Text;

    use super::*;

    fn explanation(name: &str, level: Level) -> Explanation {
        Explanation {
            object: ObjectKey::new("Pod", name),
            code: "missing-config".into(),
            level,
            title: Text::new("t", "t"),
            cause: Text::new("c", "c"),
            fix: Text::new("f", "f"),
            remedies: vec![],
        }
    }

    #[test]
    fn the_badge_tells_the_most_serious_level() {
        let all = [
            explanation("a", Level::Info),
            explanation("a", Level::Error),
            explanation("b", Level::Warning),
        ];
        assert_eq!(
            summary(&all, &ObjectKey::new("Pod", "a")),
            Some((Level::Error, 2))
        );
        assert_eq!(
            summary(&all, &ObjectKey::new("Pod", "b")),
            Some((Level::Warning, 1))
        );
        assert_eq!(summary(&all, &ObjectKey::new("Pod", "c")), None);
    }

    #[test]
    fn kubectl_remedies_run_here_others_elsewhere() {
        assert_eq!(runnable("kubectl apply -f k8s/config.yaml"), Runnable::Here);
        assert_eq!(
            runnable("kind load docker-image mcp-server:latest"),
            Runnable::Elsewhere
        );
    }
}
