use super::{Family, Plan, generate};

#[test]
fn the_same_seed_gives_the_same_mutants() {
    let plan = Plan {
        seed: 7,
        count: 200,
        max_lines: None,
    };
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
    let all = generate(&Plan {
        seed: 1,
        count: 300,
        max_lines: None,
    });
    for family in Family::ALL {
        assert_eq!(
            all.iter().filter(|m| m.family == family).count(),
            20,
            "{}",
            family.name()
        );
    }
    if std::env::var_os("SHOW_MUTANTS").is_some() {
        for m in &all {
            println!(
                "=== {} {} [{}] {}",
                m.id,
                m.family.name(),
                m.seed,
                m.description
            );
            for f in &m.files {
                println!("--- {}\n{}", f.path, f.text);
            }
        }
    }
}

#[test]
fn the_committed_sample_is_what_the_generator_makes() {
    use super::sample::{SAMPLE, SAMPLE_MAX_LINES, SAMPLE_SEED, SAMPLE_SIZE, read};
    let path = crate::cluster::workspace_root().join(SAMPLE);
    let recorded = read(&std::fs::read_to_string(path).expect("the sample")).expect("it reads");
    let made = generate(&Plan {
        seed: SAMPLE_SEED,
        count: SAMPLE_SIZE,
        max_lines: Some(SAMPLE_MAX_LINES),
    });
    assert_eq!(recorded.len(), made.len());
    for ((r, _, _), m) in recorded.iter().zip(&made) {
        assert_eq!(
            (&r.id, &r.files, &r.description),
            (&m.id, &m.files, &m.description),
            "the generator changed: rewrite the sample with `cargo xtask differential --sample`"
        );
    }
}

#[test]
fn generation_ends_even_when_a_family_runs_out() {
    let started = std::time::Instant::now();
    let all = generate(&Plan {
        seed: 1,
        count: 3_000,
        max_lines: None,
    });
    let mut by_family = std::collections::BTreeMap::new();
    for m in &all {
        *by_family.entry(m.family.name()).or_insert(0) += 1;
    }
    println!(
        "{} mutants in {:?}: {by_family:?}",
        all.len(),
        started.elapsed()
    );
    assert_eq!(all.len(), 3_000);
}
