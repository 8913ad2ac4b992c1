//! Hover and completion on a French page, and the worksheet's own manifests all documented in
//! French.

use super::tests::DEPLOYMENT;
use super::*;

const FICHE: &str = include_str!("../../../public/fiches/fiche-3.md");
const STARTER: &str = include_str!("../../../public/fiches/fiche-3/server.starter.yaml");

#[test]
fn hover_in_french_translates_the_labels_and_the_description() {
    let h = hover(DEPLOYMENT, 11, 10, "fr").expect("hover");
    assert_eq!(
        h.title,
        "imagePullPolicy: chaîne — valeurs acceptées : Always | IfNotPresent | Never"
    );
    assert!(
        h.body.starts_with("Quand télécharger l'image"),
        "{}",
        h.body
    );
    let name = hover(DEPLOYMENT, 9, 9, "fr").expect("name");
    assert_eq!(name.title, "name: chaîne (obligatoire)");
    let ports = hover(DEPLOYMENT, 12, 10, "fr").expect("ports");
    assert_eq!(ports.title, "ports: liste de ContainerPort");
    // The same place in English is unchanged.
    let en = hover(DEPLOYMENT, 11, 10, "en").expect("hover");
    assert_eq!(
        en.title,
        "imagePullPolicy: string — Always | IfNotPresent | Never"
    );
}

#[test]
fn an_untranslated_field_says_its_text_is_english() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  serviceName: db\n";
    let h = hover(text, 4, 4, "fr").expect("hover");
    assert!(h.body.starts_with("(en anglais) "), "{}", h.body);
    assert!(
        !hover(text, 4, 4, "en")
            .expect("hover")
            .body
            .contains("anglais")
    );
}

#[test]
fn completion_in_french() {
    let text = "apiVersion: batch/v1\nkind: CronJob\nspec:\n  sch";
    let all = complete(text, 4, 6, "fr");
    let schedule = all
        .iter()
        .find(|c| c.label == "schedule")
        .expect("schedule");
    assert_eq!(schedule.detail, "chaîne (obligatoire)");
    assert!(schedule.info.contains("format cron"), "{}", schedule.info);
    let values = complete(DEPLOYMENT, 11, 27, "fr");
    assert!(values.iter().all(|c| c.detail == "chaîne"), "{values:?}");
}

/// The manifests of the worksheet (its YAML blocks and the starter file); a fragment meant for
/// a container's `env` is set inside a Deployment's container so that its fields resolve.
fn manifests() -> Vec<String> {
    let mut out = vec![STARTER.to_owned()];
    let mut block: Option<String> = None;
    for line in FICHE.lines() {
        match &mut block {
            Some(code) if line.starts_with("```") => {
                out.push(std::mem::take(code));
                block = None;
            }
            Some(code) => {
                code.push_str(line);
                code.push('\n');
            }
            None if line.starts_with("```yaml") => block = Some(String::new()),
            None => {}
        }
    }
    out.into_iter()
        .map(|code| {
            if code.contains("\nkind:") || code.starts_with("kind:") {
                return code;
            }
            let first = code
                .lines()
                .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .unwrap_or_default();
            let mut wrapped = String::from(
                "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: x\n",
            );
            if first.starts_with("- ") {
                wrapped.push_str("        env:\n");
            }
            for l in code.lines() {
                wrapped.push_str("        ");
                wrapped.push_str(l);
                wrapped.push('\n');
            }
            wrapped
        })
        .collect()
}

#[test]
fn every_field_of_the_worksheet_has_a_french_description() {
    let mut missing = Vec::new();
    let mut seen = 0;
    for text in manifests() {
        let lines: Vec<&str> = text.split('\n').collect();
        for (i, l) in lines.iter().enumerate() {
            let Some(line) = read_line(l) else { continue };
            if line.key.is_none() || l.trim_start().starts_with("---") {
                continue;
            }
            let number = u32::try_from(i + 1).expect("line number");
            let column = u32::try_from(line.key_col + 2).expect("column");
            let Some(at) = place(&text, number, column) else {
                continue;
            };
            let key = at.line_key.unwrap_or_default();
            let path = at.parent.field(&key);
            let Some(info) = schema::field_info_in("fr", &at.api_version, &at.kind, &path) else {
                missing.push(format!("{} {path:?}: not in the schema", at.kind));
                continue;
            };
            // Keys of free maps (labels, data, requests…) are not fields.
            if info.name.is_empty() {
                continue;
            }
            seen += 1;
            if info.description_lang != "fr" || info.description.is_empty() {
                missing.push(format!("{} {path:?}", at.kind));
            }
        }
    }
    assert!(seen > 150, "only {seen} fields found in the worksheet");
    assert!(
        missing.is_empty(),
        "no French description:\n{}",
        missing.join("\n")
    );
}
