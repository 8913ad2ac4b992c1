use super::*;

#[test]
fn the_mode_follows_the_width_and_the_type_scale() {
    assert_eq!(Mode::for_width(2560.0, 1.0), Mode::Wide);
    assert_eq!(Mode::for_width(1024.0, 1.0), Mode::Wide);
    assert_eq!(Mode::for_width(760.0, 1.0), Mode::Medium);
    assert_eq!(Mode::for_width(360.0, 1.0), Mode::Narrow);
    // Projector mode: 1280 px of larger type hold two panes, not three.
    assert_eq!(Mode::for_width(1280.0, PROJECTOR_SCALE), Mode::Medium);
    assert_eq!(Mode::for_width(1600.0, PROJECTOR_SCALE), Mode::Wide);
    // 200 % zoom halves the CSS width: 1600 px behaves like 800.
    assert_eq!(Mode::for_width(800.0, 1.0), Mode::Medium);
    assert_eq!(Mode::for_width(640.0, 1.0), Mode::Narrow);
}

#[test]
fn each_mode_shows_what_fits() {
    let mut c = Choices::default();
    let open = |c: &Choices, mode| PaneId::ALL.map(|p| c.shown(mode, p));
    assert_eq!(open(&c, Mode::Wide), [Shown::Open; 3]);
    assert_eq!(
        open(&c, Mode::Medium),
        [Shown::Open, Shown::Open, Shown::Hidden]
    );
    assert_eq!(
        open(&c, Mode::Narrow),
        [Shown::Hidden, Shown::Open, Shown::Hidden]
    );
    c.chosen = PaneId::Cluster;
    assert_eq!(
        open(&c, Mode::Medium),
        [Shown::Open, Shown::Hidden, Shown::Open]
    );
    // The worksheet chosen on a phone: beside it on a wider screen, the manifests.
    c.chosen = PaneId::Fiche;
    assert_eq!(c.second(), PaneId::Workspace);
    c.focus = Some(PaneId::Cluster);
    assert_eq!(
        open(&c, Mode::Wide),
        [Shown::Strip, Shown::Strip, Shown::Open]
    );
    assert_eq!(
        open(&c, Mode::Medium),
        [Shown::Strip, Shown::Strip, Shown::Open]
    );
    // One pane at a time already: no strips.
    assert_eq!(
        open(&c, Mode::Narrow),
        [Shown::Open, Shown::Hidden, Shown::Hidden]
    );
}

#[test]
fn columns_match_what_is_shown() {
    let mut c = Choices::default();
    let wide = c.columns(Mode::Wide, 1600.0, 1.0);
    assert_eq!(wide.matches("fr)").count(), 3, "{wide}");
    assert_eq!(wide.matches("var(--divider)").count(), 2, "{wide}");
    assert!(c.divider_shown(Mode::Wide, PaneId::Fiche));
    assert!(c.divider_shown(Mode::Wide, PaneId::Workspace));
    let medium = c.columns(Mode::Medium, 800.0, 1.0);
    assert_eq!(medium.matches("var(--divider)").count(), 1, "{medium}");
    assert!(c.divider_shown(Mode::Medium, PaneId::Fiche));
    assert!(!c.divider_shown(Mode::Medium, PaneId::Workspace));
    assert_eq!(c.columns(Mode::Narrow, 360.0, 1.0), "minmax(0, 1fr)");
    c.focus = Some(PaneId::Workspace);
    assert_eq!(
        c.columns(Mode::Wide, 1600.0, 1.0),
        "var(--strip) minmax(0, 1fr) var(--strip)"
    );
    assert!(!c.divider_shown(Mode::Wide, PaneId::Fiche));
}

#[test]
fn every_pane_keeps_its_minimum() {
    let c = Choices {
        wide: [0.7, 0.25, 0.05],
        ..Choices::default()
    };
    let width = 1024.0;
    let shares = c.wide_shares(width, 1.0);
    let room = width - 2.0 * DIVIDER;
    for share in shares {
        assert!(share * room >= MIN_PANE - 0.01, "{shares:?}");
    }
    assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    // At the smallest wide width in projector mode too.
    let width = 3.0 * COMFORTABLE_PANE * PROJECTOR_SCALE + 2.0 * DIVIDER;
    let shares = c.wide_shares(width, PROJECTOR_SCALE);
    for share in shares {
        assert!(share * (width - 2.0 * DIVIDER) >= MIN_PANE * PROJECTOR_SCALE - 0.01);
    }
}

#[test]
fn fitting_keeps_shares_that_are_already_fine() {
    assert_eq!(fit([0.5, 0.3, 0.2], 0.1), [0.5, 0.3, 0.2]);
    let fitted = fit([0.8, 0.15, 0.05], 0.2);
    assert!((fitted[2] - 0.2).abs() < 1e-9 && (fitted[1] - 0.2).abs() < 1e-9);
    assert!((fitted[0] - 0.6).abs() < 1e-9);
}

#[test]
fn dividers_move_within_their_range() {
    let mut c = Choices::default();
    let width = 1600.0;
    c.move_divider(Mode::Wide, PaneId::Fiche, 0.5, width, 1.0);
    let s = c.wide_shares(width, 1.0);
    assert!((s[0] - 0.5).abs() < 1e-9, "{s:?}");
    assert!(
        (s[2] - 0.25).abs() < 1e-9,
        "the cluster keeps its share: {s:?}"
    );
    // Too far right: the manifests keep their minimum.
    c.move_divider(Mode::Wide, PaneId::Fiche, 0.99, width, 1.0);
    let (now, min, max) = c.divider_range(Mode::Wide, PaneId::Fiche, width, 1.0);
    assert!((now - max).abs() < 1e-9 && min < max);
    let s = c.wide_shares(width, 1.0);
    assert!(s[1] * (width - 2.0 * DIVIDER) >= MIN_PANE - 0.01, "{s:?}");
    // The second divider moves the border between the manifests and the cluster.
    c.move_divider(Mode::Wide, PaneId::Workspace, 0.0, width, 1.0);
    let s = c.wide_shares(width, 1.0);
    assert!(s[1] * (width - 2.0 * DIVIDER) >= MIN_PANE - 0.01, "{s:?}");
    assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    c.move_divider(Mode::Medium, PaneId::Fiche, 0.4, 900.0, 1.0);
    assert!((c.medium - 0.4).abs() < 1e-9);
    c.move_divider(Mode::Medium, PaneId::Fiche, 0.0, 900.0, 1.0);
    assert!(c.medium * (900.0 - DIVIDER) >= MIN_PANE - 0.01);
}

#[test]
fn the_pointer_maps_to_a_share() {
    let at = Choices::share_at(Mode::Wide, PaneId::Fiche, 4.0 + 0.4 * 984.0, 1000.0);
    assert!((at - 0.4).abs() < 1e-9, "{at}");
    let at = Choices::share_at(Mode::Wide, PaneId::Workspace, 12.0 + 0.7 * 984.0, 1000.0);
    assert!((at - 0.7).abs() < 1e-9, "{at}");
    assert_eq!(
        Choices::share_at(Mode::Medium, PaneId::Fiche, -50.0, 800.0),
        0.0
    );
}

#[test]
fn choices_survive_a_visit() {
    let c = Choices {
        chosen: PaneId::Cluster,
        focus: Some(PaneId::Fiche),
        wide: [0.3, 0.5, 0.2],
        medium: 0.4,
    };
    assert_eq!(Choices::from_setting(&c.to_setting()), c);
    // Damage keeps the defaults, part by part.
    let d = Choices::from_setting("nonsense;;1,x,3;7");
    assert_eq!(d, Choices::default());
    let e = Choices::from_setting("fiche;;1,1,2");
    assert_eq!(e.chosen, PaneId::Fiche);
    assert_eq!(e.wide, [0.25, 0.25, 0.5]);
}
