//! Reading conditions: one test key, its options, and a hint in both languages.

use super::parse::{Reader, line};
use super::{Condition, Expect, KeyRef, ObjectRef, Path, Pattern, Test};
use crate::kinds::{self, Mirror};
use crate::validate::syntax::closest;
use crate::yaml::Node;

/// The test keys; a condition has exactly one.
const TESTS: &[&str] = &[
    "exists",
    "gone",
    "field",
    "ready",
    "bound",
    "completed",
    "replaced",
    "reads",
    "valid",
    "manifest",
    "ran",
    "applied",
    "opened",
];

/// The options of each test that has some.
const OPTIONS: &[(&str, &[&str])] = &[
    ("field", &["path", "equals", "contains", "matches"]),
    ("ready", &["replicas"]),
    ("reads", &["key"]),
    (
        "manifest",
        &["object", "path", "equals", "contains", "matches"],
    ),
];

const EXPECTATIONS: &[&str] = &["equals", "contains", "matches"];

/// Which kinds a reference may name: every kind the page sees live, or only these.
pub(super) type Kinds = Option<&'static [&'static str]>;
pub(super) const WATCHED: Kinds = None;
const WORKLOADS: Kinds = Some(&["Deployment", "ReplicaSet", "Job", "CronJob"]);
const WITH_PODS: Kinds = Some(&["Deployment", "ReplicaSet", "Job", "CronJob", "Pod"]);

impl Reader<'_> {
    /// The conditions of the list under `key`.
    pub(super) fn conditions(&mut self, value: &Node, key: &str) -> Vec<Condition> {
        self.list(value, key)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| self.condition(c))
            .collect()
    }

    fn condition(&mut self, node: &Node) -> Option<Condition> {
        let mut known: Vec<&str> = TESTS.to_vec();
        known.extend([
            "hint", "path", "equals", "contains", "matches", "replicas", "key", "object",
        ]);
        if !self.keys(node, "a condition", "une condition", &known) {
            return None;
        }
        let tests: Vec<&str> = node
            .as_map()
            .iter()
            .map(|(k, _)| k.name.as_str())
            .filter(|k| TESTS.contains(k))
            .collect();
        let test = match tests.as_slice() {
            [one] => *one,
            [] => {
                self.error(
                    line(node),
                    format!(
                        "this condition has no test: give one of {}",
                        TESTS.join(", ")
                    ),
                    format!(
                        "cette condition n'a pas de test : donnez un de {}",
                        TESTS.join(", ")
                    ),
                );
                return None;
            }
            [a, b, ..] => {
                self.error(
                    line(node),
                    format!("this condition has two tests, `{a}` and `{b}`: write two conditions, each with its hint"),
                    format!("cette condition a deux tests, `{a}` et `{b}` : écrivez deux conditions, chacune avec son indice"),
                );
                return None;
            }
        };
        let allowed = OPTIONS
            .iter()
            .find(|(t, _)| *t == test)
            .map_or(&[][..], |(_, o)| *o);
        for (k, _) in node.as_map() {
            let name = k.name.as_str();
            if TESTS.contains(&name) || name == "hint" || allowed.contains(&name) {
                continue;
            }
            let (en, fr) = if allowed.is_empty() {
                (
                    format!("`{test}` takes no option"),
                    format!("`{test}` ne prend aucune option"),
                )
            } else {
                (
                    format!("`{test}` takes {}", allowed.join(", ")),
                    format!("`{test}` prend {}", allowed.join(", ")),
                )
            };
            self.error(
                k.span.line as usize,
                format!("`{name}` does not go with `{test}`: {en}"),
                format!("`{name}` ne va pas avec `{test}` : {fr}"),
            );
        }
        let hint = match node.get("hint") {
            Some(h) => self.text(h, "hint"),
            None => {
                self.error(line(node), "this condition has no `hint:` (with `fr:` and `en:`): say what to do when it fails".into(),
                    "cette condition n'a pas d'`hint:` (avec `fr:` et `en:`) : dites quoi faire quand elle échoue".into());
                None
            }
        };
        let value = node.get(test)?;
        let test = self.test(node, test, value);
        Some(Condition {
            test: test?,
            hint: hint?,
            line: line(node),
        })
    }

    fn test(&mut self, node: &Node, test: &str, value: &Node) -> Option<Test> {
        Some(match test {
            "exists" => Test::Exists(self.object_ref(value, test, WATCHED)?),
            "gone" => Test::Gone(self.object_ref(value, test, WATCHED)?),
            "field" => {
                let object = self.object_ref(value, test, WATCHED);
                let path = match node.get("path") {
                    Some(p) => self.path(p),
                    None => {
                        self.error(
                            line(node),
                            "`field` needs `path:`, the field to look at (e.g. `spec.replicas`)"
                                .into(),
                            "`field` demande `path:`, le champ à regarder (p. ex. `spec.replicas`)"
                                .into(),
                        );
                        None
                    }
                };
                let expect = self.expect(node);
                Test::Field {
                    object: object?,
                    path: path?,
                    expect: expect?,
                }
            }
            "ready" => {
                let object = self.object_ref(value, test, Some(&["Deployment", "ReplicaSet"]));
                let replicas = match node.get("replicas") {
                    Some(r) => Some(self.replicas(r)?),
                    None => None,
                };
                Test::Ready {
                    object: object?,
                    replicas,
                }
            }
            "bound" => {
                Test::Bound(self.object_ref(value, test, Some(&["PersistentVolumeClaim"]))?)
            }
            "completed" => {
                Test::Completed(self.object_ref(value, test, Some(&["Job", "CronJob"]))?)
            }
            "replaced" => Test::Replaced(self.object_ref(value, test, WORKLOADS)?),
            "reads" => {
                let object = self.object_ref(value, test, WITH_PODS);
                let key = match node.get("key") {
                    Some(k) => self.key_ref(k),
                    None => {
                        self.error(line(node), "`reads` needs `key:`, e.g. `key: configmap/iris-config/MODEL_VERSION`".into(),
                            "`reads` demande `key:`, p. ex. `key: configmap/iris-config/MODEL_VERSION`".into());
                        None
                    }
                };
                Test::Reads {
                    object: object?,
                    key: key?,
                }
            }
            "valid" => Test::Valid(self.workspace_file(value, test)?),
            "manifest" => {
                let file = self.workspace_file(value, test);
                let object = match node.get("object") {
                    Some(o) => Some(self.any_ref(o)?),
                    None => None,
                };
                let path = match node.get("path") {
                    Some(p) => Some(self.path(p)?),
                    None => None,
                };
                Test::Manifest {
                    file: file?,
                    object,
                    path,
                    expect: self.expect(node)?,
                }
            }
            "ran" => Test::Ran(self.ran(value)?),
            "opened" => Test::Opened(self.workspace_file(value, test)?),
            _ => Test::Applied(self.workspace_file(value, test)?),
        })
    }

    fn expect(&mut self, node: &Node) -> Option<Expect> {
        let given: Vec<(&str, &Node)> = EXPECTATIONS
            .iter()
            .filter_map(|k| node.get(k).map(|v| (*k, v)))
            .collect();
        match given.as_slice() {
            [] => Some(Expect::Present),
            [("equals", v)] => Some(Expect::Equals(v.to_json())),
            [("contains", v)] => Some(Expect::Contains(v.to_json())),
            [(_, v)] => {
                let source = self.string(v, "matches")?;
                match Pattern::new(source) {
                    Ok(p) => Some(Expect::Matches(p)),
                    Err(why) => {
                        self.error(
                            line(v),
                            format!("`matches` is not a valid regular expression: {why}"),
                            format!("`matches` n'est pas une expression régulière valide : {why}"),
                        );
                        None
                    }
                }
            }
            [(a, _), (b, v), ..] => {
                self.error(line(v), format!("`{a}` and `{b}` in one condition: keep one (or write two conditions)"),
                    format!("`{a}` et `{b}` dans une condition : gardez-en un (ou écrivez deux conditions)"));
                None
            }
        }
    }

    fn path(&mut self, value: &Node) -> Option<Path> {
        let text = self.string(value, "path")?;
        Path::parse(text)
            .map_err(|e| {
                self.errors.push(super::AuthorError {
                    line: line(value),
                    message: e.message,
                })
            })
            .ok()
    }

    fn replicas(&mut self, value: &Node) -> Option<u32> {
        let n = match &value.kind {
            crate::yaml::NodeKind::Int(n) if !value.quoted => u32::try_from(*n).ok(),
            _ => None,
        };
        if n.is_none() {
            self.error(line(value), "`replicas` should be a whole number, 0 or more, without quotes (e.g. `replicas: 5`)".into(),
                "`replicas` devrait être un nombre entier, 0 ou plus, sans guillemets (p. ex. `replicas: 5`)".into());
        }
        n
    }

    fn ran(&mut self, value: &Node) -> Option<Vec<String>> {
        let text = self.string(value, "ran")?;
        let words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
        if words.first().map(String::as_str) != Some("kubectl") {
            self.error(line(value), format!("`ran: {text}` should start with `kubectl` (the commands the page runs)"),
                format!("`ran: {text}` devrait commencer par `kubectl` (les commandes que la page exécute)"));
            return None;
        }
        Some(words)
    }

    fn key_ref(&mut self, value: &Node) -> Option<KeyRef> {
        let text = self.string(value, "key")?;
        let parts: Vec<&str> = text.splitn(3, '/').collect();
        let kind = parts
            .first()
            .and_then(|k| kinds::resource(k))
            .map(|k| k.kind);
        match (kind, parts.as_slice()) {
            (Some(kind @ ("ConfigMap" | "Secret")), [_, name, key])
                if valid_name(name) && !key.is_empty() =>
            {
                Some(KeyRef {
                    kind: kind.to_owned(),
                    name: (*name).to_owned(),
                    key: (*key).to_owned(),
                })
            }
            _ => {
                self.error(
                    line(value),
                    format!("`key: {text}` should be `configmap/NAME/KEY` or `secret/NAME/KEY`"),
                    format!("`key: {text}` devrait être `configmap/NOM/CLÉ` ou `secret/NOM/CLÉ`"),
                );
                None
            }
        }
    }

    /// A `KIND/NAME` reference to an object the page sees live, of one of `allowed` kinds.
    pub(super) fn object_ref(
        &mut self,
        value: &Node,
        key: &str,
        allowed: Kinds,
    ) -> Option<ObjectRef> {
        let object = self.any_ref(value)?;
        let watched = kinds::named(&object.kind).is_some_and(|k| k.mirror == Mirror::Live);
        let fits = allowed.map_or(watched, |list| list.contains(&object.kind.as_str()));
        if !fits {
            let (en, fr) = match allowed {
                Some(list) => (
                    format!("`{key}` takes a {}", list.join(" or ")),
                    format!("`{key}` prend un {}", list.join(" ou ")),
                ),
                None => (
                    "the page does not see objects of that kind live".to_owned(),
                    "la page ne voit pas en direct les objets de ce type".to_owned(),
                ),
            };
            self.error(
                line(value),
                format!("`{key}: {}/{}`: {en}", object.kind, object.name),
                format!("`{key}: {}/{}` : {fr}", object.kind, object.name),
            );
            return None;
        }
        Some(object)
    }

    /// A `KIND/NAME` reference with a kind `kubectl` knows.
    fn any_ref(&mut self, value: &Node) -> Option<ObjectRef> {
        let text = self.string(value, "KIND/NAME")?;
        let Some((word, name)) = text
            .split_once('/')
            .filter(|(k, n)| !k.is_empty() && valid_name(n))
        else {
            self.error(
                line(value),
                format!("`{text}` should be `KIND/NAME`, e.g. `deployment/mlops-server`"),
                format!("`{text}` devrait être `TYPE/NOM`, p. ex. `deployment/mlops-server`"),
            );
            return None;
        };
        let Some(info) = kinds::resource(word) else {
            let names: Vec<String> = kinds::watched().flat_map(|k| k.resource_names()).collect();
            let (en, fr) = match closest(word, names.iter().map(String::as_str)) {
                Some(near) => (
                    format!("did you mean `{near}`?"),
                    format!("vouliez-vous dire `{near}` ?"),
                ),
                None => (
                    "e.g. deployment, configmap, secret, pvc, cronjob, job, service, pod".into(),
                    "p. ex. deployment, configmap, secret, pvc, cronjob, job, service, pod".into(),
                ),
            };
            self.error(
                line(value),
                format!("unknown kind `{word}` in `{text}`: {en}"),
                format!("type inconnu `{word}` dans `{text}` : {fr}"),
            );
            return None;
        };
        Some(ObjectRef {
            kind: info.kind.to_owned(),
            name: name.to_owned(),
        })
    }
}

/// A name the API server could give an object: lowercase letters, digits, `-` and `.`.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}
