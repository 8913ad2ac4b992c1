use super::{Family, Plan, generate};

#[test]
fn the_same_seed_gives_the_same_mutants() {
    let plan = Plan { seed: 7, count: 200, max_lines: None };
    let a = generate(&plan);
    let b = generate(&plan);
    assert_eq!(a.len(), 200);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.files, y.files);
        assert_eq!(x.description, y.description);
    }
}

#[test]
fn every_family_has_mutants() {
    let all = generate(&Plan { seed: 1, count: 280, max_lines: None });
    for family in Family::ALL {
        assert_eq!(all.iter().filter(|m| m.family == family).count(), 20, "{}", family.name());
    }
    if std::env::var_os("SHOW_MUTANTS").is_some() {
        for m in &all {
            println!("=== {} {} [{}] {}", m.id, m.family.name(), m.seed, m.description);
            for f in &m.files {
                println!("--- {}\n{}", f.path, f.text);
            }
        }
    }
}
