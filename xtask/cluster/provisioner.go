package main

// A tiny dynamic volume provisioner for the local cluster. The PV controller of
// kube-controller-manager marks every claim whose StorageClass names us with the
// annotation volume.kubernetes.io/storage-provisioner; we answer with a hostPath
// PersistentVolume pre-bound to that claim (claimRef), and we delete the volumes
// we made once they are Released and their reclaim policy says Delete.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

const (
	annStorageProvisioner = "volume.kubernetes.io/storage-provisioner"
	annBetaProvisioner    = "volume.beta.kubernetes.io/storage-provisioner"
	annProvisionedBy      = "pv.kubernetes.io/provisioned-by"
)

type provisioner struct {
	name   string
	dir    string
	client kubernetes.Interface
	claims func() ([]*corev1.PersistentVolumeClaim, error)
	vols   func() ([]*corev1.PersistentVolume, error)
	class  func(name string) (reclaim corev1.PersistentVolumeReclaimPolicy, ours bool)
}

func runProvisioner() int {
	fs := flag.NewFlagSet("provisioner", flag.ContinueOnError)
	kubeconfig := fs.String("kubeconfig", "", "path to the kubeconfig of the cluster")
	name := fs.String("name", "kubefiche.local/hostpath", "provisioner name, as StorageClasses spell it")
	dir := fs.String("volumes-dir", "", "folder under which each volume gets a sub-folder")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "provisioner: --volumes-dir is required")
		return 2
	}
	client, err := clientFor(*kubeconfig)
	if err != nil {
		fmt.Fprintf(os.Stderr, "provisioner: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	factory := informers.NewSharedInformerFactory(client, 5*time.Minute)
	pvcInf := factory.Core().V1().PersistentVolumeClaims()
	pvInf := factory.Core().V1().PersistentVolumes()
	scInf := factory.Storage().V1().StorageClasses()
	kick := make(chan struct{}, 1)
	poke := func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	}
	handler := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { poke() },
		UpdateFunc: func(any, any) { poke() },
		DeleteFunc: func(any) { poke() },
	}
	for _, inf := range []cache.SharedIndexInformer{pvcInf.Informer(), pvInf.Informer(), scInf.Informer()} {
		if _, err := inf.AddEventHandler(handler); err != nil {
			fmt.Fprintf(os.Stderr, "provisioner: handler: %v\n", err)
			return 1
		}
	}
	p := &provisioner{
		name:   *name,
		dir:    *dir,
		client: client,
		claims: func() ([]*corev1.PersistentVolumeClaim, error) { return pvcInf.Lister().List(labels.Everything()) },
		vols:   func() ([]*corev1.PersistentVolume, error) { return pvInf.Lister().List(labels.Everything()) },
		class: func(n string) (corev1.PersistentVolumeReclaimPolicy, bool) {
			sc, err := scInf.Lister().Get(n)
			if err != nil || sc.Provisioner != *name {
				return "", false
			}
			if sc.ReclaimPolicy != nil {
				return *sc.ReclaimPolicy, true
			}
			return corev1.PersistentVolumeReclaimDelete, true
		},
	}
	factory.Start(ctx.Done())
	factory.WaitForCacheSync(ctx.Done())
	fmt.Fprintf(os.Stderr, "provisioner %s: watching claims, volumes under %s\n", *name, *dir)

	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		p.reconcile(ctx)
		select {
		case <-ctx.Done():
			return 0
		case <-kick:
		case <-tick.C:
		}
	}
}

func (p *provisioner) reconcile(ctx context.Context) {
	claims, err := p.claims()
	if err != nil {
		fmt.Fprintf(os.Stderr, "provisioner: listing claims: %v\n", err)
		return
	}
	for _, c := range claims {
		if c.Spec.VolumeName != "" || c.Status.Phase != corev1.ClaimPending || c.DeletionTimestamp != nil {
			continue
		}
		ann := c.Annotations[annStorageProvisioner]
		if ann == "" {
			ann = c.Annotations[annBetaProvisioner]
		}
		if ann != p.name {
			continue
		}
		if err := p.provision(ctx, c); err != nil {
			fmt.Fprintf(os.Stderr, "provisioner: claim %s/%s: %v\n", c.Namespace, c.Name, err)
		}
	}
	vols, err := p.vols()
	if err != nil {
		fmt.Fprintf(os.Stderr, "provisioner: listing volumes: %v\n", err)
		return
	}
	for _, v := range vols {
		if v.Annotations[annProvisionedBy] != p.name || v.Status.Phase != corev1.VolumeReleased ||
			v.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete || v.DeletionTimestamp != nil {
			continue
		}
		err := p.client.CoreV1().PersistentVolumes().Delete(ctx, v.Name, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			fmt.Fprintf(os.Stderr, "provisioner: deleting volume %s: %v\n", v.Name, err)
			continue
		}
		if v.Spec.HostPath != nil && filepath.Dir(v.Spec.HostPath.Path) == filepath.Clean(p.dir) {
			_ = os.RemoveAll(v.Spec.HostPath.Path)
		}
		fmt.Fprintf(os.Stderr, "provisioner: deleted released volume %s\n", v.Name)
	}
}

func (p *provisioner) provision(ctx context.Context, c *corev1.PersistentVolumeClaim) error {
	className := ""
	if c.Spec.StorageClassName != nil {
		className = *c.Spec.StorageClassName
	}
	reclaim, ours := p.class(className)
	if !ours {
		return fmt.Errorf("storage class %q is not served by %s", className, p.name)
	}
	size, ok := c.Spec.Resources.Requests[corev1.ResourceStorage]
	if !ok {
		return fmt.Errorf("the claim requests no storage size")
	}
	pvName := "pvc-" + string(c.UID)
	path := filepath.Join(p.dir, pvName)
	if err := os.MkdirAll(path, 0o777); err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	hostPathType := corev1.HostPathDirectoryOrCreate
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        pvName,
			Annotations: map[string]string{annProvisionedBy: p.name},
		},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: size},
			AccessModes:                   c.Spec.AccessModes,
			PersistentVolumeReclaimPolicy: reclaim,
			StorageClassName:              className,
			VolumeMode:                    c.Spec.VolumeMode,
			ClaimRef: &corev1.ObjectReference{
				Kind:       "PersistentVolumeClaim",
				APIVersion: "v1",
				Namespace:  c.Namespace,
				Name:       c.Name,
				UID:        c.UID,
			},
			PersistentVolumeSource: corev1.PersistentVolumeSource{
				HostPath: &corev1.HostPathVolumeSource{Path: path, Type: &hostPathType},
			},
		},
	}
	_, err := p.client.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "provisioner: created %s for %s/%s\n", pvName, c.Namespace, c.Name)
	return nil
}
