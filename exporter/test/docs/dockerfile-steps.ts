/**
 * Runs a Dockerfile's steps outside Docker, as far as they go without a container engine (none
 * runs on this machine): each stage gets its own directory standing for the image's root; COPY
 * takes files from the build context as Docker sends it (.dockerignore applied) or from an earlier
 * stage's directory; WORKDIR and ENV apply as in Docker; RUN runs under `sh -c` in the stage's
 * WORKDIR. What only the base image has (the node or grafana files themselves) is absent, so a
 * RUN step that needs the image's own root (apt-get, chown of /data) is skipped by the caller's
 * rule, and every skip is returned so a test can list them. Semantics followed:
 * https://docs.docker.com/reference/dockerfile/ (COPY, WORKDIR, ENV, FROM … AS, .dockerignore).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Step {
  instruction: string;
  args: string;
  line: number;
}

export interface Stage {
  base: string;
  name?: string;
  steps: Step[];
}

/** Instructions and their arguments, stages split at FROM; comments dropped, `\` lines joined. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let logical = lines[i].trim();
    if (logical === '' || logical.startsWith('#')) continue;
    while (logical.endsWith('\\') && i + 1 < lines.length) {
      const next = lines[++i].trim();
      if (next.startsWith('#')) continue;
      logical = `${logical.slice(0, -1).trimEnd()} ${next}`;
    }
    const [, instruction, args] = /^(\S+)\s*(.*)$/.exec(logical)!;
    const upper = instruction.toUpperCase();
    if (upper === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!m) throw new Error(`line ${start}: FROM ${args} is not "image [AS name]"`);
      stages.push({ base: m[1], name: m[2], steps: [] });
    } else {
      if (stages.length === 0) throw new Error(`line ${start}: ${upper} before FROM`);
      stages[stages.length - 1].steps.push({ instruction: upper, args, line: start });
    }
  }
  return stages;
}

/** A `.dockerignore` as a predicate on context-relative paths (`**` any depth, `*` one segment). */
export function dockerignore(text: string): (relPath: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!'))) throw new Error('.dockerignore exceptions (!) are not emulated');
  const regexes = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/^\/+/, '')
          .replace(/[.+^${}()|[\]]/g, '\\$&')
          .split('**/')
          .map((part) => part.replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
          .join('(.*/)?')}(/|$)`,
      ),
  );
  return (relPath) => regexes.some((r) => r.test(relPath));
}

export interface RunOptions {
  /** The build context (the repository root for modelwatch's Dockerfiles). */
  context: string;
  /** An empty directory; stage roots are made inside it. */
  work: string;
  /** Why a RUN step cannot run outside Docker, or undefined to run it. */
  skip: (command: string) => string | undefined;
  /** Environment given to every RUN besides the stage's ENV. */
  env: NodeJS.ProcessEnv;
}

export interface StageResult {
  name?: string;
  base: string;
  /** The directory standing for the stage's `/`. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  entrypoint?: string[];
}

export interface RunResult {
  stages: StageResult[];
  skipped: Array<{ line: number; command: string; why: string }>;
}

/** Runs every stage in order; throws naming the line of the first step that fails. */
export function runDockerfile(dockerfile: string, opts: RunOptions): RunResult {
  const stages = parseDockerfile(fs.readFileSync(dockerfile, 'utf8'));
  const ignoreFile = path.join(opts.context, '.dockerignore');
  const ignored = fs.existsSync(ignoreFile) ? dockerignore(fs.readFileSync(ignoreFile, 'utf8')) : () => false;
  const done: StageResult[] = [];
  const skipped: RunResult['skipped'] = [];

  stages.forEach((stage, index) => {
    const root = path.join(opts.work, `stage-${index}${stage.name ? `-${stage.name}` : ''}`);
    const from = done.find((s) => s.name === stage.base);
    if (from) fs.cpSync(from.root, root, { recursive: true, verbatimSymlinks: true });
    else fs.mkdirSync(root, { recursive: true });
    const result: StageResult = {
      name: stage.name,
      base: stage.base,
      root,
      workdir: from?.workdir ?? '/',
      env: { ...(from?.env ?? {}) },
    };
    const inRoot = (p: string) => path.join(root, path.posix.isAbsolute(p) ? p : path.posix.join(result.workdir, p));

    for (const step of stage.steps) {
      const where = `${path.basename(dockerfile)} line ${step.line}`;
      switch (step.instruction) {
        case 'WORKDIR':
          result.workdir = path.posix.resolve(result.workdir, step.args);
          fs.mkdirSync(inRoot('.'), { recursive: true });
          break;
        case 'ENV':
          for (const pair of step.args.split(/\s+/)) {
            const eq = pair.indexOf('=');
            if (eq <= 0) throw new Error(`${where}: ENV ${pair} is not KEY=value`);
            result.env[pair.slice(0, eq)] = pair.slice(eq + 1);
          }
          break;
        case 'COPY': {
          const words = step.args.split(/\s+/);
          const fromFlag = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
          const rest = words.filter((w) => !w.startsWith('--'));
          const dest = rest.pop()!;
          if (rest.some((s) => /[*?[]/.test(s))) throw new Error(`${where}: COPY wildcards are not emulated`);
          const sourceStage = fromFlag === undefined ? undefined : done.find((s) => s.name === fromFlag);
          if (fromFlag !== undefined && !sourceStage) throw new Error(`${where}: COPY --from=${fromFlag} names no earlier stage`);
          const destIsDir = dest.endsWith('/') || rest.length > 1;
          for (const src of rest) {
            const srcPath = sourceStage ? path.join(sourceStage.root, src) : path.join(opts.context, src);
            const rel = path.posix.normalize(src).replace(/\/$/, '');
            if (!sourceStage && ignored(rel)) throw new Error(`${where}: COPY ${src} is excluded by .dockerignore`);
            if (!fs.existsSync(srcPath)) throw new Error(`${where}: COPY ${src}: not found`);
            const target = inRoot(dest);
            if (fs.statSync(srcPath).isDirectory()) {
              // Docker copies a directory's contents, not the directory itself.
              fs.cpSync(srcPath, target, {
                recursive: true,
                verbatimSymlinks: true,
                filter: (p) => sourceStage !== undefined || !ignored(path.relative(opts.context, p).split(path.sep).join('/')),
              });
            } else {
              const file =
                destIsDir || (fs.existsSync(target) && fs.statSync(target).isDirectory()) ? path.join(target, path.basename(src)) : target;
              fs.mkdirSync(path.dirname(file), { recursive: true });
              fs.copyFileSync(srcPath, file);
            }
          }
          break;
        }
        case 'RUN': {
          const why = opts.skip(step.args);
          if (why !== undefined) {
            skipped.push({ line: step.line, command: step.args, why });
            break;
          }
          // Outside a container an absolute path is the host's: refuse rather than write there.
          if (/(^|[\s=])\/(?!dev\/null)/.test(step.args))
            throw new Error(`${where}: RUN uses an absolute path, which only a container may: ${step.args}`);
          const r = spawnSync('sh', ['-c', step.args], {
            cwd: inRoot('.'),
            env: { ...opts.env, ...result.env },
            encoding: 'utf8',
            maxBuffer: 64 * 1024 * 1024,
          });
          if (r.status !== 0)
            throw new Error(`${where}: RUN ${step.args}\nexit ${r.status}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
          break;
        }
        case 'ENTRYPOINT':
          result.entrypoint = JSON.parse(step.args) as string[];
          break;
        case 'USER':
        case 'VOLUME':
        case 'EXPOSE':
        case 'HEALTHCHECK':
        case 'CMD':
        case 'LABEL':
          break; // metadata of the image, nothing to build
        default:
          throw new Error(`${where}: ${step.instruction} is not emulated`);
      }
    }
    done.push(result);
  });
  return { stages: done, skipped };
}
