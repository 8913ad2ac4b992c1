//! `POST /api/command`: one kubectl command line of the learner, checked, run by the real
//! kubectl with the cluster, context and namespace forced, answered as server-sent events.
//!
//! Everything that can be refused is refused before anything runs, with an [`ErrorBody`]
//! (`kubefiche_core::wire`): the parser's verdict, the proxy's own [`policy`], the workspace file
//! of `-f` ([`file`]), the number of commands running. Then the events are `Started`, maybe a
//! `Note`, `Output` as kubectl writes, and `Exit`.

mod file;
pub mod policy;
mod running;

use std::convert::Infallible;
use std::io::ErrorKind;
use std::process::Stdio;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{StreamExt, stream};
use kubefiche_core::Text;
use kubefiche_core::command::{self, Parsed};
use kubefiche_core::validate::ClusterFlavor;
use kubefiche_core::wire::{CommandEvent, CommandRequest};
use tokio::io::AsyncWriteExt;

use crate::error::ApiError;
use crate::routes::{AppState, flavor};
use crate::scope::Scope;
use running::Running;

/// Checks the line, starts kubectl, and answers with its events.
pub async fn run(
    State(state): State<AppState>,
    scope: Scope,
    body: Result<Json<CommandRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(request) = body.map_err(|rejection| ApiError::unreadable_json(&rejection))?;
    let command = match command::parse(&request.line) {
        Parsed::Kubectl(command) => command,
        Parsed::Refused(why) => return Err(ApiError::CommandRefused(why)),
        Parsed::Elsewhere { why, instead } => {
            return Err(ApiError::CommandRefused(elsewhere(why, instead)));
        }
        Parsed::Nothing => {
            return Err(ApiError::CommandRefused(Text::new(
                "There is nothing to run: the line is empty or a comment.",
                "Il n'y a rien à exécuter : la ligne est vide ou c'est un commentaire.",
            )));
        }
    };
    let plan = policy::check(&command).map_err(ApiError::CommandRefused)?;
    policy::replicas_within(&plan.args, state.sandbox.max_replicas)
        .map_err(ApiError::CommandRefused)?;
    if command.terminal {
        return Err(ApiError::NeedsTerminal);
    }
    let stdin = match &plan.file {
        Some(name) => {
            // The same bounds as the Apply button: counted at once, validated off the executor.
            state.bounds.check_objects(&request.files)?;
            let (name, files) = (name.clone(), request.files);
            let (namespace, sandbox) = (scope.namespace.clone(), state.sandbox);
            let text = state
                .bounds
                .off_executor(move || file::text(&name, &files, &namespace, &sandbox))
                .await??;
            Some(text)
        }
        None => None,
    };
    let kubectl = &scope.kubectl;
    let slot = kubectl
        .slot()
        .ok_or(ApiError::TooManyCommands(kubectl.limits.concurrent))?;
    let mut process = kubectl.command(&plan.args);
    if stdin.is_some() {
        process.stdin(Stdio::piped());
    }
    let mut child = process.spawn().map_err(|error| match error.kind() {
        ErrorKind::NotFound => ApiError::NoKubectl(kubectl.program.display().to_string()),
        _ => ApiError::KubectlFailed(error.to_string()),
    })?;
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        // A task of its own, so that a large file never waits for kubectl to read it while
        // kubectl waits for us to read its output. It ends when written, or when kubectl goes.
        tokio::spawn(async move {
            let _ = pipe.write_all(text.as_bytes()).await;
        });
    }
    let audit = command.audit();
    tracing::debug!(command = %audit, "command started");
    let time = if command.streaming {
        kubectl.limits.stream_time
    } else {
        kubectl.limits.time
    };
    let running = Running::new(
        child,
        audit,
        kubectl.limits.output_bytes,
        time,
        scope.closed.clone(),
        slot,
    );
    let mut head = vec![CommandEvent::Started {
        argv: std::iter::once("kubectl".to_owned())
            .chain(command.args.iter().cloned())
            .collect(),
    }];
    if flavor(&state.context) == Some(ClusterFlavor::Local) {
        head.extend(simulated_nodes_note(&command.verb));
    }
    let rest = stream::unfold(running, |mut running| async move {
        running.next_events().await.map(|events| (events, running))
    })
    .flat_map(stream::iter);
    let events = stream::iter(head)
        .chain(rest)
        .map(|event| Ok::<_, Infallible>(to_sse(&event)));
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response())
}

/// A line for a shell or a container: why, and what to do instead.
fn elsewhere(why: Text, instead: Option<String>) -> Text {
    match instead {
        None => why,
        Some(instead) => Text::new(
            format!("{} Instead: {instead}", why.en),
            format!("{} À la place : {instead}", why.fr),
        ),
    }
}

/// On the bundled cluster, containers do not run: say so before `logs` and `exec`.
fn simulated_nodes_note(verb: &str) -> Option<CommandEvent> {
    let message = match verb {
        "logs" => Text::new(
            "Containers do not run on the bundled cluster's simulated nodes, so they write no logs: kubectl describe pod NAME shows the pod's events and status, kubectl set env pod/NAME --list --resolve its environment.",
            "Les conteneurs ne tournent pas sur les nœuds simulés du cluster intégré, ils n'écrivent donc pas de logs : kubectl describe pod NOM montre les événements et l'état du pod, kubectl set env pod/NOM --list --resolve son environnement.",
        ),
        "exec" => Text::new(
            "Containers do not run on the bundled cluster's simulated nodes, so there is no shell to run commands in: kubectl set env pod/NAME --list --resolve shows the container's environment, kubectl describe pod NAME the pod's events and status.",
            "Les conteneurs ne tournent pas sur les nœuds simulés du cluster intégré, il n'y a donc pas de shell où exécuter des commandes : kubectl set env pod/NOM --list --resolve montre l'environnement du conteneur, kubectl describe pod NOM les événements et l'état du pod.",
        ),
        _ => return None,
    };
    Some(CommandEvent::Note { message })
}

fn to_sse(event: &CommandEvent) -> Event {
    // Serialising our own enum cannot fail; an empty event would be skipped by the page.
    Event::default().data(serde_json::to_string(event).unwrap_or_default())
}
