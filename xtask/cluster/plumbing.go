package main

// What the `kubelet-api` subcommand serves: container logs and exec for the
// simulated pods that plumbing.yaml opts in (by namespace), through kwok's own
// executor, and a plain refusal for every other pod.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apiserver/pkg/util/flushwriter"
	"k8s.io/cri-streaming/pkg/streaming/remotecommand"
	corev1conversion "k8s.io/kubernetes/pkg/apis/core/v1"
	utilexec "k8s.io/utils/exec"

	"sigs.k8s.io/kwok/pkg/apis/internalversion"
	kwokconfig "sigs.k8s.io/kwok/pkg/config"
	kwokserver "sigs.k8s.io/kwok/pkg/kwok/server"
)

const (
	// plumbingLogFile is written at every start, in the CRI log format a kubelet reads;
	// plumbing.yaml's ClusterLogs names it.
	plumbingLogFile = "container.log"
	// execWorkDir is where an opted-in exec runs: emptied at every start.
	execWorkDir = "exec"
	// streamIdleTimeout ends an exec session nobody types into.
	streamIdleTimeout = time.Hour
)

// plumbingLogLines are the lines `kubectl logs` prints for an opted-in pod (the cluster's
// tests expect exactly these).
var plumbingLogLines = []string{
	"kubefiche plumbing: first line",
	"kubefiche plumbing: second line",
	"kubefiche plumbing: third line",
}

// preparePlumbingDir writes the log file (one second apart, ending now) and an empty work dir.
func preparePlumbingDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	work := filepath.Join(dir, execWorkDir)
	if err := os.RemoveAll(work); err != nil {
		return err
	}
	if err := os.Mkdir(work, 0o700); err != nil {
		return err
	}
	var b strings.Builder
	now := time.Now().UTC()
	for i, line := range plumbingLogLines {
		at := now.Add(-time.Duration(len(plumbingLogLines)-1-i) * time.Second)
		fmt.Fprintf(&b, "%s stdout F %s\n", at.Format(time.RFC3339Nano), line)
	}
	return os.WriteFile(filepath.Join(dir, plumbingLogFile), []byte(b.String()), 0o600)
}

// minimalEnv leaves the process (and so every command exec runs) only PATH, HOME and LANG.
func minimalEnv(home string) {
	os.Clearenv()
	_ = os.Setenv("PATH", "/usr/local/bin:/usr/bin:/bin")
	_ = os.Setenv("HOME", home)
	_ = os.Setenv("LANG", "C.UTF-8")
}

// plumbing answers the kubelet's logs and exec endpoints.
type plumbing struct {
	kwok  *kwokserver.Server
	logs  []*internalversion.ClusterLogs
	execs []*internalversion.ClusterExec
}

// newPlumbing takes the ClusterLogs and ClusterExec objects of the configuration; each must
// select by namespace, so that no rule ever matches every pod.
func newPlumbing(objs []kwokconfig.InternalObject) (*plumbing, error) {
	logs := kwokconfig.FilterWithType[*internalversion.ClusterLogs](objs)
	execs := kwokconfig.FilterWithType[*internalversion.ClusterExec](objs)
	if len(logs) == 0 || len(execs) == 0 {
		return nil, errors.New("expected at least one ClusterLogs and one ClusterExec")
	}
	for _, l := range logs {
		if l.Spec.Selector == nil || len(l.Spec.Selector.MatchNamespaces) == 0 {
			return nil, fmt.Errorf("ClusterLogs %q must select pods by matchNamespaces", l.Name)
		}
	}
	for _, e := range execs {
		if e.Spec.Selector == nil || len(e.Spec.Selector.MatchNamespaces) == 0 {
			return nil, fmt.Errorf("ClusterExec %q must select pods by matchNamespaces", e.Name)
		}
	}
	svc, err := kwokserver.NewServer(kwokserver.Config{ClusterLogs: logs, ClusterExecs: execs})
	if err != nil {
		return nil, err
	}
	return &plumbing{kwok: svc, logs: logs, execs: execs}, nil
}

// namespaces lists the opted-in namespaces (for the start-up line of the log).
func (p *plumbing) namespaces() []string {
	var out []string
	for _, e := range p.execs {
		out = append(out, e.Spec.Selector.MatchNamespaces...)
	}
	for _, l := range p.logs {
		out = append(out, l.Spec.Selector.MatchNamespaces...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (p *plumbing) logsFor(pod, namespace string) bool {
	return slices.ContainsFunc(p.logs, func(l *internalversion.ClusterLogs) bool {
		return l.Spec.Selector.Match(pod, namespace)
	})
}

// execTarget is the local exec rule for a pod's container, if the pod opted in.
func (p *plumbing) execTarget(pod, namespace, container string) *internalversion.ExecTargetLocal {
	for _, e := range p.execs {
		if !e.Spec.Selector.Match(pod, namespace) {
			continue
		}
		for _, t := range e.Spec.Execs {
			if t.Local != nil && (len(t.Containers) == 0 || slices.Contains(t.Containers, container)) {
				return t.Local
			}
		}
	}
	return nil
}

func (p *plumbing) containerLogs(w http.ResponseWriter, r *http.Request) {
	ns, pod, container := r.PathValue("namespace"), r.PathValue("pod"), r.PathValue("container")
	if !p.logsFor(pod, ns) {
		http.Error(w, fmt.Sprintf("%s: there are no logs of container %q in pod %s/%s", containersDoNotRun, container, ns, pod), http.StatusBadRequest)
		return
	}
	query := r.URL.Query()
	var opts corev1.PodLogOptions
	if err := corev1conversion.Convert_url_Values_To_v1_PodLogOptions(&query, &opts, nil); err != nil {
		http.Error(w, fmt.Sprintf("reading the log options: %v", err), http.StatusBadRequest)
		return
	}
	if opts.Previous {
		// A simulated container never restarts.
		http.Error(w, fmt.Sprintf("previous terminated container %q in pod %s/%s not found", container, ns, pod), http.StatusBadRequest)
		return
	}
	out := flushwriter.Wrap(w)
	if err := p.kwok.GetContainerLogs(r.Context(), pod, ns, container, &opts, out, out); err != nil && r.Context().Err() == nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
	}
}

func (p *plumbing) exec(w http.ResponseWriter, r *http.Request) {
	ns, pod, container := r.PathValue("namespace"), r.PathValue("pod"), r.PathValue("container")
	if p.execTarget(pod, ns, container) == nil {
		http.Error(w, fmt.Sprintf("%s: nothing to run a command in, in container %q of pod %s/%s", containersDoNotRun, container, ns, pod), http.StatusBadRequest)
		return
	}
	command := r.URL.Query()["command"]
	if len(command) == 0 {
		http.Error(w, "no command given", http.StatusBadRequest)
		return
	}
	opts, err := remotecommand.NewOptions(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// The executor's name is "pod/namespace", as kwok's own server passes it.
	remotecommand.ServeExec(w, r, executor{p}, pod+"/"+ns, r.PathValue("uid"), container, command,
		opts, streamIdleTimeout, remotecommand.DefaultStreamCreationTimeout, remotecommand.SupportedStreamingProtocols)
}

// executor runs a command for an opted-in pod. With a terminal it is kwok's own (a pty);
// without one it runs the command itself, because kwok's never closes the command's stdin
// (`kubectl exec -i … -- cat` would never end). Either way a command's exit status reaches
// kubectl as the exit code it expects.
type executor struct{ p *plumbing }

func (e executor) ExecInContainer(ctx context.Context, name, uid, container string, cmd []string,
	in io.Reader, out, errOut io.WriteCloser, tty bool, resize <-chan remotecommand.TerminalSize, timeout time.Duration,
) error {
	if tty {
		return exitStatus(e.p.kwok.ExecInContainer(ctx, name, uid, container, cmd, in, out, errOut, tty, resize, timeout))
	}
	pod, namespace, _ := strings.Cut(name, "/")
	target := e.p.execTarget(pod, namespace, container)
	if target == nil {
		return fmt.Errorf("%s: pod %s/%s did not opt in", containersDoNotRun, namespace, pod)
	}
	c := exec.CommandContext(ctx, cmd[0], cmd[1:]...)
	c.Dir = target.WorkDir
	c.Env = os.Environ()
	for _, env := range target.Envs {
		c.Env = append(c.Env, env.Name+"="+env.Value)
	}
	if out != nil {
		c.Stdout = out
	}
	if errOut != nil {
		c.Stderr = errOut
	}
	// Output a background process keeps open must not hold the session forever.
	c.WaitDelay = 2 * time.Second
	var stdin io.WriteCloser
	if in != nil {
		pipe, err := c.StdinPipe()
		if err != nil {
			return err
		}
		stdin = pipe
	}
	if err := c.Start(); err != nil {
		return err
	}
	if stdin != nil {
		// The command sees end of input when the client closes its stdin.
		go func() {
			_, _ = io.Copy(stdin, in)
			_ = stdin.Close()
		}()
	}
	err := c.Wait()
	if errors.Is(err, exec.ErrWaitDelay) {
		// The command exited well; only its output was still held open.
		err = nil
	}
	return exitStatus(err)
}

// exitStatus turns a command's non-zero exit into the error type that makes the streaming
// server report the exit code (kwok wraps it, which hides it).
func exitStatus(err error) error {
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) && exitErr.Exited() {
		return utilexec.CodeExitError{Err: err, Code: exitErr.ExitCode()}
	}
	return err
}
