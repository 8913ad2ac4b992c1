//! When the cluster stops answering in the middle of an apply: what became of each object.
//!
//! A connection that could not be opened, or a failed read before the write, means the object
//! was not applied. A write whose answer never came may or may not have been applied: the
//! learner is told so, and that applying again is safe (a server-side apply of the same object
//! gives the same result). The objects after it are not sent at all.

use kubefiche_core::manifest::Manifest;
use kubefiche_core::wire::Outcome;
use kubefiche_core::{Severity, Text};

use super::diagnostic;

/// Reason of an object that was not applied: the cluster could not be reached.
pub const UNREACHABLE: &str = "unreachable";
/// Reason of an object whose write went out and whose answer never came.
pub const UNKNOWN: &str = "unknown";
/// Reason of an object left unsent after the cluster stopped answering.
pub const LOST: &str = "cluster-lost";

/// Whether `outcome` says the cluster stopped answering.
pub fn is_lost(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Failed { reason, .. } if reason == UNREACHABLE || reason == UNKNOWN)
}

/// Whether `error` is a connection that could not be opened (nothing was sent).
fn refused(error: &kube::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if let Some(io) = error.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return true;
        }
        source = error.source();
    }
    false
}

/// A failure to talk to the cluster (not an answer of it); `written` when it came on the write.
pub fn transport(object: &Manifest, error: &kube::Error, written: bool) -> Outcome {
    if written && !refused(error) {
        let message = Text::new(
            format!(
                "Unknown: the connection to the cluster broke while it was applying this object ({error}), so it may or may not be applied. Once the cluster answers, apply again: applying the same object again gives the same result."
            ),
            format!(
                "Inconnu : la connexion au cluster a été coupée pendant qu'il appliquait cet objet ({error}) ; il est peut-être appliqué, peut-être pas. Quand le cluster répond, appliquez à nouveau : appliquer le même objet une deuxième fois donne le même résultat."
            ),
        );
        return Outcome::Failed {
            reason: UNKNOWN.into(),
            diagnostics: vec![diagnostic(object, "", "cluster", message)],
        };
    }
    let message = Text::new(
        format!(
            "Not applied: the cluster could not be reached ({error}). Check that it runs (kubectl get nodes), then apply again."
        ),
        format!(
            "Non appliqué : le cluster est injoignable ({error}). Vérifiez qu'il tourne (kubectl get nodes), puis appliquez à nouveau."
        ),
    );
    Outcome::Failed {
        reason: UNREACHABLE.into(),
        diagnostics: vec![diagnostic(object, "", "cluster", message)],
    }
}

/// An object left unsent because the cluster stopped answering earlier in the same apply.
pub fn not_sent(object: &Manifest) -> Outcome {
    let mut note = diagnostic(
        object,
        "",
        LOST,
        Text::new(
            "Not applied: the cluster stopped answering earlier in this apply, so this object was not sent. Apply again once it answers.",
            "Non appliqué : le cluster a cessé de répondre plus tôt dans cet apply, cet objet n'a donc pas été envoyé. Appliquez à nouveau quand il répond.",
        ),
    );
    note.severity = Severity::Info;
    Outcome::Failed {
        reason: LOST.into(),
        diagnostics: vec![note],
    }
}
