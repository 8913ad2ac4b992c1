use kubefiche_core::Text;
use kubefiche_core::wire::class::{BoardEvent, BoardSeat, ClassInfo};

use super::*;

fn seat(n: u32, name: &str) -> BoardSeat {
    BoardSeat {
        seat: n,
        name: name.to_owned(),
        namespace: format!("kf-abc-{n}"),
        joined_at: 1_000,
        seen_at: None,
        revoked: false,
        pods: vec![],
        fiche: "fiche-3".into(),
        exercises: vec![],
        failing: None,
        problems: vec![],
    }
}

fn class(taken: u32) -> ClassInfo {
    ClassInfo {
        id: "abc".into(),
        name: "K8s 101".into(),
        seats: 30,
        worksheets: vec!["fiche-3".into()],
        created_at: 0,
        expires_at: 3_600_000,
        taken,
        join: Some("/#join=xyz".into()),
        join_expires_at: 600_000,
        ended: false,
    }
}

#[test]
fn a_name_is_trimmed_and_has_one_to_forty_characters() {
    assert_eq!(display_name("  Ada  "), Ok("Ada".to_owned()));
    assert_eq!(display_name("   "), Err(NameProblem::Empty));
    assert_eq!(display_name(""), Err(NameProblem::Empty));
    // Characters, not bytes: forty accented letters fit.
    assert_eq!(
        display_name(&"é".repeat(40)).map(|n| n.chars().count()),
        Ok(40)
    );
    assert_eq!(display_name(&"é".repeat(41)), Err(NameProblem::TooLong));
    assert_eq!(display_name("Ada\nLovelace"), Err(NameProblem::Control));
}

#[test]
fn the_join_code_comes_from_the_fragment() {
    assert_eq!(join_code_of("#join=k2x9"), Some("k2x9".to_owned()));
    assert_eq!(join_code_of("#join="), None);
    assert_eq!(join_code_of("#token=abc"), None);
    assert_eq!(join_code_of(""), None);
}

#[test]
fn the_board_folds_a_snapshot_then_changes() {
    let mut board = BoardState::default();
    board.apply(BoardEvent::Snapshot {
        class: Some(class(2)),
        seats: vec![seat(3, "Cy"), seat(1, "Ada")],
    });
    assert_eq!(
        board.seats.iter().map(|s| s.seat).collect::<Vec<_>>(),
        [1, 3]
    );
    // A new learner lands in seat order; a known one is replaced.
    board.apply(BoardEvent::Seat {
        seat: seat(2, "Bo"),
    });
    let mut ada = seat(1, "Ada");
    ada.failing = Some(Text::new("ConfigMap missing", "ConfigMap absente"));
    board.apply(BoardEvent::Seat { seat: ada.clone() });
    assert_eq!(
        board
            .seats
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Ada", "Bo", "Cy"]
    );
    assert_eq!(board.seat(1), Some(&ada));
    board.apply(BoardEvent::Class {
        class: Some(class(3)),
    });
    assert_eq!(board.class.as_ref().map(|c| c.taken), Some(3));
    assert_eq!(board.seats.len(), 3);
    // A new snapshot starts again from what it says.
    board.apply(BoardEvent::Snapshot {
        class: None,
        seats: vec![],
    });
    assert_eq!(board, BoardState::default());
}

#[test]
fn durations_in_the_boards_words() {
    assert_eq!(seconds_between(10_000, 52_500), 42);
    assert_eq!(seconds_between(60_000, 1_000), 0);
    assert_eq!(duration_words(42), "42 s");
    assert_eq!(duration_words(300), "5 min");
    assert_eq!(duration_words(3_900), "1 h 05");
}

#[test]
fn the_class_form_asks_for_a_name_seats_worksheets_and_minutes() {
    let sheets = || vec!["fiche-3".to_owned()];
    assert_eq!(
        new_class(" K8s 101 ", "30", sheets(), "120"),
        Ok(kubefiche_core::wire::class::NewClass {
            name: "K8s 101".into(),
            seats: 30,
            worksheets: sheets(),
            minutes: 120,
        })
    );
    assert_eq!(
        new_class(" ", "30", sheets(), "120"),
        Err("class.form.bad.name")
    );
    assert_eq!(
        new_class("a", "0", sheets(), "120"),
        Err("class.form.bad.seats")
    );
    assert_eq!(
        new_class("a", "201", sheets(), "120"),
        Err("class.form.bad.seats")
    );
    assert_eq!(
        new_class("a", "200", sheets(), "120").map(|c| c.seats),
        Ok(200)
    );
    assert_eq!(
        new_class("a", "3", vec![], "120"),
        Err("class.form.bad.worksheets")
    );
    assert_eq!(
        new_class("a", "3", sheets(), "0"),
        Err("class.form.bad.minutes")
    );
    assert_eq!(
        new_class("a", "3", sheets(), "soon"),
        Err("class.form.bad.minutes")
    );
}
