use super::tests::{env_fragments, yaml_blocks};
use super::*;

fn at(key: &str, level: Level, kind: Option<&str>, container: Option<&str>) -> Option<Place> {
    Some(Place {
        kind: kind.map(str::to_string),
        key: key.to_string(),
        level,
        container: container.map(str::to_string),
    })
}

#[test]
fn the_fiche_fragments_go_under_env_of_the_deployment() {
    for (paragraph, fragment) in env_fragments() {
        assert_eq!(
            place(&paragraph, &fragment),
            at("env", Level::Container, Some("Deployment"), None)
        );
    }
}

#[test]
fn only_the_fiche_fragments_that_name_a_place_or_a_list_get_one() {
    // The fiche's whole files (a ConfigMap, a Deployment…) are not lists of entries.
    let md = include_str!("../../../public/fiches/fiche-3.md");
    let placed: Vec<_> = yaml_blocks(md)
        .into_iter()
        .filter_map(|(p, f)| place(&p, &f))
        .collect();
    assert_eq!(placed.len(), 2, "{placed:?}");
}

#[test]
fn english_words_and_a_named_container() {
    let fragment = "- name: models\n  mountPath: /models\n";
    assert_eq!(
        place(
            "Add this under volumeMounts of the `web` container in the StatefulSet:",
            fragment
        ),
        at(
            "volumeMounts",
            Level::Container,
            Some("StatefulSet"),
            Some("web")
        )
    );
    assert_eq!(
        place(
            "Add these to env in the container named api-server:",
            "- name: A\n  value: b\n"
        ),
        at("env", Level::Container, None, Some("api-server"))
    );
    assert_eq!(
        place(
            "Ajoutez ceci dans le conteneur `worker` du cronjob :",
            "- name: A\n  value: b\n"
        ),
        at("env", Level::Container, Some("CronJob"), Some("worker"))
    );
}

#[test]
fn the_word_under_wins_over_the_section() {
    let fragment =
        "# Dans la section containers du Deployment, ajoutez sous ports :\n- containerPort: 9090\n";
    assert_eq!(
        place("", fragment),
        at("ports", Level::Container, Some("Deployment"), None)
    );
    assert_eq!(
        place(
            "Ajoutez dans la section volumes du Job :",
            "- name: v\n  emptyDir: {}\n"
        ),
        at("volumes", Level::PodSpec, Some("Job"), None)
    );
}

#[test]
fn lower_case_pod_and_job_are_ordinary_words() {
    let fragment = "- name: A\n  value: b\n";
    assert_eq!(
        place("Injectez ces valeurs dans le pod, pour le job :", fragment),
        at("env", Level::Container, None, None)
    );
    assert_eq!(
        place("Injectez ces valeurs dans le Pod :", fragment),
        at("env", Level::Container, Some("Pod"), None)
    );
}

#[test]
fn the_shape_of_the_entries_decides_when_the_text_does_not() {
    let cases = [
        ("- containerPort: 80\n", "ports", Level::Container),
        (
            "- name: data\n  mountPath: /data\n",
            "volumeMounts",
            Level::Container,
        ),
        (
            "- configMapRef:\n    name: c\n",
            "envFrom",
            Level::Container,
        ),
        (
            "- name: data\n  persistentVolumeClaim:\n    claimName: p\n",
            "volumes",
            Level::PodSpec,
        ),
        (
            "- name: side\n  image: busybox\n",
            "containers",
            Level::PodSpec,
        ),
        (
            "- key: gpu\n  operator: Exists\n  effect: NoSchedule\n",
            "tolerations",
            Level::PodSpec,
        ),
    ];
    for (fragment, key, level) in cases {
        assert_eq!(
            place("Voici :", fragment),
            at(key, level, None, None),
            "{fragment}"
        );
    }
}

#[test]
fn the_fragment_key_wins_over_the_words() {
    assert_eq!(
        place(
            "Ajoutez sous env :",
            "volumeMounts:\n- name: d\n  mountPath: /d\n"
        ),
        at("volumeMounts", Level::Container, None, None)
    );
}

#[test]
fn no_place_when_nothing_says_where() {
    assert_eq!(place("Voici un exemple :", "foo: bar\n"), None);
    assert_eq!(
        place("Créez le fichier :", "apiVersion: v1\nkind: ConfigMap\n"),
        None
    );
    assert_eq!(place("", "- just\n- words\n"), None);
}
