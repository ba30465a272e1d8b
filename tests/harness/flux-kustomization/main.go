// flux-bootstrap-kustomization prints the kustomization.yaml `flux bootstrap` writes: flux2's own
// generator (pkg/manifestgen/kustomization), called as bootstrap calls it once gotk-sync.yaml is
// written, on the secure on-disk file system bootstrap uses.
//
//	flux-bootstrap-kustomization <repository root> <path/namespace>
package main

import (
	"fmt"
	"os"

	"github.com/fluxcd/flux2/v2/pkg/manifestgen/kustomization"
	"github.com/fluxcd/pkg/kustomize/filesys"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: flux-bootstrap-kustomization <repository root> <path/namespace>")
		os.Exit(2)
	}
	fs, err := filesys.MakeFsOnDiskSecureBuild(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	generated, err := kustomization.Generate(kustomization.Options{FileSystem: fs, BaseDir: os.Args[1], TargetPath: os.Args[2]})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(generated.Content)
}
