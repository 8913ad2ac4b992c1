//! A class in real Chromium, through the real `kubefiche classroom` binary over TLS against the
//! API server of the local control plane: the instructor creates the class and gets a join link
//! and its QR code; a learner joins in another browser, works on the worksheet and falls into its
//! trap (the backend reads a ConfigMap not created yet); the board shows the learner live, the
//! room's most common problem, the learner's files and objects read-only, and the same without
//! names for the room; a revoked learner's page says so.
//!
//! Ignored by a plain `cargo test`: `cargo xtask test` runs it once the cluster, the app and the
//! proxy binary are ready.

use std::time::Duration;

use kubefiche_tests::browser::Browser;
use kubefiche_tests::cluster::{cluster, namespace};
use kubefiche_tests::exercises::Learner;
use kubefiche_tests::proxy::ProxyProcess;
use serde_json::json;

const SECONDS: fn(u64) -> Duration = Duration::from_secs;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn an_instructor_follows_a_learner_on_the_board() {
    let cluster = cluster().await;
    let home = namespace("kf-board").await;
    let dir = std::env::temp_dir().join(format!("kubefiche-board-{}", home.name()));
    let certificate = kubefiche_tests::tls::generate(&dir).expect("certificate");
    let mut proxy =
        ProxyProcess::classroom(cluster, home.name(), &certificate.cert, &certificate.key)
            .await
            .expect("kubefiche classroom");
    assert!(proxy.url.starts_with("https://"), "{}", proxy.url);

    // The instructor creates the class.
    let teacher = Browser::start_trusting(&certificate.spki_sha256)
        .await
        .expect("chromium");
    teacher.goto(&proxy.url).await.expect("open the board");
    teacher
        .find("#class-form", SECONDS(30))
        .await
        .expect("the class form");
    teacher
        .eval(
            "const set = (id, v) => { const i = document.getElementById(id); i.value = v; i.dispatchEvent(new Event('input', {bubbles: true})); };
             set('class-name-input', 'Groupe A'); set('class-seats-input', '5'); set('class-minutes-input', '90');
             const box = document.querySelector('#class-worksheets input[name=worksheet]');
             if (!box.checked) { box.click(); }
             return true",
            &[],
        )
        .await
        .expect("fill the form");
    teacher
        .click("#class-create", SECONDS(5))
        .await
        .expect("create");
    let join = teacher
        .wait_for(
            "the join link",
            "return document.getElementById('join-link')?.textContent || null",
            &[],
            SECONDS(10),
        )
        .await
        .expect("join link");
    let join = join.as_str().expect("text").trim().to_owned();
    assert!(join.contains("/#join="), "{join}");
    teacher
        .find("#join-qr svg", SECONDS(5))
        .await
        .expect("the QR code");

    // A learner joins in a browser of their own.
    let learner = Browser::start_trusting(&certificate.spki_sha256)
        .await
        .expect("chromium");
    let join_url = if join.starts_with("https://") {
        join.clone()
    } else {
        format!("{}{}", proxy.origin(), join)
    };
    learner.goto(&join_url).await.expect("open the join link");
    learner
        .click("#join-name", SECONDS(30))
        .await
        .expect("name field");
    learner.type_keys("Ada").await.expect("type the name");
    learner
        .click("#join-submit", SECONDS(5))
        .await
        .expect("join");
    let personal = learner
        .find("#personal-link", SECONDS(20))
        .await
        .expect("personal link");
    let personal = personal.text().await.expect("text");
    assert!(personal.contains("#token="), "{personal}");
    learner
        .click("#join-start", SECONDS(5))
        .await
        .expect("start");
    learner
        .wait_for(
            "the learner's header",
            "return document.getElementById('header-learner')?.textContent.includes('Ada') || null",
            &[],
            SECONDS(30),
        )
        .await
        .expect("header");

    // The learner follows the worksheet: the backend reads iris-config, not created yet.
    let walk = Learner::new(&learner);
    walk.insert(0).await.expect("insert the fragment");
    walk.run("kubectl apply -f k8s/server.yaml")
        .await
        .expect("apply from the console");

    // The board: the learner, their progress and pods, and the room's problem.
    teacher
        .wait_for(
            "Ada on the board with her progress",
            "const card = document.querySelector('#learners .learner-card[data-seat=\"1\"]');
             return card && card.textContent.includes('Ada')
                 && card.querySelector('.card-progress .exercise-bar[data-total]') !== null || null",
            &[],
            SECONDS(30),
        )
        .await
        .expect("card");
    let problem = teacher
        .wait_for(
            "the room's most common problem",
            "return document.querySelector('#room-problems .room-problem.first')?.textContent || null",
            &[],
            SECONDS(60),
        )
        .await
        .expect("room problem");
    let problem = problem.as_str().unwrap_or_default().to_owned();
    assert!(problem.contains("iris-config"), "{problem}");

    // Her files and objects, read-only.
    teacher
        .click(
            "#learners .learner-card[data-seat=\"1\"] .card-open",
            SECONDS(5),
        )
        .await
        .expect("open Ada's detail");
    teacher
        .wait_for(
            "Ada's file and Deployment",
            "const d = document.querySelector('#seat-detail[data-seat=\"1\"]');
             return d && d.querySelector('.detail-file[data-path=\"k8s/server.yaml\"]') !== null
                 && d.querySelector('.detail-object[data-name=\"mlops-server\"]') !== null || null",
            &[],
            SECONDS(30),
        )
        .await
        .expect("detail");
    let editable = teacher
        .eval(
            "return document.querySelector('#seat-detail [contenteditable=true], #seat-detail textarea, #seat-detail input[type=text]') !== null",
            &[],
        )
        .await
        .expect("editable?");
    assert_eq!(editable, json!(false), "the learner's files are read-only");

    // Shown to the room: no learner's name.
    teacher
        .click("#show-to-room", SECONDS(5))
        .await
        .expect("show to the room");
    let shown = teacher
        .wait_for(
            "the room view",
            "return document.documentElement.classList.contains('room-view') ? document.body.innerText : null",
            &[],
            SECONDS(5),
        )
        .await
        .expect("room view");
    let shown = shown.as_str().unwrap_or_default();
    assert!(!shown.contains("Ada"), "the room sees a learner's name");
    teacher
        .click("#show-to-room", SECONDS(5))
        .await
        .expect("back");

    // Revoked: the learner's page says so.
    teacher
        .click(
            "#learners .learner-card[data-seat=\"1\"] .revoke",
            SECONDS(5),
        )
        .await
        .expect("revoke");
    teacher
        .click("#revoke-dialog-confirm", SECONDS(5))
        .await
        .expect("confirm");
    teacher
        .wait_for(
            "the card revoked",
            "return document.querySelector('#learners .learner-card[data-seat=\"1\"]')?.dataset.revoked === 'true' || null",
            &[],
            SECONDS(10),
        )
        .await
        .expect("revoked card");
    learner.refresh().await.expect("reload");
    learner
        .wait_for(
            "the learner told the seat is gone",
            "return /révoqu|terminée|revoked|ended/i.test(document.body.innerText) || null",
            &[],
            SECONDS(30),
        )
        .await
        .expect("learner told");

    teacher.click("#end-class", SECONDS(5)).await.expect("end");
    teacher
        .click("#end-dialog-confirm", SECONDS(5))
        .await
        .expect("confirm end");
    teacher
        .find("#class-ended, #class-form", SECONDS(30))
        .await
        .expect("ended");
    learner.close().await.expect("close");
    teacher.close().await.expect("close");
    proxy.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}
