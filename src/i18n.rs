//! French and English: the language in use and every label of the interface.

mod class;
mod cluster;
mod course;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::En => "en",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::Fr => Self::En,
            Self::En => Self::Fr,
        }
    }

    /// Pick the language: `?lang=` forces it, then the learner's last choice, then the browser's.
    pub fn choose(query: Option<&str>, saved: Option<&str>, browser: Option<&str>) -> Self {
        let parse = |s: &str| match s.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("fr") => Some(Self::Fr),
            Some("en") => Some(Self::En),
            _ => None,
        };
        query
            .and_then(parse)
            .or_else(|| saved.and_then(parse))
            .or_else(|| browser.and_then(parse))
            .unwrap_or(Self::En)
    }

    /// The label `key` in this language; the key itself when it is unknown (never a blank).
    pub fn t(self, key: &'static str) -> &'static str {
        LABELS
            .iter()
            .chain(cluster::LABELS)
            .chain(course::LABELS)
            .chain(class::LABELS)
            .find(|(k, _, _)| *k == key)
            .map_or(key, |(_, en, fr)| if self == Self::Fr { fr } else { en })
    }
}

/// `(key, English, French)`.
const LABELS: &[(&str, &str, &str)] = &[
    (
        "app.tagline",
        "Kubernetes worksheet playground",
        "Bac à sable pour les fiches Kubernetes",
    ),
    ("lang.short", "Français", "English"),
    ("theme.large", "Projector mode", "Mode projecteur"),
    ("pane.fiche", "Worksheet", "Fiche"),
    ("pane.workspace", "Manifests", "Manifestes"),
    ("pane.cluster", "Cluster", "Cluster"),
    ("panes", "Panes", "Volets"),
    ("pane.enlarge", "Enlarge", "Agrandir"),
    ("pane.all", "Show all panes", "Afficher tous les volets"),
    ("divider.resize", "Resize", "Redimensionner"),
    ("skip", "Skip links", "Accès rapide"),
    (
        "skip.workspace",
        "Skip to the manifests",
        "Aller aux manifestes",
    ),
    ("skip.cluster", "Skip to the cluster", "Aller au cluster"),
    (
        "editor.keys",
        "In the editor, Tab indents: to leave it, press Esc then Tab. Ctrl+K then Ctrl+I shows the documentation of the field at the cursor.",
        "Dans l'éditeur, Tab indente : pour en sortir, appuyez sur Échap puis Tab. Ctrl+K puis Ctrl+I affiche la documentation du champ sous le curseur.",
    ),
    ("colon", ":", " :"),
    ("announce.pod", "Pod", "Pod"),
    ("announce.pods.changed", "pods changed", "pods modifiés"),
    ("announce.gone", "deleted", "supprimé"),
    ("announce.nothing", "nothing to apply.", "rien à appliquer."),
    (
        "files",
        "Workspace files",
        "Fichiers de l'espace de travail",
    ),
    ("editor.label", "Editor for", "Éditeur pour"),
    ("apply", "Apply", "Appliquer"),
    ("apply.all", "Apply all", "Tout appliquer"),
    ("apply.running", "Applying…", "Application…"),
    (
        "check",
        "Check against the cluster",
        "Vérifier auprès du cluster",
    ),
    ("reset", "Reset", "Réinitialiser"),
    (
        "reset.confirm",
        "Restore the worksheet's version of this file? (Undo brings your text back.)",
        "Revenir à la version de la fiche pour ce fichier ? (Annuler rétablit votre texte.)",
    ),
    ("copy", "Copy", "Copier"),
    ("copied", "Copied", "Copié"),
    ("open", "Open in the editor", "Ouvrir dans l'éditeur"),
    ("insert.into", "Insert into", "Insérer dans"),
    ("problems", "Problems", "Problèmes"),
    (
        "problems.none",
        "No problem found.",
        "Aucun problème détecté.",
    ),
    ("results", "Apply results", "Résultats de l'application"),
    ("outcome.created", "created", "créé"),
    ("outcome.configured", "configured", "modifié"),
    ("outcome.unchanged", "unchanged", "inchangé"),
    ("outcome.failed", "refused", "refusé"),
    (
        "outcome.blocked",
        "Nothing was applied: fix the errors first.",
        "Rien n'a été appliqué : corrigez d'abord les erreurs.",
    ),
    (
        "outcome.dry",
        "(dry run: nothing was changed)",
        "(simulation : rien n'a été modifié)",
    ),
    ("pods", "Pods", "Pods"),
    (
        "pods.none",
        "No pod in this namespace yet. Apply a Deployment to see its pods here.",
        "Aucun pod dans ce namespace pour l'instant. Appliquez un Deployment pour voir ses pods ici.",
    ),
    ("col.name", "Name", "Nom"),
    ("col.status", "Status", "Statut"),
    ("col.ready", "Ready", "Prêts"),
    ("col.restarts", "Restarts", "Redémarrages"),
    ("col.age", "Age", "Âge"),
    ("stream.live", "live", "en direct"),
    ("stream.connecting", "connecting…", "connexion…"),
    (
        "stream.reconnecting",
        "reconnecting to the cluster",
        "reconnexion au cluster",
    ),
    (
        "stream.unreachable",
        "cluster unreachable",
        "cluster injoignable",
    ),
    (
        "stream.proxy_lost",
        "proxy unreachable, retrying",
        "proxy injoignable, nouvelle tentative",
    ),
    ("stream.for", "for", "depuis"),
    ("stream.as_of", "As of", "État à"),
    (
        "stream.stale",
        "the cluster may have changed since.",
        "le cluster a pu changer depuis.",
    ),
    ("namespace", "Namespace", "Namespace"),
    ("context", "Context", "Contexte"),
    (
        "no.token",
        "This page has no access token. Open the address that kubefiche printed in its terminal (it ends with #token=…).",
        "Cette page n'a pas de jeton d'accès. Ouvrez l'adresse affichée par kubefiche dans son terminal (elle se termine par #token=…).",
    ),
    (
        "error.network",
        "The kubefiche proxy did not answer. Is it still running?",
        "Le proxy kubefiche ne répond pas. Est-il toujours lancé ?",
    ),
    ("severity.error", "error", "erreur"),
    ("severity.warning", "warning", "avertissement"),
    ("severity.info", "info", "info"),
    ("line", "line", "ligne"),
    // Commands: the worksheet's Run buttons, their output, the console.
    ("run.label", "Run:", "Exécuter :"),
    ("run.all", "Run all", "Tout exécuter"),
    ("run.instead", "Run instead:", "Exécuter à la place :"),
    ("run.stop", "Stop", "Arrêter"),
    ("run.clear", "Clear", "Effacer"),
    ("run.output", "Command output", "Sortie des commandes"),
    ("run.starting", "starting…", "démarrage…"),
    (
        "run.running",
        "running… (Stop or Ctrl+C to end it)",
        "en cours… (Arrêter ou Ctrl+C pour la terminer)",
    ),
    (
        "run.streaming",
        "running, Stop ends it",
        "en cours, Arrêter la termine",
    ),
    ("run.terminal", "terminal open", "terminal ouvert"),
    ("run.done", "done", "terminée"),
    (
        "run.failed",
        "failed with exit status",
        "échec, code de sortie",
    ),
    ("run.stopped", "stopped", "arrêtée"),
    ("run.refused", "refused:", "refusée :"),
    (
        "run.blocked",
        "not run: fix the errors of the file first",
        "non exécutée : corrigez d'abord les erreurs du fichier",
    ),
    (
        "run.truncated",
        "output cut at the limit",
        "sortie coupée à la limite",
    ),
    (
        "run.timed.out",
        "took too long and was stopped",
        "trop longue, arrêtée",
    ),
    (
        "run.dropped",
        "older output removed",
        "sortie plus ancienne retirée",
    ),
    ("run.no.output", "no output", "aucune sortie"),
    ("run.one.line", "1 line of output", "1 ligne affichée"),
    ("run.lines", "lines of output", "lignes affichées"),
    ("console", "Console", "Console"),
    ("console.label", "kubectl command", "Commande kubectl"),
    ("console.close", "Close the console", "Fermer la console"),
    (
        "console.keys",
        "Enter runs; ↑/↓ history; Tab completes (Esc then Tab leaves); Ctrl+C stops; Ctrl+L clears.",
        "Entrée exécute ; ↑/↓ historique ; Tab complète (Échap puis Tab pour sortir) ; Ctrl+C arrête ; Ctrl+L efface.",
    ),
    ("console.options", "Completions", "Complétions"),
    // Edits the browser does not keep.
    (
        "keep.title",
        "Your edits cannot be kept in this browser",
        "Vos modifications ne peuvent pas être gardées dans ce navigateur",
    ),
    (
        "keep.full",
        "Its storage is full: closing or reloading this page would lose the edits not kept. Download your files to keep a copy; each new edit tries again.",
        "Son stockage est plein : fermer ou recharger cette page perdrait les modifications non gardées. Téléchargez vos fichiers pour en garder une copie ; chaque nouvelle modification réessaie.",
    ),
    (
        "keep.disabled",
        "Its storage is disabled (a setting or a private window): closing or reloading this page loses your edits. Download your files to keep a copy.",
        "Son stockage est désactivé (réglage ou fenêtre privée) : fermer ou recharger cette page perd vos modifications. Téléchargez vos fichiers pour en garder une copie.",
    ),
    ("keep.unsaved", "Not kept:", "Non gardés :"),
    (
        "keep.download",
        "Download my files",
        "Télécharger mes fichiers",
    ),
    (
        "keep.download.failed",
        "The browser refused the download. Copy your files from the editor instead.",
        "Le navigateur a refusé le téléchargement. Copiez plutôt vos fichiers depuis l'éditeur.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_wins_then_saved_then_browser() {
        assert_eq!(
            Lang::choose(Some("en"), Some("fr"), Some("fr-FR")),
            Lang::En
        );
        assert_eq!(Lang::choose(None, Some("fr"), Some("en-US")), Lang::Fr);
        assert_eq!(Lang::choose(None, None, Some("fr-CA")), Lang::Fr);
        assert_eq!(Lang::choose(Some("xx"), None, Some("de")), Lang::En);
    }

    #[test]
    fn every_label_has_both_languages() {
        for (key, en, fr) in LABELS
            .iter()
            .chain(cluster::LABELS)
            .chain(course::LABELS)
            .chain(class::LABELS)
        {
            assert!(!en.is_empty() && !fr.is_empty(), "{key}");
        }
        assert_eq!(Lang::Fr.t("apply"), "Appliquer");
        assert_eq!(Lang::En.t("apply"), "Apply");
        let all: Vec<_> = LABELS
            .iter()
            .chain(cluster::LABELS)
            .chain(course::LABELS)
            .chain(class::LABELS)
            .collect();
        let keys: std::collections::HashSet<_> = all.iter().map(|(k, _, _)| k).collect();
        assert_eq!(keys.len(), all.len(), "duplicate key");
    }
}
