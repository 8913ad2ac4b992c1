//! Every failure the proxy answers with, in one JSON shape (`ErrorBody`).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kubefiche_core::Text;
use kubefiche_core::wire::ErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request came without the launch token, or with a wrong one.
    #[error("missing or wrong access token")]
    BadToken,
    /// The Host header names a host this proxy does not serve (DNS rebinding guard).
    #[error("host {0:?} is not allowed")]
    BadHost(String),
    /// A state-changing request or the stream came from another origin (or none).
    #[error("origin {0:?} is not allowed")]
    BadOrigin(String),
    /// The body is not JSON, too large, or does not match the expected shape.
    #[error("bad request body: {}", .0.en)]
    BadBody(Text),
    /// The path names no operation of the proxy (it is never a generic API proxy).
    #[error("no operation {0}")]
    UnknownOperation(String),
    /// The operation exists but not with this HTTP method.
    #[error("method not allowed")]
    WrongMethod,
    /// A command line kubefiche does not run; the reason names what to do instead. (The line
    /// itself stays out of the log: it may hold a secret value.)
    #[error("command refused")]
    CommandRefused(Text),
    /// An interactive command (`exec -it`), which needs the terminal channel.
    #[error("the command needs a terminal")]
    NeedsTerminal,
    /// The workspace file a command names (`-f`) has a validation error: nothing ran.
    #[error("invalid workspace file {file}:{line}")]
    InvalidFile {
        file: String,
        line: u32,
        message: Text,
    },
    /// An object of the workspace file a command names is against the policy (kind,
    /// namespace): nothing ran. `code` is the policy's (`kind-not-allowed`…).
    #[error("workspace file {file}:{line} refused: {code}")]
    FileRefused {
        code: &'static str,
        file: String,
        line: u32,
        message: Text,
    },
    /// As many commands as allowed run already.
    #[error("{0} commands run already")]
    TooManyCommands(usize),
    /// The kubectl program is not there.
    #[error("no kubectl at {0}")]
    NoKubectl(String),
    /// The kubectl program is there but could not be started.
    #[error("kubectl could not start: {0}")]
    KubectlFailed(String),
    // The cost of one request.
    /// The request's files hold more objects than one apply may.
    #[error("{count} objects, more than {limit}")]
    TooManyObjects { count: usize, limit: usize },
    /// The validation stopped without an answer (it panicked or was cancelled).
    #[error("validation failed: {0}")]
    ValidationFailed(String),
    /// The HTTP server could not read the request itself (its line or headers): 400, 414 or 431.
    #[error("unreadable request ({0})")]
    Unreadable(StatusCode),
    // Classroom mode.
    /// The instructor's link asked for what only a learner's seat has (a namespace).
    #[error("the instructor has no namespace")]
    NotALearner,
    /// What only the instructor may do, asked without the instructor's token.
    #[error("only the instructor may do this")]
    NotTheInstructor,
    /// A refusal of the class itself (no class, full, ended, expired link…).
    #[error("class: {code}")]
    Class {
        status: StatusCode,
        code: &'static str,
        message: Text,
    },
}

impl ApiError {
    /// A body the JSON extractor could not take, said in both languages (the parser's own
    /// detail stays in English).
    pub fn unreadable_json(rejection: &JsonRejection) -> Self {
        let detail = rejection.body_text();
        Self::BadBody(match rejection {
            JsonRejection::MissingJsonContentType(_) => json_content_type(),
            JsonRejection::JsonSyntaxError(_) => Text::new(
                format!("the body is not valid JSON ({detail})"),
                format!("le corps n'est pas du JSON valide ({detail})"),
            ),
            JsonRejection::JsonDataError(_) => Text::new(
                format!("the body does not have the shape this operation expects ({detail})"),
                format!("le corps n'a pas la forme qu'attend cette opération ({detail})"),
            ),
            _ => Text::new(
                format!(
                    "the body could not be read whole: it is over the size limit, or it came too slowly ({detail})"
                ),
                format!(
                    "le corps n'a pas pu être lu en entier : il dépasse la taille limite, ou il arrive trop lentement ({detail})"
                ),
            ),
        })
    }

    /// The HTTP status, the stable identifier, and the message in both languages.
    pub fn parts(&self) -> (StatusCode, &'static str, Text) {
        match self {
            Self::BadToken => (
                StatusCode::UNAUTHORIZED,
                "bad-token",
                Text::new(
                    "This page has no valid access token. Open the address kubefiche printed in its terminal (it ends with #token=…).",
                    "Cette page n'a pas de jeton d'accès valide. Ouvrez l'adresse affichée par kubefiche dans son terminal (elle se termine par #token=…).",
                ),
            ),
            Self::BadHost(host) => (
                StatusCode::MISDIRECTED_REQUEST,
                "bad-host",
                Text::new(
                    format!(
                        "The host name {host:?} is not served here. Use http://127.0.0.1 or http://localhost, or start kubefiche with --allow-host."
                    ),
                    format!(
                        "Le nom d'hôte {host:?} n'est pas servi ici. Utilisez http://127.0.0.1 ou http://localhost, ou lancez kubefiche avec --allow-host."
                    ),
                ),
            ),
            Self::BadOrigin(origin) => (
                StatusCode::FORBIDDEN,
                "bad-origin",
                Text::new(
                    format!(
                        "Requests from the origin {origin:?} are refused: only the kubefiche page itself may change the cluster."
                    ),
                    format!(
                        "Les requêtes venant de l'origine {origin:?} sont refusées : seule la page kubefiche peut modifier le cluster."
                    ),
                ),
            ),
            Self::BadBody(why) => (
                StatusCode::BAD_REQUEST,
                "bad-body",
                Text::new(
                    format!("The request was refused: {}.", why.en),
                    format!("La requête a été refusée : {}.", why.fr),
                ),
            ),
            Self::UnknownOperation(path) => (
                StatusCode::NOT_FOUND,
                "no-such-operation",
                Text::new(
                    format!(
                        "kubefiche offers no operation at {path}: the page only reads the session, applies manifests and follows the cluster."
                    ),
                    format!(
                        "kubefiche n'offre aucune opération à {path} : la page lit seulement la session, applique des manifestes et suit le cluster."
                    ),
                ),
            ),
            Self::WrongMethod => (
                StatusCode::METHOD_NOT_ALLOWED,
                "wrong-method",
                Text::new(
                    "This operation does not accept this HTTP method.",
                    "Cette opération n'accepte pas cette méthode HTTP.",
                ),
            ),
            Self::CommandRefused(why) => (StatusCode::FORBIDDEN, "command-refused", why.clone()),
            Self::NeedsTerminal => (
                StatusCode::BAD_REQUEST,
                "needs-terminal",
                Text::new(
                    "This command is interactive (-it): it runs in a terminal, not in the output area. Open it with the terminal button, or drop -it to run it once.",
                    "Cette commande est interactive (-it) : elle s'exécute dans un terminal, pas dans la zone de sortie. Ouvrez-la avec le bouton du terminal, ou retirez -it pour l'exécuter une fois.",
                ),
            ),
            Self::InvalidFile {
                file,
                line,
                message,
            } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-manifest",
                Text::new(
                    format!(
                        "{file}, line {line}: {} Nothing was sent to the cluster; correct the file, then run the command again.",
                        message.en
                    ),
                    format!(
                        "{file}, ligne {line} : {} Rien n'a été envoyé au cluster ; corrigez le fichier, puis relancez la commande.",
                        message.fr
                    ),
                ),
            ),
            Self::FileRefused {
                code,
                file,
                line,
                message,
            } => (
                StatusCode::FORBIDDEN,
                code,
                Text::new(
                    format!("{file}, line {line}: {}", message.en),
                    format!("{file}, ligne {line} : {}", message.fr),
                ),
            ),
            Self::TooManyCommands(limit) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-commands",
                Text::new(
                    format!(
                        "{limit} commands are running already, the most kubefiche runs at once. Stop one (a --watch or a --follow, for instance), then run this one again."
                    ),
                    format!(
                        "{limit} commandes tournent déjà, le maximum que kubefiche exécute à la fois. Arrêtez-en une (un --watch ou un --follow, par exemple), puis relancez celle-ci."
                    ),
                ),
            ),
            Self::NoKubectl(program) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "no-kubectl",
                Text::new(
                    format!(
                        "kubectl is not installed (kubefiche looked for {program}). Install it as https://kubernetes.io/docs/tasks/tools/ explains (on Debian or Ubuntu: apt install kubectl, from the pkgs.k8s.io repository described there), or restart kubefiche with --kubectl PATH."
                    ),
                    format!(
                        "kubectl n'est pas installé (kubefiche a cherché {program}). Installez-le comme l'explique https://kubernetes.io/fr/docs/tasks/tools/ (sur Debian ou Ubuntu : apt install kubectl, depuis le dépôt pkgs.k8s.io qui y est décrit), ou relancez kubefiche avec --kubectl CHEMIN."
                    ),
                ),
            ),
            Self::KubectlFailed(why) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "kubectl-failed",
                Text::new(
                    format!(
                        "kubectl could not be started: {why}. Check the program given with --kubectl (it must be executable), then run the command again."
                    ),
                    format!(
                        "kubectl n'a pas pu être lancé : {why}. Vérifiez le programme donné avec --kubectl (il doit être exécutable), puis relancez la commande."
                    ),
                ),
            ),
            Self::TooManyObjects { count, limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-many-objects",
                Text::new(
                    format!(
                        "The workspace holds {count} objects; kubefiche applies at most {limit} at once. Remove the objects you do not need, or restart kubefiche with a larger --max-objects (KUBEFICHE_MAX_OBJECTS)."
                    ),
                    format!(
                        "L'espace de travail contient {count} objets ; kubefiche en applique au plus {limit} à la fois. Retirez les objets inutiles, ou relancez kubefiche avec un --max-objects (KUBEFICHE_MAX_OBJECTS) plus grand."
                    ),
                ),
            ),
            Self::ValidationFailed(why) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "validation-failed",
                Text::new(
                    format!(
                        "The manifests could not be checked ({why}); nothing was sent to the cluster. Apply again; if it happens again, report it with the files of the workspace."
                    ),
                    format!(
                        "Les manifestes n'ont pas pu être vérifiés ({why}) ; rien n'a été envoyé au cluster. Appliquez à nouveau ; si cela se reproduit, signalez-le avec les fichiers de l'espace de travail."
                    ),
                ),
            ),
            Self::Unreadable(status) if *status == StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => (
                *status,
                "headers-too-large",
                Text::new(
                    "The request's headers are too large or too many. A browser sends far fewer: clear this site's cookies, or send fewer headers.",
                    "Les en-têtes de la requête sont trop grands ou trop nombreux. Un navigateur en envoie bien moins : effacez les cookies de ce site, ou envoyez moins d'en-têtes.",
                ),
            ),
            Self::Unreadable(status) if *status == StatusCode::URI_TOO_LONG => (
                *status,
                "uri-too-long",
                Text::new(
                    "The request's address is too long. The page's operations have short addresses (/api/…): check the address.",
                    "L'adresse de la requête est trop longue. Les opérations de la page ont des adresses courtes (/api/…) : vérifiez l'adresse.",
                ),
            ),
            Self::NotALearner => (
                StatusCode::FORBIDDEN,
                "not-a-learner",
                Text::new(
                    "This is the instructor's link: it shows the class's board, not a namespace of its own. Join the class with its join link to work as a learner.",
                    "Ceci est le lien de l'enseignant·e : il montre le tableau de la classe, pas un namespace à lui. Rejoignez la classe avec son lien d'invitation pour travailler comme apprenant·e.",
                ),
            ),
            Self::NotTheInstructor => (
                StatusCode::FORBIDDEN,
                "not-the-instructor",
                Text::new(
                    "Only the instructor's link may do this.",
                    "Seul le lien de l'enseignant·e peut faire cela.",
                ),
            ),
            Self::Class {
                status,
                code,
                message,
            } => (*status, code, message.clone()),
            Self::Unreadable(status) => (
                *status,
                "unreadable-request",
                Text::new(
                    "This is not an HTTP/1.1 request kubefiche can read (its first line or a header is malformed). Use a browser on the address kubefiche printed, or fix the client.",
                    "Ce n'est pas une requête HTTP/1.1 que kubefiche sait lire (sa première ligne ou un en-tête est mal formé). Utilisez un navigateur sur l'adresse affichée par kubefiche, ou corrigez le client.",
                ),
            ),
        }
    }

    /// The JSON body of this refusal, for answers written outside the router.
    pub fn body(&self) -> String {
        let (_, code, message) = self.parts();
        let body = ErrorBody {
            error: code.to_owned(),
            message,
        };
        // Serialising our own struct of strings cannot fail.
        serde_json::to_string(&body).unwrap_or_default()
    }
}

/// What a request that is not JSON is told.
pub fn json_content_type() -> Text {
    Text::new(
        "send JSON (Content-Type: application/json)",
        "envoyez du JSON (Content-Type: application/json)",
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        tracing::info!(code, %status, "refused: {self}");
        (
            status,
            Json(ErrorBody {
                error: code.to_owned(),
                message,
            }),
        )
            .into_response()
    }
}
