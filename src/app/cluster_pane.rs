//! The namespace as Kubernetes thinks of it, live: every object the proxy watches, grouped by
//! owner in sections (`objects`), under a badge that says whether it is live (`status`), each row with the columns `kubectl get` prints for its kind
//! (`columns`), pods in their table (`pods`); an object's details (`details`: its file, what
//! is wrong and how to fix it, actions, events); the namespace's events (`events`); and on a
//! projector, a board of pods (`board`). Pod names stay on one line: when the pane is narrow
//! their middle gives way to an ellipsis, never the end that tells pods apart.

mod actions;
pub(super) mod board;
pub(super) mod columns;
mod details;
mod events;
mod explanations;
mod folding;
mod objects;
mod pods;
mod related;
mod status;

use std::collections::HashMap;

use kubefiche_core::live::ObjectKey;
use kubefiche_core::live::explain::{self, Context, Explanation, Sources};
use kubefiche_core::live::relations::{self, Node};
use leptos::prelude::*;

use super::Ctx;
use super::layout::{Layout, PaneId};
use super::runner::Runs;
use super::runner::view::Output;
use crate::cluster::Link;
use crate::workspace;
use folding::Folded;

/// What the pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Objects,
    Events,
    Board,
}

/// The pane's own state, shared by its parts.
#[derive(Clone, Copy)]
pub struct Pane {
    /// Now, in milliseconds, ticking every second (ages, durations, countdowns).
    pub now: RwSignal<f64>,
    pub tab: RwSignal<Tab>,
    pub folded: RwSignal<Folded>,
    /// The object whose details are open.
    pub selected: RwSignal<Option<ObjectKey>>,
    pub tree: Memo<Vec<Node>>,
    /// What each object owns, newest first.
    pub children: Memo<HashMap<ObjectKey, Vec<ObjectKey>>>,
    pub explanations: Memo<Vec<Explanation>>,
    /// Where the workspace defines an object: its file and the line of its name.
    pub defined: Memo<HashMap<ObjectKey, (String, u32)>>,
    /// The commands the pane's actions and remedies ran.
    pub runs: Runs,
    /// A deletion waiting for the learner's confirmation.
    pub confirm: RwSignal<Option<actions::Confirm>>,
}

impl Pane {
    /// Now in Unix seconds (tracked).
    pub fn now_unix(&self) -> i64 {
        (self.now.get() / 1000.0) as i64
    }

    /// Take the learner to `target`: open its owners, show its details, scroll to it and give
    /// its name the focus.
    pub fn reveal(&self, ctx: Ctx, target: ObjectKey) {
        let owners = ctx.live.with_untracked(|live| {
            let mut owners = Vec::new();
            let mut current = live.get(&target.kind, &target.name);
            while let Some(owner) = current
                .and_then(|o| o.owner.as_ref())
                .filter(|_| owners.len() < 4)
            {
                owners.push(owner.clone());
                current = live.get(&owner.kind, &owner.name);
            }
            owners
        });
        if self
            .folded
            .with_untracked(|f| owners.iter().any(|o| f.is_folded(o)))
        {
            self.folded.update(|f| {
                f.open_all(&owners);
            });
        }
        self.tab.set(Tab::Objects);
        self.selected.set(Some(target.clone()));
        let id = dom_id(&target);
        request_animation_frame(move || {
            if let Some(element) = document().get_element_by_id(&id) {
                element.scroll_into_view_with_bool(false);
                if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element)
                {
                    let _ = element.focus();
                }
            }
        });
    }

    /// Open `key`'s details, or close them when they are open.
    pub fn toggle_details(&self, key: &ObjectKey) {
        self.selected.update(|s| {
            *s = if s.as_ref() == Some(key) {
                None
            } else {
                Some(key.clone())
            }
        });
    }
}

/// The id of the element that names `key` (links lead there).
pub fn dom_id(key: &ObjectKey) -> String {
    format!("obj-{}-{}", key.kind.to_lowercase(), key.name)
}

/// Where each object of the workspace is defined: its file and the line of `metadata.name`.
fn definitions(sources: &Sources) -> HashMap<ObjectKey, (String, u32)> {
    sources
        .manifests()
        .iter()
        .filter(|m| !m.name.is_empty())
        .map(|m| {
            let line = m.span_of("metadata.name").line;
            (ObjectKey::new(&m.kind, &m.name), (m.file.clone(), line))
        })
        .collect()
}

fn children_of(tree: &[Node]) -> HashMap<ObjectKey, Vec<ObjectKey>> {
    fn walk(node: &Node, into: &mut HashMap<ObjectKey, Vec<ObjectKey>>) {
        if !node.children.is_empty() {
            into.insert(
                node.key.clone(),
                node.children.iter().map(|c| c.key.clone()).collect(),
            );
        }
        node.children.iter().for_each(|c| walk(c, into));
    }
    let mut map = HashMap::new();
    tree.iter().for_each(|n| walk(n, &mut map));
    map
}

fn start(ctx: Ctx) -> Pane {
    let now = RwSignal::new(js_sys::Date::now());
    let ticker = set_interval_with_handle(
        move || now.set(js_sys::Date::now()),
        std::time::Duration::from_secs(1),
    );
    on_cleanup(move || {
        if let Ok(handle) = ticker {
            handle.clear();
        }
    });
    let folded = RwSignal::new(
        workspace::setting("cluster.folded")
            .map(|s| Folded::from_setting(&s))
            .unwrap_or_default(),
    );
    Effect::new(move |first: Option<()>| {
        let setting = folded.with(Folded::to_setting);
        if first.is_some() {
            workspace::set_setting("cluster.folded", &setting);
        }
    });
    let tree = Memo::new(move |_| ctx.live.with(relations::tree));
    let children = Memo::new(move |_| tree.with(|t| children_of(t)));

    let seconds = Memo::new(move |_| (now.get() / 1000.0) as i64);
    let sources = ctx.manifests;
    let defined = Memo::new(move |_| sources.with(definitions));
    // The worksheet's command lines: one that creates a missing object is the fix to offer.
    let commands = StoredValue::new(
        ctx.sheet
            .with_value(|s| crate::fiche::command_lines(&s.markdown)),
    );
    let explanations = Memo::new(move |_| {
        let flavor = ctx.session.with(|s| s.as_ref().and_then(|s| s.flavor));
        sources.with(|sources| {
            commands.with_value(|commands| {
                let cx = Context {
                    sources,
                    flavor,
                    now_unix: Some(seconds.get()),
                    commands,
                };
                ctx.live.with(|live| explain::explain(live, &cx))
            })
        })
    });
    let layout = expect_context::<Layout>();
    let tab = RwSignal::new(if layout.projector.get_untracked() {
        Tab::Board
    } else {
        Tab::Objects
    });
    // A projector shows the board; back at a desk, the objects.
    Effect::new(move |was: Option<bool>| {
        let on = layout.projector.get();
        if was.is_some_and(|was| was != on) {
            tab.set(if on { Tab::Board } else { Tab::Objects });
        }
        on
    });
    Pane {
        now,
        tab,
        folded,
        selected: RwSignal::new(None),
        tree,
        children,
        explanations,
        defined,
        runs: Runs::new(),
        confirm: RwSignal::new(None),
    }
}

#[component]
pub fn ClusterPane() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let pane = start(ctx);
    provide_context(pane);
    // When the page lost the proxy's stream (it tries again by itself).
    let lost = RwSignal::new(None::<f64>);
    Effect::new(move |_| match ctx.link.get() {
        Link::Live => lost.set(None),
        Link::Retrying | Link::Unauthorised => {
            if lost.get_untracked().is_none() {
                lost.set(Some(js_sys::Date::now()));
            }
        }
        Link::Connecting => {}
    });
    let stream_status = Memo::new(move |_| {
        let link = ctx.link.get();
        let lost = lost.get();
        ctx.live
            .with(|live| status::status(link, live.health(), lost))
    });
    let stale = move || stream_status.with(|s| s.since.is_some());
    let warnings = Memo::new(move |_| {
        ctx.live
            .with(|l| l.events(None).iter().filter(|e| e.warning).count())
    });
    let tab_button = move |tab: Tab, key: &'static str, class: &'static str| {
        view! {
            <button
                type="button"
                class=format!("tab-{class}")
                aria-pressed=move || (pane.tab.get() == tab).to_string()
                on:click=move |_| pane.tab.set(tab)
            >
                {move || lang.get().t(key)}
                {move || (tab == Tab::Events && warnings.get() > 0).then(|| view! {
                    <span class="count warn">
                        <span aria-hidden="true">"⚠ "</span>{warnings.get()}
                        <span class="visually-hidden">{format!(" {}", lang.get().t("events.warnings"))}</span>
                    </span>
                })}
            </button>
        }
    };
    let output_label = Signal::derive(move || lang.get().t("actions.output").to_owned());
    let has_runs = move || pane.runs.list.with(|l| !l.is_empty());
    view! {
        <h2>
            {move || lang.get().t("cluster.title")}
            " "
            <status::Badge status=stream_status/>
        </h2>
        <status::StaleNote status=stream_status/>
        <div class="view-switch" role="group" aria-label=move || lang.get().t("cluster.view")>
            {tab_button(Tab::Objects, "cluster.objects", "objects")}
            {tab_button(Tab::Events, "cluster.events", "events")}
            {tab_button(Tab::Board, "cluster.board", "board")}
        </div>
        <div class="stream-data" class:stale=stale>
            {move || match pane.tab.get() {
                Tab::Objects => view! { <objects::Objects/> }.into_any(),
                Tab::Events => view! { <events::Feed/> }.into_any(),
                Tab::Board => view! { <board::Board/> }.into_any(),
            }}
        </div>
        {move || has_runs().then(|| view! {
            <section class="pane-runs" aria-label=move || output_label.get()>
                <div class="pane-runs-head">
                    <h3>{move || output_label.get()}</h3>
                    <button type="button" class="quiet" on:click=move |_| pane.runs.clear()>
                        {move || lang.get().t("run.clear")}
                    </button>
                </div>
                <Output runs=pane.runs label=output_label/>
            </section>
        })}
        <actions::ConfirmDialog/>
    }
}

/// Show `file` at `line` in the editor (and the manifests pane, where panes take turns).
pub fn open_at(ctx: Ctx, file: &str, line: u32) {
    if let Some(layout) = use_context::<Layout>() {
        layout.reveal(PaneId::Workspace);
    }
    if ctx.show_path(file) {
        ctx.workbench.with_value(|wb| {
            if let Some(wb) = wb {
                wb.goto(line, 1);
            }
        });
    }
}
