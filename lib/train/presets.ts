// Named training settings the course uses: the paper's run and a small one that groks fast.
import { paperSettings, type TrainSettings } from './trainer.ts';

export const presets = {
  /** Nanda et al. (2023): p = 113, 30% of pairs, d_model 128, d_mlp 512, lr 1e-3. */
  paper: {
    ...paperSettings,
    config: { p: 113, d_model: 128, n_heads: 4, d_head: 32, d_mlp: 512 },
    op: 'add',
    fraction: 0.3,
    seed: 0,
  },
  /**
   * Groks within its 1,500 epochs, the progress measures moving first: p = 59, 50%, d_model 64,
   * lr 3e-3. The sweep in BENCHMARKS.md (scripts/quick-grok-sweep.ts) found faster settings, but on
   * them the circuit forms during memorisation and the excluded loss no longer rises afterwards.
   */
  quickGrok: {
    ...paperSettings,
    config: { p: 59, d_model: 64, n_heads: 4, d_head: 16, d_mlp: 256 },
    op: 'add',
    fraction: 0.5,
    lr: 3e-3,
    seed: 0,
  },
} satisfies Record<string, TrainSettings>;

/** The lab's presets, with what each is meant to show. */
export const labPresets = {
  quickGrok: { title: 'Quick grok', settings: presets.quickGrok, epochs: 1500 },
  paper: { title: 'The paper (p = 113, 30%)', settings: presets.paper, epochs: 12000 },
  noWeightDecay: {
    title: 'No weight decay',
    settings: { ...presets.quickGrok, weightDecay: 0 },
    epochs: 1500,
  },
  division: {
    title: 'Modular division, 50% of data',
    settings: {
      ...presets.paper,
      config: { p: 97, d_model: 128, n_heads: 4, d_head: 32, d_mlp: 512 },
      op: 'divide',
      fraction: 0.5,
    },
    epochs: 6000,
  },
} satisfies Record<string, { title: string; settings: TrainSettings; epochs: number }>;
export type LabPreset = keyof typeof labPresets;
