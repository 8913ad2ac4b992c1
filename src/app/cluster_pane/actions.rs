//! Actions that teach: each shows the kubectl command it is the same as, and runs that command
//! through the pane's runner (its output under the pane, its audit line in the proxy's log).
//! Deleting asks first, in a real dialog: Escape cancels, and the focus returns where it was.

use kubefiche_core::live::{Facts, ObjectKey};
use leptos::html::Dialog;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::objects::kind_word;
use super::{Pane, dom_id};
use crate::app::Ctx;

/// `kubectl scale deployment/NAME --replicas=N`.
pub fn scale_line(name: &str, replicas: u32) -> String {
    format!("kubectl scale deployment/{name} --replicas={replicas}")
}

pub fn restart_line(name: &str) -> String {
    format!("kubectl rollout restart deployment/{name}")
}

pub fn delete_line(kind: &str, name: &str) -> String {
    format!("kubectl delete {} {name}", kind_word(kind))
}

/// A Job from a CronJob, named `NAME-manual-SUFFIX` within the 63 characters a Job's name may
/// have (its pods carry it in a label).
pub fn trigger_line(cron_job: &str, suffix: &str) -> String {
    let room = 63 - "-manual-".len() - suffix.len();
    let base = cron_job
        .get(..room.min(cron_job.len()))
        .unwrap_or(cron_job)
        .trim_end_matches('-');
    format!("kubectl create job --from=cronjob/{cron_job} {base}-manual-{suffix}")
}

pub fn suspend_line(name: &str, suspend: bool) -> String {
    format!("kubectl patch cronjob {name} -p '{{\"spec\":{{\"suspend\":{suspend}}}}}'")
}

/// Five characters for a name, from `random` numbers in [0, 1).
pub fn suffix(mut random: impl FnMut() -> f64) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    (0..5)
        .map(|_| {
            let i = ((random() * ALPHABET.len() as f64) as usize).min(ALPHABET.len() - 1);
            char::from(ALPHABET[i])
        })
        .collect()
}

/// A deletion waiting for its confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub key: ObjectKey,
    pub line: String,
    /// The element to give the focus back to.
    pub back: String,
}

/// What the object's kind offers.
#[component]
pub fn Actions(key: ObjectKey) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang;
    let facts = {
        let key = key.clone();
        ctx.live
            .with_untracked(|l| l.get(&key.kind, &key.name).map(|o| o.facts.clone()))
    };
    let name = key.name.clone();
    let run = move |line: String| pane.runs.start(ctx, line);
    let specific = match facts {
        Some(Facts::Deployment(d)) => {
            let wanted = RwSignal::new(d.replicas);
            let (n1, n2, n3, n4) = (name.clone(), name.clone(), name.clone(), name.clone());
            let restart = restart_line(&name);
            let restart_run = restart.clone();
            view! {
                <li class="action scale">
                    <button type="button" class="minus" aria-label=move || lang.get().t("action.scale.down")
                        on:click=move |_| {
                            let n = wanted.get_untracked().saturating_sub(1);
                            wanted.set(n);
                            run(scale_line(&n1, n));
                        }>"−"</button>
                    <input type="number" min="0" max="50" class="replicas"
                        aria-label=move || lang.get().t("action.replicas")
                        prop:value=move || wanted.get().to_string()
                        on:input=move |ev| {
                            if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                                wanted.set(n);
                            }
                        }/>
                    <button type="button" class="plus" aria-label=move || lang.get().t("action.scale.up")
                        on:click=move |_| {
                            let n = wanted.get_untracked() + 1;
                            wanted.set(n);
                            run(scale_line(&n2, n));
                        }>"+"</button>
                    <button type="button" class="scale-to" on:click=move |_| run(scale_line(&n3, wanted.get_untracked()))>
                        {move || lang.get().t("action.scale")}
                    </button>
                    <code>{move || scale_line(&n4, wanted.get())}</code>
                </li>
                <li class="action restart">
                    <button type="button" on:click=move |_| run(restart_run.clone())>{move || lang.get().t("action.restart")}</button>
                    " "<code>{restart}</code>
                </li>
            }
            .into_any()
        }
        Some(Facts::CronJob(_)) => {
            let (n1, n2, n3, n4) = (name.clone(), name.clone(), name.clone(), name.clone());
            let suspended = Memo::new(move |_| {
                ctx.live
                    .with(|l| match l.get("CronJob", &n3).map(|o| &o.facts) {
                        Some(Facts::CronJob(c)) => c.suspended,
                        _ => false,
                    })
            });
            let shown = RwSignal::new(suffix(js_sys::Math::random));
            let suspend_key = move || {
                if suspended.get() {
                    "action.resume"
                } else {
                    "action.suspend"
                }
            };
            let suspend = move || suspend_line(&n4, !suspended.get());
            let suspend_run = suspend.clone();
            view! {
                <li class="action trigger">
                    <button type="button" on:click=move |_| {
                        run(trigger_line(&n1, &shown.get_untracked()));
                        shown.set(suffix(js_sys::Math::random));
                    }>{move || lang.get().t("action.trigger")}</button>
                    " "<code>{move || trigger_line(&n2, &shown.get())}</code>
                </li>
                <li class="action suspend">
                    <button type="button" on:click=move |_| run(suspend_run())>
                        {move || lang.get().t(suspend_key())}
                    </button>
                    " "<code>{suspend}</code>
                </li>
            }
            .into_any()
        }
        _ => ().into_any(),
    };
    let line = delete_line(&key.kind, &key.name);
    let back = format!("delete-{}", dom_id(&key));
    let ask = {
        let (key, line, back) = (key.clone(), line.clone(), back.clone());
        move |_| {
            pane.confirm.set(Some(Confirm {
                key: key.clone(),
                line: line.clone(),
                back: back.clone(),
            }))
        }
    };
    view! {
        <section class="actions">
            <h4>{move || lang.get().t("actions")}</h4>
            <ul>
                {specific}
                <li class="action delete">
                    <button type="button" class="danger" id=back on:click=ask>{move || lang.get().t("action.delete")}</button>
                    " "<code>{line}</code>
                </li>
            </ul>
        </section>
    }
}

/// The one confirmation dialog of the pane.
#[component]
pub fn ConfirmDialog() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang;
    let dialog = NodeRef::<Dialog>::new();
    Effect::new(move |_| {
        let asked = pane.confirm.with(Option::is_some);
        if let Some(d) = dialog.get() {
            if asked && !d.open() {
                let _ = d.show_modal();
            } else if !asked && d.open() {
                d.close();
            }
        }
    });
    // Closed by Escape, Cancel or Delete: forget the question, give the focus back.
    let closed = move |_| {
        let Some(asked) = pane.confirm.get_untracked() else {
            return;
        };
        pane.confirm.set(None);
        let doc = document();
        let target = doc
            .get_element_by_id(&asked.back)
            .or_else(|| doc.get_element_by_id(&dom_id(&asked.key)))
            .or_else(|| {
                doc.query_selector(".view-switch [aria-pressed='true']")
                    .ok()
                    .flatten()
            });
        if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    };
    let confirm = move |_| {
        if let Some(asked) = pane.confirm.get_untracked() {
            pane.runs.start(ctx, asked.line);
        }
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    let cancel = move |_| {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    let what = move || {
        pane.confirm.with(|c| {
            c.as_ref()
                .map(|c| {
                    (
                        format!("{}/{}", kind_word(&c.key.kind), c.key.name),
                        c.line.clone(),
                    )
                })
                .unwrap_or_default()
        })
    };
    view! {
        <dialog class="confirm" node_ref=dialog aria-labelledby="confirm-title" on:close=closed>
            <h3 id="confirm-title">{move || format!("{} {}?", lang.get().t("confirm.delete"), what().0)}</h3>
            <p>{move || lang.get().t("confirm.same.as")}" "<code>{move || what().1}</code></p>
            <div class="confirm-buttons">
                <button type="button" class="cancel" autofocus on:click=cancel>{move || lang.get().t("confirm.cancel")}</button>
                <button type="button" class="danger confirm-delete" on:click=confirm>{move || lang.get().t("action.delete")}</button>
            </div>
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_kubectl_lines() {
        assert_eq!(
            scale_line("web", 3),
            "kubectl scale deployment/web --replicas=3"
        );
        assert_eq!(
            restart_line("web"),
            "kubectl rollout restart deployment/web"
        );
        assert_eq!(
            delete_line("PersistentVolumeClaim", "data"),
            "kubectl delete persistentvolumeclaim data"
        );
        assert_eq!(
            suspend_line("report", true),
            r#"kubectl patch cronjob report -p '{"spec":{"suspend":true}}'"#
        );
        assert_eq!(
            trigger_line("report", "x2k9p"),
            "kubectl create job --from=cronjob/report report-manual-x2k9p"
        );
        let long = "a".repeat(52);
        let line = trigger_line(&long, "x2k9p");
        let job = line.rsplit(' ').next().unwrap_or_default();
        assert_eq!(job.len(), 63);
    }

    #[test]
    fn suffixes_are_five_name_characters() {
        let mut x = 0.0;
        let s = suffix(|| {
            x += 0.19;
            x % 1.0
        });
        assert_eq!(s.len(), 5);
        assert!(
            s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        assert_eq!(suffix(|| 0.999_999).len(), 5);
    }
}
