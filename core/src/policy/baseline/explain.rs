//! What each rule of the baseline level forbids, and the fix, in French and English.

use crate::Text;

use super::{CAPABILITIES, Rule, SYSCTLS, Violation};

impl Violation {
    /// What the baseline level forbids here, and how to write it instead.
    pub fn message(&self) -> Text {
        let (path, value) = (&self.path, &self.value);
        let (what, fix) = self.rule.explain(value);
        Text::new(
            format!(
                "Pod Security (baseline level) forbids {}: {path} is {value:?}. {} The playground applies nothing that would give a pod power over the node it runs on.",
                what.en, fix.en
            ),
            format!(
                "Pod Security (niveau baseline) interdit {} : {path} vaut {value:?}. {} Le bac à sable n'applique rien qui donnerait à un pod du pouvoir sur le nœud où il tourne.",
                what.fr, fix.fr
            ),
        )
    }
}

impl Rule {
    /// What the rule forbids, and the fix, for the value found.
    fn explain(self, value: &str) -> (Text, Text) {
        match self {
            Self::HostProcess => (
                Text::new(
                    "Windows HostProcess containers, which run as the node itself",
                    "les conteneurs Windows HostProcess, qui s'exécutent en tant que le nœud lui-même",
                ),
                Text::new(
                    "Remove hostProcess or set it to false.",
                    "Retirez hostProcess ou mettez-le à false.",
                ),
            ),
            Self::HostNamespaces => (
                Text::new(
                    "sharing the node's network, processes or IPC (hostNetwork, hostPID, hostIPC)",
                    "le partage du réseau, des processus ou de l'IPC du nœud (hostNetwork, hostPID, hostIPC)",
                ),
                Text::new(
                    "Remove the field or set it to false; a Service gives the pods an address.",
                    "Retirez ce champ ou mettez-le à false ; un Service donne une adresse aux pods.",
                ),
            ),
            Self::Privileged => (
                Text::new(
                    "privileged containers, which have every right over the node",
                    "les conteneurs privilégiés, qui ont tous les droits sur le nœud",
                ),
                Text::new(
                    "Remove privileged or set it to false.",
                    "Retirez privileged ou mettez-le à false.",
                ),
            ),
            Self::Capabilities => (
                Text::new(
                    "adding Linux capabilities beyond the default set",
                    "l'ajout de capacités Linux au-delà de l'ensemble par défaut",
                ),
                Text::new(
                    format!(
                        "Remove {value} from capabilities.add; only {} may be added.",
                        CAPABILITIES.join(", ")
                    ),
                    format!(
                        "Retirez {value} de capabilities.add ; seules {} peuvent être ajoutées.",
                        CAPABILITIES.join(", ")
                    ),
                ),
            ),
            Self::HostPathVolumes => (
                Text::new(
                    "hostPath volumes, which put the node's own files in the container",
                    "les volumes hostPath, qui mettent les fichiers du nœud lui-même dans le conteneur",
                ),
                Text::new(
                    "Use another volume: emptyDir, configMap, secret or persistentVolumeClaim.",
                    "Prenez un autre volume : emptyDir, configMap, secret ou persistentVolumeClaim.",
                ),
            ),
            Self::HostPorts => (
                Text::new(
                    "hostPort, which opens a port on the node itself",
                    "hostPort, qui ouvre un port sur le nœud lui-même",
                ),
                Text::new(
                    "Remove hostPort and reach the pods through a Service (containerPort stays).",
                    "Retirez hostPort et joignez les pods par un Service (containerPort reste).",
                ),
            ),
            Self::ProbeHost => (
                Text::new(
                    "probes and lifecycle hooks that call another host",
                    "les sondes et crochets de cycle de vie qui appellent un autre hôte",
                ),
                Text::new(
                    "Remove host: the check then calls the pod's own address.",
                    "Retirez host : la vérification appelle alors l'adresse du pod lui-même.",
                ),
            ),
            Self::AppArmor => (
                Text::new(
                    "AppArmor profiles other than the runtime's default or a profile of the node",
                    "les profils AppArmor autres que celui par défaut du runtime ou un profil du nœud",
                ),
                Text::new(
                    "Remove it, or use the type RuntimeDefault.",
                    "Retirez-le, ou prenez le type RuntimeDefault.",
                ),
            ),
            Self::SeLinux => (
                Text::new(
                    "custom SELinux options (a user, a role, or a type other than container_t and its kin)",
                    "les options SELinux sur mesure (un user, un role, ou un type autre que container_t et ses proches)",
                ),
                Text::new(
                    "Remove seLinuxOptions: the runtime's own are used.",
                    "Retirez seLinuxOptions : celles du runtime s'appliquent.",
                ),
            ),
            Self::ProcMount => (
                Text::new(
                    "an unmasked /proc (procMount other than Default)",
                    "un /proc non masqué (procMount autre que Default)",
                ),
                Text::new(
                    "Remove procMount, or set it to Default.",
                    "Retirez procMount, ou mettez Default.",
                ),
            ),
            Self::Seccomp => (
                Text::new(
                    "turning seccomp off (only RuntimeDefault and Localhost profiles are allowed)",
                    "la désactivation de seccomp (seuls les profils RuntimeDefault et Localhost sont permis)",
                ),
                Text::new(
                    "Use the type RuntimeDefault, or remove seccompProfile.",
                    "Prenez le type RuntimeDefault, ou retirez seccompProfile.",
                ),
            ),
            Self::Sysctls => (
                Text::new(
                    "sysctls that reach beyond the pod",
                    "les sysctls qui portent au-delà du pod",
                ),
                Text::new(
                    format!(
                        "Remove this sysctl; only {} may be set.",
                        SYSCTLS.join(", ")
                    ),
                    format!(
                        "Retirez ce sysctl ; seuls {} peuvent être réglés.",
                        SYSCTLS.join(", ")
                    ),
                ),
            ),
        }
    }
}
