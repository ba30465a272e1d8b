// Binding classes made on the base classes of the user's CDK library (cdktf or cdktn, see
// ../library.ts), one class per library, from a provider's pins and an attribute schema: the
// provider block, a resource type or a data source type, as the library's generated bindings
// would write them.
import type * as Cdktf from 'cdktf';
import type { Construct } from 'constructs';
import { installedLibraries, libraryOf, type CdkLibrary } from '../library';
import type { MetaArguments } from '../terraform-types';
import { hclAttributes, jsonAttributes, type Schema } from './schema';

/** A provider as `required_providers` names it: the prebuilt @cdktf/provider-* package's pins,
 *  kept as they were so that an existing stack's lock file and plan do not change. */
export interface ProviderSpec {
  /** the local name: the provider block's, and the prefix of its resource types */
  readonly name: string;
  readonly source: string;
  /** the exact version required_providers pins */
  readonly version: string;
  /** the range the binding was written for */
  readonly constraint: string;
}

/** Made once per library (a WeakMap on the library's module). */
export type PerLibrary<T> = (cdk: CdkLibrary) => T;

export function perLibrary<T>(make: (cdk: CdkLibrary) => T): PerLibrary<T> {
  const made = new WeakMap<CdkLibrary, T>();
  return (cdk) => {
    let t = made.get(cdk);
    if (t === undefined) made.set(cdk, (t = make(cdk)));
    return t;
  };
}

function generatorMetadata(p: ProviderSpec): Cdktf.TerraformProviderGeneratorMetadata {
  return { providerName: p.name, providerVersion: p.version, providerVersionConstraint: p.constraint };
}

/** The meta-arguments as the library's base classes take them (any library's provider fits). */
function meta(config: MetaArguments): Pick<Cdktf.TerraformResourceConfig, 'provider' | 'dependsOn' | 'lifecycle'> {
  return {
    provider: config.provider as Cdktf.TerraformProvider | undefined,
    dependsOn: config.dependsOn,
    lifecycle: config.lifecycle,
  };
}

/** A resource or data source of a binding: the library's class, with the config it was given. */
export type BoundResource<C> = Cdktf.TerraformResource & { readonly attributes: C };
export type BoundDataSource<C> = Cdktf.TerraformDataSource & { readonly attributes: C };

export interface ResourceClass<C, R> {
  new (scope: Construct, id: string, config: C & MetaArguments): R;
  readonly tfResourceType: string;
}

export interface ProviderClass<C> {
  new (scope: Construct, id: string, config: C & { readonly alias?: string }): Cdktf.TerraformProvider;
  readonly tfResourceType: string;
}

export function resourceBinding<C extends object>(
  provider: ProviderSpec,
  type: string,
  schema: Schema,
): PerLibrary<ResourceClass<C, BoundResource<C>>> {
  return perLibrary((cdk) => {
    const metadata = generatorMetadata(provider);
    return class extends cdk.TerraformResource {
      static readonly tfResourceType = type;
      readonly attributes: C;
      constructor(scope: Construct, id: string, config: C & MetaArguments) {
        super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: metadata, ...meta(config) });
        this.attributes = config;
      }
      protected override synthesizeAttributes(): Record<string, unknown> {
        return jsonAttributes(schema, this.attributes);
      }
      protected override synthesizeHclAttributes(): Record<string, unknown> {
        return hclAttributes(schema, this.attributes);
      }
    };
  });
}

export function dataSourceBinding<C extends object>(
  provider: ProviderSpec,
  type: string,
  schema: Schema,
): PerLibrary<ResourceClass<C, BoundDataSource<C>>> {
  return perLibrary((cdk) => {
    const metadata = generatorMetadata(provider);
    return class extends cdk.TerraformDataSource {
      static readonly tfResourceType = type;
      readonly attributes: C;
      constructor(scope: Construct, id: string, config: C & MetaArguments) {
        super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: metadata, ...meta(config) });
        this.attributes = config;
      }
      protected override synthesizeAttributes(): Record<string, unknown> {
        return jsonAttributes(schema, this.attributes);
      }
      protected override synthesizeHclAttributes(): Record<string, unknown> {
        return hclAttributes(schema, this.attributes);
      }
    };
  });
}

/** The provider block; `alias` is written beside the schema's attributes, as generated providers do. */
export function providerBinding<C extends object>(provider: ProviderSpec, schema: Schema): PerLibrary<ProviderClass<C>> {
  const withAlias: Schema = { alias: 'string', ...schema };
  return perLibrary((cdk) => {
    const metadata = generatorMetadata(provider);
    return class extends cdk.TerraformProvider {
      static readonly tfResourceType = provider.name;
      readonly attributes: C & { alias?: string };
      constructor(scope: Construct, id: string, config: C & { readonly alias?: string }) {
        super(scope, id, {
          terraformResourceType: provider.name,
          terraformGeneratorMetadata: metadata,
          terraformProviderSource: provider.source,
        });
        this.attributes = { ...config };
      }
      override get alias(): string | undefined {
        return this.attributes.alias;
      }
      override set alias(value: string | undefined) {
        this.attributes.alias = value;
      }
      protected override synthesizeAttributes(): Record<string, unknown> {
        return jsonAttributes(withAlias, this.attributes);
      }
      protected override synthesizeHclAttributes(): Record<string, unknown> {
        return hclAttributes(withAlias, this.attributes);
      }
    };
  });
}

/**
 * A binding users construct as a class (`new KubectlProvider(stack, 'kubectl', {...})`): the
 * instance is made by the class of the library `scope` belongs to, and `instanceof` holds for
 * either library's instances.
 */
export function libraryClass<C, T>(
  tfResourceType: string,
  classOf: PerLibrary<new (scope: Construct, id: string, config: C) => T>,
): { new (scope: Construct, id: string, config: C): T; readonly tfResourceType: string } {
  function Bound(scope: Construct, id: string, config: C): T {
    // a constructor returning an object makes `new Bound(...)` that object
    return new (classOf(libraryOf(scope)))(scope, id, config);
  }
  Object.defineProperty(Bound, 'tfResourceType', { value: tfResourceType });
  Object.defineProperty(Bound, Symbol.hasInstance, {
    value: (x: unknown) => installedLibraries().some((cdk) => x instanceof classOf(cdk)),
  });
  return Bound as unknown as { new (scope: Construct, id: string, config: C): T; readonly tfResourceType: string };
}
