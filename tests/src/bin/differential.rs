//! The differential run (`cargo xtask differential` starts it with the cluster's kubeconfig).

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = kubefiche_tests::mutants::main::Args::parse(std::env::args().skip(1))?;
    kubefiche_tests::mutants::main::main(args).await
}
