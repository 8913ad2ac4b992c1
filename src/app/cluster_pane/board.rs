//! The board, for a projector: every pod as a large tile grouped by the workload that owns it,
//! tinted by its state and saying it in a word. A tile that changes state (or arrives) is drawn
//! anew, with a short flash the style sheet leaves out under `prefers-reduced-motion`.

use kubefiche_core::live::relations::{SECTIONS, top};
use kubefiche_core::live::{Live, ObjectKey};
use leptos::prelude::*;

use super::objects::kind_word;
use super::pods::split_name;
use crate::app::Ctx;

/// The pods of one owner (none: pods of their own), as (name, status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub owner: Option<ObjectKey>,
    pub pods: Vec<(String, String)>,
}

/// Pods grouped by their top owner, owners in the order of the sections, then by name; pods
/// without an owner last.
pub fn groups(live: &Live) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for pod in live.of_kind("Pod") {
        let Some(facts) = pod.pod() else { continue };
        let owner = Some(top(live, pod).key()).filter(|k| k.kind != "Pod");
        let entry = (pod.name.clone(), facts.row.status.clone());
        match groups.iter_mut().find(|g| g.owner == owner) {
            Some(g) => g.pods.push(entry),
            None => groups.push(Group {
                owner,
                pods: vec![entry],
            }),
        }
    }
    let rank = |g: &Group| {
        g.owner
            .as_ref()
            .map_or((SECTIONS.len(), String::new()), |k| {
                let i = SECTIONS.iter().position(|s| *s == k.kind).unwrap_or(0);
                (i, k.name.clone())
            })
    };
    groups.sort_by_key(rank);
    groups
}

/// The state a tile shows: `ok` (running, completed), `wait` (on its way, or going), `bad`.
pub fn tile_state(status: &str) -> &'static str {
    match status {
        "Running" | "Completed" | "Succeeded" => "ok",
        "Pending" | "ContainerCreating" | "PodInitializing" | "Terminating" => "wait",
        s if s.starts_with("Init:") && !s.contains("Err") && !s.contains("BackOff") => "wait",
        _ => "bad",
    }
}

pub fn tile_icon(state: &str) -> &'static str {
    match state {
        "ok" => "●",
        "wait" => "◌",
        _ => "✖",
    }
}

#[component]
pub fn Board() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let all = Memo::new(move |_| ctx.live.with(groups));
    let owners =
        Memo::new(move |_| all.with(|g| g.iter().map(|g| g.owner.clone()).collect::<Vec<_>>()));
    view! {
        {move || all.with(Vec::is_empty).then(|| view! { <p class="none">{lang.get().t("pods.none")}</p> })}
        <div class="board">
            <For each=move || owners.get() key=|o| o.clone() let:owner>
                <BoardGroup owner all/>
            </For>
        </div>
    }
}

#[component]
fn BoardGroup(owner: Option<ObjectKey>, all: Memo<Vec<Group>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let title = owner
        .as_ref()
        .map(|k| format!("{}/{}", kind_word(&k.kind), k.name));
    let heading = owner.as_ref().map_or_else(
        || "board-own".to_owned(),
        |k| format!("board-{}-{}", k.kind.to_lowercase(), k.name),
    );
    let pods = Memo::new(move |_| {
        all.with(|g| {
            g.iter()
                .find(|g| g.owner == owner)
                .map(|g| g.pods.clone())
                .unwrap_or_default()
        })
    });
    let count = move || {
        pods.with(|p| {
            let ok = p.iter().filter(|(_, s)| tile_state(s) == "ok").count();
            format!("{ok}/{}", p.len())
        })
    };
    let labelled = heading.clone();
    view! {
        <section class="board-group" aria-labelledby=labelled>
            <h3 id=heading>
                {match title {
                    Some(t) => t.into_any(),
                    None => (move || lang.get().t("board.own")).into_any(),
                }}
                " "<span class="board-count">{count}</span>
            </h3>
            <ul class="tiles">
                <For each=move || pods.get() key=|p| p.clone() let:pod>
                    <Tile name=pod.0 status=pod.1/>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn Tile(name: String, status: String) -> impl IntoView {
    let state = tile_state(&status);
    let (stem, tail) = split_name(&name);
    let class = format!("tile state-{state} status-{}", status.to_lowercase());
    view! {
        <li class=class data-pod=name.clone()>
            <span class="pod-name" data-full=name.clone()>
                <span class="stem">{stem}</span><span class="tail">{tail}</span>
            </span>
            <span class="tile-status"><span aria-hidden="true">{tile_icon(state)}" "</span>{status}</span>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_in_three_words() {
        assert_eq!(tile_state("Running"), "ok");
        assert_eq!(tile_state("Completed"), "ok");
        assert_eq!(tile_state("ContainerCreating"), "wait");
        assert_eq!(tile_state("Init:0/1"), "wait");
        assert_eq!(tile_state("Init:CrashLoopBackOff"), "bad");
        assert_eq!(tile_state("CreateContainerConfigError"), "bad");
        assert_eq!(tile_state("ImagePullBackOff"), "bad");
    }

    #[test]
    fn pods_are_grouped_by_their_top_owner() {
        let live = super::super::related::tests::namespace();
        let found = groups(&live);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].owner, Some(ObjectKey::new("Deployment", "web")));
        assert_eq!(
            found[0].pods,
            [("web-1-a".to_owned(), "Running".to_owned())]
        );
    }
}
