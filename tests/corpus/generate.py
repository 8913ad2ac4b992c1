#!/usr/bin/env python3
"""Writes the agreement corpus: valid manifests and mutations of them, one file per case.

Each file starts with `# case: <what the mutation does>`. Whether the API server accepts it is
decided by the API server itself in tests/tests/agreement.rs, not by this script.
Run from anywhere: python3 tests/corpus/generate.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

BASES = {
"configmap": """apiVersion: v1
kind: ConfigMap
metadata:
  name: app-settings
  labels:
    app: shop
data:
  MODE: "production"
  GREETING: "Bonjour"
""",
"secret": """apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
type: Opaque
data:
  username: YWRtaW4=
stringData:
  password: "s3cr3t"
""",
"pvc": """apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data-claim
spec:
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 2Gi
""",
"service": """apiVersion: v1
kind: Service
metadata:
  name: shop-web
spec:
  selector:
    app: shop
  ports:
  - name: http
    port: 80
    targetPort: 8080
    protocol: TCP
""",
"nodeport": """apiVersion: v1
kind: Service
metadata:
  name: shop-public
spec:
  type: NodePort
  selector:
    app: shop
  ports:
  - port: 8080
    targetPort: http
""",
"pod": """apiVersion: v1
kind: Pod
metadata:
  name: toolbox
  labels:
    app: toolbox
spec:
  restartPolicy: Always
  containers:
  - name: shell
    image: busybox:1.36
    command: ["sleep", "3600"]
    resources:
      requests:
        cpu: 100m
        memory: 64Mi
      limits:
        cpu: 500m
        memory: 128Mi
""",
"deployment": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels:
    app: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: web
        image: nginx:1.27
        imagePullPolicy: IfNotPresent
        ports:
        - name: http
          containerPort: 8080
        env:
        - name: MODE
          valueFrom:
            configMapKeyRef:
              name: app-settings
              key: MODE
        - name: LOG_LEVEL
          value: "info"
        readinessProbe:
          httpGet:
            path: /
            port: http
          periodSeconds: 5
        volumeMounts:
        - name: cache
          mountPath: /cache
      volumes:
      - name: cache
        emptyDir: {}
""",
"replicaset": """apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: shop-rs
spec:
  replicas: 1
  selector:
    matchLabels:
      tier: front
  template:
    metadata:
      labels:
        tier: front
    spec:
      containers:
      - name: web
        image: nginx:1.27
""",
"job": """apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: busybox:1.36
        args: ["echo", "done"]
""",
"cronjob": """apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-report
spec:
  schedule: "30 2 * * *"
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: curlimages/curl:8.10.1
            args: ["-s", "http://shop-web/report"]
""",
"postgres": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: postgres-db
spec:
  replicas: 1
  selector:
    matchLabels:
      app: postgres
  template:
    metadata:
      labels:
        app: postgres
    spec:
      containers:
      - name: postgres
        image: postgres:15
        env:
        - name: POSTGRES_DB
          value: "irisdb"
        ports:
        - containerPort: 5432
        volumeMounts:
        - name: postgres-data
          mountPath: /var/lib/postgresql/data
      volumes:
      - name: postgres-data
        persistentVolumeClaim:
          claimName: postgres-pvc
""",
}

# (case id, base, text to replace, replacement, description)
M = [
# --- ConfigMap
("cm-number-value", "configmap", 'GREETING: "Bonjour"', "PORT: 8080", "a number as a data value"),
("cm-bool-value", "configmap", 'GREETING: "Bonjour"', "DEBUG: yes", "a YAML 1.1 boolean as a data value"),
("cm-quoted-bool", "configmap", 'GREETING: "Bonjour"', 'DEBUG: "yes"', "a quoted boolean (valid)"),
("cm-bad-key", "configmap", 'GREETING: "Bonjour"', 'bad key: "x"', "a data key with a space"),
("cm-slash-key", "configmap", 'GREETING: "Bonjour"', 'a/b: "x"', "a data key with a slash"),
("cm-dotted-key", "configmap", 'GREETING: "Bonjour"', 'app.properties: "x=1"', "a dotted key (valid)"),
("cm-name-upper", "configmap", "name: app-settings", "name: App-Settings", "an upper-case name"),
("cm-name-underscore", "configmap", "name: app-settings", "name: app_settings", "an underscore in the name"),
("cm-name-dots", "configmap", "name: app-settings", "name: app.settings.v1", "a dotted name (valid subdomain)"),
("cm-name-missing", "configmap", "  name: app-settings\n", "", "no name"),
("cm-label-number", "configmap", "app: shop", "version: 1.0", "a number as a label value"),
("cm-label-space", "configmap", "app: shop", 'app: "my shop"', "a space in a label value"),
("cm-label-long", "configmap", "app: shop", "app: " + "a" * 64, "a label value of 64 characters"),
("cm-label-key-bad", "configmap", "app: shop", '"-app": shop', "a label key starting with -"),
("cm-label-prefix", "configmap", "app: shop", "app.kubernetes.io/name: shop", "a prefixed label key (valid)"),
("cm-unknown-top", "configmap", "data:", "datas:", "misspelt data"),
("cm-meta-typo", "configmap", "  labels:", "  label:", "misspelt labels"),
("cm-data-list", "configmap", 'data:\n  MODE: "production"\n  GREETING: "Bonjour"', 'data:\n- MODE: "production"', "data as a list"),
("cm-binary-bad", "configmap", "\ndata:", "\nbinaryData:\n  blob: not-base64!\ndata:", "invalid base64 in binaryData"),
("cm-binary-ok", "configmap", "\ndata:", "\nbinaryData:\n  blob: aGVsbG8=\ndata:", "valid binaryData"),
("cm-dup-key", "configmap", 'GREETING: "Bonjour"', 'GREETING: "Bonjour"\n  MODE: "dev"', "a duplicate key"),
("cm-annotation-num", "configmap", "  labels:", "  annotations:\n    replicas: 3\n  labels:", "a number as an annotation"),
("cm-kind-lower", "configmap", "kind: ConfigMap", "kind: configmap", "a lower-case kind"),
("cm-immutable", "configmap", "\ndata:", "\nimmutable: true\ndata:", "immutable (valid)"),
("cm-immutable-str", "configmap", "\ndata:", '\nimmutable: "true"\ndata:', "a quoted boolean for immutable"),
("cm-null-value", "configmap", 'GREETING: "Bonjour"', "EMPTY:", "a null data value"),
# --- Secret
("secret-bad-base64", "secret", "username: YWRtaW4=", "username: admin", "clear text in data"),
("secret-bad-base64-2", "secret", "username: YWRtaW4=", "username: YWRtaW4", "missing padding"),
("secret-stringdata-num", "secret", 'password: "s3cr3t"', "password: 1234", "a number in stringData"),
("secret-tls-missing", "secret", "type: Opaque", "type: kubernetes.io/tls", "tls without tls.crt/tls.key"),
("secret-basic-auth", "secret", "type: Opaque", "type: kubernetes.io/basic-auth", "basic-auth with username (valid)"),
("secret-docker-missing", "secret", "type: Opaque", "type: kubernetes.io/dockerconfigjson", "dockerconfigjson without key"),
("secret-custom-type", "secret", "type: Opaque", "type: example.com/custom", "a custom type (valid)"),
("secret-bad-key", "secret", 'password: "s3cr3t"', 'pass word: "s3cr3t"', "a key with a space"),
("secret-typo", "secret", "stringData:", "stringdata:", "misspelt stringData"),
("secret-ssh-missing", "secret", "type: Opaque", "type: kubernetes.io/ssh-auth", "ssh-auth without key"),
# --- PVC
("pvc-no-modes", "pvc", "  accessModes:\n  - ReadWriteOnce\n", "", "no accessModes"),
("pvc-bad-mode", "pvc", "- ReadWriteOnce", "- ReadWriteOnly", "an invalid access mode"),
("pvc-mode-case", "pvc", "- ReadWriteOnce", "- readwriteonce", "a lower-case access mode"),
("pvc-no-storage", "pvc", "  resources:\n    requests:\n      storage: 2Gi\n", "", "no storage request"),
("pvc-bad-quantity", "pvc", "storage: 2Gi", "storage: 2GB", "a quantity with GB"),
("pvc-bad-quantity-2", "pvc", "storage: 2Gi", "storage: 2 Gi", "a quantity with a space"),
("pvc-number-storage", "pvc", "storage: 2Gi", "storage: 1073741824", "a plain number of bytes (valid)"),
("pvc-zero-storage", "pvc", "storage: 2Gi", "storage: 0", "zero storage"),
("pvc-rwop-mixed", "pvc", "- ReadWriteOnce", "- ReadWriteOncePod\n  - ReadWriteOnce", "ReadWriteOncePod with another mode"),
("pvc-volume-mode", "pvc", "spec:", "spec:\n  volumeMode: Block", "volumeMode Block (valid)"),
("pvc-volume-mode-bad", "pvc", "spec:", "spec:\n  volumeMode: Disk", "an invalid volumeMode"),
("pvc-modes-string", "pvc", "  accessModes:\n  - ReadWriteOnce\n", "  accessModes: ReadWriteOnce\n", "accessModes as a string"),
("pvc-storage-class", "pvc", "spec:", "spec:\n  storageClassName: standard", "a storage class (valid)"),
("pvc-requests-typo", "pvc", "requests:", "request:", "misspelt requests"),
# --- Service
("svc-nodeport-no-type", "service", "targetPort: 8080", "targetPort: 8080\n    nodePort: 30080", "nodePort on ClusterIP"),
("svc-nodeport-range", "nodeport", "targetPort: http", "targetPort: http\n    nodePort: 8080", "nodePort outside 30000-32767"),
("svc-nodeport-ok", "nodeport", "targetPort: http", "targetPort: http\n    nodePort: 30999", "nodePort in range (valid)"),
("svc-port-zero", "service", "port: 80", "port: 0", "port 0"),
("svc-port-big", "service", "port: 80", "port: 65536", "port 65536"),
("svc-port-string", "service", "port: 80", 'port: "80"', "a quoted port"),
("svc-target-name-bad", "service", "targetPort: 8080", "targetPort: http_alt", "an invalid targetPort name"),
("svc-target-name-ok", "service", "targetPort: 8080", "targetPort: web", "a named targetPort (valid)"),
("svc-target-big", "service", "targetPort: 8080", "targetPort: 70000", "targetPort too large"),
("svc-type-bad", "service", "spec:", "spec:\n  type: Nodeport", "a misspelt type"),
("svc-protocol-bad", "service", "protocol: TCP", "protocol: tcp", "a lower-case protocol"),
("svc-no-ports", "service", "  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n    protocol: TCP\n", "", "no ports"),
("svc-headless-no-ports", "service", "  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n    protocol: TCP\n", "  clusterIP: None\n", "headless without ports (valid)"),
("svc-two-ports-no-name", "nodeport", "  - port: 8080\n    targetPort: http\n", "  - port: 8080\n    targetPort: http\n  - port: 8443\n", "two ports without names"),
("svc-dup-port-name", "service", "    protocol: TCP\n", "    protocol: TCP\n  - name: http\n    port: 81\n", "duplicate port names"),
("svc-dup-port", "service", "    protocol: TCP\n", "    protocol: TCP\n  - name: other\n    port: 80\n", "duplicate port numbers"),
("svc-name-digit", "service", "name: shop-web", "name: 1shop", "a name starting with a digit"),
("svc-name-dot", "service", "name: shop-web", "name: shop.web", "a dotted Service name"),
("svc-name-long", "service", "name: shop-web", "name: " + "s" * 64, "a Service name of 64 characters"),
("svc-selector-num", "service", "app: shop", "version: 2", "a number in the selector"),
("svc-externalname", "service", "spec:\n  selector:\n    app: shop\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n    protocol: TCP\n", "spec:\n  type: ExternalName\n  externalName: db.example.com\n", "ExternalName (valid)"),
("svc-externalname-missing", "service", "spec:\n  selector:", "spec:\n  type: ExternalName\n  selector:", "ExternalName without externalName"),
("svc-headless-nodeport", "nodeport", "type: NodePort", "type: NodePort\n  clusterIP: None", "headless NodePort"),
("svc-ports-map", "service", "  ports:\n  - name: http", "  ports:\n    name: http", "ports as an object"),
("svc-port-typo", "service", "targetPort: 8080", "targetport: 8080", "misspelt targetPort"),
("svc-session-bad", "service", "spec:", "spec:\n  sessionAffinity: Sticky", "an invalid sessionAffinity"),
# --- Pod
("pod-ok-never", "pod", "restartPolicy: Always", "restartPolicy: Never", "restartPolicy Never (valid)"),
("pod-restart-bad", "pod", "restartPolicy: Always", "restartPolicy: Sometimes", "an invalid restartPolicy"),
("pod-no-image", "pod", "    image: busybox:1.36\n", "", "no image"),
("pod-no-containers", "pod", "  containers:\n  - name: shell\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n    resources:\n      requests:\n        cpu: 100m\n        memory: 64Mi\n      limits:\n        cpu: 500m\n        memory: 128Mi\n", "  containers: []\n", "an empty container list"),
("pod-container-name-bad", "pod", "name: shell", "name: Shell_1", "an invalid container name"),
("pod-container-no-name", "pod", "  - name: shell\n    image", "  - image", "a container without name"),
("pod-request-above-limit", "pod", "cpu: 100m", "cpu: 2", "a request above its limit"),
("pod-bad-cpu", "pod", "cpu: 500m", "cpu: 0.5cores", "an invalid CPU quantity"),
("pod-mem-lower", "pod", "memory: 128Mi", "memory: 128mi", "a lower-case memory unit"),
("pod-cpu-number", "pod", "cpu: 500m", "cpu: 1", "a plain number for CPU (valid)"),
("pod-command-string", "pod", 'command: ["sleep", "3600"]', 'command: "sleep 3600"', "command as a string"),
("pod-command-number", "pod", 'command: ["sleep", "3600"]', "command: [sleep, 3600]", "a number inside command"),
("pod-pull-policy-bad", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    imagePullPolicy: IfNotPresnt\n", "a misspelt imagePullPolicy"),
("pod-pull-policy-case", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    imagePullPolicy: always\n", "a lower-case imagePullPolicy"),
("pod-env-number", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    env:\n    - name: PORT\n      value: 8000\n", "a number as an env value"),
("pod-env-bool", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    env:\n    - name: DEBUG\n      value: true\n", "a boolean as an env value"),
("pod-env-ok", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    env:\n    - name: PORT\n      value: \"8000\"\n", "a quoted env value (valid)"),
("pod-env-no-name", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    env:\n    - value: \"x\"\n", "an env var without name"),
("pod-env-name-eq", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    env:\n    - name: A=B\n      value: \"x\"\n", "an env name with ="),
("pod-env-both", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    env:\n    - name: A\n      value: \"x\"\n      valueFrom:\n        configMapKeyRef: {name: c, key: k}\n", "value and valueFrom"),
("pod-env-from-two", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    env:\n    - name: A\n      valueFrom:\n        configMapKeyRef: {name: c, key: k}\n        secretKeyRef: {name: s, key: k}\n", "two sources in valueFrom"),
("pod-env-key-bad", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    env:\n    - name: A\n      valueFrom:\n        configMapKeyRef: {name: c, key: \"a b\"}\n", "an invalid key in configMapKeyRef"),
("pod-env-ref-no-name", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    env:\n    - name: A\n      valueFrom:\n        secretKeyRef: {key: k}\n", "secretKeyRef without name"),
("pod-envfrom-ok", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    envFrom:\n    - configMapRef:\n        name: app-settings\n", "envFrom (valid)"),
("pod-envfrom-empty", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    envFrom:\n    - prefix: APP_\n", "envFrom without source"),
("pod-env-object", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    env:\n      PORT: \"8000\"\n", "env as an object"),
("pod-port-zero", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    ports:\n    - containerPort: 0\n", "containerPort 0"),
("pod-port-big", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    ports:\n    - containerPort: 80000\n", "containerPort too large"),
("pod-port-string", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    ports:\n    - containerPort: \"80\"\n", "a quoted containerPort"),
("pod-port-name-long", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    ports:\n    - containerPort: 80\n      name: http-port-number-one\n", "a port name over 15 characters"),
("pod-port-name-dup", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    ports:\n    - containerPort: 80\n      name: web\n    - containerPort: 81\n      name: web\n", "duplicate port names"),
("pod-port-missing", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    ports:\n    - name: web\n", "a port without containerPort"),
("pod-port-protocol", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    ports:\n    - containerPort: 80\n      protocol: HTTP\n", "an invalid protocol"),
("pod-dup-containers", "pod", "  containers:\n", "  containers:\n  - name: shell\n    image: busybox:1.36\n", "duplicate container names"),
("pod-mount-unknown", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    volumeMounts:\n    - name: data\n      mountPath: /data\n", "a mount of an undeclared volume"),
("pod-mount-no-path", "pod", "  containers:\n", "  volumes:\n  - name: data\n    emptyDir: {}\n  containers:\n", "a declared volume, not mounted (valid)"),
("pod-volume-two-sources", "pod", "  containers:\n", "  volumes:\n  - name: data\n    emptyDir: {}\n    hostPath:\n      path: /tmp\n  containers:\n", "a volume with two sources"),
("pod-volume-name-bad", "pod", "  containers:\n", "  volumes:\n  - name: Data\n    emptyDir: {}\n  containers:\n", "an invalid volume name"),
("pod-volume-dup", "pod", "  containers:\n", "  volumes:\n  - name: data\n    emptyDir: {}\n  - name: data\n    emptyDir: {}\n  containers:\n", "duplicate volume names"),
("pod-volume-pvc-no-claim", "pod", "  containers:\n", "  volumes:\n  - name: data\n    persistentVolumeClaim: {readOnly: true}\n  containers:\n", "a PVC volume without claimName"),
("pod-volume-cm-no-name", "pod", "  containers:\n", "  volumes:\n  - name: data\n    configMap: {optional: true}\n  containers:\n", "a configMap volume without name"),
("pod-volume-secret-no-name", "pod", "  containers:\n", "  volumes:\n  - name: data\n    secret: {optional: true}\n  containers:\n", "a secret volume without secretName"),
("pod-volume-no-source", "pod", "  containers:\n", "  volumes:\n  - name: data\n  containers:\n", "a volume without source (defaults to emptyDir)"),
("pod-probe-no-handler", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    livenessProbe:\n      periodSeconds: 5\n", "a probe without handler"),
("pod-probe-two-handlers", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    livenessProbe:\n      tcpSocket: {port: 80}\n      exec: {command: [\"true\"]}\n", "a probe with two handlers"),
("pod-probe-port-bad", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    livenessProbe:\n      httpGet: {port: 0}\n", "a probe on port 0"),
("pod-probe-port-name-bad", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    livenessProbe:\n      tcpSocket: {port: \"Web_Port\"}\n", "an invalid probe port name"),
("pod-probe-negative", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    readinessProbe:\n      tcpSocket: {port: 80}\n      initialDelaySeconds: -5\n", "a negative initialDelaySeconds"),
("pod-probe-scheme", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    readinessProbe:\n      httpGet: {port: 80, scheme: http}\n", "a lower-case probe scheme"),
("pod-field-typo", "pod", "    command:", "    comand:", "misspelt command"),
("pod-spec-typo", "pod", "  restartPolicy:", "  restartpolicy:", "restartPolicy with wrong case"),
("pod-indent-wrong", "pod", "    resources:", "  resources:", "resources one level too high"),
("pod-dns-policy", "pod", "restartPolicy: Always", "restartPolicy: Always\n  dnsPolicy: Cluster", "an invalid dnsPolicy"),
("pod-grace-negative", "pod", "restartPolicy: Always", "restartPolicy: Always\n  terminationGracePeriodSeconds: -1", "a negative grace period"),
("pod-tab-indent", "pod", "    image: busybox:1.36\n", "\timage: busybox:1.36\n", "a tab used for indentation"),
("pod-bad-yaml", "pod", "  containers:\n", "  containers\n", "a key without colon"),
("pod-replicas-float", "deployment", "replicas: 2", "replicas: 2.5", "a fractional replica count"),
("pod-node-selector-num", "pod", "restartPolicy: Always", "restartPolicy: Always\n  nodeSelector:\n    disk: 1", "a number in nodeSelector"),
("pod-host-network-str", "pod", "restartPolicy: Always", "restartPolicy: Always\n  hostNetwork: \"false\"", "a quoted boolean for hostNetwork"),
("pod-name-long", "pod", "name: toolbox", "name: " + "t" * 254, "a Pod name of 254 characters"),
# --- Deployment
("deploy-extensions", "deployment", "apiVersion: apps/v1", "apiVersion: extensions/v1beta1", "a removed apiVersion"),
("deploy-apps-beta", "deployment", "apiVersion: apps/v1", "apiVersion: apps/v1beta2", "a removed beta apiVersion"),
("deploy-core-v1", "deployment", "apiVersion: apps/v1", "apiVersion: v1", "the wrong group"),
("deploy-kind-typo", "deployment", "kind: Deployment", "kind: Deploymnet", "a misspelt kind"),
("deploy-no-selector", "deployment", "  selector:\n    matchLabels:\n      app: shop\n", "", "no selector"),
("deploy-selector-mismatch", "deployment", "      labels:\n        app: shop\n    spec:", "      labels:\n        app: store\n    spec:", "a selector not matching the template"),
("deploy-empty-selector", "deployment", "  selector:\n    matchLabels:\n      app: shop\n", "  selector: {}\n", "an empty selector"),
("deploy-template-no-labels", "deployment", "    metadata:\n      labels:\n        app: shop\n    spec:", "    spec:", "a template without labels"),
("deploy-selector-expr", "deployment", "    matchLabels:\n      app: shop\n", "    matchExpressions:\n    - {key: app, operator: In, values: [shop, store]}\n", "a matchExpressions selector (valid)"),
("deploy-selector-expr-bad", "deployment", "    matchLabels:\n      app: shop\n", "    matchExpressions:\n    - {key: app, operator: In, values: [store]}\n", "a matchExpressions selector not matching"),
("deploy-restart-never", "deployment", "      containers:", "      restartPolicy: Never\n      containers:", "restartPolicy Never in a Deployment"),
("deploy-restart-always", "deployment", "      containers:", "      restartPolicy: Always\n      containers:", "restartPolicy Always (valid)"),
("deploy-replicas-negative", "deployment", "replicas: 2", "replicas: -1", "negative replicas"),
("deploy-replicas-string", "deployment", "replicas: 2", 'replicas: "2"', "quoted replicas"),
("deploy-replicas-float-ok", "deployment", "replicas: 2", "replicas: 2.0", "replicas 2.0 (a whole number)"),
("deploy-strategy-bad", "deployment", "  replicas: 2\n", "  replicas: 2\n  strategy:\n    type: Rolling\n", "an invalid strategy type"),
("deploy-recreate-rolling", "deployment", "  replicas: 2\n", "  replicas: 2\n  strategy:\n    type: Recreate\n    rollingUpdate: {maxSurge: 1}\n", "rollingUpdate with Recreate"),
("deploy-surge-zero", "deployment", "  replicas: 2\n", "  replicas: 2\n  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}\n", "maxSurge and maxUnavailable both 0"),
("deploy-surge-percent", "deployment", "  replicas: 2\n", "  replicas: 2\n  strategy:\n    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}\n", "percent maxSurge (valid)"),
("deploy-containers-typo", "deployment", "      containers:", "      contianers:", "misspelt containers"),
("deploy-image-missing", "deployment", "        image: nginx:1.27\n", "", "no image"),
("deploy-env-number", "deployment", 'value: "info"', "value: 3", "a number as an env value"),
("deploy-env-unquoted-ok", "deployment", 'value: "info"', "value: info", "an unquoted string env value (valid)"),
("deploy-env-on", "deployment", 'value: "info"', "value: on", "a YAML 1.1 boolean (on) as an env value"),
("deploy-env-null", "deployment", 'value: "info"', "value:", "an empty env value (valid)"),
("deploy-mount-wrong", "deployment", "        - name: cache\n          mountPath", "        - name: cach\n          mountPath", "a mount of a misspelt volume"),
("deploy-mount-dup-path", "deployment", "          mountPath: /cache\n", "          mountPath: /cache\n        - name: cache\n          mountPath: /cache\n", "the same mountPath twice"),
("deploy-probe-name-missing", "deployment", "            port: http", "            port: metrics", "a probe on an undeclared port name (valid for the server)"),
("deploy-pull-policy-bad", "deployment", "imagePullPolicy: IfNotPresent", "imagePullPolicy: IfNotPresnt", "a misspelt imagePullPolicy"),
("deploy-template-label-bad", "deployment", "      labels:\n        app: shop\n    spec:", "      labels:\n        app: shop\n        tier: \"front end\"\n    spec:", "a space in a template label"),
("deploy-template-typo", "deployment", "  template:", "  templates:", "misspelt template"),
("deploy-name-upper", "deployment", "name: shop\n  labels", "name: Shop\n  labels", "an upper-case name"),
("deploy-progress", "deployment", "  replicas: 2\n", "  replicas: 2\n  minReadySeconds: -3\n", "negative minReadySeconds"),
("deploy-revision-ok", "deployment", "  replicas: 2\n", "  replicas: 2\n  revisionHistoryLimit: 0\n", "revisionHistoryLimit 0 (valid)"),
("deploy-dup-field", "deployment", "  replicas: 2\n", "  replicas: 2\n  replicas: 3\n", "a duplicate field"),
("deploy-anchor", "deployment", "  selector:\n    matchLabels:\n      app: shop\n", "  selector:\n    matchLabels: &l\n      app: shop\n", "an anchor (valid)"),
("deploy-ports-object", "deployment", "        - name: http\n          containerPort: 8080\n", "          http: 8080\n", "ports as an object"),
("deploy-resources-limits-typo", "deployment", "        imagePullPolicy: IfNotPresent\n", "        imagePullPolicy: IfNotPresent\n        resources:\n          limit:\n            cpu: 1\n", "misspelt limits"),
# --- ReplicaSet
("rs-ok-expr", "replicaset", "    matchLabels:\n      tier: front\n", "    matchLabels:\n      tier: front\n    matchExpressions:\n    - {key: env, operator: DoesNotExist}\n", "matchExpressions DoesNotExist (valid)"),
("rs-mismatch", "replicaset", "        tier: front", "        tier: back", "a selector not matching"),
("rs-restart", "replicaset", "      containers:", "      restartPolicy: OnFailure\n      containers:", "restartPolicy OnFailure in a ReplicaSet"),
("rs-operator-bad", "replicaset", "    matchLabels:\n      tier: front\n", "    matchLabels:\n      tier: front\n    matchExpressions:\n    - {key: env, operator: Missing}\n", "an invalid selector operator"),
# --- Job
("job-restart-always", "job", "restartPolicy: Never", "restartPolicy: Always", "restartPolicy Always in a Job"),
("job-restart-missing", "job", "      restartPolicy: Never\n", "", "no restartPolicy in a Job"),
("job-restart-onfailure", "job", "restartPolicy: Never", "restartPolicy: OnFailure", "restartPolicy OnFailure (valid)"),
("job-backoff-negative", "job", "backoffLimit: 2", "backoffLimit: -1", "a negative backoffLimit"),
("job-completions-str", "job", "backoffLimit: 2", 'completions: "3"', "quoted completions"),
("job-parallelism-neg", "job", "backoffLimit: 2", "parallelism: -2", "negative parallelism"),
("job-selector", "job", "  backoffLimit: 2\n", "  backoffLimit: 2\n  selector:\n    matchLabels: {a: b}\n", "a selector without manualSelector"),
("job-ttl", "job", "backoffLimit: 2", "ttlSecondsAfterFinished: 100", "ttlSecondsAfterFinished (valid)"),
("job-completion-mode-bad", "job", "backoffLimit: 2", "completionMode: Ordered", "an invalid completionMode"),
("job-no-template", "job", "  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: migrate\n        image: busybox:1.36\n        args: [\"echo\", \"done\"]\n", "", "no template"),
("job-args-numbers", "job", 'args: ["echo", "done"]', "args: [sleep, 5]", "a number in args"),
# --- CronJob
("cron-every-minute", "cronjob", '"30 2 * * *"', '"*/1 * * * *"', "every minute (valid)"),
("cron-hourly", "cronjob", '"30 2 * * *"', '"@hourly"', "@hourly (valid)"),
("cron-four-fields", "cronjob", '"30 2 * * *"', '"30 2 * *"', "four fields"),
("cron-six-fields", "cronjob", '"30 2 * * *"', '"0 30 2 * * *"', "six fields"),
("cron-minute-60", "cronjob", '"30 2 * * *"', '"60 2 * * *"', "minute 60"),
("cron-hour-24", "cronjob", '"30 2 * * *"', '"30 24 * * *"', "hour 24"),
("cron-step-zero", "cronjob", '"30 2 * * *"', '"*/0 * * * *"', "a step of 0"),
("cron-names", "cronjob", '"30 2 * * *"', '"0 9 * jan-mar mon-fri"', "month and day names (valid)"),
("cron-dow-7", "cronjob", '"30 2 * * *"', '"0 9 * * 7"', "day of week 7"),
("cron-tz-prefix", "cronjob", '"30 2 * * *"', '"TZ=Europe/Paris 30 2 * * *"', "TZ= in the schedule"),
("cron-timezone-ok", "cronjob", "  concurrencyPolicy: Forbid\n", "  timeZone: Europe/Paris\n  concurrencyPolicy: Forbid\n", "a timeZone (valid)"),
("cron-timezone-local", "cronjob", "  concurrencyPolicy: Forbid\n", "  timeZone: Local\n  concurrencyPolicy: Forbid\n", "timeZone Local"),
("cron-macro-bad", "cronjob", '"30 2 * * *"', '"@sometimes"', "an unknown macro"),
("cron-concurrency-bad", "cronjob", "concurrencyPolicy: Forbid", "concurrencyPolicy: Never", "an invalid concurrencyPolicy"),
("cron-history-negative", "cronjob", "successfulJobsHistoryLimit: 3", "successfulJobsHistoryLimit: -1", "a negative history limit"),
("cron-history-string", "cronjob", "failedJobsHistoryLimit: 1", 'failedJobsHistoryLimit: "1"', "a quoted history limit"),
("cron-restart-always", "cronjob", "restartPolicy: OnFailure", "restartPolicy: Always", "restartPolicy Always in a CronJob"),
("cron-batch-beta", "cronjob", "apiVersion: batch/v1", "apiVersion: batch/v1beta1", "a removed apiVersion"),
("cron-name-long", "cronjob", "name: nightly-report", "name: " + "n" * 53, "a CronJob name of 53 characters"),
("cron-schedule-missing", "cronjob", '  schedule: "30 2 * * *"\n', "", "no schedule"),
("cron-jobtemplate-typo", "cronjob", "jobTemplate:", "jobtemplate:", "misspelt jobTemplate"),
("cron-schedule-number", "cronjob", 'schedule: "30 2 * * *"', "schedule: 5", "a number as the schedule"),
("cron-range-bad", "cronjob", '"30 2 * * *"', '"30 5-2 * * *"', "a reversed range"),
("cron-suspend-str", "cronjob", "concurrencyPolicy: Forbid", 'concurrencyPolicy: Forbid\n  suspend: "true"', "a quoted boolean for suspend"),
# --- Fiche 3 postgres
("pg-claim-missing", "postgres", "          claimName: postgres-pvc\n", "", "a PVC volume without claimName"),
("pg-volume-typo", "postgres", "persistentVolumeClaim:", "persistentVolumeClain:", "misspelt persistentVolumeClaim"),
("pg-env-password-num", "postgres", 'value: "irisdb"', "value: 12345", "a number as an env value"),
("pg-mount-name", "postgres", "        - name: postgres-data\n          mountPath", "        - name: postgres_data\n          mountPath", "a mount naming no volume"),
("pg-port-string", "postgres", "containerPort: 5432", 'containerPort: "5432"', "a quoted containerPort"),
("cm-binary-dup", "configmap", "\ndata:", "\nbinaryData:\n  MODE: aGVsbG8=\ndata:", "a key in both data and binaryData"),
("cm-namespace-bad", "configmap", "  name: app-settings\n", "  name: app-settings\n  namespace: My_NS\n", "an invalid namespace"),
("cm-label-prefix-bad", "configmap", "app: shop", "Example.com/app: shop", "a label key with an upper-case prefix"),
("cm-label-name-long", "configmap", "app: shop", "example.com/" + "k" * 64 + ": shop", "a label key name of 64 characters"),
("cm-annotation-key-bad", "configmap", "  labels:", "  annotations:\n    \"note here\": x\n  labels:", "an annotation key with a space"),
("cm-annotation-long-ok", "configmap", "  labels:", "  annotations:\n    note: " + "x" * 2000 + "\n  labels:", "a long annotation value (valid)"),
("cm-generate-name", "configmap", "  name: app-settings\n", "  generateName: app-\n", "generateName without name"),
("cm-y-key", "configmap", 'GREETING: "Bonjour"', 'y: "coordinate"', "the key y (a YAML 1.1 boolean)"),
("cm-y-on-keys", "configmap", 'GREETING: "Bonjour"', 'y: "a"\n  on: "b"', "keys y and on (both the boolean true for Kubernetes)"),
("cm-octal", "configmap", 'GREETING: "Bonjour"', 'MODE2: "0755"', "a quoted octal-looking value (valid)"),
("cm-merge-key", "configmap", "data:\n  MODE", "base: &b\n  X: \"1\"\ndata:\n  <<: *b\n  MODE", "a merge key with a stray top-level field"),
("secret-basic-auth-empty", "secret", "type: Opaque\ndata:\n  username: YWRtaW4=\nstringData:\n  password: \"s3cr3t\"", "type: kubernetes.io/basic-auth\ndata:\n  other: YWRtaW4=", "basic-auth without username or password"),
("secret-sa-token", "secret", "type: Opaque", "type: kubernetes.io/service-account-token", "a service-account-token without annotation"),
("secret-multiline-b64", "secret", "username: YWRtaW4=", "username: |\n    YWRt\n    aW4=", "base64 over two lines (valid)"),
("svc-selector-bad-value", "service", "app: shop", 'app: "shop front"', "a space in a selector value"),
("svc-lb", "service", "spec:", "spec:\n  type: LoadBalancer", "a LoadBalancer Service (valid)"),
("svc-external-policy-bad", "nodeport", "type: NodePort", "type: NodePort\n  externalTrafficPolicy: Global", "an invalid externalTrafficPolicy"),
("deploy-matchlabels-bad", "deployment", "    matchLabels:\n      app: shop\n", "    matchLabels:\n      app: shop\n      tier: \"a b\"\n", "an invalid value in matchLabels"),
("deploy-probe-unknown-name", "deployment", "            port: http", "            port: admin", "a probe port name no container declares (valid for the server)"),
("deploy-envfrom-secret", "deployment", "        env:\n", "        envFrom:\n        - secretRef:\n            name: db-credentials\n        env:\n", "envFrom a Secret (valid)"),
("deploy-init-dup", "deployment", "      containers:", "      initContainers:\n      - name: web\n        image: busybox:1.36\n      containers:", "an init container with the same name"),
("deploy-maxsurge-bad", "deployment", "  replicas: 2\n", "  replicas: 2\n  strategy:\n    rollingUpdate: {maxSurge: 1.5}\n", "a fractional maxSurge"),
("job-manual-selector", "job", "  backoffLimit: 2\n", "  backoffLimit: 2\n  manualSelector: true\n  selector:\n    matchLabels: {a: b}\n", "manualSelector with a non-matching selector"),
("job-active-deadline", "job", "backoffLimit: 2", "activeDeadlineSeconds: -10", "a negative activeDeadlineSeconds"),
("cron-starting-deadline", "cronjob", "concurrencyPolicy: Forbid", "concurrencyPolicy: Forbid\n  startingDeadlineSeconds: -5", "a negative startingDeadlineSeconds"),
("cron-every", "cronjob", '"30 2 * * *"', '"@every 1h"', "@every 1h"),
("cron-question", "cronjob", '"30 2 * * *"', '"0 0 ? * *"', "a ? in day of month"),
("cron-list-step", "cronjob", '"30 2 * * *"', '"0,30 8-18/2 * * 1-5"', "lists, ranges and steps (valid)"),
("pod-mount-path-missing", "pod", "  containers:\n", "  volumes:\n  - name: data\n    emptyDir: {}\n  containers:\n", "unused volume (valid)"),
("pod-resources-typo", "pod", "      requests:", "      requsts:", "misspelt requests"),
("pod-resource-name-bad", "pod", "cpu: 500m", "cpus: 500m", "an unknown resource name"),
("pod-resource-extended", "pod", "cpu: 500m", "cpu: 500m\n        example.com/widget: 1", "an extended resource in limits only"),
("deploy-maxsurge-str-bad", "deployment", "  replicas: 2\n", "  replicas: 2\n  strategy:\n    rollingUpdate: {maxSurge: \"one\"}\n", "a maxSurge that is not a percentage"),
("deploy-maxsurge-quoted-num", "deployment", "  replicas: 2\n", "  replicas: 2\n  strategy:\n    rollingUpdate: {maxSurge: \"1\"}\n", "a quoted number for maxSurge"),
("pod-host-port", "pod", "    image: busybox:1.36\n", "    image: busybox:1.36\n    ports:\n    - containerPort: 80\n      hostPort: 70000\n", "hostPort too large"),
]


def main():
    for f in os.listdir(HERE):
        if f.endswith(".yaml"):
            os.remove(os.path.join(HERE, f))
    count = 0
    for name, text in BASES.items():
        with open(os.path.join(HERE, f"valid-{name}.yaml"), "w") as out:
            out.write(f"# case: the valid {name} base\n" + text)
        count += 1
    ids = set()
    for case, base, old, new, what in M:
        assert case not in ids, case
        ids.add(case)
        src = BASES[base]
        assert old in src, (case, old)
        with open(os.path.join(HERE, f"{case}.yaml"), "w") as out:
            out.write(f"# case: {what}\n" + src.replace(old, new, 1))
        count += 1
    print(count, "files")


if __name__ == "__main__":
    main()
