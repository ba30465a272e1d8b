// flux bootstrap from a plain Git server over SSH: the repository exists, a key that may push
// is given, the deploy key Flux pulls with is generated and registered by a command of your Git
// server (given as addKeyCommand).
package main

import (
	"errors"

	"github.com/flux-bootstrap/flux-bootstrap/sdk/go/fluxbootstrap"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		knownHosts := pulumi.String(cfg.Require("knownHosts"))
		var addKey, removeKey []string
		if err := cfg.GetObject("addKeyCommand", &addKey); err != nil {
			return err
		}
		if err := cfg.GetObject("removeKeyCommand", &removeKey); err != nil {
			return err
		}
		// a cluster without nodes (like the test harness) never runs the controllers: turn waiting off there
		reconciliation, err := flag(cfg, "waitReconciliation")
		if err != nil {
			return err
		}
		deployments, err := flag(cfg, "waitDeployments")
		if err != nil {
			return err
		}
		bootstrap, err := fluxbootstrap.NewBootstrap(ctx, "flux", &fluxbootstrap.BootstrapArgs{
			Repository: &fluxbootstrap.BootstrapRepositoryArgs{
				Host:             pulumi.String("git"),
				Url:              pulumi.String(cfg.Require("repositoryUrl")),
				Push:             &fluxbootstrap.GitAuthArgs{PrivateKey: cfg.RequireSecret("pushPrivateKey"), KnownHosts: knownHosts},
				AddKeyCommand:    pulumi.ToStringArray(addKey),
				RemoveKeyCommand: pulumi.ToStringArray(removeKey),
			},
			Path:      pulumi.String(orDefault(cfg.Get("path"), "clusters/demo")),
			Namespace: optional(cfg.Get("namespace")),
			Version:   pulumi.String(orDefault(cfg.Get("version"), "v2.9.3")),
			Cluster:   fluxbootstrap.ClusterArgs{Kubeconfig: cfg.RequireSecret("kubeconfig")},
			DeployKey: &fluxbootstrap.BootstrapDeployKeyArgs{KnownHosts: knownHosts},
			Wait:      &fluxbootstrap.WaitArgs{Reconciliation: pulumi.Bool(reconciliation), Deployments: pulumi.Bool(deployments)},
		})
		if err != nil {
			return err
		}
		ctx.Export("repositoryUrl", bootstrap.RepositoryUrl)
		ctx.Export("commit", bootstrap.Commit)
		ctx.Export("publicKey", bootstrap.PublicKey)
		ctx.Export("version", bootstrap.Version)
		return nil
	})
}

// flag is a boolean setting that is true unless set to false.
func flag(cfg *config.Config, key string) (bool, error) {
	v, err := cfg.TryBool(key)
	if errors.Is(err, config.ErrMissingVar) {
		return true, nil
	}
	return v, err
}

func orDefault(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// optional leaves an unset key unset, so the provider applies its default.
func optional(v string) pulumi.StringPtrInput {
	if v == "" {
		return nil
	}
	return pulumi.String(v)
}
