//! The live objects that fit a placeholder: pods carrying its labels, newest first, or the
//! objects of its kind the cluster view knows by name.

use kubefiche_core::validate::KnownObject;
use kubefiche_core::wire::PodRow;

/// The names that fit a placeholder of `kind` narrowed by `labels`, the best first.
pub fn candidates(
    kind: &str,
    labels: &[(String, String)],
    pods: &[PodRow],
    known: &[KnownObject],
) -> Vec<String> {
    if kind.eq_ignore_ascii_case("pod") {
        let mut fitting: Vec<&PodRow> = pods
            .iter()
            .filter(|p| labels.iter().all(|l| p.labels.contains(l)))
            .collect();
        // RFC 3339 times of one API server sort as text; unknown times last.
        fitting.sort_by(|a, b| {
            b.created
                .cmp(&a.created)
                .then_with(|| (a.status == "Terminating").cmp(&(b.status == "Terminating")))
                .then_with(|| a.name.cmp(&b.name))
        });
        return fitting.into_iter().map(|p| p.name.clone()).collect();
    }
    let mut fitting: Vec<&KnownObject> = known
        .iter()
        .filter(|o| o.kind.eq_ignore_ascii_case(kind))
        .collect();
    // Newest first, as for pods; unknown times last, then by name.
    fitting.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.name.cmp(&b.name)));
    let mut names: Vec<String> = fitting.into_iter().map(|o| o.name.clone()).collect();
    names.dedup();
    names
}

/// The `(kind, name)` pairs the console completes from: live objects, and the workspace's
/// files (kind `File`, offered after `-f`).
pub fn live_pairs(
    pods: &[PodRow],
    known: &[KnownObject],
    files: &[String],
) -> Vec<(String, String)> {
    pods.iter()
        .map(|p| ("Pod".to_owned(), p.name.clone()))
        .chain(known.iter().map(|o| (o.kind.clone(), o.name.clone())))
        .chain(files.iter().map(|f| ("File".to_owned(), f.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, created: &str, labels: &[(&str, &str)]) -> PodRow {
        PodRow {
            name: name.to_owned(),
            status: "Running".to_owned(),
            phase: "Running".to_owned(),
            ready: 1,
            containers: 1,
            restarts: 0,
            created: Some(created.to_owned()),
            node: None,
            labels: labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn pods_with_the_labels_newest_first() {
        let pods = [
            pod(
                "postgres-old",
                "2026-11-28T10:00:00Z",
                &[("app", "postgres")],
            ),
            pod("server-x", "2026-11-28T12:00:00Z", &[("app", "server")]),
            pod(
                "postgres-new",
                "2026-11-28T11:00:00Z",
                &[("app", "postgres")],
            ),
        ];
        let labels = [("app".to_owned(), "postgres".to_owned())];
        assert_eq!(
            candidates("Pod", &labels, &pods, &[]),
            ["postgres-new", "postgres-old"]
        );
        assert_eq!(candidates("Pod", &[], &pods, &[]).len(), 3);
        assert_eq!(candidates("Pod", &[], &pods, &[])[0], "server-x");
    }

    #[test]
    fn other_kinds_newest_first() {
        let job = |name: &str, created: Option<&str>| KnownObject {
            kind: "Job".into(),
            name: name.into(),
            keys: vec![],
            created: created.map(str::to_owned),
        };
        let known = [
            job("iris-retrainer-29931183", Some("2026-11-28T13:03:00Z")),
            job("iris-retrainer-manual", None),
            job("iris-retrainer-29931184", Some("2026-11-28T13:04:00Z")),
        ];
        assert_eq!(
            candidates("Job", &[], &[], &known),
            [
                "iris-retrainer-29931184",
                "iris-retrainer-29931183",
                "iris-retrainer-manual"
            ]
        );
    }

    #[test]
    fn other_kinds_come_from_the_known_objects() {
        let known = [
            KnownObject {
                kind: "Secret".into(),
                name: "iris-secrets".into(),
                keys: vec![],
                created: None,
            },
            KnownObject {
                kind: "ConfigMap".into(),
                name: "iris-config".into(),
                keys: vec![],
                created: None,
            },
        ];
        assert_eq!(candidates("secret", &[], &[], &known), ["iris-secrets"]);
        assert!(candidates("Job", &[], &[], &known).is_empty());
        let pairs = live_pairs(&[], &known, &["k8s/config.yaml".to_owned()]);
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[2], ("File".to_owned(), "k8s/config.yaml".to_owned()));
    }
}
