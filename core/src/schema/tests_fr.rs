//! The French descriptions (`fr.tsv`) against the schema table: a schema update that renames or
//! removes a field must break here, not leave a translation that is never shown.

use super::*;

#[test]
fn every_line_of_the_translations_has_its_shape() {
    let (entries, odd) = fr::parse(fr::TEXT);
    assert!(odd.is_empty(), "lines of fr.tsv of neither shape: {odd:?}");
    assert!(entries.len() > 400, "{} descriptions", entries.len());
}

#[test]
fn every_translated_key_exists_in_the_schema() {
    let mut missing = Vec::new();
    for (name, field) in fr::keys() {
        let found = def_by_name(name)
            .is_some_and(|(_, d)| field.is_empty() || d.fields.iter().any(|f| f.name == field));
        if !found {
            missing.push(format!("{name} {field}"));
        }
    }
    assert!(
        missing.is_empty(),
        "translated but not in the schema table:\n{}",
        missing.join("\n")
    );
}

#[test]
fn no_key_is_translated_twice() {
    let mut keys: Vec<_> = fr::parse(fr::TEXT)
        .0
        .into_iter()
        .map(|(d, f, _)| (d, f))
        .collect();
    let all = keys.len();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(
        keys.len(),
        all,
        "a (definition, field) pair twice in fr.tsv"
    );
}

#[test]
fn translations_keep_code_in_backticks_balanced() {
    for (d, f, text) in fr::parse(fr::TEXT).0 {
        assert_eq!(text.matches('`').count() % 2, 0, "{d} {f}: {text}");
        assert!(!text.contains("  "), "{d} {f}: a double space");
    }
}

#[test]
fn french_where_translated_english_elsewhere() {
    let f = field_info_in(
        "fr",
        "apps/v1",
        "Deployment",
        "spec.template.spec.containers[0].imagePullPolicy",
    )
    .expect("field");
    assert_eq!(f.description_lang, "fr");
    assert!(f.description.contains("télécharger"), "{}", f.description);
    assert_eq!(f.type_name, "chaîne");
    assert_eq!(f.enum_values, vec!["Always", "IfNotPresent", "Never"]);
    // The English asked for gets English, even where French exists.
    let en = field_info(
        "apps/v1",
        "Deployment",
        "spec.template.spec.containers.imagePullPolicy",
    )
    .expect("field");
    assert_eq!(en.description_lang, "en");
    assert!(
        en.description.starts_with("Image pull policy"),
        "{}",
        en.description
    );
    // A field of a kind outside the worksheet: English, and said so.
    let other = field_info_in("fr", "apps/v1", "StatefulSet", "spec.serviceName").expect("field");
    assert_eq!(other.description_lang, "en");
    assert!(!other.description.is_empty());
}

#[test]
fn type_names_in_french() {
    let fr = |path: &str| {
        field_info_in("fr", "apps/v1", "Deployment", path)
            .expect(path)
            .type_name
    };
    assert_eq!(fr("spec.replicas"), "entier");
    assert_eq!(fr("spec.paused"), "booléen");
    assert_eq!(fr("spec.template.spec.containers"), "liste de Container");
    assert_eq!(fr("spec.template.spec.containers.args"), "liste de chaînes");
    assert_eq!(fr("spec.template.spec.containers.env"), "liste d'EnvVar");
    assert_eq!(fr("spec.selector.matchLabels"), "table de chaînes");
    assert_eq!(
        fr("spec.template.spec.containers.resources.limits"),
        "table de quantités (p. ex. 500m, 1Gi)"
    );
    assert_eq!(
        fr("spec.strategy.rollingUpdate.maxSurge"),
        "entier ou chaîne"
    );
    assert_eq!(
        fr("spec.template.spec.securityContext.supplementalGroups"),
        "liste d'entiers"
    );
}

#[test]
fn completion_lists_french_descriptions() {
    let fields = child_fields_in("fr", "batch/v1", "CronJob", "spec");
    let schedule = fields
        .iter()
        .find(|f| f.name == "schedule")
        .expect("schedule");
    assert_eq!(schedule.description_lang, "fr");
    assert!(schedule.required);
    assert_eq!(schedule.type_name, "chaîne");
}
