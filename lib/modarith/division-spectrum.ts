// The division model's embedding measured by exponent and by token (docs/measures.md, "Division
// and the discrete logarithm"): what models/division/spectrum.json holds and lesson 8 draws.
import type { ModelConfig } from './config.ts';
import {
  exponentKeyFrequencies,
  exponentOrder,
  orderedFrequencyNorms,
  primitiveRoot,
  tokenOrder,
} from './discrete-log.ts';
import { allInputs, forward } from './forward.ts';
import { gini } from './measures.ts';
import type { Params } from './params.ts';

/** models/division/spectrum.json. */
export interface DivisionSpectrum {
  p: number;
  /** The smallest generator g of (Z/pZ)*. */
  generator: number;
  /** Norms per frequency k = 1…(p−1)/2 of W_E[gⁱ], i = 0…p−2, in the basis over Z/(p−1). */
  exponentNorms: number[];
  /** The same for W_E[1…p−1] in plain token order. */
  tokenNorms: number[];
  giniExponent: number;
  giniToken: number;
  /** The course's key-frequency rule on the grid of exponents (i, j). */
  keyFreqs: number[];
}

/** Measures a division model: its embedding by exponent and by token, and its key frequencies. */
export function divisionSpectrum(params: Params, config: ModelConfig): DivisionSpectrum {
  const { p, d_model: D, d_mlp: M } = config;
  const g = primitiveRoot(p);
  const WE = params['embed.W_E'].data;
  const exponentNorms = orderedFrequencyNorms(WE, D, exponentOrder(p, g));
  const tokenNorms = orderedFrequencyNorms(WE, D, tokenOrder(p));
  const { hooks } = forward(params, config, allInputs(p), 'float64');
  return {
    p,
    generator: g,
    exponentNorms: [...exponentNorms],
    tokenNorms: [...tokenNorms],
    giniExponent: gini(exponentNorms),
    giniToken: gini(tokenNorms),
    keyFreqs: exponentKeyFrequencies(hooks.mlp_post, p, M, g).keyFreqs,
  };
}
