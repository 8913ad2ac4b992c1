package main

// Failures a course author (or a test) asks of the simulated kubelet with an
// annotation on the pod, usually set in a workload's pod template:
//
//	kubefiche.dev/simulate: ErrImagePull      the image cannot be pulled (podsetup_images.go)
//	kubefiche.dev/simulate: CrashLoopBackOff  every container exits with code 1 (reason Error)
//	                                          a moment after it starts ("Error" means the same)
//	kubefiche.dev/simulate: OOMKilled         every container is killed for memory (137, OOMKilled)
//	kubefiche.dev/simulate: Evicted           the node, low on memory, evicts the pod
//
// What follows an exit is the pod's restartPolicy, as on any node: Always and
// OnFailure restart the container with the kubelet's back-off
// (CrashLoopBackOff), Never leaves the pod Failed. Started pods are driven here
// step by step from their status alone, so a restart of pod-setup picks up
// where it was.

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const simulateAnnotation = "kubefiche.dev/simulate"

type simulation int

const (
	simulateNothing simulation = iota
	simulatePullFailure
	simulateCrash
	simulateOOM
	simulateEviction
	simulateUnknown
)

// simulationOf reads the pod's annotation; a value that is not one of ours is simulateUnknown.
func simulationOf(pod *corev1.Pod) simulation {
	value, ok := pod.Annotations[simulateAnnotation]
	if !ok {
		return simulateNothing
	}
	switch value {
	case "ErrImagePull", "ImagePullBackOff":
		return simulatePullFailure
	case "CrashLoopBackOff", "Error":
		return simulateCrash
	case "OOMKilled":
		return simulateOOM
	case "Evicted":
		return simulateEviction
	}
	return simulateUnknown
}

// failsOnceStarted: the simulations played out after kwok has started the pod.
func (s simulation) failsOnceStarted() bool {
	return s == simulateCrash || s == simulateOOM || s == simulateEviction
}

const (
	// runFor: how long a failing container runs before it exits.
	runFor = 2 * time.Second
	// exitShown: how long an exited container shows terminated before the kubelet acts on it.
	exitShown = time.Second
	// evictAfter: how long an evicted pod runs first.
	evictAfter = 3 * time.Second
	// backOffFirst and backOffMax: the kubelet's restart and pull back-off doubles
	// from 10 s up to 5 min; here it stops at 40 s so that a crash loop stays lively.
	backOffFirst = 10 * time.Second
	backOffMax   = 40 * time.Second

	reasonCrashLoop = "CrashLoopBackOff"
	reasonPodFailed = "PodFailed"
	reasonEvicted   = "Evicted"
)

// backOff is the n-th back-off (n ≥ 1): 10 s, 20 s, 40 s, then 40 s.
func backOff(n int) time.Duration {
	d := backOffFirst
	for i := 1; i < n && d < backOffMax; i++ {
		d *= 2
	}
	return min(d, backOffMax)
}

// podEvent is a kubelet event about the pod (fieldPath "") or one of its containers.
type podEvent struct {
	fieldPath   string
	annotations map[string]string
	kubeletEvent
}

// started is the next step of a started pod that is meant to fail: its new
// status (nil when unchanged), the events of the step, and when to look again
// (0: nothing more will happen).
func started(pod *corev1.Pod, sim simulation, now metav1.Time) (*corev1.PodStatus, []podEvent, time.Duration) {
	if sim == simulateEviction {
		return evictionStep(pod, now)
	}
	st := pod.Status.DeepCopy()
	code, reason := int32(1), "Error"
	if sim == simulateOOM {
		code, reason = 137, "OOMKilled"
	}
	restarts := pod.Spec.RestartPolicy != corev1.RestartPolicyNever
	changed := false
	var events []podEvent
	var wake time.Duration
	later := func(at time.Time) {
		if d := at.Sub(now.Time); wake == 0 || d < wake {
			wake = max(d, 10*time.Millisecond)
		}
	}
	exited := 0
	for i := range st.ContainerStatuses {
		s := &st.ContainerStatuses[i]
		switch {
		case s.State.Running != nil:
			end := s.State.Running.StartedAt.Add(runFor)
			if now.Time.Before(end) {
				later(end)
				continue
			}
			no := false
			s.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: code, Reason: reason, StartedAt: s.State.Running.StartedAt, FinishedAt: now,
			}}
			s.Ready, s.Started, changed = false, &no, true
			exited++
			if restarts {
				later(now.Add(exitShown))
			}
		case s.State.Terminated != nil && !restarts:
			exited++
		case s.State.Terminated != nil:
			exited++
			at := s.State.Terminated.FinishedAt.Add(exitShown)
			if now.Time.Before(at) {
				later(at)
				continue
			}
			s.LastTerminationState = corev1.ContainerState{Terminated: s.State.Terminated}
			changed = true
			if s.RestartCount == 0 {
				// The kubelet restarts a container at once after its first exit.
				restart(s, now)
				later(now.Add(runFor))
				continue
			}
			d := backOff(int(s.RestartCount))
			s.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
				Reason: reasonCrashLoop,
				Message: fmt.Sprintf("back-off %s restarting failed container=%s pod=%s",
					d, s.Name, podFormat(pod)),
			}}
			events = append(events, podEvent{fieldPath: containerField(s.Name), kubeletEvent: kubeletEvent{
				corev1.EventTypeWarning, "BackOff",
				fmt.Sprintf("Back-off restarting failed container %s in pod %s", s.Name, podFormat(pod)),
			}})
			later(s.LastTerminationState.Terminated.FinishedAt.Add(d))
		case s.State.Waiting != nil && s.State.Waiting.Reason == reasonCrashLoop && s.LastTerminationState.Terminated != nil:
			at := s.LastTerminationState.Terminated.FinishedAt.Add(backOff(int(s.RestartCount)))
			if now.Time.Before(at) {
				later(at)
				continue
			}
			restart(s, now)
			changed = true
			later(now.Add(runFor))
		}
	}
	if !changed {
		return nil, nil, wake
	}
	if !restarts && exited == len(st.ContainerStatuses) {
		failed(st, now)
		return st, events, 0
	}
	readiness(pod, st, now)
	return st, events, wake
}

func restart(s *corev1.ContainerStatus, now metav1.Time) {
	yes := true
	s.RestartCount++
	s.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}}
	s.Ready, s.Started = true, &yes
}

// readiness sets the Ready and ContainersReady conditions of a running pod from its containers.
func readiness(pod *corev1.Pod, st *corev1.PodStatus, now metav1.Time) {
	var unready []string
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		for _, s := range st.InitContainerStatuses {
			if isSidecar(c) && s.Name == c.Name && !s.Ready {
				unready = append(unready, c.Name)
			}
		}
	}
	for _, s := range st.ContainerStatuses {
		if !s.Ready {
			unready = append(unready, s.Name)
		}
	}
	msg := fmt.Sprintf("containers with unready status: %v", unready)
	setCondition(st, corev1.ContainersReady, len(unready) == 0, reasonNotReady, msg, now)
	setCondition(st, corev1.PodReady, len(unready) == 0, reasonNotReady, msg, now)
}

// failed makes the pod Failed as the kubelet does once its containers are done:
// not ready (PodFailed), its sandbox gone.
func failed(st *corev1.PodStatus, now metav1.Time) {
	st.Phase = corev1.PodFailed
	setCondition(st, condReadyToStart, false, "", "", now)
	setCondition(st, corev1.ContainersReady, false, reasonPodFailed, "", now)
	setCondition(st, corev1.PodReady, false, reasonPodFailed, "", now)
}

// evictionStep evicts a pod evictAfter after it started, as the kubelet's
// eviction manager does on a node low on memory: every container killed
// (137), the pod Failed with reason Evicted, a DisruptionTarget condition and
// a Warning Evicted event naming the container that used the most.
func evictionStep(pod *corev1.Pod, now metav1.Time) (*corev1.PodStatus, []podEvent, time.Duration) {
	startedAt := now
	if pod.Status.StartTime != nil {
		startedAt = *pod.Status.StartTime
	}
	if at := startedAt.Add(evictAfter); now.Time.Before(at) {
		return nil, nil, at.Sub(now.Time)
	}
	st := pod.Status.DeepCopy()
	msg, culprit, usage := evictionMessage(pod)
	for i := range st.ContainerStatuses {
		s := &st.ContainerStatuses[i]
		since := startedAt
		if s.State.Running != nil {
			since = s.State.Running.StartedAt
		}
		no := false
		s.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: 137, Reason: "Error", StartedAt: since, FinishedAt: now,
		}}
		s.Ready, s.Started = false, &no
	}
	st.Reason, st.Message = reasonEvicted, msg
	failed(st, now)
	st.Conditions = append(st.Conditions, corev1.PodCondition{
		Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
		Reason: corev1.PodReasonTerminationByKubelet, Message: msg, LastTransitionTime: now,
	})
	event := podEvent{
		annotations: map[string]string{
			"offending_containers":       culprit,
			"offending_containers_usage": usage,
			"starved_resource":           "memory",
		},
		kubeletEvent: kubeletEvent{corev1.EventTypeWarning, reasonEvicted, msg},
	}
	return st, []podEvent{event}, 0
}

// evictionMessage: the node's memory threshold (the kubelet's default hard
// threshold, 100Mi) and the first container, using 1 GiB more than it requested.
func evictionMessage(pod *corev1.Pod) (message, culprit, usage string) {
	message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 87204Ki. "
	if len(pod.Spec.Containers) == 0 {
		return message, "", ""
	}
	c := &pod.Spec.Containers[0]
	request := c.Resources.Requests[corev1.ResourceMemory]
	used := resource.NewQuantity(request.Value()+1<<30, resource.BinarySI).String()
	message += fmt.Sprintf("Container %s was using %s, request is %s, has larger consumption of memory. ",
		c.Name, used, request.String())
	return message, c.Name, used
}

// podFormat is how the kubelet names a pod in its messages: NAME_NAMESPACE(UID).
func podFormat(pod *corev1.Pod) string {
	return fmt.Sprintf("%s_%s(%s)", pod.Name, pod.Namespace, pod.UID)
}

// containerField is the fieldPath of a container's events.
func containerField(name string) string {
	return fmt.Sprintf("spec.containers{%s}", name)
}
