import { UsageError, type Command, type ParsedArgs } from '../command';

const usage = `Usage: dockyard ci <step> [options]

The steps of the workspace's GitHub Actions workflows (.github/workflows/), each testable on its own:

  plan [--base REF] [--head REF] --target T[,T...] [--out FILE]
        the affected projects per target (nx show projects --affected --with-target T), as JSON;
        REF defaults to $NX_BASE / $NX_HEAD, as nrwl/nx-set-shas exports them
  shard --plan FILE --shards N [--times FILE]
        a GitHub matrix ({"include":[{"shard":1,"projects":"a,b"}]}) of at most N shards covering every
        affected project once, balanced by the projects' last run times
  times --profile FILE --times FILE
        merge the task times of an Nx run (NX_PROFILE=FILE) into the run times file
  comment --event FILE [--out FILE]
        read an issue_comment event: \`/build <project> [<version>]\` by a member; prints
        status=, project=, targets= lines (for $GITHUB_OUTPUT) and writes the request as JSON
  answer --request FILE [--log FILE --outcome success|failure|cancelled]
        post the answer to a build request on its issue ($GITHUB_API_URL, $GITHUB_TOKEN); without
        --outcome it says the build started
  summary --plan FILE [--base-inventories DIR] [--head-inventories DIR] [--out FILE]
        the images added, removed and moved in each affected Release, as Markdown, appended to
        FILE (default $GITHUB_STEP_SUMMARY, else printed); from the bundle inventories when both
        sides have one (head's from dist/ unless --head-inventories), else from the locks
  keep-inventories --out DIR
        copy each Release's bundle inventory from dist/ into DIR/<project>/inventory.json, for the
        pull requests based on this commit to compare against
  cache-server --store s3://BUCKET[/PREFIX] [--listen HOST:PORT]
        serve Nx's self-hosted remote cache (NX_SELF_HOSTED_REMOTE_CACHE_SERVER) from S3 until stopped;
        tokens from $DOCKYARD_CACHE_READ_TOKENS (read only: pull requests) and
        $DOCKYARD_CACHE_WRITE_TOKENS (read and write: main), comma-separated; default 127.0.0.1:8090

Run from inside the workspace.`;

/** Each step's options; one flat list because the parser reads them all at once, checked per step below. */
export const stepOptions: Record<string, string[]> = {
  plan: ['base', 'head', 'target', 'out'],
  shard: ['plan', 'shards', 'times'],
  times: ['profile', 'times'],
  comment: ['event', 'out'],
  answer: ['request', 'log', 'outcome'],
  summary: ['plan', 'base-inventories', 'head-inventories', 'out'],
  'keep-inventories': ['out'],
  'cache-server': ['store', 'listen'],
};

export const ciCommand: Command = {
  name: 'ci',
  usage,
  options: {
    base: { type: 'string' },
    head: { type: 'string' },
    target: { type: 'string', multiple: true },
    out: { type: 'string' },
    plan: { type: 'string' },
    shards: { type: 'string' },
    times: { type: 'string' },
    profile: { type: 'string' },
    event: { type: 'string' },
    request: { type: 'string' },
    log: { type: 'string' },
    outcome: { type: 'string' },
    'base-inventories': { type: 'string' },
    'head-inventories': { type: 'string' },
    store: { type: 'string' },
    listen: { type: 'string' },
  },
  async run(args: ParsedArgs) {
    const [step, ...extra] = args.positionals;
    if (!step || !(step in stepOptions)) throw new UsageError(step ? `unknown step "${step}"` : 'name a step');
    if (extra.length) throw new UsageError(`${step} takes no arguments, only options (${extra.join(' ')})`);
    const allowed = new Set(stepOptions[step]);
    const stray = Object.keys(args.values).filter((name) => name !== 'help' && !allowed.has(name));
    if (stray.length) throw new UsageError(`${step} takes no --${stray.join(', --')}`);
    const steps = await import('./ci-steps.ts');
    return steps.runStep(step, args.values);
  },
};
