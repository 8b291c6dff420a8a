import type { GenerationJob } from '../generate/generation-job';
import type { GenerationReport } from '../generate/generation-events';
import { chainLengths, serveChecks } from '../generate/serve-checks';
import type { VerifyAhead } from '../generate/verify-ahead';
import type { CheckRequest, WorkerRequest, WorkerResponse } from '../generate/worker-protocol';

const job = (id: string, deps: string[] = []): GenerationJob => {
  const [file, name] = id.split('#') as [string, string];
  return { id, name, hash: '0', file, deps, inputs: undefined, prompt: { system: '', user: '' } };
};
const jobsOf = (...jobs: GenerationJob[]) => new Map(jobs.map((j) => [j.id, j]));
const request = (ticket: number, id: string): CheckRequest => ({ ticket, job: id, candidate: `// ${id}` });
const DONE: WorkerResponse = { type: 'done', report: { outcomes: [], inputTokens: 0, outputTokens: 0, wallMs: 0 } satisfies GenerationReport };

/** A worker that answers each call from a script and records what it was told. */
function scriptedWorker(answers: WorkerResponse[]) {
  const told: WorkerRequest[] = [];
  const call = (req: WorkerRequest): WorkerResponse => {
    told.push(req);
    const next = answers.shift();
    if (!next) throw new Error('the worker was called more often than scripted');
    return next;
  };
  return { call, told };
}

describe('checking candidates on tsc\'s thread', () => {
  test('the chain length of a job counts the longest chain of dependents, itself included', () => {
    const jobs = jobsOf(job('a.ts#a'), job('b.ts#b', ['a.ts#a']), job('c.ts#c', ['b.ts#b']), job('d.ts#d'));
    expect(Object.fromEntries(chainLengths(jobs))).toEqual({ 'a.ts#a': 3, 'b.ts#b': 2, 'c.ts#c': 1, 'd.ts#d': 1 });
  });

  test('each round checks one candidate per file, the longest chain first, and its verdicts go back at once', () => {
    const jobs = jobsOf(job('x.ts#leaf'), job('x.ts#root'), job('y.ts#other'), job('z.ts#top', ['x.ts#root']));
    const rounds: string[][] = [];
    const worker = scriptedWorker([{ type: 'check', requests: [] }, { type: 'check', requests: [] }, DONE]);
    const first: WorkerResponse = { type: 'check', requests: [request(1, 'x.ts#leaf'), request(2, 'y.ts#other'), request(3, 'x.ts#root')] };
    const last = serveChecks(worker.call, first, {
      jobs,
      check: (requests) => {
        rounds.push(requests.map((r) => r.job));
        return requests.map((r) => ({ ticket: r.ticket, result: { ok: true, body: r.candidate } }));
      },
    });
    expect(last).toBe(DONE);
    // root heads a chain (root -> top), so it goes before leaf, which shares its file and waits a round.
    expect(rounds).toEqual([['x.ts#root', 'y.ts#other'], ['x.ts#leaf']]);
    expect(worker.told).toEqual([
      { type: 'checked', results: [{ ticket: 3, result: { ok: true, body: '// x.ts#root' } }, { ticket: 2, result: { ok: true, body: '// y.ts#other' } }], wait: false },
      { type: 'checked', results: [{ ticket: 1, result: { ok: true, body: '// x.ts#leaf' } }], wait: false },
      { type: 'checked', results: [], wait: true },
    ]);
  });

  test('with no candidate waiting it verifies finished files ahead before it blocks, and only files whose spec passed', () => {
    const jobs = jobsOf(job('x.ts#good'), job('y.ts#bad'));
    const touched: string[] = [];
    let pending = 0;
    const steps: number[] = [];
    const ahead: Pick<VerifyAhead, 'touched' | 'pending' | 'step'> = {
      touched: (id) => void (touched.push(id), pending++),
      pending: () => pending > 0,
      step: (max) => (steps.push(max), (pending = 0), 1),
    };
    const worker = scriptedWorker([{ type: 'check', requests: [] }, DONE]);
    serveChecks(worker.call, { type: 'check', requests: [request(1, 'x.ts#good'), request(2, 'y.ts#bad')] }, {
      jobs, ahead,
      check: (requests) => requests.map((r) => ({ ticket: r.ticket, result: r.job === 'x.ts#good' ? { ok: true, body: '' } : { ok: false, errors: ['no'] } })),
    });
    expect(touched).toEqual(['x.ts#good']);
    expect(steps).toHaveLength(1);
    expect(worker.told.map((r) => r.type === 'checked' && r.wait)).toEqual([false, false]);
  });

  test('once every job has passed it checks nothing ahead and waits for the end: classification checks the rest in one go', () => {
    const jobs = jobsOf(job('x.ts#only'));
    const steps: number[] = [];
    const ahead: Pick<VerifyAhead, 'touched' | 'pending' | 'step'> = { touched: () => undefined, pending: () => true, step: (max) => (steps.push(max), 1) };
    const worker = scriptedWorker([{ type: 'check', requests: [] }, DONE]);
    serveChecks(worker.call, { type: 'check', requests: [request(1, 'x.ts#only')] }, {
      jobs, ahead, check: (requests) => requests.map((r) => ({ ticket: r.ticket, result: { ok: true, body: '' } })),
    });
    expect(steps).toEqual([]);
    expect(worker.told.map((r) => r.type === 'checked' && r.wait)).toEqual([false, true]);
  });

  test('a check ahead that throws costs only the head start: the run goes on', () => {
    const ahead: Pick<VerifyAhead, 'touched' | 'pending' | 'step'> = { touched: () => undefined, pending: () => true, step: () => { throw new Error('boom'); } };
    const worker = scriptedWorker([{ type: 'check', requests: [] }, DONE]);
    const last = serveChecks(worker.call, { type: 'check', requests: [] }, { jobs: new Map(), ahead, check: () => [] });
    expect(last).toBe(DONE);
  });
});
