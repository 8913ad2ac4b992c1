//! Learner-friendly texts for YAML problems, in English and French.

use super::{Key, YamlError};
use crate::diagnostic::{Span, Text};
use crate::path::FieldPath;
use crate::rule::Rule;
use saphyr_parser::ScanError;

fn err(span: Span, code: Rule, en: String, fr: String) -> YamlError {
    YamlError {
        span,
        code,
        message: Text::new(en, fr),
        path: FieldPath::root(),
    }
}

pub(super) fn too_large(len: usize, max: usize) -> YamlError {
    err(
        Span::point(1, 1),
        Rule::YamlLimit,
        format!("This file is {len} bytes; the limit is {max}. Split it into smaller files."),
        format!(
            "Ce fichier fait {len} octets ; la limite est {max}. Découpez-le en fichiers plus petits."
        ),
    )
}

pub(super) fn too_many_documents(span: Span, max: usize) -> YamlError {
    err(
        span,
        Rule::YamlLimit,
        format!("Too many documents (`---`) in one file: at most {max}. Split the file."),
        format!(
            "Trop de documents (`---`) dans un même fichier : {max} au plus. Découpez le fichier."
        ),
    )
}

pub(super) fn too_many_aliases(span: Span, max: usize) -> YamlError {
    err(
        span,
        Rule::YamlLimit,
        format!(
            "Too many aliases (`*name`): at most {max} per file. Write the values out instead."
        ),
        format!(
            "Trop d'alias (`*nom`) : {max} au plus par fichier. Écrivez les valeurs en entier."
        ),
    )
}

pub(super) fn too_many_nodes(span: Span, max: usize) -> YamlError {
    err(
        span,
        Rule::YamlLimit,
        format!(
            "This YAML expands to more than {max} values (aliases repeated inside aliases?). It is refused to protect the editor and the cluster."
        ),
        format!(
            "Ce YAML se développe en plus de {max} valeurs (des alias répétés dans des alias ?). Il est refusé pour protéger l'éditeur et le cluster."
        ),
    )
}

pub(super) fn too_deep(span: Span, max: usize) -> YamlError {
    err(
        span,
        Rule::YamlLimit,
        format!("Nesting is too deep (more than {max} levels). Check the indentation."),
        format!("Imbrication trop profonde (plus de {max} niveaux). Vérifiez l'indentation."),
    )
}

pub(super) fn unknown_alias(span: Span) -> YamlError {
    err(
        span,
        Rule::YamlSyntax,
        "This alias (`*name`) refers to no anchor (`&name`) defined before it in this document."
            .into(),
        "Cet alias (`*nom`) ne renvoie à aucune ancre (`&nom`) définie avant lui dans ce document."
            .into(),
    )
}

pub(super) fn complex_key(span: Span) -> YamlError {
    err(
        span,
        Rule::YamlSyntax,
        "A key must be a simple text, not a list or an object. Is a `:` misplaced?".into(),
        "Une clé doit être un texte simple, pas une liste ni un objet. Un `:` est-il mal placé ?"
            .into(),
    )
}

/// A key seen twice in one mapping; `path` leads to the second one.
pub(super) fn duplicate_key(key: &Key, first_line: Option<u32>, path: FieldPath) -> YamlError {
    let line = first_line.map_or_else(String::new, |l| format!(" (line {l})"));
    let ligne = first_line.map_or_else(String::new, |l| format!(" (ligne {l})"));
    let (why_en, why_fr) = if key.converted {
        (
            " Unquoted keys such as `y`, `yes`, `on`, `true` (or `n`, `no`, `off`, `false`) are all the same boolean for Kubernetes (YAML 1.1): put such keys in quotes, e.g. `\"on\":`.",
            " Les clés sans guillemets comme `y`, `yes`, `on`, `true` (ou `n`, `no`, `off`, `false`) sont toutes le même booléen pour Kubernetes (YAML 1.1) : mettez-les entre guillemets, par exemple `\"on\":`.",
        )
    } else {
        ("", "")
    };
    YamlError {
        span: key.span,
        code: Rule::YamlDuplicateKey,
        message: Text::new(
            format!(
                "The key `{}` appears twice in the same object{line}. The API server refuses duplicate fields: keep only one.{why_en}",
                key.name
            ),
            format!(
                "La clé `{}` apparaît deux fois dans le même objet{ligne}. Le serveur d'API refuse les champs en double : n'en gardez qu'une.{why_fr}",
                key.name
            ),
        ),
        path,
    }
}

/// Translates the parser's message into advice; the original stays at the end for reference.
pub(super) fn scan_error(e: &ScanError) -> YamlError {
    let m = e.marker();
    let line = u32::try_from(m.line()).unwrap_or(u32::MAX).max(1);
    let column = u32::try_from(m.col()).unwrap_or(u32::MAX).saturating_add(1);
    let span = Span::point(line, column);
    let info = e.info();
    // The parser stops its own recursion on `[[[[…` before any limit of ours is reached: the
    // same refusal as too deep a nesting, said the same way.
    if info.contains("recursion limit") {
        return err(
            span,
            Rule::YamlLimit,
            "Nesting is too deep: lists or mappings inside each other far deeper than any manifest needs. Check the brackets and the indentation.".into(),
            "Imbrication trop profonde : des listes ou des objets les uns dans les autres, bien plus profond que ce dont un manifeste a besoin. Vérifiez les crochets et l'indentation.".into(),
        );
    }
    let (code, en, fr) = if info.contains("tabs")
        || info.contains(" tab")
        || info.starts_with("tab")
    {
        (
            Rule::YamlTab,
            "A tab character is used for indentation. YAML only accepts spaces: replace the tab with spaces.",
            "Une tabulation sert d'indentation. YAML n'accepte que des espaces : remplacez la tabulation par des espaces.",
        )
    } else if info.contains("mapping values are not allowed") {
        (
            Rule::YamlIndent,
            "Unexpected `key: value` here. Check the indentation of this line against the one above, or put quotes around a value that contains `: `.",
            "`clé: valeur` inattendu ici. Vérifiez l'indentation de cette ligne par rapport à celle du dessus, ou mettez entre guillemets une valeur qui contient `: `.",
        )
    } else if info.contains("block sequence entries are not allowed")
        || info.contains("indentation")
    {
        (
            Rule::YamlIndent,
            "Bad indentation: this line does not line up with its neighbours. Items of the same list or object must start at the same column.",
            "Mauvaise indentation : cette ligne n'est pas alignée avec ses voisines. Les éléments d'une même liste ou d'un même objet doivent commencer à la même colonne.",
        )
    } else if info.contains("simple key expect") || info.contains("did not find expected") {
        (
            Rule::YamlSyntax,
            "The YAML structure is broken here: a missing `:` after a key, a missing space after `:` or `-`, or a line indented differently from its neighbours?",
            "La structure YAML est cassée ici : un `:` manquant après une clé, une espace manquante après `:` ou `-`, ou une ligne indentée autrement que ses voisines ?",
        )
    } else if info.contains("quoted scalar") {
        (
            Rule::YamlSyntax,
            "A quoted text is not closed or contains an invalid escape. Check the quotes on this line.",
            "Un texte entre guillemets n'est pas fermé ou contient un échappement invalide. Vérifiez les guillemets de cette ligne.",
        )
    } else {
        (
            Rule::YamlSyntax,
            "This is not valid YAML. Check the indentation, the `:` after each key and the quotes.",
            "Ce n'est pas du YAML valide. Vérifiez l'indentation, les `:` après chaque clé et les guillemets.",
        )
    };
    err(
        span,
        code,
        format!("{en} (parser: {info})"),
        format!("{fr} (analyseur : {info})"),
    )
}
