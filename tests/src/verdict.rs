//! The API server's verdict on a manifest (the agreement test records it in the corpus'
//! snapshot), and the corpus with its snapshot, shared with the validator's own tests.

use anyhow::Result;

use crate::mutants::{File, server};

#[path = "../../core/tests/support/files.rs"]
mod files;
#[path = "../../core/tests/support/verdicts.rs"]
pub mod snapshot;

pub use files::corpus;

/// The API server's verdict on a corpus file, as for a mutant: a server-side dry-run create with
/// strict field validation, then (the dry run passing) a real create, since allocators such as
/// the node port range refuse only then; the YAML sent as is, so that the server's own YAML
/// reading decides. What was created is deleted before this returns. `Ok(())` when it accepts,
/// `Err(status and message)` when it rejects.
pub async fn server_verdict(
    client: &kube::Client,
    ns: &str,
    text: &str,
) -> Result<std::result::Result<(), String>> {
    let files = [File {
        path: "corpus.yaml".to_owned(),
        text: text.to_owned(),
    }];
    let (verdict, created) = server::verdict(client, ns, &files).await?;
    server::delete(client, &created).await?;
    anyhow::ensure!(
        server::gone(client, &created).await?,
        "the objects of a corpus file were not deleted in time: {created:?}"
    );
    Ok(if verdict.refused {
        Err(verdict.message)
    } else {
        Ok(())
    })
}
