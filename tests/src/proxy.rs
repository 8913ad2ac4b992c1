//! The proxy under test: in-process through `kubefiche::app` (integration tests), or the real
//! binary on a free port (browser tests), both against the test cluster.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::body::Body;
use http::{Request, Response};
use kube::config::Kubeconfig;
use kubefiche::guard::Guard;
use kubefiche::kubectl::Kubectl;
use kubefiche::watch::Hub;
use kubefiche::{AppState, app};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tower::ServiceExt;

use crate::cluster::{TestCluster, test_kubectl, workspace_root};

/// The port the in-process app believes it listens on (Host and Origin are checked against it).
pub const PORT: u16 = 18417;
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef-test-token";
pub const HOST: &str = "127.0.0.1:18417";
pub const ORIGIN: &str = "http://127.0.0.1:18417";

/// The proxy's router for one namespace, with a fixed token; its commands run [`test_kubectl`]
/// with the cluster's kubeconfig and current context.
pub async fn router(cluster: &TestCluster, namespace: &str) -> Result<Router> {
    router_with(cluster, namespace, cluster.client().await?).await
}

/// The same with a client of the caller's (e.g. one whose connections a test can cut).
pub async fn router_with(
    cluster: &TestCluster,
    namespace: &str,
    client: kube::Client,
) -> Result<Router> {
    let server_version = client.apiserver_version().await?.git_version;
    let kubeconfig = cluster.kubeconfig_path();
    let context = Kubeconfig::read_from(kubeconfig)?
        .current_context
        .context("the test kubeconfig names no current context")?;
    let kubectl = Kubectl {
        program: test_kubectl(),
        kubeconfig: Some(kubeconfig.to_owned()),
        context,
        namespace: namespace.to_owned(),
        ..Kubectl::default()
    };
    Ok(app(AppState {
        hub: Hub::start(client.clone(), namespace),
        client,
        namespace: namespace.to_owned(),
        context: "test".into(),
        server_version,
        guard: Guard::new(TOKEN, PORT, &[]),
        max_body_bytes: 256 * 1024,
        kubectl,
        sandbox: Default::default(),
        shutdown: tokio_util::sync::CancellationToken::new(),
        bounds: kubefiche::bounds::Bounds::default(),
        classroom: None,
    }))
}

/// A request as the page sends it: right Host, token, Origin and content type.
pub fn page_request(method: &str, path: &str, body: Option<&serde_json::Value>) -> Request<Body> {
    let builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", HOST)
        .header("origin", ORIGIN)
        .header(kubefiche_core::wire::TOKEN_HEADER, TOKEN)
        .header("content-type", "application/json");
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    builder.body(body).expect("request")
}

/// Send one request and read the whole answer as JSON (with its status).
pub async fn call(router: &Router, request: Request<Body>) -> Result<(u16, serde_json::Value)> {
    let response: Response<Body> = router.clone().oneshot(request).await?;
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    let json = serde_json::from_slice(&bytes)
        .with_context(|| format!("HTTP {status}: {}", String::from_utf8_lossy(&bytes)))?;
    Ok((status, json))
}

/// `KUBEFICHE_KUBECTL` for [`test_kubectl`]; a test passes its own in `extra_env` to override it.
fn kubectl_env() -> Vec<(&'static str, String)> {
    vec![("KUBEFICHE_KUBECTL", test_kubectl().display().to_string())]
}

/// The real `kubefiche` binary, serving the built app against the test cluster. Killed if still
/// running when dropped.
pub struct ProxyProcess {
    child: Child,
    /// The address it printed, with its token.
    pub url: String,
    log: PathBuf,
}

/// How long the proxy may take to stop after SIGTERM, as Ctrl-C would.
const GRACEFUL_STOP: Duration = Duration::from_secs(10);

impl ProxyProcess {
    pub async fn start(
        cluster: &TestCluster,
        namespace: &str,
        extra_env: &[(&str, &str)],
    ) -> Result<Self> {
        Self::start_on(cluster, namespace, 0, extra_env).await
    }

    /// The same on a chosen port (0 picks a free one), e.g. to restart a proxy where it was.
    pub async fn start_on(
        cluster: &TestCluster,
        namespace: &str,
        port: u16,
        extra_env: &[(&str, &str)],
    ) -> Result<Self> {
        let args = ["--port", &port.to_string(), "--namespace", namespace].map(str::to_owned);
        let label = format!("{namespace}-{port}");
        Self::spawn(cluster, &label, &args, extra_env, "kubefiche is ready: ").await
    }

    /// `kubefiche classroom` on a free port, its class kept in `home`, served over TLS with the
    /// given certificate and key (PEM files).
    pub async fn classroom(
        cluster: &TestCluster,
        home: &str,
        cert: &std::path::Path,
        key: &std::path::Path,
    ) -> Result<Self> {
        let args = [
            "classroom".to_owned(),
            "--port".to_owned(),
            "0".to_owned(),
            "--home-namespace".to_owned(),
            home.to_owned(),
            "--tls-cert".to_owned(),
            cert.display().to_string(),
            "--tls-key".to_owned(),
            key.display().to_string(),
        ];
        // A class of a hundred learners logs too much at debug level for a measurement.
        let quiet = [("KUBEFICHE_LOG", "info,kube_client=warn,kube_runtime=warn")];
        Self::spawn(
            cluster,
            home,
            &args,
            &quiet,
            "kubefiche classroom is ready: ",
        )
        .await
    }

    /// The binary with `args` and the test cluster's kubeconfig, once it printed `ready` and its
    /// address.
    async fn spawn(
        cluster: &TestCluster,
        label: &str,
        args: &[String],
        extra_env: &[(&str, &str)],
        ready: &str,
    ) -> Result<Self> {
        let bin = std::env::var_os("KUBEFICHE_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join("target/debug/kubefiche"));
        if !bin.is_file() {
            bail!(
                "no proxy binary at {} (run through `cargo xtask test`)",
                bin.display()
            );
        }
        let log = std::env::temp_dir().join(format!(
            "kubefiche-proxy-{label}-{}.log",
            std::process::id()
        ));
        let log_file =
            std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let mut child = Command::new(&bin)
            .args(args)
            .arg("--kubeconfig")
            .arg(cluster.kubeconfig_path())
            .envs(kubectl_env())
            .env("KUBEFICHE_LOG", "debug")
            .envs(extra_env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            let Some(line) = lines.next_line().await? else {
                bail!(
                    "the proxy exited before printing its address; its log is {}",
                    log.display()
                )
            };
            if let Some(url) = line.strip_prefix(ready) {
                break url.to_owned();
            }
        };
        Ok(Self { child, url, log })
    }

    /// `http://127.0.0.1:PORT` (or `https://…`) without the token.
    pub fn origin(&self) -> &str {
        self.url.split("/#").next().unwrap_or(&self.url)
    }

    /// Everything it logged so far (at debug level).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The per-launch token it printed in its address.
    pub fn token(&self) -> &str {
        self.url.split("#token=").nth(1).unwrap_or_default()
    }

    /// Its process id (`None` once it has exited).
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    pub fn port(&self) -> u16 {
        self.origin()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0)
    }

    /// Stops it as Ctrl-C would (SIGTERM, graceful); `false` when it had to be killed because it
    /// was still running 10 s later.
    pub async fn stop(&mut self) -> bool {
        if let Some(pid) = self.child.id().and_then(|id| i32::try_from(id).ok()) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
        }
        if let Ok(Ok(_)) = tokio::time::timeout(GRACEFUL_STOP, self.child.wait()).await {
            return true;
        }
        let _ = self.child.kill().await;
        false
    }
}

/// A class served in-process against the test cluster: its router, and the class itself (to
/// reach a seat's impersonating client, or start the class again as a restarted proxy would).
pub struct ClassUnderTest {
    pub router: Router,
    pub classroom: kubefiche::classroom::Classroom,
    pub shutdown: tokio_util::sync::CancellationToken,
}

impl ClassUnderTest {
    /// A request with the instructor's token; the status and the JSON answer.
    pub async fn instructor(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let token = self.classroom.instructor_token().to_owned();
        self.learner(&token, method, path, body).await
    }

    /// A request with a learner's `token`; the status and the JSON answer.
    pub async fn learner(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        call(
            &self.router,
            class_request(method, path, Some(token), body.as_ref()),
        )
        .await
        .expect("a JSON answer")
    }

    /// Join with the class's current code; the learner's token and namespace.
    pub async fn join(&self, name: &str) -> (String, String) {
        let (_, info) = self.instructor("GET", "/api/class", None).await;
        let code = info["join"]
            .as_str()
            .expect("a join link")
            .trim_start_matches("/#join=")
            .to_owned();
        let body = serde_json::json!({"code": code, "name": name});
        let (status, joined) = call(
            &self.router,
            class_request("POST", "/api/join", None, Some(&body)),
        )
        .await
        .expect("join");
        assert_eq!(status, 200, "{joined}");
        (
            joined["token"].as_str().expect("token").to_owned(),
            joined["namespace"].as_str().expect("namespace").to_owned(),
        )
    }

    /// Run a console command as a learner; the whole stream of its events as text, which must
    /// end with exit code 0.
    pub async fn command(&self, token: &str, line: &str) -> String {
        let body = serde_json::json!({"line": line, "files": []});
        let run = self
            .router
            .clone()
            .oneshot(class_request(
                "POST",
                "/api/command",
                Some(token),
                Some(&body),
            ))
            .await
            .expect("command");
        let status = run.status();
        let bytes = axum::body::to_bytes(run.into_body(), usize::MAX)
            .await
            .expect("body");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        assert!(
            status == 200 && text.contains("\"code\":0"),
            "{line}: {status} {text}"
        );
        text
    }
}

/// Serve a class whose state lives in `home` (a namespace of the test's own).
pub async fn class_router(cluster: &TestCluster, home: &str) -> Result<ClassUnderTest> {
    class_router_with(cluster, home, Duration::from_secs(3600)).await
}

/// The same with join links that work for `join_link`.
pub async fn class_router_with(
    cluster: &TestCluster,
    home: &str,
    join_link: Duration,
) -> Result<ClassUnderTest> {
    class_router_as(cluster.kubeconfig_path(), home, join_link).await
}

/// The same with the credentials of `kubeconfig` (e.g. the deployed proxy's ServiceAccount).
pub async fn class_router_as(
    kubeconfig: &std::path::Path,
    home: &str,
    join_link: Duration,
) -> Result<ClassUnderTest> {
    let client = crate::cluster::client_for(kubeconfig).await?;
    let server_version = client.apiserver_version().await?.git_version;
    let config = Kubeconfig::read_from(kubeconfig)?;
    let context = config
        .current_context
        .clone()
        .context("the test kubeconfig names no current context")?;
    let base = kube::Config::from_custom_kubeconfig(config, &Default::default()).await?;
    let kubectl = Kubectl {
        program: test_kubectl(),
        kubeconfig: Some(kubeconfig.to_owned()),
        context,
        namespace: home.to_owned(),
        ..Kubectl::default()
    };
    let shutdown = tokio_util::sync::CancellationToken::new();
    let classroom = kubefiche::classroom::Classroom::start(kubefiche::classroom::Setup {
        admin: client.clone(),
        base,
        home: home.to_owned(),
        kubectl: kubectl.clone(),
        shutdown: shutdown.clone(),
        join_link,
    })
    .await?;
    let sandbox = kubefiche::sandbox::Settings {
        fixed_node_ports: false,
        ..Default::default()
    };
    let router = app(AppState {
        hub: Hub::start(client.clone(), home),
        client,
        namespace: home.to_owned(),
        context: "test".into(),
        server_version,
        guard: Guard::new(TOKEN, PORT, &[]).with_classroom(classroom.clone()),
        max_body_bytes: 256 * 1024,
        kubectl,
        sandbox,
        shutdown: shutdown.clone(),
        bounds: kubefiche::bounds::Bounds::default(),
        classroom: Some(classroom.clone()),
    });
    Ok(ClassUnderTest {
        router,
        classroom,
        shutdown,
    })
}

/// A request as a class's page sends it, with `token` (none: joining).
pub fn class_request(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&serde_json::Value>,
) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", HOST)
        .header("origin", ORIGIN)
        .header("content-type", "application/json");
    if let Some(token) = token {
        builder = builder.header(kubefiche_core::wire::TOKEN_HEADER, token);
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    builder.body(body).expect("request")
}
