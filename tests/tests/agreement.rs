//! Agreement between our validator and the real API server.
//!
//! Every manifest of `tests/corpus/` goes through `validate_workspace` and through the local
//! control plane's API server (a server-side dry-run create, `fieldValidation=Strict`, the YAML
//! sent as is so the server's own YAML reading decides). The test prints the table and fails
//! when a manifest the API server accepts gets an error from us, or when we catch fewer than 95%
//! of the API server's rejections.

use anyhow::Result;
use kubefiche_core::Severity;
use kubefiche_core::validate::{Options, validate_workspace};
use kubefiche_tests::cluster::{cluster, namespace};
use kubefiche_tests::verdict::{corpus, server_verdict};

fn clip(s: &str, n: usize) -> String {
    let one = s.replace('\n', " ");
    if one.chars().count() > n {
        one.chars().take(n).collect::<String>() + "…"
    } else {
        one
    }
}

#[tokio::test]
async fn validator_agrees_with_the_api_server() -> Result<()> {
    let files = corpus()?;
    assert!(
        files.len() >= 150,
        "the corpus has only {} files",
        files.len()
    );
    let client = cluster().await.client().await?;
    let ns = namespace("agreement").await;
    let (mut both_ok, mut caught, mut missed, mut false_pos) = (0, 0, Vec::new(), Vec::new());
    println!("{:<36} {:<7} {:<40} server", "file", "server", "ours");
    for f in &files {
        let ours: Vec<String> = validate_workspace(std::slice::from_ref(f), &Options::default())
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}@{}", d.code, d.span.line))
            .collect();
        let theirs = server_verdict(&client, ns.name(), &f.text).await?;
        let verdict = match (&theirs, ours.is_empty()) {
            (Ok(()), true) => {
                both_ok += 1;
                "ok"
            }
            (Err(_), false) => {
                caught += 1;
                "caught"
            }
            (Err(m), true) => {
                missed.push((f.path.clone(), m.clone()));
                "MISSED"
            }
            (Ok(()), false) => {
                false_pos.push((f.path.clone(), ours.join(" ")));
                "FALSE+"
            }
        };
        println!(
            "{:<36} {:<7} {:<40} {}",
            f.path,
            verdict,
            clip(&ours.join(" "), 40),
            theirs.err().map(|m| clip(&m, 140)).unwrap_or_default()
        );
    }
    let rejected = caught + missed.len();
    #[allow(clippy::cast_precision_loss)]
    let rate = if rejected == 0 {
        100.0
    } else {
        caught as f64 * 100.0 / rejected as f64
    };
    println!(
        "\nagreement: {} files; API server accepted {} (we flagged {} of them), rejected {rejected}; we caught {caught} ({rate:.1}%), missed {}",
        files.len(),
        both_ok + false_pos.len(),
        false_pos.len(),
        missed.len()
    );
    for (f, m) in &missed {
        println!("missed: {f}: {}", clip(m, 200));
    }
    for (f, c) in &false_pos {
        println!("false positive: {f}: {c}");
    }
    assert!(
        false_pos.is_empty(),
        "{} manifests accepted by the API server got errors from us",
        false_pos.len()
    );
    assert!(
        rate >= 95.0,
        "we catch only {rate:.1}% of the API server's rejections"
    );
    Ok(())
}
