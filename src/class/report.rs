//! What a learner's page tells the instructor's board ([`SeatReport`]), and when: after a pause
//! in the changes (≈1 s), one request at a time, never twice the same report.

use kubefiche_core::Text;
use kubefiche_core::checks::{ExerciseState, Progress, Status};
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::wire::class::{ExerciseProgress, SeatReport};

/// How long the page waits after a change before it reports (more changes wait again).
pub const PAUSE_MS: i32 = 1_000;

/// The report of a page showing worksheet `fiche`: each exercise's steps done of those that can
/// be checked (`titles` in the order of `states`), the hint of the first condition the next
/// step waits for, and the workspace files.
pub fn seat_report(
    fiche: &str,
    titles: &[String],
    states: &[ExerciseState],
    progress: &Progress,
    workspace: Vec<SourceFile>,
) -> SeatReport {
    let exercises = states
        .iter()
        .enumerate()
        .map(|(i, state)| {
            let counted = state
                .steps
                .iter()
                .filter(|s| s.status != Status::NotCheckable);
            let (done, total) = counted.fold((0, 0), |(done, total), step| {
                let status = progress.status(&state.id, step.number, step.status);
                (done + u32::from(status == Status::Done), total + 1)
            });
            ExerciseProgress {
                title: titles.get(i).cloned().unwrap_or_else(|| state.id.clone()),
                done,
                total,
            }
        })
        .collect();
    SeatReport {
        fiche: fiche.to_owned(),
        exercises,
        failing: next_failing(states, progress),
        workspace,
    }
}

/// The hint of what the learner's next step waits for: in the first exercise not done, its
/// unmet requirement, else the first condition of its first step not done.
fn next_failing(states: &[ExerciseState], progress: &Progress) -> Option<Text> {
    let state = states
        .iter()
        .find(|s| progress.exercise_status(s) != Status::Done)?;
    if let Some(requires) = &state.requires {
        return Some(requires.hint.clone());
    }
    state
        .steps
        .iter()
        .filter(|s| {
            !matches!(
                progress.status(&state.id, s.number, s.status),
                Status::Done | Status::NotCheckable
            )
        })
        .find_map(|s| s.failing.as_ref().map(|f| f.hint.clone()))
}

/// The reports waiting to go: at most one request in flight; a report offered meanwhile waits
/// for it, and one equal to the last that arrived is not sent again. A failed request is not
/// retried on its own: the next change sends the report again.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outbox {
    delivered: Option<SeatReport>,
    in_flight: bool,
    waiting: Option<SeatReport>,
}

impl Outbox {
    /// A report after the pause: the one to send now, if any.
    pub fn offer(&mut self, report: SeatReport) -> Option<SeatReport> {
        if self.in_flight {
            self.waiting = Some(report);
            return None;
        }
        if self.delivered.as_ref() == Some(&report) {
            return None;
        }
        self.in_flight = true;
        Some(report)
    }

    /// The request for `sent` ended (`delivered`: the proxy took it): the next to send, if any.
    pub fn finished(&mut self, sent: SeatReport, delivered: bool) -> Option<SeatReport> {
        self.in_flight = false;
        if delivered {
            self.delivered = Some(sent);
        }
        self.waiting.take().and_then(|next| self.offer(next))
    }
}

#[cfg(test)]
mod tests {
    use kubefiche_core::checks::{Failing, StepState};

    use super::*;

    fn step(number: u32, status: Status, hint: Option<&str>) -> StepState {
        StepState {
            number,
            status,
            held: 0,
            total: 1,
            failing: hint.map(|h| Failing {
                index: 0,
                hint: Text::new(h, h),
                line: 1,
            }),
            sticky: true,
        }
    }

    fn states() -> Vec<ExerciseState> {
        vec![
            ExerciseState {
                id: "configmap".into(),
                steps: vec![step(1, Status::Done, None), step(2, Status::Done, None)],
                requires: None,
            },
            ExerciseState {
                id: "secret".into(),
                steps: vec![
                    step(1, Status::Done, None),
                    step(2, Status::Todo, Some("create the Secret db")),
                    step(3, Status::NotCheckable, None),
                ],
                requires: None,
            },
        ]
    }

    #[test]
    fn each_exercise_counts_its_checkable_steps_and_the_next_hint_is_told() {
        let titles = vec!["ConfigMap".to_owned()];
        let report = seat_report("fiche-3", &titles, &states(), &Progress::default(), vec![]);
        assert_eq!(report.fiche, "fiche-3");
        let counts: Vec<(&str, u32, u32)> = report
            .exercises
            .iter()
            .map(|e| (e.title.as_str(), e.done, e.total))
            .collect();
        // A missing title falls back on the exercise's id.
        assert_eq!(counts, [("ConfigMap", 2, 2), ("secret", 1, 2)]);
        assert_eq!(
            report.failing.map(|t| t.en),
            Some("create the Secret db".to_owned())
        );
    }

    #[test]
    fn a_requirement_not_met_comes_first() {
        let mut states = states();
        states[1].requires = Some(Failing {
            index: 0,
            hint: Text::new("finish the ConfigMap first", "finir la ConfigMap"),
            line: 3,
        });
        let report = seat_report("f", &[], &states, &Progress::default(), vec![]);
        assert_eq!(
            report.failing.map(|t| t.en),
            Some("finish the ConfigMap first".to_owned())
        );
    }

    fn report(fiche: &str) -> SeatReport {
        SeatReport {
            fiche: fiche.into(),
            ..SeatReport::default()
        }
    }

    #[test]
    fn one_request_at_a_time_and_never_the_same_twice() {
        let mut outbox = Outbox::default();
        assert_eq!(outbox.offer(report("a")), Some(report("a")));
        // In flight: the next ones wait, the last of them wins.
        assert_eq!(outbox.offer(report("b")), None);
        assert_eq!(outbox.offer(report("c")), None);
        assert_eq!(outbox.finished(report("a"), true), Some(report("c")));
        assert_eq!(outbox.finished(report("c"), true), None);
        // Nothing new: nothing sent.
        assert_eq!(outbox.offer(report("c")), None);
    }

    #[test]
    fn a_failed_report_goes_again_with_the_next_change_only() {
        let mut outbox = Outbox::default();
        assert_eq!(outbox.offer(report("a")), Some(report("a")));
        assert_eq!(outbox.finished(report("a"), false), None);
        // Not delivered, so the same report is still worth sending.
        assert_eq!(outbox.offer(report("a")), Some(report("a")));
    }
}
