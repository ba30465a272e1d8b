// Where the package lives, named once: the package schema (repository, homepage, publisher,
// pluginDownloadURL, each language's package name), package.json (a unit test compares them)
// and so every SDK generated from the schema.
export const HOMEPAGE = 'https://github.com/flux-bootstrap/flux-bootstrap';
export const REPOSITORY = 'https://github.com/flux-bootstrap/flux-bootstrap';
export const PUBLISHER = 'flux-bootstrap';
/** Pulumi's form for a GitHub release: the engine fetches
 *  `pulumi-resource-flux-bootstrap-v<version>-<os>-<arch>.tar.gz` from the release `v<version>`. */
export const PLUGIN_DOWNLOAD_URL = 'github://api.github.com/flux-bootstrap/flux-bootstrap';
/** The Go SDK: the module (the repository's `sdk` directory) and the package inside it. */
export const GO_SDK_MODULE = 'github.com/flux-bootstrap/flux-bootstrap/sdk';
export const GO_IMPORT_BASE = `${GO_SDK_MODULE}/go/fluxbootstrap`;
export const PYTHON_PACKAGE = 'pulumi_flux_bootstrap';
/** The TypeScript SDK `pulumi package add` generates (the npm library itself is `flux-bootstrap`). */
export const NODEJS_PACKAGE = '@flux-bootstrap/pulumi';
export const DOTNET_NAMESPACE = 'FluxBootstrap';
export const JAVA_PACKAGE = 'io.github.fluxbootstrap';
