// Where a training step's time goes: onnxruntime's own profile of the step session, node by node,
// summed by region (the prefix of each node's name: `Graph.within` in lib/onnx/graph.ts), with the
// arithmetic each region does. `npm run bench` writes the tables into BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Trainer, type TrainSettings } from '../../lib/train/trainer.ts';

/** One event of onnxruntime's profile (Chrome trace format; times in µs). */
export interface ProfileEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args: {
    op_name?: string;
    input_type_shape?: Record<string, number[]>[];
    output_type_shape?: Record<string, number[]>[];
  };
}

export interface RegionCost {
  region: string;
  /** Milliseconds per step, summed over the region's operators */
  ms: number;
  /** Floating-point operations per step (see `flopsOf`) */
  flops: number;
}

const size = (shape: number[]) => shape.reduce((n, d) => n * d, 1);
const shapes = (list: Record<string, number[]>[] | undefined) =>
  (list ?? []).map((entry) => Object.values(entry)[0] ?? []);

/** Operators that only move data: no arithmetic counted. */
const moves = new Set([
  'Cast',
  'Expand',
  'Gather',
  'Identity',
  'Reshape',
  'ScatterND',
  'Transpose',
]);

/**
 * The arithmetic of one operator: 2·m·k·n for a matrix product (plus m·n for Gemm's added C), one
 * per element read for a sum, five per element for a softmax (max, subtract, exp, sum, divide),
 * one per output element for other element-wise operators; data movement counts none.
 */
export function flopsOf(e: ProfileEvent): number {
  const op = e.args.op_name ?? '';
  const inputs = shapes(e.args.input_type_shape);
  const out = shapes(e.args.output_type_shape)[0] ?? [];
  if (op === 'MatMul' || op === 'FusedMatMul' || op === 'Gemm') {
    const n = out.at(-1) ?? 1;
    return 2 * size(inputs[0]!) * n + (op === 'Gemm' && inputs[2] ? size(out) : 0);
  }
  if (moves.has(op)) return 0;
  if (op === 'ReduceSum') return size(inputs[0]!);
  if (op === 'Softmax' || op === 'LogSoftmax') return 5 * size(out);
  return size(out);
}

/**
 * Sums the operator events of the step runs after the first `warmup` by region: ms and FLOPs per
 * step, largest first.
 */
export function regionCosts(events: ProfileEvent[], warmup: number): RegionCost[] {
  const runs = events
    .filter((e) => e.name === 'model_run')
    .sort((a, b) => a.ts - b.ts)
    .slice(warmup);
  if (runs.length === 0) throw new Error('The profile holds no run after the warm-up.');
  const inRun = (e: ProfileEvent) => runs.some((r) => e.ts >= r.ts && e.ts <= r.ts + r.dur);
  const byRegion = new Map<string, RegionCost>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !inRun(e)) continue;
    const region = e.name.includes('/') ? e.name.slice(0, e.name.indexOf('/')) : 'other';
    const cost = byRegion.get(region) ?? { region, ms: 0, flops: 0 };
    cost.ms += e.dur / 1000 / runs.length;
    cost.flops += flopsOf(e) / runs.length;
    byRegion.set(region, cost);
  }
  return [...byRegion.values()].sort((a, b) => b.ms - a.ms);
}

/** The step of `settings` on onnxruntime-node, profiled over `steps` steps after 3 warm-up steps. */
export async function profileNode(settings: TrainSettings, steps: number): Promise<RegionCost[]> {
  const dir = mkdtempSync(join(tmpdir(), 'step-profile-'));
  try {
    const trainer = await Trainer.create(ort, settings, {
      profile: { filePrefix: join(dir, 's') },
    });
    for (let i = 0; i < 3 + steps; i++) await trainer.stepOnce();
    trainer.endProfiling();
    await trainer.release();
    const file = readdirSync(dir).find((f) => f.endsWith('.json'))!;
    return regionCosts(JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProfileEvent[], 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type WebBuild = 'plain' | 'asyncify';

export interface WebStepRun {
  /** Median ms per step */
  ms: number;
  /** By region, when profiled */
  regions?: RegionCost[];
}

/**
 * The step on onnxruntime-web's WASM backend, run by Node (the same V8 and the same .wasm files the
 * page loads) in a process of its own (scripts/bench/web-step.ts), since a process holds one build.
 * onnxruntime-web prints its profile to standard output, one event per line.
 */
export function webStep(
  preset: 'paper' | 'quickGrok',
  build: WebBuild,
  threads: number,
  steps: number,
  profile = false,
): WebStepRun {
  const out = execFileSync(
    process.execPath,
    [
      'scripts/bench/web-step.ts',
      preset,
      build,
      String(threads),
      String(steps),
      ...(profile ? ['--profile'] : []),
    ],
    { encoding: 'utf8', maxBuffer: 2 ** 30 },
  );
  const lines = out.split('\n');
  const result = lines.find((l) => l.startsWith('RESULT '));
  if (!result) throw new Error(`web-step.ts printed no result:\n${out.slice(-2000)}`);
  const { ms } = JSON.parse(result.slice('RESULT '.length)) as { ms: number };
  if (!profile) return { ms };
  const events = lines
    .filter((l) => l.startsWith('{"cat"'))
    .map((l) => JSON.parse(l.replace(/,\s*$/, '')) as ProfileEvent);
  return { ms, regions: regionCosts(events, 3) };
}
