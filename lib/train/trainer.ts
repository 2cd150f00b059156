// Trains the transformer with onnxruntime: one ONNX session runs the training step, another
// evaluates the current weights on every input. Works with onnxruntime-node and onnxruntime-web.
import type * as Ort from 'onnxruntime-common';
import type { ModelConfig, Operation } from '../modarith/config.ts';
import { allInputs } from '../modarith/forward.ts';
import { makeDataset, splitDataset, testIndices, type Dataset } from '../modarith/data.ts';
import { inferenceGraph } from '../modarith/export.ts';
import { lossAndAccuracy } from '../modarith/measures.ts';
import {
  flatLayout,
  initParams,
  paramNames,
  paramShapes,
  zeroMoments,
  type ParamName,
  type Params,
} from '../modarith/params.ts';
import { sizeOf } from '../modarith/tensor.ts';
import { trainingBatch } from './data.ts';
import { flat, learningRate, trainingGraph, type Architecture } from './graph.ts';
import type { LossKind } from './loss.ts';

/** The ORT API both onnxruntime-node and onnxruntime-web export. */
export interface OrtModule {
  InferenceSession: typeof Ort.InferenceSession;
  Tensor: typeof Ort.Tensor;
}

export interface TrainSettings {
  config: ModelConfig;
  op: Operation;
  /** Fraction of the pairs used for training. */
  fraction: number;
  lr: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  /** Steps of linear learning-rate warm-up. */
  warmup: number;
  seed: number;
  /**
   * The loss's float32 form (lib/train/loss.ts). A run saved before the setting existed was
   * trained with the naive one, and reads as such.
   */
  loss?: LossKind;
  /** Which biases are trained (lib/train/graph.ts); before the setting existed, all of them. */
  architecture?: Architecture;
}

/** A run's loss and architecture, with what a run saved before these settings had. */
export function stepKind(s: TrainSettings): { loss: LossKind; architecture: Architecture } {
  return { loss: s.loss ?? 'naive', architecture: s.architecture ?? 'transformerlens' };
}

/** The paper's hyperparameters (Nanda et al. 2023), its model, and a loss as exact as its float64. */
export const paperSettings: Omit<TrainSettings, 'config' | 'op' | 'fraction' | 'seed'> = {
  lr: 1e-3,
  weightDecay: 1,
  beta1: 0.9,
  beta2: 0.98,
  warmup: 10,
  loss: 'exact',
  architecture: 'paper',
};

export interface Evaluation {
  epoch: number;
  train_loss: number;
  test_loss: number;
  train_accuracy: number;
  test_accuracy: number;
  /** Logits over every input [p², p] and MLP activations [p², d_mlp], for the progress measures. */
  logits: Float32Array;
  mlp_post: Float32Array;
}

/** What a checkpoint holds: enough to resume exactly. */
export interface TrainState {
  epoch: number;
  params: Params;
  m: Record<ParamName, Float32Array>;
  v: Record<ParamName, Float32Array>;
}

export interface TrainerOptions {
  executionProviders?: string[];
  /** Initial parameters; default the paper's initialisation from the seed. */
  initial?: Params;
  /** Training indices; default a seeded split of `fraction`. */
  train?: number[];
  /** Resume from a saved state. */
  state?: TrainState;
  /** Also fetch the gradients (for tests). */
  withGradients?: boolean;
  /** 'gpu-buffer' keeps parameters and moments on the GPU between steps (WebGPU). */
  preferredOutputLocation?: 'cpu' | 'gpu-buffer';
  /** Profile the step session's operators (`npm run bench`); see `endProfiling`. */
  profile?: { filePrefix: string };
}

export class Trainer {
  epoch = 0;
  readonly data: Dataset;
  readonly train: number[];
  readonly test: number[];
  lastGradients: Record<string, Float32Array> | undefined;
  private feeds: Record<string, Ort.Tensor> = {};

  private readonly ort: OrtModule;
  readonly settings: TrainSettings;
  private readonly step: Ort.InferenceSession;
  private readonly evaluator: Ort.InferenceSession;
  private readonly withGradients: boolean;

  private constructor(
    ort: OrtModule,
    settings: TrainSettings,
    sessions: { step: Ort.InferenceSession; evaluator: Ort.InferenceSession },
    split: { train: number[]; test: number[] },
    withGradients: boolean,
  ) {
    this.ort = ort;
    this.settings = settings;
    this.step = sessions.step;
    this.evaluator = sessions.evaluator;
    this.withGradients = withGradients;
    this.data = makeDataset(settings.op, settings.config.p);
    this.train = split.train;
    this.test = split.test;
  }

  /** Builds both graphs and opens their sessions. */
  static async create(
    ort: OrtModule,
    settings: TrainSettings,
    options: TrainerOptions = {},
  ): Promise<Trainer> {
    const { config } = settings;
    const data = makeDataset(settings.op, config.p);
    const split = options.train
      ? { train: options.train, test: testIndices(data, options.train) }
      : splitDataset(data, settings.fraction, settings.seed);
    const sessionOptions: Ort.InferenceSession.SessionOptions = {
      executionProviders: options.executionProviders ?? ['cpu'],
      graphOptimizationLevel: 'all',
      // Errors only: onnxruntime-web warns on every WebGPU session that shape computations (Reshape
      // targets, int64 index math) run on the CPU, which is by design and not a fallback.
      logSeverityLevel: 3,
    };
    const stepGraph = trainingGraph(
      config,
      split.train.length,
      {
        weightDecay: settings.weightDecay,
        beta1: settings.beta1,
        beta2: settings.beta2,
        eps: 1e-8,
      },
      { ...stepKind(settings), withGradients: options.withGradients ?? false },
    );
    const stepOptions: Ort.InferenceSession.SessionOptions = { ...sessionOptions };
    if (options.profile) {
      stepOptions.enableProfiling = true;
      stepOptions.profileFilePrefix = options.profile.filePrefix;
    }
    if (options.preferredOutputLocation === 'gpu-buffer') {
      // Everything but the loss stays on the GPU for the next step.
      stepOptions.preferredOutputLocation = Object.fromEntries(
        stepGraph.outputs.map((o) => [o.name, o.name === 'loss' ? 'cpu' : 'gpu-buffer']),
      );
    }
    // One after the other: onnxruntime-web's WebGPU provider creates one session at a time.
    const step = await ort.InferenceSession.create(stepGraph.toModel(), stepOptions);
    const evaluator = await ort.InferenceSession.create(
      inferenceGraph(config).toModel(),
      sessionOptions,
    );
    const trainer = new Trainer(
      ort,
      settings,
      { step, evaluator },
      split,
      options.withGradients ?? false,
    );
    trainer.setState(
      options.state ?? {
        epoch: 0,
        params: options.initial ?? initParams(config, settings.seed),
        m: zeroMoments(config),
        v: zeroMoments(config),
      },
    );
    const batch = trainingBatch(trainer.train, trainer.data.labels, config.p);
    trainer.feeds['tokens'] = new ort.Tensor('int64', batch.tokens, [trainer.train.length, 3]);
    trainer.feeds['onehot_labels'] = new ort.Tensor('float32', batch.labels, [
      trainer.train.length,
      config.p,
    ]);
    return trainer;
  }

  /** Replaces parameters and optimiser state (a checkpoint being resumed). */
  setState(state: TrainState): void {
    const { total } = flatLayout(this.settings.config);
    this.epoch = state.epoch;
    const tensor = (of: (name: ParamName) => ArrayLike<number>) =>
      new this.ort.Tensor('float32', this.join(of), [total]);
    this.feeds[flat.params] = tensor((name) => state.params[name].data);
    this.feeds[flat.m] = tensor((name) => state.m[name]);
    this.feeds[flat.v] = tensor((name) => state.v[name]);
  }

  /** Runs one full-batch AdamW step; returns the loss before the update. */
  async stepOnce(): Promise<number> {
    const t = this.epoch + 1;
    const { lr, warmup, beta1, beta2 } = this.settings;
    const scalar = (x: number) => new this.ort.Tensor('float32', Float32Array.of(x), []);
    const out = await this.step.run({
      ...this.feeds,
      lr: scalar(learningRate(lr, warmup, t)),
      bias_correction1: scalar(1 - beta1 ** t),
      bias_correction2: scalar(1 - beta2 ** t),
    });
    for (const [key, fetched] of [
      [flat.params, flat.newParams],
      [flat.m, flat.newM],
      [flat.v, flat.newV],
    ] as const) {
      this.feeds[key]!.dispose(); // frees GPU buffers; nothing else holds the old step's tensors
      this.feeds[key] = out[fetched]!;
    }
    if (this.withGradients) {
      this.lastGradients = this.split(out[flat.grads]!.data as Float32Array);
    }
    this.epoch = t;
    return ((await out['loss']!.getData()) as Float32Array)[0]!;
  }

  /** The current state, copied out of the sessions' tensors. */
  async state(): Promise<TrainState> {
    const read = async (key: string) =>
      this.split((await this.feeds[key]!.getData()) as Float32Array);
    const values = await read(flat.params);
    const shapes = paramShapes(this.settings.config);
    const params = {} as Params;
    for (const name of paramNames) params[name] = { shape: shapes[name], data: values[name] };
    return { epoch: this.epoch, params, m: await read(flat.m), v: await read(flat.v) };
  }

  /** Every parameter end to end, in the step graph's layout. */
  private join(of: (name: ParamName) => ArrayLike<number>): Float32Array<ArrayBuffer> {
    const { offsets, total } = flatLayout(this.settings.config);
    const out = new Float32Array(total);
    for (const name of paramNames) out.set(of(name), offsets[name]);
    return out;
  }

  /** Each parameter's part of a flat vector: views into it, or copies when `copy`. */
  private split(values: Float32Array, copy = true): Record<ParamName, Float32Array> {
    const { offsets } = flatLayout(this.settings.config);
    const shapes = paramShapes(this.settings.config);
    return Object.fromEntries(
      paramNames.map((name) => {
        const [start, end] = [offsets[name], offsets[name] + sizeOf(shapes[name])];
        return [name, copy ? values.slice(start, end) : values.subarray(start, end)];
      }),
    ) as Record<ParamName, Float32Array>;
  }

  /** Loss and accuracy on the training and test inputs, with logits and MLP activations. */
  async evaluate(): Promise<Evaluation> {
    const { p } = this.settings.config;
    // Views into the step's parameters: the evaluator's inputs are copied into the engine anyway.
    const values = this.split((await this.feeds[flat.params]!.getData()) as Float32Array, false);
    const out = await this.evaluator.run(this.evaluatorFeeds(values), ['logits', 'mlp_post']);
    const logits = (await out['logits']!.getData()) as Float32Array;
    const train = lossAndAccuracy(logits, p, this.data.labels, this.train);
    const test = lossAndAccuracy(logits, p, this.data.labels, this.test);
    return {
      epoch: this.epoch,
      train_loss: train.loss,
      test_loss: test.loss,
      train_accuracy: train.accuracy,
      test_accuracy: test.accuracy,
      logits,
      mlp_post: (await out['mlp_post']!.getData()) as Float32Array,
    };
  }

  /** Logits over every input [p², p] of other weights (a kept snapshot), by the same evaluator. */
  async logitsOf(params: Params): Promise<Float32Array> {
    const { p } = this.settings.config;
    const values = Object.fromEntries(
      paramNames.map((name) => [name, Float32Array.from(params[name].data)]),
    ) as Record<ParamName, Float32Array>;
    const out = await this.evaluator.run(this.evaluatorFeeds(values), ['logits']);
    const logits = Float32Array.from((await out['logits']!.getData()) as Float32Array);
    if (logits.length !== p * p * p)
      throw new Error('The evaluator returned logits of another shape.');
    return logits;
  }

  /** The evaluator's feeds: every input and the given weights. */
  private evaluatorFeeds(values: Record<ParamName, Float32Array>): Record<string, Ort.Tensor> {
    const shapes = paramShapes(this.settings.config);
    const feeds: Record<string, Ort.Tensor> = { tokens: this.allTokens() };
    for (const name of paramNames) {
      feeds[name] = new this.ort.Tensor('float32', values[name], shapes[name]);
    }
    return feeds;
  }

  /** Every input [a, b, '='] as the evaluator's int64 tokens [p², 3]. */
  private allTokens(): Ort.Tensor {
    const { p } = this.settings.config;
    return new this.ort.Tensor(
      'int64',
      BigInt64Array.from(allInputs(p), (t) => BigInt(t)),
      [p * p, 3],
    );
  }

  /**
   * Ends the step session's profile (`profile` option): onnxruntime-node writes it to a file that
   * starts with the prefix, onnxruntime-web prints it to the console.
   */
  endProfiling(): void {
    void this.step.endProfiling();
  }

  async release(): Promise<void> {
    await Promise.all([this.step.release(), this.evaluator.release()]);
  }
}
