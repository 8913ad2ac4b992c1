package main

// The `kubelet-api` subcommand: the kubelet API of the simulated nodes, as far
// as the API server needs it for `kubectl logs` and `kubectl exec`.
//
// kwok (the `kwok` subcommand) plays the nodes' lifecycle; its own HTTP server
// also has kubelet endpoints, but it takes no client certificate and answers
// plain HTTP on the same port, so anything on this machine (a web page
// included, through a WebSocket to 127.0.0.1) could run commands through it.
// This server serves the same two endpoints with kwok's executor and kwok's
// ClusterLogs/ClusterExec configuration (plumbing.yaml), but only over TLS to
// a client whose certificate our CA signed, and only for what that client may
// do on nodes/proxy (a SubjectAccessReview, as a kubelet asks). Every other
// kubelet path answers 404.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	kwokconfig "sigs.k8s.io/kwok/pkg/config"
	"sigs.k8s.io/kwok/pkg/utils/signals"
)

// containersDoNotRun opens every refusal: what a learner sees on an ordinary pod.
const containersDoNotRun = "containers do not run on kubefiche's simulated nodes"

func runKubeletAPI() int {
	fs := flag.NewFlagSet("kubelet-api", flag.ContinueOnError)
	address := fs.String("address", "", "host:port to serve on (TLS only)")
	certFile := fs.String("tls-cert-file", "", "serving certificate")
	keyFile := fs.String("tls-private-key-file", "", "serving key")
	clientCA := fs.String("client-ca-file", "", "CA whose client certificates are accepted")
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig for SubjectAccessReviews")
	config := fs.String("config", "", "kwok ClusterLogs/ClusterExec objects (paths relative to --dir)")
	dir := fs.String("dir", "", "folder for the test log file and the exec work dir")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}
	for name, v := range map[string]string{"address": *address, "tls-cert-file": *certFile,
		"tls-private-key-file": *keyFile, "client-ca-file": *clientCA, "kubeconfig": *kubeconfig,
		"config": *config, "dir": *dir} {
		if v == "" {
			fmt.Fprintf(os.Stderr, "kubelet-api: --%s is required\n", name)
			return 2
		}
	}
	if err := serveKubeletAPI(*address, *certFile, *keyFile, *clientCA, *kubeconfig, *config, *dir); err != nil {
		fmt.Fprintf(os.Stderr, "kubelet-api: %v\n", err)
		return 1
	}
	return 0
}

func serveKubeletAPI(address, certFile, keyFile, clientCA, kubeconfig, config, dir string) error {
	// Resolve every path before moving into the plumbing folder.
	paths := []*string{&certFile, &keyFile, &clientCA, &kubeconfig, &config, &dir}
	for _, p := range paths {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	if err := preparePlumbingDir(dir); err != nil {
		return fmt.Errorf("preparing %s: %w", dir, err)
	}
	// Relative paths of plumbing.yaml (log file, work dir) are relative to dir, and what
	// exec runs inherits a minimal environment, not the cluster's.
	if err := os.Chdir(dir); err != nil {
		return err
	}
	ctx := signals.SetupSignalContext()
	objs, err := kwokconfig.Load(ctx, config)
	if err != nil {
		return fmt.Errorf("loading %s: %w", config, err)
	}
	plumbing, err := newPlumbing(objs)
	if err != nil {
		return fmt.Errorf("%s: %w", config, err)
	}
	minimalEnv(filepath.Join(dir, execWorkDir))

	client, err := clientFor(kubeconfig)
	if err != nil {
		return err
	}
	caPEM, err := os.ReadFile(clientCA)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return fmt.Errorf("%s holds no certificate", clientCA)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /containerLogs/{namespace}/{pod}/{container}", plumbing.containerLogs)
	mux.HandleFunc("/exec/{namespace}/{pod}/{container}", plumbing.exec)
	mux.HandleFunc("/exec/{namespace}/{pod}/{uid}/{container}", plumbing.exec)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, fmt.Sprintf("%s: the simulated node does not serve %s", containersDoNotRun, r.URL.Path), http.StatusNotFound)
	})
	server := &http.Server{
		Addr:              address,
		Handler:           authorized(client, mux),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
			ClientAuth: tls.RequireAndVerifyClientCert,
			ClientCAs:  pool,
			// Exec upgrades the connection (SPDY or WebSocket): HTTP/1.1 only.
			NextProtos: []string{"http/1.1"},
		},
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	fmt.Fprintf(os.Stderr, "kubelet-api: serving logs and exec on https://%s for %v\n", address, plumbing.namespaces())
	if err := server.ListenAndServeTLS(certFile, keyFile); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// authorized lets a request through when its client certificate's user may use the kubelet
// API: `get` (GET) or `create` (other methods) on nodes/proxy, as a kubelet with webhook
// authorization asks the API server.
func authorized(client kubernetes.Interface, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
			http.Error(w, "a client certificate is required", http.StatusUnauthorized)
			return
		}
		subject := r.TLS.PeerCertificates[0].Subject
		verb := "create"
		if r.Method == http.MethodGet {
			verb = "get"
		}
		review := &authorizationv1.SubjectAccessReview{
			Spec: authorizationv1.SubjectAccessReviewSpec{
				User:   subject.CommonName,
				Groups: subject.Organization,
				ResourceAttributes: &authorizationv1.ResourceAttributes{
					Verb:        verb,
					Resource:    "nodes",
					Subresource: "proxy",
				},
			},
		}
		result, err := client.AuthorizationV1().SubjectAccessReviews().Create(r.Context(), review, metav1.CreateOptions{})
		if err != nil {
			http.Error(w, fmt.Sprintf("checking the permission of %q: %v", subject.CommonName, err), http.StatusInternalServerError)
			return
		}
		if !result.Status.Allowed {
			http.Error(w, fmt.Sprintf("user %q may not %s nodes/proxy", subject.CommonName, verb), http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}
