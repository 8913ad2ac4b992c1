//! Records the API server's verdict on every manifest of `tests/corpus/` (a server-side dry-run
//! create with `fieldValidation=Strict`, the YAML sent as is — as in `tests/tests/agreement.rs`),
//! one line per file: `file<TAB>ok` or `file<TAB>rejected<TAB>message`, into the file named by
//! `KUBEFICHE_SERVER_VERDICTS`. `cargo xtask bench` then compares ours and kubeconform with it.

use anyhow::{Context, Result};
use kubefiche_tests::cluster::{cluster, namespace};
use kubefiche_tests::verdict::{corpus, server_verdict};
use std::fmt::Write as _;

#[tokio::main]
async fn main() -> Result<()> {
    let out = std::env::var_os("KUBEFICHE_SERVER_VERDICTS")
        .context("set KUBEFICHE_SERVER_VERDICTS to the output file")?;
    let files = corpus()?;
    let client = cluster().await.client().await?;
    let ns = namespace("bench-verdicts").await;
    let (mut lines, mut rejected) = (String::new(), 0);
    for file in &files {
        let name = &file.path;
        match server_verdict(&client, ns.name(), &file.text).await? {
            Ok(()) => writeln!(lines, "{name}\tok")?,
            Err(message) => {
                let message = message.replace(['\n', '\t'], " ");
                rejected += 1;
                writeln!(lines, "{name}\trejected\t{message}")?;
            }
        }
    }
    std::fs::write(&out, lines)?;
    eprintln!(
        "· the API server rejects {rejected} of {} corpus files",
        files.len()
    );
    Ok(())
}
