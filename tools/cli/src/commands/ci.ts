import { UsageError, type Command, type ParsedArgs } from '../command';

const usage = `Usage: dockyard ci <step> [options]

The steps of the workspace's GitHub Actions workflows (.github/workflows/), each testable on its own.

Steps (and the options each takes):
  plan                  the affected projects per target (nx show projects --affected --with-target T), as
                        JSON: --target, [--base] [--head] [--out]
  shard                 a GitHub matrix ({"include":[{"shard":1,"projects":"a,b"}]}) of at most N shards
                        covering every affected project once, balanced by the projects' last run times:
                        --plan --shards [--times]
  times                 merge the task times of an Nx run (NX_PROFILE=FILE) into the run times file:
                        --profile --times
  comment               read an issue_comment event: \`/build <project> [<version>]\` by a member; prints
                        status=, project=, targets= lines (for $GITHUB_OUTPUT), versions= with a version (an
                        AppImage's or ContainerImage's; refused for a Release or Plugin), and writes the
                        request as JSON: --event [--out]
  answer                post the answer to a build request on its issue ($GITHUB_API_URL, $GITHUB_TOKEN);
                        without --outcome it says the build started: --request [--log --outcome]
  summary               the images added, removed and moved in each affected Release, as Markdown,
                        appended to $GITHUB_STEP_SUMMARY (else printed); from the bundle inventories when
                        both sides have one, else from the locks: --plan [--base-inventories]
                        [--head-inventories] [--out]
  keep-inventories      copy each Release's bundle inventory from dist/ into DIR/<project>/inventory.json,
                        for the pull requests based on this commit to compare against: --out
  cache-server          serve Nx's self-hosted remote cache (NX_SELF_HOSTED_REMOTE_CACHE_SERVER) from S3
                        until stopped; tokens from $DOCKYARD_CACHE_READ_TOKENS (read only: pull requests)
                        and $DOCKYARD_CACHE_WRITE_TOKENS (read and write: main), comma-separated: --store
                        [--listen]

Options:
  --base REF            the base commit (default $NX_BASE, as nrwl/nx-set-shas exports it)
  --head REF            the head commit (default $NX_HEAD)
  --target T[,T...]     the Nx targets to plan
  --out FILE|DIR        where the step writes its result
  --plan FILE           the plan written by \`dockyard ci plan\`
  --shards N            the most shards to make
  --times FILE          the projects' last run times (JSON)
  --profile FILE        an Nx run's task profile (NX_PROFILE)
  --event FILE          the issue_comment event ($GITHUB_EVENT_PATH)
  --request FILE        the build request written by \`dockyard ci comment\`
  --log FILE            the build's log, whose tail the answer quotes
  --outcome O           success, failure or cancelled
  --base-inventories DIR
                        the base side's Release inventories (from keep-inventories)
  --head-inventories DIR
                        the head side's (default: the bundles in dist/)
  --store s3://BUCKET[/PREFIX]
                        the cache's S3 location
  --listen HOST:PORT    where the cache server listens (default 127.0.0.1:8090)

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
