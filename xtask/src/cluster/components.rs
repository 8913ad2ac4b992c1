//! The command lines of the control-plane processes, in start order.

use std::path::Path;

use super::Layout;
use super::ports::Ports;

/// One background process of the cluster.
pub struct Component {
    /// Name used for the pid and log files, and the subcommand of the multi-call binary.
    pub name: &'static str,
    /// The loopback port it serves on (for `status`).
    pub port: u16,
    pub args: Vec<String>,
}

/// The nodes kwok plays, and whose pods `pod-setup` prepares: those with this annotation.
const SIMULATED_NODES: &str = "kwok.x-k8s.io/node=fake";

fn p(path: &Path) -> String {
    path.display().to_string()
}

/// Every component, in the order they must start (and the reverse of how they stop).
pub fn all(layout: &Layout, ports: &Ports) -> Vec<Component> {
    let pki = &layout.pki;
    let kubeconfig = |who: &str| p(&pki.join(format!("{who}.kubeconfig")));
    let etcd_url = format!("http://127.0.0.1:{}", ports.etcd);
    let peer_url = format!("http://127.0.0.1:{}", ports.etcd_peer);
    let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();

    let mut etcd = owned(&[
        "--name=kubefiche",
        "--log-level=warn",
        "--quota-backend-bytes=536870912",
    ]);
    etcd.extend([
        format!("--data-dir={}", p(&layout.etcd_data)),
        format!("--listen-client-urls={etcd_url}"),
        format!("--advertise-client-urls={etcd_url}"),
        format!("--listen-peer-urls={peer_url}"),
        format!("--initial-advertise-peer-urls={peer_url}"),
        format!("--initial-cluster=kubefiche={peer_url}"),
        // A throw-away learning cluster: skip fsync, it makes every write much cheaper here.
        "--unsafe-no-fsync=true".to_owned(),
        "--auto-compaction-retention=10m".to_owned(),
        "--auto-compaction-mode=periodic".to_owned(),
    ]);

    let mut apiserver = owned(&[
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction",
        "--allow-privileged=true",
        "--service-cluster-ip-range=10.96.0.0/16",
        "--service-node-port-range=30000-32767",
        // The advertise address is loopback, which EndpointSlices refuse: keep the
        // `kubernetes` Service without endpoints rather than log an error every 10 s.
        "--endpoint-reconciler-type=none",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--profiling=false",
        "--event-ttl=1h",
    ]);
    apiserver.extend([
        format!("--etcd-servers={etcd_url}"),
        format!("--secure-port={}", ports.apiserver),
        format!("--tls-cert-file={}", p(&pki.join("apiserver.crt"))),
        format!("--tls-private-key-file={}", p(&pki.join("apiserver.key"))),
        format!("--client-ca-file={}", p(&pki.join("ca.crt"))),
        format!("--service-account-key-file={}", p(&pki.join("sa.pub"))),
        format!(
            "--service-account-signing-key-file={}",
            p(&pki.join("sa.key"))
        ),
        // `kubectl logs` and `exec` reach the simulated nodes' kubelet API (`kubelet-api`) at
        // their InternalIP (127.0.0.1) over TLS, each side checking the other's certificate.
        "--kubelet-preferred-address-types=InternalIP".to_owned(),
        format!(
            "--kubelet-client-certificate={}",
            p(&pki.join("apiserver-kubelet-client.crt"))
        ),
        format!(
            "--kubelet-client-key={}",
            p(&pki.join("apiserver-kubelet-client.key"))
        ),
        format!("--kubelet-certificate-authority={}", p(&pki.join("ca.crt"))),
    ]);

    let kcm_conf = kubeconfig("controller-manager");
    let mut controller_manager = owned(&[
        "--bind-address=127.0.0.1",
        "--leader-elect=false",
        "--use-service-account-credentials=true",
        "--cluster-name=kubefiche",
        "--controllers=*",
        "--profiling=false",
    ]);
    controller_manager.extend([
        format!("--secure-port={}", ports.controller_manager),
        format!("--kubeconfig={kcm_conf}"),
        format!("--authentication-kubeconfig={kcm_conf}"),
        format!("--authorization-kubeconfig={kcm_conf}"),
        format!(
            "--service-account-private-key-file={}",
            p(&pki.join("sa.key"))
        ),
        format!("--root-ca-file={}", p(&pki.join("ca.crt"))),
        format!("--cluster-signing-cert-file={}", p(&pki.join("ca.crt"))),
        format!("--cluster-signing-key-file={}", p(&pki.join("ca.key"))),
    ]);

    let sched_conf = kubeconfig("scheduler");
    let mut scheduler = owned(&[
        "--bind-address=127.0.0.1",
        "--leader-elect=false",
        "--profiling=false",
    ]);
    scheduler.extend([
        format!("--secure-port={}", ports.scheduler),
        format!("--kubeconfig={sched_conf}"),
        format!("--authentication-kubeconfig={sched_conf}"),
        format!("--authorization-kubeconfig={sched_conf}"),
    ]);

    let mut kwok = owned(&[
        "--manage-all-nodes=false",
        "--cidr=10.244.0.0/16",
        // Where the API server finds a node's kubelet: `kubelet-api`, on loopback.
        "--node-ip=127.0.0.1",
        "--node-lease-duration-seconds=40",
        "--v=WARN",
    ]);
    kwok.extend([
        format!("--manage-nodes-with-annotation-selector={SIMULATED_NODES}"),
        format!("--kubeconfig={}", kubeconfig("kwok")),
        format!("--config={}", p(&layout.go_module.join("stages.yaml"))),
        format!("--server-address=127.0.0.1:{}", ports.kwok),
        format!("--node-port={}", ports.kubelet),
    ]);

    let kubelet_api = vec![
        format!("--address=127.0.0.1:{}", ports.kubelet),
        format!("--tls-cert-file={}", p(&pki.join("kubelet-serving.crt"))),
        format!(
            "--tls-private-key-file={}",
            p(&pki.join("kubelet-serving.key"))
        ),
        format!("--client-ca-file={}", p(&pki.join("ca.crt"))),
        format!("--kubeconfig={}", kubeconfig("kubelet")),
        format!("--config={}", p(&layout.go_module.join("plumbing.yaml"))),
        format!("--dir={}", p(&layout.plumbing)),
    ];

    // Checks a pod's volumes and container configuration as a kubelet would, before kwok
    // starts it (`xtask/cluster/podsetup.go`).
    let pod_setup = vec![
        format!("--kubeconfig={}", kubeconfig("pod-setup")),
        format!("--manage-nodes-with-annotation-selector={SIMULATED_NODES}"),
    ];

    let provisioner = vec![
        format!("--kubeconfig={}", kubeconfig("provisioner")),
        format!("--volumes-dir={}", p(&layout.volumes)),
        format!("--name={}", super::objects::PROVISIONER),
    ];

    vec![
        Component {
            name: "etcd",
            port: ports.etcd,
            args: etcd,
        },
        Component {
            name: "kube-apiserver",
            port: ports.apiserver,
            args: apiserver,
        },
        Component {
            name: "kube-controller-manager",
            port: ports.controller_manager,
            args: controller_manager,
        },
        Component {
            name: "kube-scheduler",
            port: ports.scheduler,
            args: scheduler,
        },
        Component {
            name: "kwok",
            port: ports.kwok,
            args: kwok,
        },
        Component {
            name: "kubelet-api",
            port: ports.kubelet,
            args: kubelet_api,
        },
        Component {
            name: "pod-setup",
            port: 0,
            args: pod_setup,
        },
        Component {
            name: "provisioner",
            port: 0,
            args: provisioner,
        },
    ]
}
