//! The committed sample of mutants (`tests/mutants/sample.jsonl`) against the real API server:
//! every mutant is asked again (a server-side dry run, then a real create in a throwaway
//! namespace) and its verdict must be the recorded one. The validator's agreement with the
//! sample is asserted without a cluster by `core/tests/mutants.rs`; this test keeps the sample
//! honest. `cargo xtask differential --sample` rewrites it.

use anyhow::Result;
use kubefiche_tests::cluster::{cluster, workspace_root};
use kubefiche_tests::mutants::ask::ask_all;
use kubefiche_tests::mutants::sample::{SAMPLE, read};

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn the_sample_s_verdicts_are_what_the_api_server_says() -> Result<()> {
    let text = std::fs::read_to_string(workspace_root().join(SAMPLE))?;
    let sample = read(&text)?;
    let client = cluster().await.client().await?;
    let started = std::time::Instant::now();
    let live = ask_all(
        &client,
        sample.iter().map(|(m, _, _)| m.files.clone()).collect(),
        12,
        false,
    )
    .await?;
    let changed: Vec<String> = sample
        .iter()
        .zip(&live)
        .filter(|((_, refused, _), now)| *refused != now.refused)
        .map(|((m, refused, message), now)| {
            format!(
                "{} ({}): {}\n  recorded: {}\n  now: {}",
                m.id,
                m.family.name(),
                m.description,
                if *refused {
                    message.as_str()
                } else {
                    "accepted"
                },
                if now.refused {
                    now.message.as_str()
                } else {
                    "accepted"
                },
            )
        })
        .collect();
    println!("{} mutants asked in {:?}", live.len(), started.elapsed());
    assert!(
        changed.is_empty(),
        "the API server's verdicts differ from {SAMPLE} (review, then `cargo xtask differential --sample`):\n{}",
        changed.join("\n")
    );
    Ok(())
}
