//! The cost of validation grows with the size of the workspace, not with its square: each shape
//! below is validated at n and 2n, and the time may at most triple (a check comparing every
//! object with every other would quadruple it). The fastest of a few runs counts, so that a busy
//! machine does not make the test fail. `cargo test -p kubefiche-core --lib tests_scale --
//! --nocapture` prints the times.

use std::fmt::Write;
use std::time::{Duration, Instant};

use crate::manifest::SourceFile;
use crate::validate::{Options, validate_workspace};

/// Files of at most 100 documents (the most a file may hold).
fn files(documents: impl Iterator<Item = String>) -> Vec<SourceFile> {
    let documents: Vec<String> = documents.collect();
    documents
        .chunks(100)
        .enumerate()
        .map(|(i, chunk)| SourceFile {
            path: format!("k8s/f{i}.yaml"),
            text: chunk.join("---\n"),
        })
        .collect()
}

fn config_maps(n: usize) -> Vec<SourceFile> {
    files((0..n).map(|i| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n")))
}

fn same_name(n: usize) -> Vec<SourceFile> {
    files((0..n).map(|_| "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n".to_owned()))
}

/// One ConfigMap with n keys, each written twice.
fn repeated_keys(n: usize) -> Vec<SourceFile> {
    let mut text =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keys\ndata:\n");
    for round in 0..2 {
        for i in 0..n {
            let _ = writeln!(text, "  k{i}: \"{round}\"");
        }
    }
    files(std::iter::once(text))
}

/// A map merging (`<<`) an anchored map of n keys into n keys of its own.
fn merged(n: usize) -> Vec<SourceFile> {
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: merged\n  annotations: &base\n",
    );
    for i in 0..n {
        let _ = writeln!(text, "    a{i}: x");
    }
    text.push_str("data:\n  <<: *base\n");
    for i in 0..n {
        let _ = writeln!(text, "  b{i}: y");
    }
    files(std::iter::once(text))
}

/// n/2 Deployments, each selected by its own Service, which a ConfigMap's URL names.
fn services(n: usize) -> Vec<SourceFile> {
    files((0..n / 2).map(|i| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\nspec:\n  selector:\n    matchLabels:\n      app: a{i}\n  template:\n    metadata:\n      labels:\n        app: a{i}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  selector:\n    app: a{i}\n  ports:\n  - port: 80\n"
        )
    }))
}

/// One Pod with n containers.
fn containers(n: usize) -> Vec<SourceFile> {
    let mut text =
        String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: many\nspec:\n  containers:\n");
    for i in 0..n {
        let _ = write!(
            text,
            "  - name: c{i}\n    image: nginx:1.27\n    ports:\n    - containerPort: {}\n    env:\n    - name: E{i}\n      value: x\n",
            8000 + i
        );
    }
    files(std::iter::once(text))
}

/// One Pod with n containers, each with a misspelt field and no image: an error each, and
/// errors that the misspelling explains.
fn broken_containers(n: usize) -> Vec<SourceFile> {
    let mut text = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\nspec:\n  containers:\n",
    );
    for i in 0..n {
        let _ = write!(
            text,
            "  - name: c{i}\n    imagee: nginx\n    ports:\n    - containerPortt: 80\n"
        );
    }
    files(std::iter::once(text))
}

/// One validation's time.
fn time(files: &[SourceFile]) -> Duration {
    let start = Instant::now();
    std::hint::black_box(validate_workspace(files, &Options::default()));
    start.elapsed()
}

/// The fastest of five validations of each, taken in turns so that a busy moment of the
/// machine weighs on both alike.
fn fastest(small: &[SourceFile], large: &[SourceFile]) -> (Duration, Duration) {
    (0..5).fold((Duration::MAX, Duration::MAX), |(s, l), _| {
        (s.min(time(small)), l.min(time(large)))
    })
}

#[test]
fn validation_time_grows_linearly() {
    type Shape = fn(usize) -> Vec<SourceFile>;
    let shapes: [(&str, Shape, usize); 7] = [
        ("tiny ConfigMaps", config_maps, 2_500),
        ("one name, many objects", same_name, 2_500),
        ("repeated keys", repeated_keys, 5_000),
        ("merge keys", merged, 5_000),
        ("Services and Deployments", services, 1_000),
        ("containers of one Pod", containers, 1_000),
        ("misspelt fields", broken_containers, 1_000),
    ];
    let mut report = Vec::new();
    for (name, shape, n) in shapes {
        let (small, large) = fastest(&shape(n), &shape(2 * n));
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
        report.push(format!(
            "{name}: n={n} {small:?}, 2n {large:?}, ratio {ratio:.2}"
        ));
        // Too fast to measure: it cannot be quadratic in any way that matters.
        if large > Duration::from_millis(20) {
            assert!(ratio < 3.0, "{}", report.join("\n"));
        }
    }
    eprintln!("{}", report.join("\n"));
}
