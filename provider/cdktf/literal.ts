// Strings that go into the synthesized Terraform JSON verbatim.

/**
 * Text as Terraform must read it: literal, so a "${...}" (kustomize-controller's CRD documents
 * `${var:=default}`) or "%{" is not taken for an interpolation or directive. Terraform's JSON
 * syntax reads every string as a template, where "$${" and "%%{" stand for "${" and "%{".
 * (cdktf's Fn.rawString is for HCL expressions: it also turns newlines into "\n".)
 */
export function literal(content: string): string {
  return content.replace(/\$\{/g, '$$${').replace(/%\{/g, '%%{');
}
