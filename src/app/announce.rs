//! What a screen reader hears without looking: apply results and pod changes, through one
//! polite live region. Pod changes are gathered for a moment and told in one sentence, so that a
//! rollout of ten pods does not read out thirty lines.

use std::collections::BTreeMap;

use kubefiche_core::wire::{ApplyResponse, Outcome, PodRow};
use leptos::prelude::*;

use super::{ApplyState, Ctx};
use crate::i18n::Lang;

/// How long pod changes are gathered before they are told.
const GATHER: std::time::Duration = std::time::Duration::from_millis(1500);
/// Up to this many changed pods are named; beyond, they are counted by status.
const NAMED: usize = 3;

/// What changed between two lists of pods: each changed pod's name and new status (`None` when
/// it is gone), in name order.
pub fn pod_changes(
    before: &BTreeMap<String, String>,
    after: &[PodRow],
) -> Vec<(String, Option<String>)> {
    let mut changes: Vec<(String, Option<String>)> = after
        .iter()
        .filter(|p| before.get(&p.name) != Some(&p.status))
        .map(|p| (p.name.clone(), Some(p.status.clone())))
        .collect();
    for name in before.keys() {
        if !after.iter().any(|p| &p.name == name) {
            changes.push((name.clone(), None));
        }
    }
    changes.sort();
    changes
}

/// One sentence for a set of pod changes.
pub fn pods_sentence(changes: &BTreeMap<String, Option<String>>, lang: Lang) -> String {
    let status = |s: &Option<String>| {
        s.clone()
            .unwrap_or_else(|| lang.t("announce.gone").to_owned())
    };
    if changes.len() <= NAMED {
        let parts: Vec<String> = changes
            .iter()
            .map(|(name, s)| {
                format!(
                    "{} {name}{} {}",
                    lang.t("announce.pod"),
                    lang.t("colon"),
                    status(s)
                )
            })
            .collect();
        return format!("{}.", parts.join(". "));
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for s in changes.values() {
        *counts.entry(status(s)).or_default() += 1;
    }
    let parts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    format!(
        "{} {}{} {}.",
        changes.len(),
        lang.t("announce.pods.changed"),
        lang.t("colon"),
        parts.join(", ")
    )
}

/// One sentence for the result of an apply.
pub fn apply_sentence(response: &ApplyResponse, dry_run: bool, lang: Lang) -> String {
    let mut sentence = lang.t("results").to_owned();
    if dry_run {
        sentence.push(' ');
        sentence.push_str(lang.t("outcome.dry"));
    }
    sentence.push_str(lang.t("colon"));
    sentence.push(' ');
    if response.results.is_empty() {
        sentence.push_str(lang.t(if response.diagnostics.is_empty() {
            "announce.nothing"
        } else {
            "outcome.blocked"
        }));
        return sentence;
    }
    let parts: Vec<String> = response
        .results
        .iter()
        .map(|r| {
            let outcome = match &r.outcome {
                Outcome::Created => lang.t("outcome.created"),
                Outcome::Configured => lang.t("outcome.configured"),
                Outcome::Unchanged => lang.t("outcome.unchanged"),
                Outcome::Failed { .. } => lang.t("outcome.failed"),
            };
            format!("{}/{} {outcome}", r.kind.to_lowercase(), r.name)
        })
        .collect();
    sentence.push_str(&parts.join(", "));
    sentence.push('.');
    sentence
}

/// The live region, visually hidden, and what feeds it.
#[component]
pub fn Announcer() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let message = RwSignal::new(String::new());
    Effect::new(move |_| {
        let lang = ctx.lang.get_untracked();
        match ctx.apply_state.get() {
            ApplyState::Done { response, dry_run } => {
                message.set(apply_sentence(&response, dry_run, lang))
            }
            ApplyState::Failed(text) => message.set(text.get(lang.code()).to_owned()),
            ApplyState::Idle | ApplyState::Running => {}
        }
    });
    // Commands: when a stream starts, when a command ends (the same sentence twice is told twice).
    Effect::new(move |_| {
        let said = ctx.said.get();
        if !said.is_empty() {
            let again = message.with_untracked(|m| *m == said);
            message.set(if again { format!("{said}\u{a0}") } else { said });
        }
    });
    // The statuses last seen, from the first full list on: the pods already there are not news.
    let seen = StoredValue::new(None::<BTreeMap<String, String>>);
    let pending = StoredValue::new(BTreeMap::<String, Option<String>>::new());
    Effect::new(move |_| {
        let pods = ctx.pods.get();
        if !ctx.pods_known.get() {
            return;
        }
        let now: BTreeMap<String, String> = pods
            .iter()
            .map(|p| (p.name.clone(), p.status.clone()))
            .collect();
        let Some(before) = seen.get_value() else {
            seen.set_value(Some(now));
            return;
        };
        seen.set_value(Some(now));
        let changes = pod_changes(&before, &pods);
        if changes.is_empty() {
            return;
        }
        let first = pending.with_value(BTreeMap::is_empty);
        pending.update_value(|p| p.extend(changes));
        if first {
            set_timeout(
                move || {
                    let changes = pending.try_update_value(std::mem::take).unwrap_or_default();
                    if !changes.is_empty() {
                        message.set(pods_sentence(&changes, ctx.lang.get_untracked()));
                    }
                },
                GATHER,
            );
        }
    });
    view! {
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {move || message.get()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, status: &str) -> PodRow {
        PodRow {
            name: name.to_owned(),
            status: status.to_owned(),
            phase: String::new(),
            ready: 0,
            containers: 1,
            restarts: 0,
            created: None,
            node: None,
            labels: Vec::new(),
        }
    }

    #[test]
    fn only_what_changed_is_told() {
        let before: BTreeMap<String, String> =
            [("a", "Pending"), ("b", "Running"), ("c", "Running")]
                .map(|(n, s)| (n.to_owned(), s.to_owned()))
                .into();
        let after = [
            pod("a", "Running"),
            pod("b", "Running"),
            pod("d", "Pending"),
        ];
        assert_eq!(
            pod_changes(&before, &after),
            vec![
                ("a".to_owned(), Some("Running".to_owned())),
                ("c".to_owned(), None),
                ("d".to_owned(), Some("Pending".to_owned())),
            ]
        );
    }

    #[test]
    fn a_few_pods_are_named_many_are_counted() {
        let few: BTreeMap<String, Option<String>> = [
            ("web-1".to_owned(), Some("Running".to_owned())),
            ("web-2".to_owned(), None),
        ]
        .into();
        assert_eq!(
            pods_sentence(&few, Lang::En),
            "Pod web-1: Running. Pod web-2: deleted."
        );
        let many: BTreeMap<String, Option<String>> = (0..5)
            .map(|i| {
                (
                    format!("web-{i}"),
                    Some(if i < 3 { "Running" } else { "Pending" }.to_owned()),
                )
            })
            .collect();
        assert_eq!(
            pods_sentence(&many, Lang::Fr),
            "5 pods modifiés : 2 Pending, 3 Running."
        );
    }
}
