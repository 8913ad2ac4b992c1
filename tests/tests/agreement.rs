//! The committed snapshot of the API server's verdicts (`tests/corpus/verdicts.tsv`) against the
//! real API server: every manifest of `tests/corpus/` goes through a server-side dry-run create
//! (`fieldValidation=Strict`, the YAML sent as is so the server's own YAML reading decides), and
//! the verdict must be the recorded one. The validator's agreement with the snapshot is asserted
//! without a cluster by `core/tests/corpus.rs`; this test keeps the snapshot honest.
//!
//! With `KUBEFICHE_UPDATE_VERDICTS=1` (`cargo xtask verdicts`) it rewrites the snapshot instead.

use std::collections::BTreeMap;

use anyhow::Result;
use kubefiche_tests::cluster::{cluster, namespace};
use kubefiche_tests::verdict::snapshot::{self, Verdict};
use kubefiche_tests::verdict::{corpus, server_verdict};

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn the_snapshot_is_what_the_api_server_says() -> Result<()> {
    let files = corpus();
    let client = cluster().await.client().await?;
    let ns = namespace("agreement").await;
    let mut live = BTreeMap::new();
    for file in &files {
        let verdict = match server_verdict(&client, ns.name(), &file.text).await? {
            Ok(()) => Verdict::Accepted,
            // The namespace's name is random: keep it out of the recorded message.
            Err(message) => Verdict::Rejected(message.replace(ns.name(), "NAMESPACE")),
        };
        live.insert(file.path.clone(), verdict);
    }
    if std::env::var_os("KUBEFICHE_UPDATE_VERDICTS").is_some() {
        std::fs::write(snapshot::SNAPSHOT, snapshot::render(&live))?;
        let rejected = live.values().filter(|v| v.rejected()).count();
        println!(
            "wrote {}: {rejected} of {} rejected",
            snapshot::SNAPSHOT,
            live.len()
        );
        return Ok(());
    }
    let recorded = snapshot::load();
    let mut changed = Vec::new();
    for (file, verdict) in &live {
        match recorded.get(file) {
            Some(old) if old.rejected() == verdict.rejected() => {
                if old != verdict {
                    // Same verdict, reworded message: worth a look, not a failure.
                    println!("reworded {file}: {verdict:?}");
                }
            }
            old => changed.push(format!(
                "{file}: recorded {old:?}, the API server now says {verdict:?}"
            )),
        }
    }
    changed.extend(
        recorded
            .keys()
            .filter(|file| !live.contains_key(*file))
            .map(|file| format!("{file}: recorded but no longer in the corpus")),
    );
    assert!(
        changed.is_empty(),
        "the API server's verdicts differ from tests/corpus/verdicts.tsv (review, then `cargo xtask verdicts`):\n{}",
        changed.join("\n")
    );
    Ok(())
}
