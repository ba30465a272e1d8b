// ResourceProviderService over Pulumi's generated gRPC stubs. Every resource call unwraps the
// wire values, runs the engine's implementation of the kind (provider/resources/*, the same
// code the dynamic resources run) and wraps the result: secrets, unknowns in previews, per-field
// diffs, partial state on failure. Bootstrap's Construct is delegated to @pulumi/pulumi's own
// construct machinery (construct.ts).
import type { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import type {
  CheckRequest,
  ConfigureRequest,
  ConstructRequest,
  CreateRequest,
  DeleteRequest,
  DiffRequest,
  GetSchemaRequest,
  ReadRequest,
  UpdateRequest,
} from '@pulumi/pulumi/proto/provider_pb';
import { hasUnknown, UNKNOWN } from '../resources/common';
import { dirOf, filesAfter } from '../resources/sync-files';
import { checkConfig, configFrom, withConfigDefaults, type ProviderConfig } from './config';
import { anyproto, emptyproto, grpc, plugproto, provproto, statusproto, structproto } from './deps';
import { detailedDiff, type PropertyDiff } from './detailed-diff';
import { importRead } from './import-read';
import { kindOfUrn, storedOutputs, withOldInputs, type ResourceKind } from './resources';
import { defined, unwrapProps, wrapProps, type Props } from './values';

type Callback = (err: unknown, value?: unknown, metadata?: unknown) => void;
/** A unary call as grpc-js hands it over: `request` is the RPC's message (provider_pb's types). */
type Call<Request = unknown> = { request: Request };

const toStruct = (p: Props) => structproto.Struct.fromJavaScript(defined(p));
const fromStruct = (s: Struct | undefined): Props => (s ? s.toJavaScript() : {});

const DIFF_KIND: Record<string, number> = { add: 0, delete: 2, update: 4 };
function propertyDiff(d: PropertyDiff): unknown {
  const pd = new provproto.PropertyDiff();
  pd.setKind(DIFF_KIND[d.kind] + (d.replace ? 1 : 0));
  pd.setInputdiff(d.inputDiff);
  return pd;
}

/** A failure after something was done (PartialStateError: id and properties) keeps that state. */
function errorResponse(kind: ResourceKind, e: unknown, secrets: Iterable<string>): { code: number; message: string; metadata: unknown } {
  const err = e as { message?: string; id?: string; properties?: Props; reasons?: string[] };
  const metadata = new grpc.Metadata();
  if (err.id) {
    const status = new statusproto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(err.message ?? String(e));
    const detail = new provproto.ErrorResourceInitFailed();
    detail.setId(err.id);
    detail.setProperties(toStruct(wrapProps(storedOutputs(kind, err.properties ?? {}), secrets)));
    detail.setReasonsList(err.reasons ?? []);
    const any = new anyproto.Any();
    any.pack(detail.serializeBinary(), 'pulumirpc.ErrorResourceInitFailed');
    status.addDetails(any);
    metadata.add('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, message: err.message ?? String(e), metadata };
}

/** What a preview reports for a create (no olds) or an update: the inputs as given, the
 *  outputs the provider computes unknown (on update only those an update may change), the
 *  files as they will be after the commit (rendered at check; unknown when check could not). */
function previewOutputs(kind: ResourceKind, olds: Props | undefined, news: Props): Props {
  const outs: Props = { ...olds, ...news };
  for (const o of olds ? kind.volatile : kind.outputs) if (!(o in news)) outs[o] = UNKNOWN;
  if (kind.name === 'SyncManifests') {
    const desired = news.desiredFiles as Record<string, string> | undefined;
    outs.files =
      desired && !hasUnknown(desired) && Object.keys(desired).length > 0
        ? filesAfter(desired, (olds?.files ?? {}) as Record<string, string>, dirOf(Object.keys(desired)[0]), UNKNOWN)
        : UNKNOWN;
  }
  return outs;
}

export class ProviderServer {
  private config: ProviderConfig = {};

  constructor(
    private readonly version: string,
    private readonly schema: () => string,
    private readonly constructHandler: (call: Call<ConstructRequest>, cb: Callback) => void,
  ) {}

  /** The service implementation grpc-js registers (unimplemented calls answer UNIMPLEMENTED). */
  handlers(): Record<string, (call: Call, cb: Callback) => void> {
    const h: Record<string, (call: Call, cb: Callback) => unknown> = {
      getPluginInfo: (_c, cb) => {
        const r = new plugproto.PluginInfo();
        r.setVersion(this.version);
        cb(null, r);
      },
      getSchema: (c, cb) => {
        const version = (c.request as GetSchemaRequest).getVersion();
        if (version !== 0) return cb(new Error(`unsupported schema version ${version}`));
        const r = new provproto.GetSchemaResponse();
        r.setSchema(this.schema());
        cb(null, r);
      },
      attach: (_c, cb) => cb(null, new emptyproto.Empty()),
      cancel: (_c, cb) => cb(null, new emptyproto.Empty()),
      checkConfig: (c, cb) => this.checkConfig(c as Call<CheckRequest>, cb),
      diffConfig: (c, cb) => this.diffConfig(c as Call<DiffRequest>, cb),
      configure: (c, cb) => this.configure(c as Call<ConfigureRequest>, cb),
      check: (c, cb) => this.guard(cb, () => this.check(c as Call<CheckRequest>)),
      diff: (c, cb) => this.guard(cb, () => this.diff(c as Call<DiffRequest>)),
      create: (c, cb) => this.create(c as Call<CreateRequest>, cb),
      read: (c, cb) => this.guard(cb, () => this.read(c as Call<ReadRequest>)),
      update: (c, cb) => this.update(c as Call<UpdateRequest>, cb),
      delete: (c, cb) => this.guard(cb, () => this.delete(c as Call<DeleteRequest>)),
      construct: (c, cb) => this.constructHandler(c as Call<ConstructRequest>, cb),
    };
    return h;
  }

  private guard(cb: Callback, fn: () => Promise<unknown>): void {
    fn().then(
      (r) => cb(null, r),
      (e) => cb({ code: grpc.status.UNKNOWN, message: (e as Error).message ?? String(e) }),
    );
  }

  private checkConfig(c: Call<CheckRequest>, cb: Callback): void {
    const news = unwrapProps(fromStruct(c.request.getNews())).values;
    const r = new provproto.CheckResponse();
    r.setInputs(c.request.getNews());
    r.setFailuresList(
      checkConfig(news).map((f) => {
        const x = new provproto.CheckFailure();
        x.setProperty(f.property);
        x.setReason(f.reason);
        return x;
      }),
    );
    cb(null, r);
  }

  private diffConfig(c: Call<DiffRequest>, cb: Callback): void {
    const olds = unwrapProps(fromStruct(c.request.getOldInputs?.() ?? c.request.getOlds())).values;
    const news = unwrapProps(fromStruct(c.request.getNews())).values;
    const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
      (k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
    );
    const r = new provproto.DiffResponse();
    // a new default changes no existing resource: each one's inputs record what it used
    r.setChanges(changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
    r.setDiffsList(changed);
    cb(null, r);
  }

  private configure(c: Call<ConfigureRequest>, cb: Callback): void {
    const args = c.request.hasArgs?.() ? unwrapProps(fromStruct(c.request.getArgs())).values : undefined;
    const vars = new Map<string, string>();
    c.request.getVariablesMap().forEach((v: string, k: string) => vars.set(k, v));
    this.config = configFrom(args, vars);
    const r = new provproto.ConfigureResponse();
    r.setAcceptsecrets(true);
    r.setSupportspreview(true);
    r.setAcceptresources(false);
    r.setAcceptoutputs(false);
    cb(null, r);
  }

  private async check(c: Call<CheckRequest>): Promise<unknown> {
    const kind = kindOfUrn(c.request.getUrn());
    const olds = unwrapProps(fromStruct(c.request.getOlds()));
    const news = unwrapProps(fromStruct(c.request.getNews()));
    const given = withConfigDefaults(kind, news.values, this.config);
    const secrets = new Set([...news.secrets, ...kind.secrets]);
    const result = await kind.impl().check(olds.values, given);
    const r = new provproto.CheckResponse();
    r.setInputs(toStruct(wrapProps((result.inputs ?? given) as Props, secrets)));
    r.setFailuresList(
      (result.failures ?? []).map((f) => {
        const x = new provproto.CheckFailure();
        x.setProperty(f.property);
        x.setReason(f.reason);
        return x;
      }),
    );
    return r;
  }

  private async diff(c: Call<DiffRequest>): Promise<unknown> {
    const kind = kindOfUrn(c.request.getUrn());
    const oldInputsStruct = c.request.getOldInputs();
    const stored = unwrapProps(fromStruct(c.request.getOlds())).values;
    const oldInputs = oldInputsStruct ? unwrapProps(fromStruct(oldInputsStruct)).values : stored;
    const olds = withOldInputs(kind, stored, oldInputs);
    const news = unwrapProps(fromStruct(c.request.getNews())).values;
    const decided = await kind.impl().diff(c.request.getId(), olds, news);
    const replaces = decided.replaces ?? [];
    const details = detailedDiff(kind, oldInputs, olds, news, { changes: decided.changes === true, replaces });
    const r = new provproto.DiffResponse();
    const C = provproto.DiffResponse.DiffChanges;
    r.setChanges(decided.changes === true ? C.DIFF_SOME : decided.changes === false ? C.DIFF_NONE : C.DIFF_UNKNOWN);
    r.setReplacesList(replaces);
    r.setDeletebeforereplace(decided.deleteBeforeReplace === true);
    r.setDiffsList([...new Set(Object.keys(details).map((k) => k.replace(/\[.*$/, '')))]);
    r.setHasdetaileddiff(true);
    const map = r.getDetaileddiffMap();
    for (const [k, d] of Object.entries(details)) map.set(k, propertyDiff(d));
    return r;
  }

  private create(c: Call<CreateRequest>, cb: Callback): void {
    const kind = kindOfUrn(c.request.getUrn());
    const inputs = unwrapProps(fromStruct(c.request.getProperties()));
    const secrets = new Set([...inputs.secrets, ...kind.secrets]);
    const run = async () => {
      const r = new provproto.CreateResponse();
      if (c.request.getPreview()) {
        r.setId('');
        r.setProperties(toStruct(wrapProps(storedOutputs(kind, previewOutputs(kind, undefined, inputs.values)), secrets)));
        return r;
      }
      const out = await kind.impl().create(inputs.values);
      r.setId(out.id);
      r.setProperties(toStruct(wrapProps(storedOutputs(kind, out.outs ?? {}), secrets)));
      return r;
    };
    run().then(
      (r) => cb(null, r),
      (e) => {
        const x = errorResponse(kind, e, secrets);
        cb(x, null, x.metadata);
      },
    );
  }

  private async read(c: Call<ReadRequest>): Promise<unknown> {
    const kind = kindOfUrn(c.request.getUrn());
    const id: string = c.request.getId();
    const props = unwrapProps(fromStruct(c.request.getProperties()));
    const inputsStruct = c.request.getInputs();
    const inputs = inputsStruct ? unwrapProps(fromStruct(inputsStruct)) : undefined;
    const secrets = new Set([...props.secrets, ...(inputs?.secrets ?? []), ...kind.secrets]);
    const r = new provproto.ReadResponse();
    if (Object.keys(props.values).length === 0) {
      // `pulumi import` and the `import` option: only the id is known
      const found = await importRead(kind, id, this.config);
      r.setId(found.id);
      r.setProperties(toStruct(wrapProps(storedOutputs(kind, found.props), secrets)));
      r.setInputs(toStruct(wrapProps(found.inputs, secrets)));
      return r;
    }
    const out = await kind.impl().read(id, withOldInputs(kind, props.values, inputs?.values));
    if (!out.id || !out.props) return r; // gone: an empty id drops it from the state
    r.setId(out.id);
    r.setProperties(toStruct(wrapProps(storedOutputs(kind, out.props), secrets)));
    if (inputsStruct) r.setInputs(inputsStruct);
    return r;
  }

  private update(c: Call<UpdateRequest>, cb: Callback): void {
    const kind = kindOfUrn(c.request.getUrn());
    const stored = unwrapProps(fromStruct(c.request.getOlds()));
    const oldInputs = c.request.getOldInputs() ? unwrapProps(fromStruct(c.request.getOldInputs())).values : undefined;
    const olds = withOldInputs(kind, stored.values, oldInputs);
    const news = unwrapProps(fromStruct(c.request.getNews()));
    const secrets = new Set([...stored.secrets, ...news.secrets, ...kind.secrets]);
    const run = async () => {
      const r = new provproto.UpdateResponse();
      const outs = c.request.getPreview()
        ? previewOutputs(kind, olds, news.values)
        : ((await kind.impl().update(c.request.getId(), olds, news.values)).outs ?? {});
      r.setProperties(toStruct(wrapProps(storedOutputs(kind, outs), secrets)));
      return r;
    };
    run().then(
      (r) => cb(null, r),
      (e) => {
        const x = errorResponse(kind, e, secrets);
        cb(x, null, x.metadata);
      },
    );
  }

  private async delete(c: Call<DeleteRequest>): Promise<unknown> {
    const kind = kindOfUrn(c.request.getUrn());
    const oldInputs = c.request.getOldInputs() ? unwrapProps(fromStruct(c.request.getOldInputs())).values : undefined;
    await kind.impl().delete(c.request.getId(), withOldInputs(kind, unwrapProps(fromStruct(c.request.getProperties())).values, oldInputs));
    return new emptyproto.Empty();
  }
}
