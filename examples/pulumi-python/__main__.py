"""flux bootstrap from a plain Git server over SSH: the repository exists, a key that may push is
given, the deploy key Flux pulls with is generated and registered by a command of your Git
server (given as addKeyCommand)."""
import pulumi
import pulumi_flux_bootstrap as flux

config = pulumi.Config()
known_hosts = config.require("knownHosts")

bootstrap = flux.Bootstrap(
    "flux",
    repository=flux.BootstrapRepositoryArgs(
        host="git",
        url=config.require("repositoryUrl"),
        push=flux.GitAuthArgs(private_key=config.require_secret("pushPrivateKey"), known_hosts=known_hosts),
        add_key_command=config.get_object("addKeyCommand"),
        remove_key_command=config.get_object("removeKeyCommand"),
    ),
    path=config.get("path") or "clusters/demo",
    namespace=config.get("namespace"),
    version=config.get("version") or "v2.9.3",
    cluster=flux.ClusterArgs(kubeconfig=config.require_secret("kubeconfig")),
    deploy_key=flux.BootstrapDeployKeyArgs(known_hosts=known_hosts),
    # a cluster without nodes (like the test harness) never runs the controllers: turn waiting off there
    wait=flux.WaitArgs(
        reconciliation=config.get_bool("waitReconciliation") is not False,
        deployments=config.get_bool("waitDeployments") is not False,
    ),
)

pulumi.export("repositoryUrl", bootstrap.repository_url)
pulumi.export("commit", bootstrap.commit)
pulumi.export("publicKey", bootstrap.public_key)
pulumi.export("version", bootstrap.version)
