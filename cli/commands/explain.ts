import { CliError } from '../cli-error';
import type { Command } from '../command';
import { ExitCode } from '../exit-codes';
import type { ExplainJson } from '../json-shapes';
import { endpointOrigin } from '../options-display';
import { displayPath } from '../output';
import { openProject, projectStatuses } from '../project';
import { selectSpecs } from '../select-specs';

/** A rough count: the real one comes from the model's tokenizer, which is not available offline. */
export function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

function indent(text: string, prefix: string, first = prefix): string {
  return text.split('\n').map((l, i) => `${i === 0 ? first : prefix}${l}`).join('\n');
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'print exactly what would be sent to the model for one spec',
  args: '<spec>',
  description: [
    'Prints the system and user prompt of the first generation request for the spec, its size, the model,',
    'and the inputs of the spec\'s hash: what leaves the machine. Sends nothing; needs no API key.',
    'A retry after a rejected candidate also sends that candidate and the compiler\'s errors about it.',
  ],
  options: [],
  positionals: { min: 1, max: 1 },
  examples: ['jaunt explain createToken', 'jaunt explain src/auth.ts#createToken', 'jaunt explain createToken --json | jq -r .prompt.user'],
  async run(ctx) {
    const project = openProject(ctx.cwd, ctx.project, ctx.env, {}, (line) => ctx.out.err(line));
    const statuses = projectStatuses(project).statuses;
    const [selected] = selectSpecs(statuses, ctx.parsed.positionals, { projectDir: project.projectDir, cwd: ctx.cwd });
    const spec = selected?.spec;
    if (!selected || !spec) {
      throw new CliError(ExitCode.Failed, `spec '${selected?.name ?? ctx.parsed.positionals[0]}' is malformed, so it is never sent: ${selected?.reasons.join('; ') ?? ''}`, {
        hint: 'run `jaunt status` for the details',
      });
    }
    // Loaded here: the prompt builder pulls in the generation code, which the other commands do not need.
    const { buildPrompt, readPackageDeps } = await import('../../generate/build-prompt');
    const { analysis, options, program, ts } = project;
    const prompt = buildPrompt(ts, program, analysis, spec, { packageDeps: readPackageDeps(options.projectDir) });
    const characters = prompt.system.length + prompt.user.length;
    const deps = spec.ir.deps.map((id) => {
      const dep = analysis.byId.get(id);
      return { id, name: dep?.ir.name ?? id, hash: dep?.hash ?? null };
    });
    // Shown redacted: a URL's user name, password and query never reach the terminal.
    const endpoint = options.endpoint.shown;
    const origin = endpointOrigin(options.endpoint, displayPath(ctx.cwd, project.configPath));
    if (ctx.json) {
      const json: ExplainJson = {
        spec: { id: spec.id, name: spec.ir.name, file: spec.ir.file, line: spec.ir.line, hash: spec.hash ?? null },
        model: options.model, maxTokens: options.maxTokens, endpoint, endpointSource: options.endpoint.source,
        prompt: { system: prompt.system, user: prompt.user },
        size: { characters, estimatedTokens: estimateTokens(characters), estimate: 'ceil(characters / 4)' },
        inputs: { name: spec.ir.name, signatures: spec.ir.signatures, doc: spec.ir.doc, types: spec.ir.types, deps, ...(spec.ir.members ? { members: spec.ir.members } : {}) },
      };
      ctx.out.json(json);
      return ExitCode.Ok;
    }
    const { out } = ctx;
    const s = out.style;
    const rule = (title: string) => s.dim(`──── ${title} ${'─'.repeat(Math.max(4, 60 - title.length))}`);
    out.out(`${s.bold(`jaunt explain ${spec.ir.name}`)}  ${s.cyan(`${spec.ir.file}:${spec.ir.line}`)}  hash ${spec.hash ?? '(none: dependency cycle)'}`);
    out.out(`Model:  ${options.model} (max_tokens ${options.maxTokens}) at ${endpoint} (${origin})`);
    out.out(`Size:   ${characters.toLocaleString('en-US')} characters ≈ ${estimateTokens(characters).toLocaleString('en-US')} input tokens (estimate: characters / 4, rounded up; the model's tokenizer decides the real count)`);
    out.out();
    out.out(rule('hash inputs (changing any of these regenerates the spec)'));
    out.out(`name        ${spec.ir.name}`);
    out.out(indent(spec.ir.signatures.join('\n'), '            ', 'signatures  '));
    out.out(indent(spec.ir.doc || '(empty)', '            ', 'doc         '));
    if (spec.ir.members) out.out(indent(spec.ir.members.map((m) => m.text).join('\n'), '            ', 'members     '));
    out.out(indent(spec.ir.types.join('\n') || '(none)', '            ', 'types       '));
    out.out(indent(deps.map((d) => `${d.name} ${d.hash ?? '(no hash)'}  ${s.dim(d.id)}`).join('\n') || '(none)', '            ', 'deps        '));
    out.out();
    out.out(rule('system prompt (sent as is)'));
    out.out(prompt.system);
    out.out(rule('user prompt (sent as is)'));
    out.out(prompt.user);
    out.out(rule('end'));
    return ExitCode.Ok;
  },
};
