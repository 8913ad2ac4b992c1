//! The page: a header and three panes sharing one state (`Ctx`), arranged by `layout`.

mod announce;
mod board;
mod checking;
mod cluster_pane;
mod commands;
mod console;
mod course_bar;
mod fiche_pane;
mod header;
mod join;
pub mod layout;
pub mod runner;
mod seat_report;
mod storage_notice;
pub mod terminal;
mod workspace_pane;

use kubefiche_core::checks::Progress;
use kubefiche_core::command::Kubectl;
use kubefiche_core::live::Live;
use kubefiche_core::live::explain::Sources;
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::policy::Policy;
use kubefiche_core::validate::{ClusterFacts, Incremental, Options};
use kubefiche_core::wire::class::Role;
use kubefiche_core::wire::{ApplyResponse, PodRow, Session};
use kubefiche_core::{Diagnostic, Text};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::cluster::{self, Link};
use crate::course::{self, Worksheet};
use crate::editor::Workbench;
use crate::fiche::WorksheetFile;
use crate::i18n::Lang;
use crate::{api, workspace};
use layout::{Divider, Layout, Pane, PaneId, PointerHalo};

/// Where the last apply stands.
#[derive(Debug, Clone, PartialEq)]
pub enum ApplyState {
    Idle,
    Running,
    Done {
        response: ApplyResponse,
        dry_run: bool,
    },
    Failed(Text),
}

/// The state every pane shares.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub lang: RwSignal<Lang>,
    /// The worksheet this page shows (edits, history and progress are kept per worksheet).
    pub sheet: StoredValue<Worksheet>,
    pub files: StoredValue<Vec<WorksheetFile>>,
    pub texts: RwSignal<Vec<String>>,
    pub active: RwSignal<usize>,
    /// Found in the browser as the learner types.
    pub diagnostics: Memo<Vec<Diagnostic>>,
    /// The workspace's files as they are now.
    pub current: Memo<Vec<SourceFile>>,
    /// The workspace's manifests, read once per edit (the cluster pane and the checks look
    /// things up in them on every change in the cluster).
    pub manifests: Memo<Sources>,
    /// Returned by the last apply; a file's entries go when the file is edited.
    pub server_diagnostics: RwSignal<Vec<Diagnostic>>,
    pub apply_state: RwSignal<ApplyState>,
    /// The namespace as the stream tells it: every watched object and the recent events.
    pub live: RwSignal<Live>,
    /// The rows of `kubectl get pods`, from `live`.
    pub pods: Memo<Vec<PodRow>>,
    /// Whether the first list of pods has arrived (the pods already there are not news).
    pub pods_known: RwSignal<bool>,
    pub link: RwSignal<Link>,
    pub session: RwSignal<Option<Session>>,
    /// What the cluster holds that manifests may refer to (names and keys, never values).
    pub cluster_facts: Memo<ClusterFacts>,
    pub token: StoredValue<Option<String>>,
    pub workbench: StoredValue<Option<Workbench>, LocalStorage>,
    pub banner: RwSignal<Option<Text>>,
    /// A sentence for screen readers about a command (started streaming, ended), told politely.
    pub said: RwSignal<String>,
    /// The learner's progress in this worksheet: steps done, solutions seen, actions taken.
    pub progress: RwSignal<Progress>,
    /// Edits the browser would not keep (storage full or disabled): the page warns about them.
    pub keeping: RwSignal<workspace::Keeping>,
}

impl Ctx {
    pub fn sheet_id(&self) -> String {
        self.sheet.with_value(|s| s.id.clone())
    }

    pub fn path(&self, index: usize) -> String {
        self.files
            .with_value(|files| files.get(index).map(|f| f.path.clone()).unwrap_or_default())
    }

    /// Show file `index` in the editor now (not on the next tick: a jump to a line follows).
    pub fn show(&self, index: usize) {
        self.active.set(index);
        workspace::set_setting("active", &self.path(index));
        let text = self
            .texts
            .with_untracked(|t| t.get(index).cloned().unwrap_or_default());
        let path = self.path(index);
        self.workbench.with_value(|wb| {
            if let Some(wb) = wb {
                wb.open(&path, &text);
            }
        });
        self.progress
            .maybe_update(|p| p.actions.record_opened(&path));
    }

    /// Show the file at `path`, if it is in the workspace.
    pub fn show_path(&self, path: &str) -> bool {
        let index = self
            .files
            .with_value(|files| files.iter().position(|f| f.path == path));
        index.map(|i| self.show(i)).is_some()
    }

    /// The learner typed in `path`: save it, keep it, forget the stale server findings.
    ///
    /// Called synchronously from the editor's change handler: the text is in the browser's
    /// storage before this returns, and so before the event loop turns (a tab killed right
    /// after a keystroke loses nothing). Keep the save first, with nothing deferred before it.
    pub fn edited(&self, path: &str, text: String) {
        let Some(index) = self
            .files
            .with_value(|files| files.iter().position(|f| f.path == path))
        else {
            return;
        };
        let sheet = self.sheet_id();
        let saved = workspace::save(&sheet, path, &text);
        self.texts.update(|t| t[index] = text);
        self.note_saved(&sheet, path, saved);
        self.server_diagnostics
            .update(|d| d.retain(|d| d.file != path));
    }

    /// Remember whether the browser kept the edit of `path`; once it does again, the other
    /// files it refused are saved too (and the warning goes when all are).
    fn note_saved(&self, sheet: &str, path: &str, saved: Result<(), workspace::Refused>) {
        if saved.is_ok() && self.keeping.with_untracked(|k| k.unsaved.is_empty()) {
            return;
        }
        let texts = self.texts;
        let files = self.files;
        let retry = |other: &str| {
            let index = files.with_value(|f| f.iter().position(|f| f.path == other));
            let text = index.and_then(|i| texts.with_untracked(|t| t.get(i).cloned()));
            text.map_or(Ok(()), |text| workspace::save(sheet, other, &text))
        };
        let mut keeping = self.keeping.get_untracked();
        keeping.record(path, saved, retry);
        self.keeping.maybe_update(|k| {
            let changed = *k != keeping;
            *k = keeping;
            changed
        });
    }

    /// Put the worksheet's version of the active file back (one undoable change in the editor).
    pub fn reset_active(&self) {
        let index = self.active.get_untracked();
        let (path, original) = self
            .files
            .with_value(|f| (f[index].path.clone(), f[index].text.clone()));
        self.workbench.with_value(|wb| {
            if let Some(wb) = wb {
                wb.replace(&path, &original);
            }
        });
        self.edited(&path, original);
        workspace::forget(&self.sheet_id(), &path);
        self.keeping.maybe_update(|k| {
            let before = k.clone();
            k.forgot(&path);
            *k != before
        });
    }

    /// A command ended (`ok`: it ran as asked): the checks may count on it.
    pub fn ran(&self, kubectl: &Kubectl, ok: bool) {
        if !ok {
            return;
        }
        let line = format!("kubectl {}", kubectl.args.join(" "));
        let applied = (kubectl.verb == "apply")
            .then(|| kubectl.file.clone())
            .flatten()
            .and_then(|path| Some((self.text_of(&path)?, path)));
        self.progress.update(|p| {
            p.actions.record_command(&line);
            if let Some((text, path)) = &applied {
                p.actions.record_applied(path, text);
            }
        });
    }

    /// The learner's text of workspace file `path`.
    pub fn text_of(&self, path: &str) -> Option<String> {
        let index = self
            .files
            .with_value(|files| files.iter().position(|f| f.path == path))?;
        self.texts.with_untracked(|t| t.get(index).cloned())
    }

    pub fn sources(&self, only: Option<usize>) -> Vec<SourceFile> {
        let texts = self.texts.get_untracked();
        self.files.with_value(|files| {
            files
                .iter()
                .zip(texts)
                .enumerate()
                .filter(|(i, _)| only.is_none_or(|o| o == *i))
                .map(|(_, (f, text))| SourceFile {
                    path: f.path.clone(),
                    text,
                })
                .collect()
        })
    }

    /// Files applied with none of their objects refused count as applied, with the text sent.
    fn record_applied(&self, files: &[SourceFile], response: &ApplyResponse) {
        let failed = |path: &str| {
            response.results.iter().any(|r| {
                r.file == path && matches!(r.outcome, kubefiche_core::wire::Outcome::Failed { .. })
            })
        };
        let refused = response
            .diagnostics
            .iter()
            .any(|d| d.severity == kubefiche_core::Severity::Error);
        if refused {
            return;
        }
        self.progress.update(|p| {
            for file in files.iter().filter(|f| !failed(&f.path)) {
                p.actions.record_applied(&file.path, &file.text);
            }
        });
    }

    /// Send the active file (`all == false`) or every file to the proxy.
    pub fn apply(&self, all: bool, dry_run: bool) {
        let Some(token) = self.token.get_value() else {
            self.banner.set(Some(no_token()));
            return;
        };
        let files = self.sources(if all {
            None
        } else {
            Some(self.active.get_untracked())
        });
        let ctx = *self;
        ctx.apply_state.set(ApplyState::Running);
        spawn_local(async move {
            let request = kubefiche_core::wire::ApplyRequest {
                files: files.clone(),
                dry_run,
            };
            match api::apply(&token, &request).await {
                Ok(response) => {
                    let mut found = response.diagnostics.clone();
                    for result in &response.results {
                        if let kubefiche_core::wire::Outcome::Failed { diagnostics, .. } =
                            &result.outcome
                        {
                            found.extend(diagnostics.iter().cloned());
                        }
                    }
                    ctx.server_diagnostics.set(found);
                    if !dry_run {
                        ctx.record_applied(&files, &response);
                    }
                    ctx.apply_state.set(ApplyState::Done { response, dry_run });
                }
                Err(failure) => ctx.apply_state.set(ApplyState::Failed(failure.message())),
            }
        });
    }
}

/// Run `work` between two performance marks and record a measure named `name`, which the
/// browser's performance tools (and the benchmark) read; old entries are dropped.
fn measured<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let performance = web_sys::window().and_then(|w| w.performance());
    let Some(performance) = performance else {
        return work();
    };
    let (start, end) = (format!("{name}-start"), format!("{name}-end"));
    let _ = performance.mark(&start);
    let result = work();
    let _ = performance.mark(&end);
    let _ = performance.measure_with_start_mark_and_end_mark(name, &start, &end);
    performance.clear_marks_with_mark_name(&start);
    performance.clear_marks_with_mark_name(&end);
    if performance.get_entries_by_name(name).length() > 2000 {
        performance.clear_measures_with_measure_name(name);
    }
    result
}

fn seat_refused() -> Text {
    Text::new(Lang::En.t("seat.refused"), Lang::Fr.t("seat.refused"))
}

fn no_token() -> Text {
    Text::new(Lang::En.t("no.token"), Lang::Fr.t("no.token"))
}

fn initial_lang() -> Lang {
    let window = web_sys::window();
    let query = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("lang"));
    let browser = window.as_ref().and_then(|w| w.navigator().language());
    Lang::choose(
        query.as_deref(),
        workspace::setting("lang").as_deref(),
        browser.as_deref(),
    )
}

/// Whether `session` is the instructor's (then the page is the class's board).
fn is_instructor(session: &Option<Session>) -> bool {
    session
        .as_ref()
        .is_some_and(|s| matches!(s.role, Role::Instructor { .. }))
}

#[component]
pub fn App() -> impl IntoView {
    // A join link (`/#join=…`) opens the join page alone; once joined, the page starts anew.
    if let Some(code) = crate::class::join_code() {
        return view! { <join::JoinPage code/> }.into_any();
    }
    view! { <Playground/> }.into_any()
}

#[component]
fn Playground() -> impl IntoView {
    let sheet = course::current();
    let sheet_id = sheet.id.clone();
    let files = sheet.files();
    let texts = RwSignal::new(workspace::load(&sheet.id, &files));
    let saved_active =
        workspace::setting("active").and_then(|p| files.iter().position(|f| f.path == p));
    let files = StoredValue::new(files);
    let session = RwSignal::new(None::<Session>);
    let live = RwSignal::new(Live::default());
    let cluster_facts = Memo::new(move |_| live.with(Live::facts));
    // Keeps each file's own findings until it changes: a keystroke re-checks one file.
    let validator = StoredValue::new_local(Incremental::default());
    let current = Memo::new(move |_| {
        files.with_value(|files| {
            texts.with(|texts| {
                files
                    .iter()
                    .zip(texts)
                    .map(|(f, t)| SourceFile {
                        path: f.path.clone(),
                        text: t.clone(),
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let diagnostics = Memo::new(move |_| {
        let options = Options {
            cluster: cluster_facts.get(),
            local_cluster_flavor: session.with(|s| s.as_ref().and_then(|s| s.flavor)),
            now_unix: Some((js_sys::Date::now() / 1000.0) as i64),
            // Known once the proxy has answered: its refusals show where the learner types.
            policy: session.with(|s| {
                s.as_ref().map(|s| Policy {
                    namespace: s.namespace.clone(),
                    settings: s.policy,
                })
            }),
        };
        current.with(|sources| {
            measured("kubefiche-validate", || {
                validator
                    .try_update_value(|v| v.validate(sources, &options))
                    .unwrap_or_default()
            })
        })
    });
    let ctx = Ctx {
        lang: RwSignal::new(initial_lang()),
        sheet: StoredValue::new(sheet),
        files,
        texts,
        active: RwSignal::new(saved_active.unwrap_or(0)),
        diagnostics,
        current,
        manifests: Memo::new(move |_| current.with(|files| Sources::new(files))),
        server_diagnostics: RwSignal::new(Vec::new()),
        apply_state: RwSignal::new(ApplyState::Idle),
        live,
        pods: Memo::new(move |_| live.with(Live::pod_rows)),
        pods_known: RwSignal::new(false),
        link: RwSignal::new(Link::Connecting),
        session,
        cluster_facts,
        token: StoredValue::new(api::token()),
        workbench: StoredValue::new_local(None),
        banner: RwSignal::new(None),
        said: RwSignal::new(String::new()),
        progress: RwSignal::new(checking::stored_progress(&sheet_id)),
        keeping: RwSignal::new(workspace::Keeping::start(workspace::available())),
    };
    provide_context(ctx);
    let checking = checking::start(ctx);
    provide_context(checking);
    seat_report::start(ctx, checking);
    let layout = Layout::start();
    provide_context(layout);
    provide_context(console::Console::start());
    Effect::new(move |_| {
        let lang = ctx.lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
    });
    connect(ctx);
    // The instructor's page shows the class's board instead of the panes (known once the proxy
    // has said who the page speaks for; a learner's and the local page never change).
    let instructor = Memo::new(move |_| ctx.session.with(is_instructor));
    view! {
        <header::Header/>
        {move || ctx.banner.get().map(|text| view! {
            <p class="banner" role="alert">{move || text.get(ctx.lang.get().code()).to_owned()}</p>
        })}
        <storage_notice::StorageNotice/>
        {move || if instructor.get() {
            view! { <board::ClassBoard/> }.into_any()
        } else {
            view! {
                <main class="panes" style:grid-template-columns=move || layout.columns()>
                    <Pane id=PaneId::Fiche><fiche_pane::FichePane/></Pane>
                    <Divider after=PaneId::Fiche/>
                    <Pane id=PaneId::Workspace><workspace_pane::WorkspacePane/></Pane>
                    <Divider after=PaneId::Workspace/>
                    <Pane id=PaneId::Cluster><cluster_pane::ClusterPane/></Pane>
                </main>
                <console::ConsoleDock/>
            }
            .into_any()
        }}
        <announce::Announcer/>
        <PointerHalo/>
    }
}

/// Ask the proxy who it is, then follow the pod stream for as long as the page is open.
fn connect(ctx: Ctx) {
    let Some(token) = ctx.token.get_value() else {
        ctx.banner.set(Some(no_token()));
        ctx.link.set(Link::Unauthorised);
        return;
    };
    spawn_local(async move {
        match api::session(&token).await {
            // The board follows its own stream: the instructor has no namespace to watch.
            Ok(session) if matches!(session.role, Role::Instructor { .. }) => {
                ctx.session.set(Some(session));
                return;
            }
            Ok(session) => ctx.session.set(Some(session)),
            Err(failure) => {
                ctx.banner.set(Some(if failure.is_bad_token() {
                    no_token()
                } else {
                    failure.message()
                }));
            }
        }
        cluster::share::follow_shared(
            token,
            move |event| {
                let mut snapshot = false;
                ctx.live.update(|live| snapshot = live.apply(event));
                if snapshot && !ctx.pods_known.get_untracked() {
                    ctx.pods_known.set(true);
                }
            },
            move |link| {
                ctx.link.set(link);
                // A learner's link stops working when the seat is revoked or the class ends.
                let refused = if ctx.session.with_untracked(|s| {
                    s.as_ref()
                        .is_some_and(|s| matches!(s.role, Role::Learner { .. }))
                }) {
                    seat_refused()
                } else {
                    no_token()
                };
                if link == Link::Unauthorised {
                    ctx.banner.set(Some(refused));
                } else if link == Link::Live && ctx.banner.get_untracked() == Some(refused) {
                    ctx.banner.set(None);
                }
            },
            move || {
                ctx.pods_known
                    .get_untracked()
                    .then(|| ctx.live.with_untracked(Live::snapshot))
            },
        );
    });
}
