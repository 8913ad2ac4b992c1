//! `-f k8s/x.yaml`: the file comes from the editor (the request), never from a disk, and is
//! checked as the Apply button's files are before kubectl reads it on its stdin.

use kubefiche_core::manifest::{self, SourceFile};
use kubefiche_core::validate::{self, Options};
use kubefiche_core::{Severity, Text};

use crate::error::ApiError;
use crate::sandbox;

/// The text of the workspace file `name`, when it is there, valid and within the policy.
///
/// The whole workspace is validated (references across files count), but only the named file's
/// errors block the command: `apply -f k8s/a.yaml` does not send the other files.
pub fn text(
    name: &str,
    files: &[SourceFile],
    namespace: &str,
    settings: &sandbox::Settings,
) -> Result<String, ApiError> {
    let Some(file) = files.iter().find(|f| f.path == name) else {
        return Err(ApiError::CommandRefused(Text::new(
            format!(
                "This command does not run: there is no workspace file {name}. -f reads only the files of the editor (no path on disk, no address, no standard input): create {name} in the workspace, or name one of its files."
            ),
            format!(
                "Cette commande ne s'exécute pas : il n'y a pas de fichier {name} dans l'espace de travail. -f ne lit que les fichiers de l'éditeur (aucun chemin sur le disque, aucune adresse, pas l'entrée standard) : créez {name} dans l'espace de travail, ou nommez l'un de ses fichiers."
            ),
        )));
    };
    let diagnostics = validate::validate_workspace(files, &Options::default());
    if let Some(error) = diagnostics
        .iter()
        .find(|d| d.file == name && d.severity == Severity::Error)
    {
        return Err(ApiError::InvalidFile {
            file: name.to_owned(),
            line: error.span.line,
            message: error.message.clone(),
        });
    }
    for object in manifest::parse_file(file).0 {
        if let Err(refusal) = sandbox::admit(&object, namespace, settings) {
            return Err(ApiError::FileRefused {
                code: refusal.code(),
                file: name.to_owned(),
                line: object.span_of(refusal.field()).line,
                message: refusal.message(),
            });
        }
    }
    Ok(file.text.clone())
}
