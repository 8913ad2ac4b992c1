//! Asking the API server about many mutants at once: a pool of workers, each with a few
//! namespaces of its own that it takes in turn, so that an object deleted after one mutant has
//! time to go before the next mutant of that namespace uses the same name.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use kube::api::{Api, DeleteParams, PostParams};

use super::File;
use super::server::{self, ServerVerdict};

/// Namespaces per worker, taken in turn.
const RING: usize = 3;

/// A run-unique suffix for namespace names (base 36 of the clock and process).
fn suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut x = nanos ^ (u64::from(std::process::id()) << 20);
    let alphabet = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..5)
        .map(|_| {
            let c = alphabet[(x % 36) as usize] as char;
            x /= 36;
            c
        })
        .collect()
}

async fn create_namespace(client: &kube::Client, name: &str) -> Result<()> {
    let ns: Namespace = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": { "name": name, "labels": { "kubefiche.test/owner": "kubefiche-differential" } }
    }))?;
    Api::<Namespace>::all(client.clone())
        .create(&PostParams::default(), &ns)
        .await
        .with_context(|| format!("creating namespace {name}"))?;
    // Pods are refused until the namespace's default ServiceAccount exists.
    let sas: Api<ServiceAccount> = Api::namespaced(client.clone(), name);
    let deadline = Instant::now() + Duration::from_secs(60);
    while sas.get_opt("default").await?.is_none() {
        if Instant::now() > deadline {
            bail!(
                "namespace {name} has no default ServiceAccount after a minute: is the controller-manager running?"
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}

/// The API server's verdict on each workspace of `mutants`, in order, `concurrency` at a time;
/// progress on stderr when `progress` is set.
pub async fn ask_all(
    client: &kube::Client,
    mutants: Vec<Vec<File>>,
    concurrency: usize,
    progress: bool,
) -> Result<Vec<ServerVerdict>> {
    let run = suffix();
    let workers = concurrency.max(1);
    let names: Vec<Vec<String>> = (0..workers)
        .map(|w| {
            (0..RING)
                .map(|r| format!("kf-diff-{run}-{w}-{r}"))
                .collect()
        })
        .collect();
    let all_names: Vec<String> = names.iter().flatten().cloned().collect();
    futures::future::try_join_all(all_names.iter().map(|n| create_namespace(client, n))).await?;
    // Namespaces made during the run, to replace one whose objects would not go.
    let spares = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));

    let total = mutants.len();
    let mutants = Arc::new(mutants);
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    // A node port is cluster-wide: mutants that name one go one at a time.
    let node_ports = Arc::new(tokio::sync::Mutex::new(()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for mut ring in names {
        let (client, mutants, next, done, node_ports, spares) = (
            client.clone(),
            mutants.clone(),
            next.clone(),
            done.clone(),
            node_ports.clone(),
            spares.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            let mut pending: Vec<Vec<String>> = vec![Vec::new(); RING];
            let mut turn = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(files) = mutants.get(i) else { break };
                let r = turn % RING;
                turn += 1;
                if !server::gone(&client, &pending[r]).await? {
                    // Something there is slow to go (a finalizer): carry on in a new namespace.
                    let fresh = format!("{}-{turn}", ring[r]);
                    eprintln!(
                        "  objects of namespace {} still there after 30 s; going on in {fresh}",
                        ring[r]
                    );
                    create_namespace(&client, &fresh).await?;
                    if let Ok(mut list) = spares.lock() {
                        list.push(fresh.clone());
                    }
                    ring[r] = fresh;
                }
                pending[r].clear();
                let uses_node_port = files.iter().any(|f| f.text.contains("nodePort"));
                let guard = if uses_node_port {
                    Some(node_ports.lock().await)
                } else {
                    None
                };
                let (verdict, created) = ask_one(&client, &ring[r], files).await?;
                server::delete(&client, &created).await?;
                if guard.is_some() {
                    server::gone(&client, &created).await?;
                } else {
                    pending[r] = created;
                }
                drop(guard);
                out.push((i, verdict));
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if progress && (n % 250 == 0 || n == total) {
                    let secs = started.elapsed().as_secs_f64();
                    eprintln!(
                        "  {n}/{total} mutants asked ({:.0}/s)",
                        n as f64 / secs.max(0.001)
                    );
                }
            }
            for urls in &pending {
                let _ = server::delete(&client, urls).await;
            }
            anyhow::Ok(out)
        }));
    }
    let mut verdicts: Vec<Option<ServerVerdict>> = vec![None; total];
    let mut failure = None;
    for task in tasks {
        match task.await {
            Ok(Ok(list)) => {
                for (i, v) in list {
                    verdicts[i] = Some(v);
                }
            }
            Ok(Err(e)) => failure = failure.or(Some(e)),
            Err(e) => failure = failure.or(Some(anyhow::anyhow!("a worker stopped: {e}"))),
        }
    }
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let spares = spares.lock().map(|l| l.clone()).unwrap_or_default();
    for n in all_names.iter().chain(&spares) {
        let _ = namespaces.delete(n, &DeleteParams::background()).await;
    }
    if let Some(e) = failure {
        return Err(e);
    }
    verdicts
        .into_iter()
        .enumerate()
        .map(|(i, v)| v.with_context(|| format!("no verdict for mutant {i}")))
        .collect()
}

/// One mutant, asked again once if the connection failed.
async fn ask_one(
    client: &kube::Client,
    ns: &str,
    files: &[File],
) -> Result<(ServerVerdict, Vec<String>)> {
    match server::verdict(client, ns, files).await {
        Ok(v) => Ok(v),
        Err(_) => {
            tokio::time::sleep(Duration::from_secs(1)).await;
            server::verdict(client, ns, files).await
        }
    }
}
