//! A learner's page in a class tells the instructor's board where it stands: its progress per
//! exercise, the condition its next step waits for, the open worksheet and the workspace files.
//! After a pause in the changes, one request at a time; a failure is silent (the next change
//! tries again). The local playground never reports.

use kubefiche_core::wire::class::{Role, SeatReport};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Ctx;
use super::checking::Checking;
use crate::api;
use crate::class::report::{Outbox, PAUSE_MS, seat_report};
use crate::cluster::sleep;

/// Report from now on, while the session says this page is a learner's seat.
pub fn start(ctx: Ctx, checking: Checking) {
    let titles: Vec<String> = checking.checks.with_value(|c| {
        c.iter()
            .flat_map(|c| c.exercises.iter().map(|e| e.heading.clone()))
            .collect()
    });
    let report = Memo::new(move |_| {
        let learner = ctx.session.with(|s| {
            s.as_ref()
                .is_some_and(|s| matches!(s.role, Role::Learner { .. }))
        });
        if !learner {
            return None;
        }
        let fiche = ctx.sheet_id();
        let workspace = ctx.current.get();
        Some(checking.states.with(|states| {
            ctx.progress
                .with(|progress| seat_report(&fiche, &titles, states, progress, workspace))
        }))
    });
    // Each change starts a pause; only the last change's pause, once over, offers its report.
    let generation = StoredValue::new(0_u64);
    let outbox = StoredValue::new(Outbox::default());
    Effect::new(move |_| {
        let Some(report) = report.get() else {
            return;
        };
        let mine = generation.get_value().wrapping_add(1);
        generation.set_value(mine);
        spawn_local(async move {
            sleep(PAUSE_MS).await;
            if generation.get_value() != mine {
                return;
            }
            let next = outbox.try_update_value(|o| o.offer(report)).flatten();
            deliver(ctx, outbox, next).await;
        });
    });
}

/// Send `next`, then whatever waited for it, until nothing is left.
async fn deliver(ctx: Ctx, outbox: StoredValue<Outbox>, mut next: Option<SeatReport>) {
    let Some(token) = ctx.token.get_value() else {
        return;
    };
    while let Some(report) = next {
        let delivered = api::class::report(&token, &report).await.is_ok();
        next = outbox
            .try_update_value(|o| o.finished(report, delivered))
            .flatten();
    }
}
