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
  /** Groks in about 900 epochs (measured, BENCHMARKS.md): p = 59, 50%, d_model 64, lr 3e-3. */
  quickGrok: {
    ...paperSettings,
    config: { p: 59, d_model: 64, n_heads: 4, d_head: 16, d_mlp: 256 },
    op: 'add',
    fraction: 0.5,
    lr: 3e-3,
    seed: 0,
  },
} satisfies Record<string, TrainSettings>;
