package main

// The `pki` subcommand: a certificate authority, the serving certificates of
// the API server and of the simulated nodes' kubelet API, the API server's
// client certificate for that kubelet API, one client certificate and
// kubeconfig per component, and the service-account signing key pair. Existing files are kept, so a second run
// only rewrites the kubeconfigs (e.g. when the port changed).

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// client is one identity that talks to the API server.
type client struct {
	file   string // base name of the .crt/.key/.kubeconfig files
	cn     string
	groups []string
}

var clients = []client{
	{"admin", "kubefiche-admin", []string{"system:masters"}},
	{"controller-manager", "system:kube-controller-manager", nil},
	{"scheduler", "system:kube-scheduler", nil},
	// kwok and pod-setup play every kubelet at once and the provisioner creates
	// volumes: they need more than the node authorizer would give one node, so
	// they are admins.
	{"kwok", "kubefiche-kwok", []string{"system:masters"}},
	{"pod-setup", "kubefiche-pod-setup", []string{"system:masters"}},
	{"provisioner", "kubefiche-provisioner", []string{"system:masters"}},
	// The kubelet API asks the API server whether a caller may use it
	// (SubjectAccessReview): bound to system:auth-delegator, nothing more.
	{"kubelet", "kubefiche-kubelet", nil},
}

// KubeletClientUser is who the API server is to the kubelet API; it is bound to
// system:kubelet-api-admin (xtask creates the binding).
const KubeletClientUser = "kube-apiserver-kubelet-client"

func runPKI() int {
	fs := flag.NewFlagSet("pki", flag.ContinueOnError)
	dir := fs.String("dir", "", "folder for the certificates and kubeconfigs")
	server := fs.String("server", "", "API server URL written into the kubeconfigs")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}
	if *dir == "" || *server == "" {
		fmt.Fprintln(os.Stderr, "pki: --dir and --server are required")
		return 2
	}
	if err := writePKI(*dir, *server); err != nil {
		fmt.Fprintf(os.Stderr, "pki: %v\n", err)
		return 1
	}
	return 0
}

func writePKI(dir, server string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	caCert, caKey, err := loadOrCreateCA(dir)
	if err != nil {
		return fmt.Errorf("certificate authority: %w", err)
	}
	serving := &x509.Certificate{
		Subject:     pkix.Name{CommonName: "kube-apiserver"},
		DNSNames:    []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.96.0.1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if err := issueIfMissing(dir, "apiserver", serving, caCert, caKey); err != nil {
		return fmt.Errorf("apiserver certificate: %w", err)
	}
	// Every simulated node's address is 127.0.0.1, where the one kubelet API listens.
	kubeletServing := &x509.Certificate{
		Subject:     pkix.Name{CommonName: "kubefiche-kubelet-api"},
		DNSNames:    []string{"localhost", "kwok-node-0", "kwok-node-1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if err := issueIfMissing(dir, "kubelet-serving", kubeletServing, caCert, caKey); err != nil {
		return fmt.Errorf("kubelet serving certificate: %w", err)
	}
	kubeletClient := &x509.Certificate{
		Subject:     pkix.Name{CommonName: KubeletClientUser},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if err := issueIfMissing(dir, "apiserver-kubelet-client", kubeletClient, caCert, caKey); err != nil {
		return fmt.Errorf("apiserver's kubelet client certificate: %w", err)
	}
	for _, c := range clients {
		tmpl := &x509.Certificate{
			Subject:     pkix.Name{CommonName: c.cn, Organization: c.groups},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		}
		if err := issueIfMissing(dir, c.file, tmpl, caCert, caKey); err != nil {
			return fmt.Errorf("%s certificate: %w", c.file, err)
		}
		if err := writeKubeconfig(dir, c.file, server); err != nil {
			return fmt.Errorf("%s kubeconfig: %w", c.file, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "sa.key")); os.IsNotExist(err) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return err
		}
		if err := writeKey(filepath.Join(dir, "sa.key"), key); err != nil {
			return err
		}
		pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
		if err != nil {
			return err
		}
		if err := writePEM(filepath.Join(dir, "sa.pub"), "PUBLIC KEY", pub, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func loadOrCreateCA(dir string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	crtPath, keyPath := filepath.Join(dir, "ca.crt"), filepath.Join(dir, "ca.key")
	if crtPEM, err := os.ReadFile(crtPath); err == nil {
		keyPEM, err := os.ReadFile(keyPath)
		if err != nil {
			return nil, nil, err
		}
		cb, _ := pem.Decode(crtPEM)
		kb, _ := pem.Decode(keyPEM)
		if cb == nil || kb == nil {
			return nil, nil, fmt.Errorf("%s or %s is not PEM; delete the folder to start over", crtPath, keyPath)
		}
		crt, err := x509.ParseCertificate(cb.Bytes)
		if err != nil {
			return nil, nil, err
		}
		key, err := x509.ParseECPrivateKey(kb.Bytes)
		return crt, key, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "kubefiche-local-ca"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	if err := writeKey(keyPath, key); err != nil {
		return nil, nil, err
	}
	if err := writePEM(crtPath, "CERTIFICATE", der, 0o644); err != nil {
		return nil, nil, err
	}
	crt, err := x509.ParseCertificate(der)
	return crt, key, err
}

func issueIfMissing(dir, name string, tmpl, ca *x509.Certificate, caKey *ecdsa.PrivateKey) error {
	crtPath := filepath.Join(dir, name+".crt")
	if _, err := os.Stat(crtPath); err == nil {
		return nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl.SerialNumber = serial()
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().AddDate(5, 0, 0)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	if err := writeKey(filepath.Join(dir, name+".key"), key); err != nil {
		return err
	}
	return writePEM(crtPath, "CERTIFICATE", der, 0o644)
}

func writeKubeconfig(dir, name, server string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	text := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: kubefiche-local
  cluster:
    server: %s
    certificate-authority: %s
users:
- name: %s
  user:
    client-certificate: %s
    client-key: %s
contexts:
- name: kubefiche-local
  context:
    cluster: kubefiche-local
    user: %s
    namespace: default
current-context: kubefiche-local
`, server, filepath.Join(abs, "ca.crt"), name, filepath.Join(abs, name+".crt"), filepath.Join(abs, name+".key"), name)
	return os.WriteFile(filepath.Join(dir, name+".kubeconfig"), []byte(text), 0o600)
}

func writeKey(path string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	return writePEM(path, "EC PRIVATE KEY", der, 0o600)
}

func writePEM(path, kind string, der []byte, mode os.FileMode) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), mode)
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n
}
