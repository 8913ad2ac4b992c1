package main

// Images on the simulated nodes. Nothing is pulled, but a container's image
// fails as it would under a kubelet: for every pod when the reference cannot be
// parsed (InvalidImageName), and when the pod asks for it with the annotation
// `kubefiche.dev/simulate: ErrImagePull` — a pull refused by the registry
// (ErrImagePull, then ImagePullBackOff while the kubelet backs off, then a new
// pull), or, with `imagePullPolicy: Never`, an image that is not on the node
// (ErrImageNeverPull). States, messages and events are worded as the kubelet's
// image manager words them.

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/kubernetes/pkg/util/parsers"
)

const (
	reasonInvalidImageName  = "InvalidImageName"
	reasonErrImagePull      = "ErrImagePull"
	reasonImagePullBackOff  = "ImagePullBackOff"
	reasonErrImageNeverPull = "ErrImageNeverPull"

	// pullFailedShown: how long a failed pull shows ErrImagePull before the
	// kubelet's next look at the pod finds it backing off.
	pullFailedShown = 2 * time.Second
	// backOffRepeat: how often the BackOff events come again while a pull backs off.
	backOffRepeat = 10 * time.Second
)

// withDefaultTag is the image as the kubelet asks the runtime for it: `:latest`
// added to a reference with neither tag nor digest. An error when the
// reference cannot be parsed.
func withDefaultTag(image string) (string, error) {
	_, tag, digest, err := parsers.ParseImageName(image)
	if err != nil {
		return "", err
	}
	if digest == "" && tag != "" && !strings.HasSuffix(image, ":"+tag) {
		image += ":" + tag
	}
	return image, nil
}

// imageBlocked: a container whose image is not a valid reference, as the
// kubelet reports it (InvalidImageName) for any pod.
func imageBlocked(c *corev1.Container) (blockedContainer, bool) {
	if _, err := withDefaultTag(c.Image); err != nil {
		msg := fmt.Sprintf("Failed to apply default image tag %q: %v", c.Image, err)
		return blockedContainer{reason: reasonInvalidImageName, message: msg, events: []kubeletEvent{
			{corev1.EventTypeWarning, "InspectFailed", msg},
			{corev1.EventTypeWarning, "Failed", "Error: " + reasonInvalidImageName},
		}}, true
	}
	return blockedContainer{}, false
}

// neverPulled: a container with `imagePullPolicy: Never` whose image is not on the node.
func neverPulled(c *corev1.Container) blockedContainer {
	msg := fmt.Sprintf("Container image %q is not present with pull policy of Never", c.Image)
	return blockedContainer{reason: reasonErrImageNeverPull, message: msg, events: []kubeletEvent{
		{corev1.EventTypeWarning, reasonErrImageNeverPull, msg},
		{corev1.EventTypeWarning, "Failed", "Error: " + reasonErrImageNeverPull},
	}}
}

// pullRefusal is what containerd answers when a registry refuses an image, for
// instance an image built locally but never loaded into kind or minikube.
func pullRefusal(image string) string {
	repo, tag, digest, err := parsers.ParseImageName(image)
	if err != nil {
		return fmt.Sprintf("failed to pull image %q", image)
	}
	ref := repo
	if tag != "" {
		ref += ":" + tag
	}
	if digest != "" {
		ref += "@" + digest
	}
	return fmt.Sprintf("failed to pull and unpack image %q: failed to resolve reference %q: "+
		"pull access denied, repository does not exist or may require authorization: "+
		"server message: insufficient_scope: authorization failed", ref, ref)
}

// pullHistory is the kubelet's memory of a pod's failed pulls: how many, the
// last one, and the last BackOff events.
type pullHistory struct {
	attempts int
	failedAt time.Time
	warnedAt time.Time
}

// pullMoment is what a pod's failing pulls show at one instant.
type pullMoment struct {
	reason string
	// attempted: a pull was tried (and refused) just now.
	attempted bool
	// backingOff: the BackOff events are due now.
	backingOff bool
	// wake: when the state changes next.
	wake time.Duration
}

// step advances the history to now: a new pull once the back-off has passed,
// ErrImagePull for a moment after a refused pull, ImagePullBackOff until the next.
func (h *pullHistory) step(now time.Time) pullMoment {
	if h.attempts == 0 || !now.Before(h.failedAt.Add(backOff(h.attempts))) {
		h.attempts++
		h.failedAt, h.warnedAt = now, time.Time{}
		return pullMoment{reason: reasonErrImagePull, attempted: true, wake: pullFailedShown}
	}
	if shownUntil := h.failedAt.Add(pullFailedShown); now.Before(shownUntil) {
		return pullMoment{reason: reasonErrImagePull, wake: shownUntil.Sub(now)}
	}
	m := pullMoment{reason: reasonImagePullBackOff}
	if h.warnedAt.IsZero() || now.Sub(h.warnedAt) >= backOffRepeat {
		h.warnedAt, m.backingOff = now, true
	}
	m.wake = min(h.failedAt.Add(backOff(h.attempts)).Sub(now), h.warnedAt.Add(backOffRepeat).Sub(now))
	return m
}

// pullState is the waiting state of container c at moment m, and the events
// the kubelet records for it at that moment.
func pullState(c *corev1.Container, m pullMoment) (blockedContainer, []kubeletEvent) {
	image, err := withDefaultTag(c.Image)
	if err != nil {
		image = c.Image
	}
	refusal := pullRefusal(image)
	var events []kubeletEvent
	if m.attempted {
		events = append(events,
			kubeletEvent{corev1.EventTypeNormal, "Pulling", fmt.Sprintf("Pulling image %q", image)},
			kubeletEvent{corev1.EventTypeWarning, "Failed", fmt.Sprintf("Failed to pull image %q: %s", image, refusal)},
			kubeletEvent{corev1.EventTypeWarning, "Failed", "Error: " + reasonErrImagePull})
	}
	if m.backingOff {
		events = append(events,
			kubeletEvent{corev1.EventTypeNormal, "BackOff", fmt.Sprintf("Back-off pulling image %q", image)},
			kubeletEvent{corev1.EventTypeWarning, "Failed", "Error: " + reasonImagePullBackOff})
	}
	if m.reason == reasonErrImagePull {
		return blockedContainer{reason: reasonErrImagePull, message: refusal}, events
	}
	msg := fmt.Sprintf("Back-off pulling image %q: %s: %s", image, reasonErrImagePull, refusal)
	return blockedContainer{reason: reasonImagePullBackOff, message: msg}, events
}
