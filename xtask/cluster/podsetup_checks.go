package main

// What a kubelet checks before a pod's containers may run, and the messages it
// gives when a check fails: the volumes it cannot set up (a ConfigMap or Secret
// volume whose object or key is missing) and the containers it cannot create
// (an env or envFrom reference to a missing ConfigMap, Secret or key; a
// runAsNonRoot container told to run as user 0). Every message is worded as
// the kubelet words it, so that what a learner reads here is what a real
// cluster would show.

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// objectStore answers whether the ConfigMaps and Secrets a pod reads exist.
type objectStore interface {
	configMap(namespace, name string) (*corev1.ConfigMap, bool)
	secret(namespace, name string) (*corev1.Secret, bool)
}

// notFound is the error the kubelet's ConfigMap and Secret managers give for a
// missing object: `configmap "x" not found`, `secret "x" not found`.
func notFound(resource, name string) error {
	return apierrors.NewNotFound(schema.GroupResource{Resource: resource}, name)
}

func isOptional(optional *bool) bool {
	return optional != nil && *optional
}

// mountFailure is one volume the kubelet cannot set up, with the message of its
// FailedMount event.
type mountFailure struct {
	volume  string
	message string
}

// mountFailures lists, in the pod's order, the ConfigMap and Secret volumes
// that cannot be set up. Projected volumes (the service account token among
// them) are not checked.
func mountFailures(pod *corev1.Pod, objs objectStore) []mountFailure {
	var out []mountFailure
	for _, v := range pod.Spec.Volumes {
		if err := volumeSetUpError(pod.Namespace, &v, objs); err != nil {
			out = append(out, mountFailure{
				volume:  v.Name,
				message: fmt.Sprintf("MountVolume.SetUp failed for volume %q : %v", v.Name, err),
			})
		}
	}
	return out
}

func volumeSetUpError(namespace string, v *corev1.Volume, objs objectStore) error {
	switch {
	case v.ConfigMap != nil:
		src := v.ConfigMap
		optional := isOptional(src.Optional)
		cm, ok := objs.configMap(namespace, src.Name)
		if !ok {
			if optional {
				return nil
			}
			return notFound("configmap", src.Name)
		}
		for _, item := range src.Items {
			_, inData := cm.Data[item.Key]
			_, inBinary := cm.BinaryData[item.Key]
			if !inData && !inBinary && !optional {
				return fmt.Errorf("configmap references non-existent config key: %s", item.Key)
			}
		}
	case v.Secret != nil:
		src := v.Secret
		optional := isOptional(src.Optional)
		s, ok := objs.secret(namespace, src.SecretName)
		if !ok {
			if optional {
				return nil
			}
			return notFound("secret", src.SecretName)
		}
		for _, item := range src.Items {
			if _, ok := s.Data[item.Key]; !ok && !optional {
				return fmt.Errorf("references non-existent secret key: %s", item.Key)
			}
		}
	}
	return nil
}

// containerConfigError is why the kubelet cannot create this container
// (CreateContainerConfigError), or nil. The environment is resolved first, as
// the kubelet does: envFrom in order, then env in order; then the non-root
// policy.
func containerConfigError(pod *corev1.Pod, c *corev1.Container, objs objectStore) error {
	ns := pod.Namespace
	for _, from := range c.EnvFrom {
		switch {
		case from.ConfigMapRef != nil:
			if _, ok := objs.configMap(ns, from.ConfigMapRef.Name); !ok && !isOptional(from.ConfigMapRef.Optional) {
				return notFound("configmap", from.ConfigMapRef.Name)
			}
		case from.SecretRef != nil:
			if _, ok := objs.secret(ns, from.SecretRef.Name); !ok && !isOptional(from.SecretRef.Optional) {
				return notFound("secret", from.SecretRef.Name)
			}
		}
	}
	for _, env := range c.Env {
		if env.Value != "" || env.ValueFrom == nil {
			continue
		}
		if err := envSourceError(ns, env.ValueFrom, objs); err != nil {
			return err
		}
	}
	return nonRootError(pod, c)
}

func envSourceError(ns string, from *corev1.EnvVarSource, objs objectStore) error {
	switch {
	case from.ConfigMapKeyRef != nil:
		ref := from.ConfigMapKeyRef
		optional := isOptional(ref.Optional)
		cm, ok := objs.configMap(ns, ref.Name)
		if !ok {
			if optional {
				return nil
			}
			return notFound("configmap", ref.Name)
		}
		// The kubelet reads env values from `data` only, never `binaryData`.
		if _, ok := cm.Data[ref.Key]; !ok && !optional {
			return fmt.Errorf("couldn't find key %v in ConfigMap %v/%v", ref.Key, ns, ref.Name)
		}
	case from.SecretKeyRef != nil:
		ref := from.SecretKeyRef
		optional := isOptional(ref.Optional)
		s, ok := objs.secret(ns, ref.Name)
		if !ok {
			if optional {
				return nil
			}
			return notFound("secret", ref.Name)
		}
		if _, ok := s.Data[ref.Key]; !ok && !optional {
			return fmt.Errorf("couldn't find key %v in Secret %v/%v", ref.Key, ns, ref.Name)
		}
	}
	return nil
}

// nonRootError fails a container whose effective security context (the
// container's settings over the pod's) asks for a non-root user and names
// user 0. Images are not pulled here, so an image's own user is not checked.
func nonRootError(pod *corev1.Pod, c *corev1.Container) error {
	var nonRoot *bool
	var user *int64
	if psc := pod.Spec.SecurityContext; psc != nil {
		nonRoot, user = psc.RunAsNonRoot, psc.RunAsUser
	}
	if csc := c.SecurityContext; csc != nil {
		if csc.RunAsNonRoot != nil {
			nonRoot = csc.RunAsNonRoot
		}
		if csc.RunAsUser != nil {
			user = csc.RunAsUser
		}
	}
	if nonRoot == nil || !*nonRoot || user == nil || *user != 0 {
		return nil
	}
	return fmt.Errorf("container's runAsUser breaks non-root policy (pod: %q, container: %s)",
		podFormat(pod), c.Name)
}
