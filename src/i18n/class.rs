//! The labels of classroom mode: joining, the learner's header, the instructor's board.

/// `(key, English, French)`.
pub const LABELS: &[(&str, &str, &str)] = &[
    // Joining.
    ("join.title", "Join the class", "Rejoindre la classe"),
    ("join.name", "Your name", "Votre nom"),
    (
        "join.name.hint",
        "As the instructor will see it: 1 to 40 characters.",
        "Tel que l'enseignant·e le verra : 1 à 40 caractères.",
    ),
    ("join.submit", "Join", "Rejoindre"),
    (
        "join.name.empty",
        "Type your name to join (1 to 40 characters).",
        "Tapez votre nom pour rejoindre (1 à 40 caractères).",
    ),
    (
        "join.name.long",
        "This name is too long: 40 characters at most.",
        "Ce nom est trop long : 40 caractères au plus.",
    ),
    (
        "join.name.control",
        "A name fits on one line: remove the line breaks and tabs.",
        "Un nom tient sur une ligne : retirez les retours à la ligne et tabulations.",
    ),
    ("join.welcome", "Welcome,", "Bienvenue,"),
    ("join.seat", "seat", "place"),
    ("join.link", "Your personal link:", "Votre lien personnel :"),
    (
        "join.private",
        "This link gives you your seat back on any machine, as long as the class lasts: keep it, and keep it private — whoever has it works in your place.",
        "Ce lien vous rend votre place sur n'importe quelle machine, tant que dure la classe : gardez-le, et gardez-le pour vous — qui l'a travaille à votre place.",
    ),
    ("join.start", "Start", "Commencer"),
    // The learner's header.
    ("class.label", "Class", "Classe"),
    ("learner.label", "Learner", "Apprenant·e"),
    ("namespace.own", "(yours only)", "(à vous seul·e)"),
    ("instructor.label", "Instructor", "Enseignant·e"),
    (
        "seat.refused",
        "Your link no longer opens your seat: the instructor revoked it or ended the class. Ask the instructor for a new seat.",
        "Votre lien n'ouvre plus votre place : l'enseignant·e l'a révoquée ou a terminé la classe. Demandez-lui une nouvelle place.",
    ),
    // The class.
    (
        "board.refused",
        "kubefiche refuses this page's link: open the instructor link it printed when it started.",
        "kubefiche refuse le lien de cette page : ouvrez le lien enseignant·e affiché à son démarrage.",
    ),
    ("class.form.title", "Start a class", "Ouvrir une classe"),
    ("class.form.name", "Name of the class", "Nom de la classe"),
    ("class.form.seats", "Seats (1 to 200)", "Places (1 à 200)"),
    ("class.form.worksheets", "Worksheets", "Fiches"),
    (
        "class.form.minutes",
        "Length, in minutes",
        "Durée, en minutes",
    ),
    ("class.form.create", "Start the class", "Ouvrir la classe"),
    (
        "class.form.bad.name",
        "Give the class a name (80 characters at most, on one line).",
        "Donnez un nom à la classe (80 caractères au plus, sur une ligne).",
    ),
    (
        "class.form.bad.seats",
        "The number of seats goes from 1 to 200.",
        "Le nombre de places va de 1 à 200.",
    ),
    (
        "class.form.bad.worksheets",
        "Choose at least one worksheet.",
        "Choisissez au moins une fiche.",
    ),
    (
        "class.form.bad.minutes",
        "The length goes from 1 to 1440 minutes (a day).",
        "La durée va de 1 à 1440 minutes (un jour).",
    ),
    (
        "class.ended",
        "The class has ended: its namespaces are being deleted. You may start another one.",
        "La classe est terminée : ses namespaces sont en cours de suppression. Vous pouvez en ouvrir une autre.",
    ),
    ("class.seats.taken", "seats taken", "places prises"),
    ("class.left", "left", "restantes"),
    ("class.over", "time is up", "temps écoulé"),
    ("class.join", "Join link:", "Lien pour rejoindre :"),
    (
        "class.join.expires",
        "The join link expires in",
        "Le lien pour rejoindre expire dans",
    ),
    (
        "class.join.none",
        "The join link has expired: make a new one for latecomers.",
        "Le lien pour rejoindre a expiré : créez-en un nouveau pour les retardataires.",
    ),
    (
        "class.join.new",
        "New join link",
        "Nouveau lien pour rejoindre",
    ),
    (
        "class.qr",
        "QR code of the join link",
        "QR code du lien pour rejoindre",
    ),
    ("class.end", "End the class", "Terminer la classe"),
    ("class.end.confirm", "End the class", "Terminer la classe"),
    (
        "class.end.body",
        "Every learner's namespace and all they made in it will be deleted, and their links will stop working. This cannot be undone.",
        "Le namespace de chaque apprenant·e et tout ce qu'il contient seront supprimés, et leurs liens cesseront de fonctionner. C'est irréversible.",
    ),
    // The room and the learners.
    (
        "room.title",
        "In the room right now",
        "Dans la salle en ce moment",
    ),
    (
        "room.none",
        "Nothing goes wrong for anyone right now.",
        "Rien ne coince pour personne en ce moment.",
    ),
    ("learners.title", "Learners", "Apprenant·es"),
    (
        "learners.none",
        "Nobody has joined yet: show the join link or its QR code.",
        "Personne n'a encore rejoint : montrez le lien ou son QR code.",
    ),
    (
        "card.never",
        "no report yet",
        "aucune nouvelle pour l'instant",
    ),
    ("card.revoked", "Revoked", "Révoqué·e"),
    ("card.revoke", "Revoke", "Révoquer"),
    ("card.revoke.confirm", "Revoke", "Révoquer"),
    (
        "card.revoke.body",
        "Their link stops working at once, open pages included. Their namespace stays until the class ends.",
        "Son lien cesse de fonctionner aussitôt, pages ouvertes comprises. Son namespace reste jusqu'à la fin de la classe.",
    ),
    // One learner's detail.
    ("detail.room", "Show to the room", "Montrer à la salle"),
    (
        "detail.room.leave",
        "Leave the room view",
        "Quitter la vue salle",
    ),
    ("detail.close", "Close", "Fermer"),
    ("detail.loading", "Loading…", "Chargement…"),
    (
        "detail.files",
        "Workspace files (read-only)",
        "Fichiers (lecture seule)",
    ),
    ("detail.objects", "Cluster objects", "Objets du cluster"),
];
