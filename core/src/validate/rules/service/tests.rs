//! Service rules, each case checked against kube-apiserver 1.36.1 (dry run and real create).

use super::ip::{cidr_ok, parse_ip};
use crate::diagnostic::Severity;
use crate::validate::rules::shared::tests::{errors, found};

fn svc(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n{spec}")
}

const PORTS: &str = "  ports:\n  - port: 80\n";

#[test]
fn a_service_needs_a_spec() {
    errors(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n",
        &[("missing-ports", 2)],
    );
}

#[test]
fn node_ports() {
    // Refused only by the real create, with the range in the message.
    errors(
        &svc("  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 8080\n"),
        &[("node-port-range", 9)],
    );
    errors(
        &svc("  ports:\n  - port: 80\n    nodePort: 30080\n"),
        &[("node-port-type", 8)],
    );
    // Accepted (and unused) on an ExternalName Service.
    errors(
        &svc(
            "  type: ExternalName\n  externalName: db.example.com\n  ports:\n  - port: 80\n    nodePort: 30080\n",
        ),
        &[],
    );
    errors(
        &svc(
            "  type: NodePort\n  ports:\n  - {port: 80, name: a, nodePort: 30123}\n  - {port: 81, name: b, nodePort: 30123}\n",
        ),
        &[("duplicate-port", 9)],
    );
    errors(&svc("  ports:\n  - port: 80\n    targetPort: 0\n"), &[]);
}

#[test]
fn port_names_and_app_protocol() {
    errors(
        &svc("  ports: [{port: 80, name: HTTP}]\n"),
        &[("invalid-port-name", 6)],
    );
    errors(
        &svc("  ports: [{port: 80, name: abcdefghijklmnopqrstu}]\n"),
        &[],
    );
    errors(
        &svc("  ports:\n  - port: 80\n    appProtocol: 'http 2'\n"),
        &[("invalid-value", 8)],
    );
}

#[test]
fn cluster_ips() {
    errors(
        &svc(&format!("  clusterIP: 10.96.0.050\n{PORTS}")),
        &[("invalid-ip", 6)],
    );
    errors(
        &svc(&format!("  clusterIPs: [10.96.5.5]\n{PORTS}")),
        &[("cluster-ips", 6)],
    );
    errors(
        &svc(&format!(
            "  clusterIP: None\n  clusterIPs: [None, 10.96.0.9]\n{PORTS}"
        )),
        &[("cluster-ips", 7)],
    );
    errors(&svc(&format!("  clusterIP: 10.96.0.20\n{PORTS}")), &[]);
    // IPv6 on an IPv4-only cluster: refused there, fine on a dual-stack one.
    let v6 = svc(&format!("  clusterIP: 2001:db8::1\n{PORTS}"));
    errors(&v6, &[]);
    assert_eq!(found(&v6, Severity::Warning), [("ip-family".to_owned(), 6)]);
    // Out of the bundled cluster's range: refused there, maybe not elsewhere.
    for ip in ["10.200.0.5", "10.96.0.0", "10.96.255.255", "10.96.0.1"] {
        let t = svc(&format!("  clusterIP: {ip}\n{PORTS}"));
        errors(&t, &[]);
        assert_eq!(
            found(&t, Severity::Warning),
            [("cluster-ip-range".to_owned(), 6)],
            "{ip}"
        );
    }
}

#[test]
fn families() {
    errors(
        &svc(&format!("  ipFamilies: [IPv4, IPv4]\n{PORTS}")),
        &[("ip-family", 6)],
    );
    errors(
        &svc(&format!("  ipFamilies: [ipv4]\n{PORTS}")),
        &[("ip-family", 6)],
    );
    let v6 = svc(&format!("  ipFamilies: [IPv6]\n{PORTS}"));
    errors(&v6, &[]);
    assert_eq!(found(&v6, Severity::Warning).len(), 1);
}

#[test]
fn external_name() {
    errors(
        &svc("  type: ExternalName\n  externalName: db.example.com\n  clusterIP: None\n"),
        &[("service-type-field", 8)],
    );
    errors(
        &svc(
            "  type: ExternalName\n  externalName: db.example.com\n  ipFamilyPolicy: SingleStack\n",
        ),
        &[("service-type-field", 8)],
    );
    errors(
        &svc("  type: ExternalName\n  externalName: http://db.example.com\n"),
        &[("external-name", 7)],
    );
    let ignored = svc(&format!("  externalName: db.example.com\n{PORTS}"));
    errors(&ignored, &[]);
    assert_eq!(
        found(&ignored, Severity::Warning),
        [("external-name".to_owned(), 6)]
    );
}

#[test]
fn fields_for_some_types() {
    errors(
        &svc(&format!("  externalTrafficPolicy: Local\n{PORTS}")),
        &[("service-type-field", 6)],
    );
    errors(
        &svc(&format!(
            "  type: NodePort\n  externalTrafficPolicy: Local\n{PORTS}"
        )),
        &[],
    );
    errors(
        &svc(&format!(
            "  type: NodePort\n  healthCheckNodePort: 30500\n{PORTS}"
        )),
        &[("service-type-field", 7)],
    );
    errors(
        &svc(&format!("  allocateLoadBalancerNodePorts: true\n{PORTS}")),
        &[("service-type-field", 6)],
    );
    errors(
        &svc(&format!(
            "  loadBalancerSourceRanges: [10.0.0.0/8]\n{PORTS}"
        )),
        &[("service-type-field", 6)],
    );
    errors(
        &svc(&format!("  loadBalancerClass: foo/bar\n{PORTS}")),
        &[("service-type-field", 6)],
    );
    errors(
        &svc(&format!(
            "  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.1/8]\n{PORTS}"
        )),
        &[("invalid-cidr", 7)],
    );
    errors(
        &svc(&format!(
            "  type: LoadBalancer\n  loadBalancerSourceRanges: [' 10.0.0.0/8 ']\n{PORTS}"
        )),
        &[],
    );
    errors(
        &svc(&format!("  externalIPs: [127.0.0.1]\n{PORTS}")),
        &[("invalid-ip", 6)],
    );
    errors(
        &svc(&format!(
            "  externalIPs: [192.0.2.10]\n  externalTrafficPolicy: Local\n{PORTS}"
        )),
        &[],
    );
}

#[test]
fn affinity_and_traffic() {
    errors(
        &svc(&format!(
            "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 0\n{PORTS}"
        )),
        &[("session-affinity", 9)],
    );
    // With None, the API server drops the config: accepted.
    errors(
        &svc(&format!(
            "  sessionAffinity: None\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 0\n{PORTS}"
        )),
        &[],
    );
    errors(
        &svc(&format!("  trafficDistribution: Nearby\n{PORTS}")),
        &[("invalid-value", 6)],
    );
    errors(
        &svc(&format!("  trafficDistribution: PreferSameZone\n{PORTS}")),
        &[],
    );
}

#[test]
fn addresses_are_read_strictly() {
    assert!(parse_ip("10.96.0.20").is_some() && parse_ip("2001:db8::1").is_some());
    for bad in [
        "10.96.0.050",
        "::ffff:10.0.0.1",
        "10.96.0",
        "fe80::1%eth0",
        " 10.0.0.1",
    ] {
        assert!(parse_ip(bad).is_none(), "{bad}");
    }
    assert!(
        cidr_ok("10.0.0.0/8")
            && cidr_ok("0.0.0.0/0")
            && cidr_ok("2001:db8::/64")
            && cidr_ok("10.0.0.1/32")
    );
    for bad in [
        "10.0.0.1/8",
        "10.0.0.0/08",
        "10.0.0.0/33",
        "10.0.0.0",
        "2001:db8::1/64",
    ] {
        assert!(!cidr_ok(bad), "{bad}");
    }
}

#[test]
fn service_annotations() {
    let with = |annotations: &str, spec: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n{annotations}spec:\n{spec}{PORTS}"
        )
    };
    errors(
        &with(
            "    service.kubernetes.io/topology-mode: Auto\n    service.kubernetes.io/topology-aware-hints: Disabled\n",
            "",
        ),
        &[("invalid-value", 6)],
    );
    let key = "    service.beta.kubernetes.io/load-balancer-source-ranges";
    errors(
        &with(&format!("{key}: 10.0.0.0/8\n"), ""),
        &[("service-type-field", 6)],
    );
    errors(
        &with(
            &format!("{key}: '10.0.0.0/8, 10.0.0.1/8'\n"),
            "  type: LoadBalancer\n",
        ),
        &[("invalid-cidr", 6)],
    );
    errors(
        &with(
            &format!("{key}: '10.0.0.0/8, 192.168.0.0/16'\n"),
            "  type: LoadBalancer\n",
        ),
        &[],
    );
}

#[test]
fn address_warnings() {
    let t = svc(&format!(
        "  clusterIP: None\n  loadBalancerIP: 10.0.0.1\n  externalIPs: [192.0.2.10]\n{PORTS}"
    ));
    errors(&t, &[]);
    assert_eq!(
        found(&t, Severity::Warning),
        [("invalid-ip".to_owned(), 7), ("invalid-ip".to_owned(), 8)]
    );
    let v6 = svc(&format!("  externalIPs: ['2001:DB8:0:0::1']\n{PORTS}"));
    errors(&v6, &[]);
    assert_eq!(
        found(&v6, Severity::Warning).len(),
        2,
        "deprecated and not canonical"
    );
}
