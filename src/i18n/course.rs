//! Labels of the course: the list of worksheets, progress, checks, hints and solutions.

/// `(key, English, French)`.
pub const LABELS: &[(&str, &str, &str)] = &[
    ("course.worksheets", "Worksheets", "Fiches"),
    ("course.contents", "Contents", "Sommaire"),
    ("course.list", "Worksheets of the course", "Fiches du cours"),
    ("course.open", "Open", "Ouvrir"),
    ("course.current", "open now", "ouverte"),
    ("course.own", "your file", "votre fichier"),
    ("course.remove", "Remove", "Retirer"),
    (
        "course.pick",
        "Open a worksheet of your own (.md)…",
        "Ouvrir une fiche à vous (.md)…",
    ),
    (
        "course.drop",
        "or drop a .md file on the worksheet",
        "ou déposez un fichier .md sur la fiche",
    ),
    (
        "course.repaired",
        "Its text was mis-decoded and has been repaired",
        "Son texte était mal décodé et a été réparé",
    ),
    ("course.no.checks", "no checks", "pas de vérifications"),
    (
        "progress.label",
        "Progress of this worksheet",
        "Progression de cette fiche",
    ),
    ("progress.steps", "steps done", "étapes faites"),
    ("state.todo", "To do", "À faire"),
    ("state.progress", "In progress", "En cours"),
    ("state.done", "Done", "Fait"),
    (
        "state.unverifiable",
        "Not checkable here",
        "Non vérifiable ici",
    ),
    ("check.missing", "Still missing", "Il manque encore"),
    ("check.before", "Before you start", "Avant de commencer"),
    ("check.solution", "Solution", "Solution"),
    (
        "check.solution.hide",
        "Hide the solution",
        "Masquer la solution",
    ),
    ("check.solution.seen", "solution seen", "solution consultée"),
    (
        "check.solution.file",
        "The worksheet's version of",
        "La version de la fiche de",
    ),
    (
        "check.solution.against",
        "against yours",
        "comparée à la vôtre",
    ),
    (
        "check.solution.same",
        "Your file is already the worksheet's version.",
        "Votre fichier est déjà la version de la fiche.",
    ),
    (
        "check.solution.use",
        "Use the worksheet's version",
        "Prendre la version de la fiche",
    ),
    (
        "check.solution.run",
        "Run these commands",
        "Lancez ces commandes",
    ),
    (
        "check.restart",
        "Start this exercise again",
        "Recommencer cet exercice",
    ),
    (
        "check.restart.title",
        "Start this exercise again?",
        "Recommencer cet exercice ?",
    ),
    (
        "check.restart.body",
        "Its steps go back to “to do”.",
        "Ses étapes repassent à « à faire ».",
    ),
    (
        "check.restart.delete",
        "Also delete its objects from the cluster:",
        "Supprimer aussi ses objets du cluster :",
    ),
    ("check.restart.confirm", "Start again", "Recommencer"),
    ("check.cancel", "Cancel", "Annuler"),
    (
        "check.errors",
        "The checks of this worksheet have errors; progress is not shown until they are fixed:",
        "Les vérifications de cette fiche ont des erreurs ; la progression n'est pas affichée tant qu'elles ne sont pas corrigées :",
    ),
    ("check.line", "line", "ligne"),
    ("insert.done", "Inserted", "Inséré"),
    ("insert.lines", "at lines", "aux lignes"),
    (
        "insert.already",
        "Already there: nothing to add.",
        "Déjà présent : rien à ajouter.",
    ),
    (
        "insert.differs",
        "kept as you wrote it",
        "gardé tel que vous l'avez écrit",
    ),
    (
        "insert.nowhere",
        "The worksheet does not say where this goes.",
        "La fiche ne dit pas où cela va.",
    ),
];
