//! The owner tree of the folded stream (`core::live::relations::tree`) next to what the cluster
//! says each object owns.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use kubefiche_core::live::relations::{self, Node};
use kubefiche_core::live::{Live, ObjectKey};

use super::{Tab, View, cluster_view};
use crate::cluster::TestCluster;

/// Whether the tree under `node` is what the cluster says each object owns, recursively; what
/// differs, if anything.
pub fn owned_as_in_cluster(node: &Node, cluster: &View) -> Option<String> {
    let in_tree: BTreeSet<&ObjectKey> = node.children.iter().map(|c| &c.key).collect();
    let in_cluster: BTreeSet<&ObjectKey> = cluster
        .objects
        .iter()
        .filter(|(_, o)| o.owner.as_ref() == Some(&node.key))
        .map(|(key, _)| key)
        .collect();
    if in_tree != in_cluster {
        return Some(format!(
            "under {}/{}: the tree has {in_tree:?}, the cluster {in_cluster:?}",
            node.key.kind, node.key.name
        ));
    }
    node.children
        .iter()
        .find_map(|child| owned_as_in_cluster(child, cluster))
}

/// Waits until the stream's tree under `top` matches the cluster and `check` accepts it.
pub async fn tree_settles(
    tab: &Tab,
    cluster: &TestCluster,
    ns: &str,
    top: ObjectKey,
    timeout: Duration,
    check: impl Fn(&Node, &Live) -> Option<String>,
) -> Result<Node> {
    let mut last = String::new();
    let deadline = Instant::now() + timeout;
    loop {
        let view = cluster_view(cluster, ns).await?;
        let live = tab.live();
        let node = relations::tree(&live).into_iter().find(|n| n.key == top);
        let problem = match &node {
            None => Some(format!("{top:?} is not at the top of the tree")),
            Some(node) => owned_as_in_cluster(node, &view).or_else(|| check(node, &live)),
        };
        match (problem, node) {
            (None, Some(node)) => return Ok(node),
            (Some(problem), _) => last = problem,
            (None, None) => {}
        }
        if Instant::now() > deadline {
            bail!("after {timeout:?}: {last}");
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
