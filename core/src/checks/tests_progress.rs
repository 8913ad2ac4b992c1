//! Progress: sticky steps, reset, solutions asked for, the progress bar.

use super::tests_parse::{GOOD, files, outline};
use super::*;

fn state(id: &str, steps: &[(u32, Status)]) -> ExerciseState {
    ExerciseState {
        id: id.into(),
        steps: steps
            .iter()
            .map(|&(number, status)| StepState {
                number,
                status,
                held: 0,
                total: 1,
                failing: None,
                sticky: true,
            })
            .collect(),
        requires: None,
    }
}

#[test]
fn done_steps_stay_done_until_reset() {
    let mut p = Progress::default();
    let now = state("configmap", &[(1, Status::Done), (2, Status::InProgress)]);
    assert!(p.update(std::slice::from_ref(&now), 100));
    assert!(!p.update(std::slice::from_ref(&now), 200), "nothing new");
    assert_eq!(p.done["configmap/1"], 100, "the first time is kept");
    let later = state("configmap", &[(1, Status::Todo), (2, Status::InProgress)]);
    assert!(!p.update(std::slice::from_ref(&later), 300));
    assert_eq!(
        p.status("configmap", 1, Status::Todo),
        Status::Done,
        "sticky"
    );
    assert_eq!(
        p.status("configmap", 2, Status::InProgress),
        Status::InProgress
    );
    assert_eq!(p.exercise_status(&later), Status::InProgress);
    assert!(p.ask_solution("configmap", 2));
    assert!(!p.ask_solution("configmap", 2), "asked once");
    assert!(p.asked_solution("configmap", 2));
    p.update(&[state("secret", &[(1, Status::Done)])], 400);
    p.ask_solution("secret", 1);
    p.reset("configmap");
    assert_eq!(p.status("configmap", 1, Status::Todo), Status::Todo);
    assert!(!p.asked_solution("configmap", 2));
    assert!(
        p.is_done("secret", 1) && p.asked_solution("secret", 1),
        "other exercises stay"
    );
    let back: Progress =
        serde_json::from_str(&serde_json::to_string(&p).expect("json")).expect("back");
    assert_eq!(back, p);
    let old: Progress = serde_json::from_str("{}").expect("an empty record reads");
    assert_eq!(old, Progress::default());
}

#[test]
fn steps_on_the_workspace_alone_follow_the_files() {
    let mut p = Progress::default();
    let mut files_only = state("postgres", &[(1, Status::Done)]);
    files_only.steps[0].sticky = false;
    assert!(p.update(std::slice::from_ref(&files_only), 100));
    assert!(p.is_done("postgres", 1));
    files_only.steps[0].status = Status::InProgress;
    assert!(
        p.update(std::slice::from_ref(&files_only), 200),
        "the file broke"
    );
    assert!(!p.is_done("postgres", 1));
    assert_eq!(
        p.status("postgres", 1, Status::InProgress),
        Status::InProgress
    );
}

#[test]
fn a_step_is_sticky_unless_every_condition_is_on_the_workspace() {
    let checks = parse(GOOD, &outline(), &files()).expect("good");
    let s = super::tests_eval::Setup::new();
    for (exercise, state) in checks.exercises.iter().zip(s.evaluate(&checks)) {
        for (step, live) in exercise.steps.iter().zip(&state.steps) {
            let workspace = !step.checks.is_empty()
                && step.checks.iter().all(|c| {
                    matches!(
                        c.test,
                        Test::Valid(_) | Test::Manifest { .. } | Test::Opened(_)
                    )
                });
            assert_eq!(
                live.sticky,
                !workspace && !step.checks.is_empty(),
                "{}/{}",
                exercise.id,
                step.number
            );
        }
    }
}

#[test]
fn exercise_status_from_steps() {
    let p = Progress::default();
    let all = |steps: &[(u32, Status)]| p.exercise_status(&state("e", steps));
    assert_eq!(
        all(&[(1, Status::Done), (2, Status::NotCheckable)]),
        Status::Done
    );
    assert_eq!(
        all(&[(1, Status::Done), (2, Status::Todo)]),
        Status::InProgress
    );
    assert_eq!(all(&[(1, Status::InProgress)]), Status::InProgress);
    assert_eq!(
        all(&[(1, Status::Todo), (2, Status::NotCheckable)]),
        Status::Todo
    );
}

#[test]
fn the_progress_bar_leaves_out_what_cannot_be_checked() {
    let checks = parse(GOOD, &outline(), &files()).expect("ok");
    let mut p = Progress::default();
    assert_eq!(
        p.fraction(&checks),
        (0, 4),
        "3 checkable steps + 1 of the challenge"
    );
    p.update(
        &[
            state(
                "configmap",
                &[
                    (1, Status::Done),
                    (2, Status::Done),
                    (3, Status::Done),
                    (4, Status::Done),
                ],
            ),
            state("challenge", &[(1, Status::Done)]),
        ],
        1,
    );
    assert_eq!(
        p.fraction(&checks),
        (4, 4),
        "a not-checkable step done does not count twice"
    );
}
