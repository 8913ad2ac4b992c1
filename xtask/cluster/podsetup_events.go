package main

// The events of the simulated kubelet: recorded with the kubelet's source
// (component "kubelet", host the pod's node) on the pod or one of its
// containers, so they read as a real node's.

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/record"
)

// warn records the kubelet's Warning events for a blocked pod: when its status
// changed, then again every retryEvery (the event's count grows, as on a real node).
func (p *podSetup) warn(pod *corev1.Pod, v *verdict, changed bool, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v.clear() {
		delete(p.warned, pod.UID)
		return
	}
	if last, ok := p.warned[pod.UID]; ok && !changed && now.Sub(last) < retryEvery-time.Second {
		return
	}
	p.warned[pod.UID] = now
	rec := p.recorderLocked(pod.Spec.NodeName)
	for _, m := range v.mounts {
		rec.Event(podRef(pod, ""), corev1.EventTypeWarning, "FailedMount", m.message)
	}
	for _, group := range []struct {
		field      string
		containers []corev1.Container
	}{{"initContainers", pod.Spec.InitContainers}, {"containers", pod.Spec.Containers}} {
		for _, c := range group.containers {
			for _, e := range v.blocked[c.Name].events {
				rec.Event(podRef(pod, fmt.Sprintf("spec.%s{%s}", group.field, c.Name)), e.eventType, e.reason, e.message)
			}
		}
	}
}

// record records one event of the kubelet of the pod's node.
func (p *podSetup) record(pod *corev1.Pod, e podEvent) {
	p.mu.Lock()
	rec := p.recorderLocked(pod.Spec.NodeName)
	p.mu.Unlock()
	if len(e.annotations) > 0 {
		rec.AnnotatedEventf(podRef(pod, e.fieldPath), e.annotations, e.eventType, e.reason, "%s", e.message)
		return
	}
	rec.Event(podRef(pod, e.fieldPath), e.eventType, e.reason, e.message)
}

// recorderLocked is the event recorder of a node's kubelet; p.mu is held.
func (p *podSetup) recorderLocked(node string) record.EventRecorder {
	rec, ok := p.recorders[node]
	if !ok {
		rec = p.broadcaster.NewRecorder(scheme.Scheme, corev1.EventSource{Component: "kubelet", Host: node})
		p.recorders[node] = rec
	}
	return rec
}

func podRef(pod *corev1.Pod, fieldPath string) *corev1.ObjectReference {
	return &corev1.ObjectReference{Kind: "Pod", APIVersion: "v1", Namespace: pod.Namespace,
		Name: pod.Name, UID: pod.UID, ResourceVersion: pod.ResourceVersion, FieldPath: fieldPath}
}
