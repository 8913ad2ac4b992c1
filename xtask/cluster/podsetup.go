package main

// The `pod-setup` subcommand: the part of a kubelet that prepares a pod before
// its containers run, for the simulated nodes. kwok plays the rest of the
// kubelet (stages.yaml) but would start any pod; this controller first checks,
// as a kubelet does, that the pod's ConfigMap and Secret volumes can be set up
// and its containers created (env and envFrom references, runAsNonRoot), and
// writes the status and Warning events a kubelet writes when they cannot. It
// looks again whenever a ConfigMap or Secret of the namespace changes, so a
// pod starts once what it needs appears. It also plays the failures a pod asks
// for with the `kubefiche.dev/simulate` annotation (podsetup_failures.go): a
// refused image pull before the pod starts, a crash, an OOM kill or an
// eviction after.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	listerscorev1 "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/workqueue"
)

// retryEvery is how often a blocked pod is looked at again, and its Warning
// event repeated (the kubelet retries a pod about as often).
const retryEvery = 15 * time.Second

type podSetup struct {
	client      kubernetes.Interface
	nodes       listerscorev1.NodeLister
	pods        listerscorev1.PodLister
	configMaps  listerscorev1.ConfigMapLister
	secrets     listerscorev1.SecretLister
	managed     labels.Selector
	queue       workqueue.TypedRateLimitingInterface[string]
	broadcaster record.EventBroadcaster

	mu        sync.Mutex
	recorders map[string]record.EventRecorder // per node
	warned    map[types.UID]time.Time         // last Warning events of a blocked pod
	pulls     map[types.UID]*pullHistory      // failed pulls of a pod whose images fail
	unknown   map[types.UID]bool              // pods whose simulate annotation was reported unknown
}

func runPodSetup() int {
	fs := flag.NewFlagSet("pod-setup", flag.ContinueOnError)
	kubeconfig := fs.String("kubeconfig", "", "path to the kubeconfig of the cluster")
	selector := fs.String("manage-nodes-with-annotation-selector", "kwok.x-k8s.io/node=fake",
		"the simulated nodes, as kwok selects them")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}
	managed, err := labels.Parse(*selector)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pod-setup: --manage-nodes-with-annotation-selector: %v\n", err)
		return 2
	}
	client, err := clientFor(*kubeconfig)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pod-setup: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	factory := informers.NewSharedInformerFactory(client, 0)
	core := factory.Core().V1()
	p := &podSetup{
		client:      client,
		nodes:       core.Nodes().Lister(),
		pods:        core.Pods().Lister(),
		configMaps:  core.ConfigMaps().Lister(),
		secrets:     core.Secrets().Lister(),
		managed:     managed,
		queue:       workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]()),
		broadcaster: record.NewBroadcaster(),
		recorders:   map[string]record.EventRecorder{},
		warned:      map[types.UID]time.Time{},
		pulls:       map[types.UID]*pullHistory{},
		unknown:     map[types.UID]bool{},
	}
	defer p.queue.ShutDown()
	p.broadcaster.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: client.CoreV1().Events("")})
	defer p.broadcaster.Shutdown()

	podHandler := cache.ResourceEventHandlerFuncs{
		AddFunc:    p.enqueuePod,
		UpdateFunc: func(_, obj any) { p.enqueuePod(obj) },
		DeleteFunc: p.forgetPod,
	}
	// A ConfigMap or Secret appearing, changing or going: look again at the namespace's pods.
	objHandler := cache.ResourceEventHandlerFuncs{
		AddFunc:    p.enqueueNamespaceOf,
		UpdateFunc: func(_, obj any) { p.enqueueNamespaceOf(obj) },
		DeleteFunc: p.enqueueNamespaceOf,
	}
	for inf, h := range map[cache.SharedIndexInformer]cache.ResourceEventHandler{
		core.Pods().Informer():       podHandler,
		core.ConfigMaps().Informer(): objHandler,
		core.Secrets().Informer():    objHandler,
		core.Nodes().Informer():      cache.ResourceEventHandlerFuncs{},
	} {
		if _, err := inf.AddEventHandler(h); err != nil {
			fmt.Fprintf(os.Stderr, "pod-setup: handler: %v\n", err)
			return 1
		}
	}
	factory.Start(ctx.Done())
	factory.WaitForCacheSync(ctx.Done())
	fmt.Fprintf(os.Stderr, "pod-setup: preparing pods on the nodes annotated %s\n", managed)

	go func() {
		tick := time.NewTicker(retryEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				p.queue.ShutDown()
				return
			case <-tick.C:
				p.enqueueWaiting("")
			}
		}
	}()
	var workers sync.WaitGroup
	for range 2 {
		workers.Go(func() {
			for p.next(ctx) {
			}
		})
	}
	workers.Wait()
	return 0
}

// waitingForSetup: a pod bound to a node, not started and not being deleted.
func waitingForSetup(pod *corev1.Pod) bool {
	return pod.Spec.NodeName != "" && pod.DeletionTimestamp == nil &&
		(pod.Status.Phase == corev1.PodPending || pod.Status.Phase == "")
}

// failingOnceStarted: a running pod whose annotation asks it to crash or be evicted.
func failingOnceStarted(pod *corev1.Pod) bool {
	return pod.Spec.NodeName != "" && pod.DeletionTimestamp == nil &&
		pod.Status.Phase == corev1.PodRunning && simulationOf(pod).failsOnceStarted()
}

func (p *podSetup) enqueuePod(obj any) {
	if pod, ok := obj.(*corev1.Pod); ok && (waitingForSetup(pod) || failingOnceStarted(pod)) {
		p.queue.Add(pod.Namespace + "/" + pod.Name)
	}
}

func (p *podSetup) forgetPod(obj any) {
	if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	if pod, ok := obj.(*corev1.Pod); ok {
		p.mu.Lock()
		delete(p.warned, pod.UID)
		delete(p.pulls, pod.UID)
		delete(p.unknown, pod.UID)
		p.mu.Unlock()
	}
}

func (p *podSetup) enqueueNamespaceOf(obj any) {
	if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	if m, ok := obj.(metav1.Object); ok {
		p.enqueueWaiting(m.GetNamespace())
	}
}

// enqueueWaiting queues every pod waiting for setup, in namespace ns ("" for all).
func (p *podSetup) enqueueWaiting(ns string) {
	var pods []*corev1.Pod
	var err error
	if ns == "" {
		pods, err = p.pods.List(labels.Everything())
	} else {
		pods, err = p.pods.Pods(ns).List(labels.Everything())
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "pod-setup: listing pods: %v\n", err)
		return
	}
	for _, pod := range pods {
		p.enqueuePod(pod)
	}
}

func (p *podSetup) next(ctx context.Context) bool {
	key, quit := p.queue.Get()
	if quit {
		return false
	}
	defer p.queue.Done(key)
	if err := p.sync(ctx, key); err != nil {
		if !apierrors.IsConflict(err) && !apierrors.IsNotFound(err) {
			fmt.Fprintf(os.Stderr, "pod-setup: pod %s: %v\n", key, err)
		}
		p.queue.AddRateLimited(key)
		return true
	}
	p.queue.Forget(key)
	return true
}

func (p *podSetup) sync(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return nil
	}
	pod, err := p.pods.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !waitingForSetup(pod) && !failingOnceStarted(pod) {
		return nil
	}
	node, err := p.nodes.Get(pod.Spec.NodeName)
	if err != nil || !p.managed.Matches(labels.Set(node.Annotations)) {
		return nil
	}
	p.reportUnknown(pod)
	now := metav1.Now()
	if failingOnceStarted(pod) {
		return p.syncStarted(ctx, key, pod, now)
	}
	v := assess(pod, p)
	events := p.pullStep(key, pod, &v, now.Time)
	want := desiredStatus(pod, &v, nodeIPs(node), now)
	changed := statusKey(want) != statusKey(&pod.Status)
	if changed {
		updated := pod.DeepCopy()
		updated.Status = *want
		if _, err := p.client.CoreV1().Pods(ns).UpdateStatus(ctx, updated, metav1.UpdateOptions{}); err != nil {
			return err
		}
	}
	for _, e := range events {
		p.record(pod, e)
	}
	p.warn(pod, &v, changed, now.Time)
	return nil
}

// pullStep gives the containers whose image pull fails on purpose their state
// of the moment, and returns the events of that moment.
func (p *podSetup) pullStep(key string, pod *corev1.Pod, v *verdict, now time.Time) []podEvent {
	if len(v.pulling) == 0 {
		return nil
	}
	p.mu.Lock()
	h, ok := p.pulls[pod.UID]
	if !ok {
		h = &pullHistory{}
		p.pulls[pod.UID] = h
	}
	m := h.step(now)
	p.mu.Unlock()
	p.queue.AddAfter(key, m.wake)
	var out []podEvent
	for _, c := range v.pulling {
		b, events := pullState(c, m)
		v.blocked[c.Name] = b
		for _, e := range events {
			out = append(out, podEvent{fieldPath: containerField(c.Name), kubeletEvent: e})
		}
	}
	return out
}

// syncStarted plays one step of a started pod that crashes or is evicted.
func (p *podSetup) syncStarted(ctx context.Context, key string, pod *corev1.Pod, now metav1.Time) error {
	st, events, wake := started(pod, simulationOf(pod), now)
	if st != nil {
		updated := pod.DeepCopy()
		updated.Status = *st
		if _, err := p.client.CoreV1().Pods(pod.Namespace).UpdateStatus(ctx, updated, metav1.UpdateOptions{}); err != nil {
			return err
		}
		for _, e := range events {
			p.record(pod, e)
		}
	}
	if wake > 0 {
		p.queue.AddAfter(key, wake)
	}
	return nil
}

// reportUnknown says once, in pod-setup's log, that a pod's simulate annotation
// names nothing known (the pod then behaves as without it).
func (p *podSetup) reportUnknown(pod *corev1.Pod) {
	if simulationOf(pod) != simulateUnknown {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.unknown[pod.UID] {
		p.unknown[pod.UID] = true
		fmt.Fprintf(os.Stderr, "pod-setup: pod %s/%s: unknown %s value %q (known: ErrImagePull, "+
			"CrashLoopBackOff, Error, OOMKilled, Evicted); the pod runs as usual\n",
			pod.Namespace, pod.Name, simulateAnnotation, pod.Annotations[simulateAnnotation])
	}
}

func nodeIPs(node *corev1.Node) []string {
	var ips []string
	for _, a := range node.Status.Addresses {
		if a.Type == corev1.NodeInternalIP {
			ips = append(ips, a.Address)
		}
	}
	return ips
}

func (p *podSetup) configMap(namespace, name string) (*corev1.ConfigMap, bool) {
	cm, err := p.configMaps.ConfigMaps(namespace).Get(name)
	return cm, err == nil
}

func (p *podSetup) secret(namespace, name string) (*corev1.Secret, bool) {
	s, err := p.secrets.Secrets(namespace).Get(name)
	return s, err == nil
}
