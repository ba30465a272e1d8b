// The Terraform elements the constructs take and give, typed by what they are used for, so that
// cdktf's and cdktn's classes both fit and the package's declarations import neither library
// (a project has one of them, and none of the prebuilt provider packages).
import type { IConstruct } from 'constructs';

/** Something a resource can depend on: a resource, data source or module of either library. */
export interface Dependable {
  readonly fqn: string;
}

/** A provider block (`TerraformProvider` of cdktf or cdktn): resources name it by its fqn. */
export interface TerraformProviderRef extends Dependable, IConstruct {
  readonly terraformResourceType: string;
  readonly alias?: string;
}

/** A resource or data source the constructs made, for references and escape hatches. */
export interface TerraformResourceRef extends Dependable, IConstruct {
  readonly terraformResourceType: string;
  readonly friendlyUniqueId: string;
  addOverride(path: string, value: unknown): void;
  getStringAttribute(terraformAttribute: string): string;
}

/** Terraform's lifecycle block, as both libraries write it. */
export interface Lifecycle {
  readonly createBeforeDestroy?: boolean;
  readonly preventDestroy?: boolean;
  readonly ignoreChanges?: string[] | 'all';
}

/** The meta-arguments the bindings pass on to the library's base class. */
export interface MetaArguments {
  readonly provider?: TerraformProviderRef;
  readonly dependsOn?: Dependable[];
  readonly lifecycle?: Lifecycle;
}
