//! Runs command lines for the worksheet's buttons and for the console alike: checks what the
//! page can check (the line, the workspace file it names), sends it to the proxy, and keeps
//! each command's transcript, which the output views draw.

mod transcript;
pub mod view;

use kubefiche_core::Severity;
use kubefiche_core::Text;
use kubefiche_core::command::{Parsed, parse};
use kubefiche_core::wire::CommandRequest;
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

pub use transcript::{KEEP_BYTES, Piece, Status, Transcript, sentence};

use super::Ctx;
use crate::command::{self, Ended};
use crate::i18n::Lang;

/// The most transcripts an output area keeps; the oldest go first.
const KEEP_RUNS: usize = 30;

/// One command line sent (or refused) and what came back.
#[derive(Clone, Copy)]
pub struct Run {
    pub id: u64,
    /// The line as sent, placeholders filled.
    pub line: StoredValue<String>,
    pub terminal: bool,
    pub streaming: bool,
    pub transcript: RwSignal<Transcript>,
    abort: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
    /// Resolves the promise a sequence waits on when a terminal session ends.
    on_end: StoredValue<Option<js_sys::Function>, LocalStorage>,
}

impl Run {
    /// Stop the command (Stop, Ctrl-C): closing its stream ends it in the proxy.
    pub fn stop(&self) {
        self.abort.with_value(|a| {
            if let Some(a) = a {
                a.abort();
            }
        });
    }

    /// The terminal session ended with `code`.
    pub fn terminal_ended(&self, code: Option<i32>) {
        self.transcript.try_update(|t| {
            t.status = Status::Exited {
                code,
                truncated: false,
                timed_out: false,
            }
        });
        self.on_end.with_value(|f| {
            if let Some(f) = f {
                let _ = f.call0(&JsValue::NULL);
            }
        });
    }

    fn dispose(self) {
        self.stop();
        self.line.dispose();
        self.transcript.dispose();
        self.abort.dispose();
        self.on_end.dispose();
    }
}

/// The commands of one output area (a worksheet block, the console), newest last.
#[derive(Clone, Copy)]
pub struct Runs {
    pub list: RwSignal<Vec<Run>>,
    next: StoredValue<u64>,
    owner: StoredValue<Owner, LocalStorage>,
}

impl Runs {
    pub fn new() -> Self {
        Self {
            list: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
            owner: StoredValue::new_local(Owner::new()),
        }
    }

    /// Whether any command of this area is still going.
    pub fn busy(&self) -> bool {
        self.list
            .with(|l| l.iter().any(|r| r.transcript.with(Transcript::live)))
    }

    /// Stop every command still going.
    pub fn stop_all(&self) {
        self.list.with_untracked(|l| l.iter().for_each(Run::stop));
    }

    /// Stop everything and forget the transcripts.
    pub fn clear(&self) {
        let old = self.list.try_update(std::mem::take).unwrap_or_default();
        old.into_iter().for_each(Run::dispose);
    }

    /// Forget the transcripts of commands that ended (a running one stays).
    pub fn clear_finished(&self) {
        let mut gone = Vec::new();
        self.list.update(|l| {
            let (live, done): (Vec<Run>, Vec<Run>) = l
                .drain(..)
                .partition(|r| r.transcript.with_untracked(Transcript::live));
            *l = live;
            gone = done;
        });
        gone.into_iter().for_each(Run::dispose);
    }

    /// Run `line` (placeholders filled) and return at once.
    pub fn start(&self, ctx: Ctx, line: String) {
        let runs = *self;
        leptos::task::spawn_local(async move {
            runs.execute(ctx, line).await;
        });
    }

    /// Run `lines` one after the other, each with its own transcript; stop at the first that
    /// does not end well.
    pub fn start_all(&self, ctx: Ctx, lines: Vec<String>) {
        let runs = *self;
        leptos::task::spawn_local(async move {
            for line in lines {
                if !runs.execute(ctx, line).await {
                    break;
                }
            }
        });
    }

    fn push(&self, line: String, terminal: bool, streaming: bool) -> Run {
        let owner = self.owner.get_value();
        let id = self.next.try_update_value(|n| {
            *n += 1;
            *n
        });
        let run = owner.with(|| Run {
            id: id.unwrap_or_default(),
            line: StoredValue::new(line),
            terminal,
            streaming,
            transcript: RwSignal::new(Transcript::default()),
            abort: StoredValue::new_local(None),
            on_end: StoredValue::new_local(None),
        });
        let mut gone = Vec::new();
        self.list.update(|l| {
            l.push(run);
            while l.len() > KEEP_RUNS {
                gone.push(l.remove(0));
            }
        });
        gone.into_iter().for_each(Run::dispose);
        run
    }

    /// Run one line to its end; `true` when it ended well.
    async fn execute(&self, ctx: Ctx, line: String) -> bool {
        let parsed = parse(&line);
        let kubectl = match parsed {
            Parsed::Kubectl(k) => k,
            Parsed::Nothing => return true,
            Parsed::Refused(why) | Parsed::Elsewhere { why, .. } => {
                let run = self.push(line, false, false);
                finish(ctx, run, Status::Refused(why));
                return false;
            }
        };
        let run = self.push(line.clone(), kubectl.terminal, kubectl.streaming);
        if let Some(path) = &kubectl.file
            && let Some(stop) = check_file(ctx, path)
        {
            finish(ctx, run, stop);
            return false;
        }
        if kubectl.terminal {
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                run.on_end.set_value(Some(resolve));
            });
            run.transcript.update(|t| t.status = Status::Terminal);
            announce(ctx, run);
            let _ = JsFuture::from(promise).await;
            announce(ctx, run);
            ctx.ran(&kubectl, true);
            return succeeded(run);
        }
        let Some(token) = ctx.token.get_value() else {
            finish(ctx, run, Status::Refused(super::no_token()));
            return false;
        };
        let Ok(controller) = web_sys::AbortController::new() else {
            return false;
        };
        let signal = controller.signal();
        run.abort.set_value(Some(controller));
        let request = CommandRequest {
            line,
            files: ctx.sources(None),
        };
        let told = std::cell::Cell::new(false);
        let ended = command::run(&token, &request, &signal, |event| {
            run.transcript.try_update(|t| t.apply(event));
            // A stream is told once, when it starts; other commands when they end.
            if run.streaming
                && !told.get()
                && run
                    .transcript
                    .with_untracked(|t| t.status == Status::Running)
            {
                told.set(true);
                announce(ctx, run);
            }
        })
        .await;
        // Cleared meanwhile: nothing left to tell.
        let Some(status) = run.transcript.try_with_untracked(|t| t.status.clone()) else {
            return false;
        };
        run.abort.set_value(None);
        let end = match ended {
            Ended::Stopped => Some(Status::Stopped),
            Ended::Failed(failure) => Some(Status::Refused(failure.message())),
            Ended::Closed if matches!(status, Status::Starting | Status::Running) => {
                Some(Status::Refused(Text::new(
                    "The proxy ended the command without telling how it ended. Run it again.",
                    "Le proxy a terminé la commande sans dire comment. Relancez-la.",
                )))
            }
            Ended::Closed => None,
        };
        let started = matches!(status, Status::Running) || succeeded(run);
        match end {
            Some(status) => finish(ctx, run, status),
            None => announce(ctx, run),
        }
        // A stream the learner stopped ran as much as it could: it counts as run.
        ctx.ran(&kubectl, started && (succeeded(run) || kubectl.streaming));
        succeeded(run)
    }
}

impl Default for Runs {
    fn default() -> Self {
        Self::new()
    }
}

fn succeeded(run: Run) -> bool {
    run.transcript
        .try_with_untracked(Transcript::succeeded)
        .unwrap_or(false)
}

fn finish(ctx: Ctx, run: Run, status: Status) {
    run.transcript.try_update(|t| t.status = status);
    announce(ctx, run);
}

/// Tell screen readers how `run` stands (nothing when its output was cleared meanwhile).
fn announce(ctx: Ctx, run: Run) {
    let lang = ctx.lang.get_untracked();
    let Some(line) = run.line.try_get_value() else {
        return;
    };
    if let Some(said) = run
        .transcript
        .try_with_untracked(|t| sentence(&line, t, lang))
    {
        ctx.said.set(said);
    }
}

/// Why a command on workspace file `path` may not be sent, if it may not: the file is not in
/// the workspace, or it has errors (the same rule as the Apply button).
fn check_file(ctx: Ctx, path: &str) -> Option<Status> {
    let known = ctx
        .files
        .with_value(|files| files.iter().any(|f| f.path == path));
    if !known {
        let names = ctx.files.with_value(|files| {
            files
                .iter()
                .map(|f| f.path.clone())
                .collect::<Vec<_>>()
                .join(", ")
        });
        return Some(Status::Refused(Text::new(
            format!(
                "{path} is not a file of this workspace: -f reads the manifests beside the worksheet ({names})."
            ),
            format!(
                "{path} n’est pas un fichier de l’espace de travail : -f lit les manifestes à côté de la fiche ({names})."
            ),
        )));
    }
    let errors: Vec<_> = ctx.diagnostics.with_untracked(|all| {
        all.iter()
            .filter(|d| d.file == path && d.severity == Severity::Error)
            .cloned()
            .collect()
    });
    (!errors.is_empty()).then_some(Status::Blocked(errors))
}

/// The label of a status, for the line under a transcript.
pub fn status_label(status: &Status, lang: Lang) -> String {
    match status {
        Status::Starting => lang.t("run.starting").to_owned(),
        Status::Running => lang.t("run.running").to_owned(),
        Status::Terminal => lang.t("run.terminal").to_owned(),
        Status::Exited {
            code,
            truncated,
            timed_out,
        } => {
            let mut label = match code {
                Some(0) => lang.t("run.done").to_owned(),
                Some(code) => format!("{} {code}", lang.t("run.failed")),
                None => lang.t("run.stopped").to_owned(),
            };
            if *truncated {
                label.push_str(&format!(" · {}", lang.t("run.truncated")));
            }
            if *timed_out {
                label.push_str(&format!(" · {}", lang.t("run.timed.out")));
            }
            label
        }
        Status::Stopped => lang.t("run.stopped").to_owned(),
        Status::Refused(why) => why.get(lang.code()).to_owned(),
        Status::Blocked(_) => lang.t("run.blocked").to_owned(),
    }
}
