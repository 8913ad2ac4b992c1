//! Secrets: `stringData` is merged into `data` before the API server checks them, so keys and
//! sizes are those of the merge; each well-known `type` needs its keys.

use super::{keys, too_large, value_len};
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::Node;

/// Where a key of the merged data is written: `stringData` wins over `data`.
fn find<'a>(ctx: &Ctx<'a>, key: &str) -> Option<(&'static str, &'a Node)> {
    for field in ["stringData", "data"] {
        if let Some(v) = ctx.m.node(field).and_then(|n| n.get(key)) {
            return Some((field, v));
        }
    }
    None
}

/// The bytes of a merged value (base64 decoded for `data`).
fn bytes(field: &str, v: &Node) -> Option<Vec<u8>> {
    // `~` is an empty value.
    let s = match &v.kind {
        crate::yaml::NodeKind::Null => "",
        _ => v.as_str()?,
    };
    if field == "data" {
        decode_base64(s)
    } else {
        Some(s.as_bytes().to_vec())
    }
}

pub(in crate::validate::rules) fn secret(ctx: &mut Ctx<'_>) {
    keys(ctx, "data", "Secret");
    keys(ctx, "stringData", "Secret");
    let string_data = ctx.m.node("stringData");
    let mut size = 0;
    for (k, v) in ctx.m.node("data").map_or(&[][..], Node::as_map) {
        if string_data.and_then(|s| s.get(&k.name)).is_none() {
            size += value_len(v, true);
        }
    }
    for (_, v) in string_data.map_or(&[][..], Node::as_map) {
        size += value_len(v, false);
    }
    let at = if ctx.m.node("data").is_some() {
        "data"
    } else {
        "stringData"
    };
    too_large(ctx, size, "Secret", at);
    let Some(ty) = ctx.m.node("type").and_then(Node::as_str).map(str::to_owned) else {
        return;
    };
    match ty.as_str() {
        "kubernetes.io/tls" => {
            for key in ["tls.crt", "tls.key"] {
                require(ctx, &ty, key);
            }
            pem(ctx);
        }
        "kubernetes.io/dockerconfigjson" => docker(ctx, &ty, ".dockerconfigjson"),
        "kubernetes.io/dockercfg" => docker(ctx, &ty, ".dockercfg"),
        "kubernetes.io/ssh-auth" => match find(ctx, "ssh-privatekey") {
            None => require(ctx, &ty, "ssh-privatekey"),
            Some((field, v))
                if matches!(v.kind, crate::yaml::NodeKind::Null)
                    || bytes(field, v).is_some_and(|b| b.is_empty()) =>
            {
                ctx.error(
                Rule::SecretTypeKeys,
                &FieldPath::root().field(field).field("ssh-privatekey"),
                "`ssh-privatekey` is empty: put the private key here (the text of `~/.ssh/id_ed25519`, for instance).",
                "`ssh-privatekey` est vide : mettez ici la clé privée (le texte de `~/.ssh/id_ed25519`, par exemple).",
                );
            }
            Some(_) => {}
        },
        "kubernetes.io/basic-auth"
            if find(ctx, "username").is_none() && find(ctx, "password").is_none() =>
        {
            ctx.error(
                Rule::SecretTypeKeys,
                "type",
                "A Secret of type `kubernetes.io/basic-auth` needs `username` or `password` in `data` or `stringData`.",
                "Un Secret de type `kubernetes.io/basic-auth` a besoin de `username` ou de `password` dans `data` ou `stringData`.",
            );
        }
        "kubernetes.io/service-account-token" => {
            let name = ctx
                .m
                .node("metadata.annotations")
                .and_then(|a| a.get("kubernetes.io/service-account.name"))
                .and_then(Node::as_str);
            if name.is_none_or(str::is_empty) {
                ctx.error(
                    Rule::SecretTypeKeys,
                    "type",
                    "A service-account-token Secret needs the annotation `kubernetes.io/service-account.name` naming its ServiceAccount.",
                    "Un Secret service-account-token a besoin de l'annotation `kubernetes.io/service-account.name`, le nom de son ServiceAccount.",
                );
            }
        }
        _ => {}
    }
}

fn require(ctx: &mut Ctx<'_>, ty: &str, key: &str) {
    if find(ctx, key).is_none() {
        ctx.error(
            Rule::SecretTypeKeys,
            "type",
            format!("A Secret of type `{ty}` must have the key `{key}` in `data` or `stringData`."),
            format!(
                "Un Secret de type `{ty}` doit avoir la clé `{key}` dans `data` ou `stringData`."
            ),
        );
    }
}

/// A docker config key must hold a JSON object.
fn docker(ctx: &mut Ctx<'_>, ty: &str, key: &str) {
    let Some((field, v)) = find(ctx, key) else {
        require(ctx, ty, key);
        return;
    };
    let Some(b) = bytes(field, v) else { return };
    let ok = matches!(
        serde_json::from_slice::<serde_json::Value>(&b),
        Ok(serde_json::Value::Object(_) | serde_json::Value::Null)
    );
    if !ok {
        ctx.error(
            Rule::SecretTypeKeys,
            &FieldPath::root().field(field).field(key),
            format!("`{key}` must hold a JSON object such as `{{\"auths\": {{\"registry.example\": {{\"auth\": \"…\"}}}}}}`. Check its braces and quotes (`kubectl create secret docker-registry` writes it for you)."),
            format!("`{key}` doit contenir un objet JSON comme `{{\"auths\": {{\"registry.example\": {{\"auth\": \"…\"}}}}}}`. Vérifiez ses accolades et ses guillemets (`kubectl create secret docker-registry` l'écrit pour vous)."),
        );
    }
}

/// A TLS Secret whose certificate or key has no PEM block: accepted with a warning, and no
/// server will be able to use it.
fn pem(ctx: &mut Ctx<'_>) {
    for key in ["tls.crt", "tls.key"] {
        let Some((field, v)) = find(ctx, key) else {
            continue;
        };
        let Some(b) = bytes(field, v) else { continue };
        if !b.windows(11).any(|w| w == b"-----BEGIN ") {
            ctx.warning(
                Rule::SecretTypeKeys,
                &FieldPath::root().field(field).field(key),
                format!("`{key}` holds no PEM block (`-----BEGIN …-----`): the API server accepts it with a warning, but nothing can use it. Put the PEM text here, or create the Secret with `kubectl create secret tls`."),
                format!("`{key}` ne contient aucun bloc PEM (`-----BEGIN …-----`) : l'API server l'accepte avec un avertissement, mais rien ne pourra s'en servir. Mettez ici le texte PEM, ou créez le Secret avec `kubectl create secret tls`."),
            );
        }
    }
}

/// Standard base64 (line breaks ignored); `None` if it is not valid base64.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    if !syntax::is_base64(s) {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
pub(super) fn decode_for_tests(s: &str) -> Option<Vec<u8>> {
    decode_base64(s)
}
