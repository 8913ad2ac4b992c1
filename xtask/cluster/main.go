// Command kubefiche-cluster is one multi-call binary holding every program of
// the local control plane, so that the Go toolchain compiles and links the
// shared Kubernetes code once. The first argument picks the program, or the
// name it is called by when that is a program's (a `kubectl` symlink to this
// binary is kubectl).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// programs maps a subcommand name to its entry point. Each entry point reads
// its own arguments from os.Args[1:], exactly as the upstream binary would.
var programs = map[string]func() int{
	"etcd":                    runEtcd,
	"kube-apiserver":          runAPIServer,
	"kube-controller-manager": runControllerManager,
	"kube-scheduler":          runScheduler,
	"kubelet-api":             runKubeletAPI,
	"kubectl":                 runKubectl,
	"kwok":                    runKwok,
	"pki":                     runPKI,
	"pod-setup":               runPodSetup,
	"provisioner":             runProvisioner,
}

func main() {
	// Called through a link named after a program: the arguments are all that program's.
	if run, ok := programs[filepath.Base(os.Args[0])]; ok {
		os.Exit(run())
	}
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	name := os.Args[1]
	run, ok := programs[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "kubefiche-cluster: unknown program %q\n", name)
		usage()
		os.Exit(2)
	}
	// Present the upstream command with the argv it expects: its own name first.
	os.Args = append([]string{name}, os.Args[2:]...)
	os.Exit(run())
}

func usage() {
	names := make([]string, 0, len(programs))
	for n := range programs {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(os.Stderr, "usage: kubefiche-cluster <%s> [args...]\n", strings.Join(names, "|"))
}
