package main

// The status a kubelet reports while it prepares a pod: the sandbox waits for
// its volumes (ContainerCreating, PodReadyToStartContainers False), or the
// sandbox is up and a container cannot be created (its image: InvalidImageName,
// ErrImagePull, ImagePullBackOff, ErrImageNeverPull; its configuration:
// CreateContainerConfigError), or everything is ready and the containers are
// about to start. In the last case kwok's "pod-start" stage (stages.yaml) takes
// over and makes the pod Running; it waits for PodReadyToStartContainers True
// and for no container waiting for one of those reasons, so a pod never shows
// Running before it has been looked at.

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	condReadyToStart     corev1.PodConditionType = "PodReadyToStartContainers"
	reasonConfigError                            = "CreateContainerConfigError"
	reasonCreating                               = "ContainerCreating"
	reasonInitializing                           = "PodInitializing"
	reasonNotReady                               = "ContainersNotReady"
	reasonNotInitialized                         = "ContainersNotInitialized"
)

// verdict is what the simulated kubelet concluded about a pod.
type verdict struct {
	// mounts: volumes that cannot be set up; while there are any, no container is looked at.
	mounts []mountFailure
	// blockedInit: the first init container that cannot be created; those after it wait.
	blockedInit string
	// blocked: container name → why it cannot be created (its image, its configuration).
	blocked map[string]blockedContainer
	// pulling: the containers reached whose image pull fails on purpose (the
	// `kubefiche.dev/simulate: ErrImagePull` annotation); sync fills in their state.
	pulling []*corev1.Container
}

// blockedContainer is a container the kubelet cannot create: the waiting state
// it shows, and the events recorded again every retryEvery while it stays so.
type blockedContainer struct {
	reason  string
	message string
	events  []kubeletEvent
}

// kubeletEvent is one event as the kubelet records it about a pod or one of its containers.
type kubeletEvent struct {
	eventType string
	reason    string
	message   string
}

func (v *verdict) clear() bool {
	return len(v.mounts) == 0 && len(v.blocked) == 0 && len(v.pulling) == 0
}

// assess checks a pod in the kubelet's order: its volumes, then each init
// container in turn, then the other containers — each one's image first, then
// its configuration.
func assess(pod *corev1.Pod, objs objectStore) verdict {
	v := verdict{blocked: map[string]blockedContainer{}}
	if v.mounts = mountFailures(pod, objs); len(v.mounts) > 0 {
		return v
	}
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		if b, ok := containerBlocked(pod, c, objs); ok {
			v.blockedInit = c.Name
			v.blocked[c.Name] = b
			return v
		}
	}
	pullsFail := simulationOf(pod) == simulatePullFailure
	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i]
		if b, ok := imageBlocked(c); ok {
			v.blocked[c.Name] = b
		} else if pullsFail && c.ImagePullPolicy == corev1.PullNever {
			v.blocked[c.Name] = neverPulled(c)
		} else if pullsFail {
			v.pulling = append(v.pulling, c)
		} else if b, ok := containerBlocked(pod, c, objs); ok {
			v.blocked[c.Name] = b
		}
	}
	return v
}

// containerBlocked: an image that is not a valid reference, or a configuration
// the kubelet cannot build (CreateContainerConfigError).
func containerBlocked(pod *corev1.Pod, c *corev1.Container, objs objectStore) (blockedContainer, bool) {
	if b, ok := imageBlocked(c); ok {
		return b, true
	}
	if err := containerConfigError(pod, c, objs); err != nil {
		return blockedContainer{reason: reasonConfigError, message: err.Error(), events: []kubeletEvent{
			{corev1.EventTypeWarning, "Failed", "Error: " + err.Error()},
		}}, true
	}
	return blockedContainer{}, false
}

func isSidecar(c *corev1.Container) bool {
	return c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

func waiting(c *corev1.Container, reason, message string) corev1.ContainerStatus {
	return corev1.ContainerStatus{
		Name:  c.Name,
		Image: c.Image,
		State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: message}},
	}
}

// running keeps the start time of a container already shown running.
func running(c *corev1.Container, old []corev1.ContainerStatus, now metav1.Time) corev1.ContainerStatus {
	started := now
	for _, s := range old {
		if s.Name == c.Name && s.State.Running != nil {
			started = s.State.Running.StartedAt
		}
	}
	yes := true
	return corev1.ContainerStatus{
		Name:    c.Name,
		Image:   c.Image,
		ImageID: "simulated://" + c.Image,
		Ready:   true,
		Started: &yes,
		State:   corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: started}},
	}
}

func completed(c *corev1.Container, now metav1.Time) corev1.ContainerStatus {
	no := false
	return corev1.ContainerStatus{
		Name:    c.Name,
		Image:   c.Image,
		ImageID: "simulated://" + c.Image,
		Started: &no,
		State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			Reason: "Completed", StartedAt: now, FinishedAt: now,
		}},
	}
}

// desiredStatus is the status the kubelet would report for v. It starts from
// the current status (QoS class, PodScheduled, start time are kept).
func desiredStatus(pod *corev1.Pod, v *verdict, hostIPs []string, now metav1.Time) *corev1.PodStatus {
	st := pod.Status.DeepCopy()
	st.Phase = corev1.PodPending
	if st.StartTime == nil {
		st.StartTime = &now
	}
	if len(hostIPs) > 0 {
		st.HostIP = hostIPs[0]
		st.HostIPs = nil
		for _, ip := range hostIPs {
			st.HostIPs = append(st.HostIPs, corev1.HostIP{IP: ip})
		}
	}
	sandboxReady := len(v.mounts) == 0
	// Containers only show progress when something blocks them; otherwise they are
	// about to start and kwok reports them running.
	progress := sandboxReady && !v.clear()
	initDone := progress && v.blockedInit == ""
	mainWait := reasonCreating
	if len(pod.Spec.InitContainers) > 0 {
		mainWait = reasonInitializing
	}

	var notInitialized, unready []string
	st.InitContainerStatuses = nil
	reachedBlocked := false
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		var s corev1.ContainerStatus
		switch {
		case progress && c.Name == v.blockedInit:
			b := v.blocked[c.Name]
			s = waiting(c, b.reason, b.message)
			reachedBlocked = true
		case progress && !reachedBlocked && isSidecar(c):
			s = running(c, pod.Status.InitContainerStatuses, now)
		case progress && !reachedBlocked:
			s = completed(c, now)
		default:
			s = waiting(c, reasonInitializing, "")
		}
		if s.State.Terminated == nil && s.State.Running == nil {
			notInitialized = append(notInitialized, c.Name)
		}
		if isSidecar(c) && !s.Ready {
			unready = append(unready, c.Name)
		}
		st.InitContainerStatuses = append(st.InitContainerStatuses, s)
	}
	st.ContainerStatuses = nil
	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i]
		var s corev1.ContainerStatus
		b, failed := v.blocked[c.Name]
		switch {
		case initDone && failed:
			s = waiting(c, b.reason, b.message)
		case initDone:
			s = running(c, pod.Status.ContainerStatuses, now)
		default:
			s = waiting(c, mainWait, "")
		}
		if !s.Ready {
			unready = append(unready, c.Name)
		}
		st.ContainerStatuses = append(st.ContainerStatuses, s)
	}

	setCondition(st, condReadyToStart, sandboxReady, "", "", now)
	if len(notInitialized) == 0 {
		setCondition(st, corev1.PodInitialized, true, "", "", now)
	} else {
		setCondition(st, corev1.PodInitialized, false, reasonNotInitialized,
			fmt.Sprintf("containers with incomplete status: %v", notInitialized), now)
	}
	unreadyMsg := fmt.Sprintf("containers with unready status: %v", unready)
	setCondition(st, corev1.ContainersReady, len(unready) == 0, reasonNotReady, unreadyMsg, now)
	setCondition(st, corev1.PodReady, len(unready) == 0, reasonNotReady, unreadyMsg, now)
	return st
}

// setCondition sets one condition, keeping its transition time when its status does not change.
func setCondition(st *corev1.PodStatus, t corev1.PodConditionType, ok bool, reason, message string, now metav1.Time) {
	c := corev1.PodCondition{Type: t, Status: corev1.ConditionFalse, Reason: reason, Message: message, LastTransitionTime: now}
	if ok {
		c.Status, c.Reason, c.Message = corev1.ConditionTrue, "", ""
	}
	for i := range st.Conditions {
		if st.Conditions[i].Type == t {
			if st.Conditions[i].Status == c.Status {
				c.LastTransitionTime = st.Conditions[i].LastTransitionTime
			}
			st.Conditions[i] = c
			return
		}
	}
	st.Conditions = append(st.Conditions, c)
}

// statusKey sums up what a person reading the status sees (times left out), to
// tell whether the status must be written.
func statusKey(st *corev1.PodStatus) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|", st.Phase, st.HostIP)
	conds := make([]string, 0, len(st.Conditions))
	for _, c := range st.Conditions {
		conds = append(conds, fmt.Sprintf("%s=%s/%s/%s", c.Type, c.Status, c.Reason, c.Message))
	}
	sort.Strings(conds)
	b.WriteString(strings.Join(conds, ";"))
	for _, list := range [][]corev1.ContainerStatus{st.InitContainerStatuses, st.ContainerStatuses} {
		b.WriteString("|")
		for _, s := range list {
			state := "none"
			switch {
			case s.State.Waiting != nil:
				state = "waiting/" + s.State.Waiting.Reason + "/" + s.State.Waiting.Message
			case s.State.Running != nil:
				state = "running"
			case s.State.Terminated != nil:
				state = "terminated/" + s.State.Terminated.Reason
			}
			fmt.Fprintf(&b, "%s:%t:%s;", s.Name, s.Ready, state)
		}
	}
	return b.String()
}
