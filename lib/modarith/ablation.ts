// Ablating frequencies in the logits, in the paper's sense: frequency k's part of the logits is
// their projection onto cos(w_k(a+b)) and sin(w_k(a+b)) over the inputs. Keeping only the key
// frequencies gives the restricted loss's logits; removing them all, the excluded loss's.
import { keyDirections, project } from './measures.ts';

/** Which parts of the logits to keep: each listed frequency, and all the others together. */
export interface FrequencyMask {
  freqs: readonly number[];
  /** aligned with freqs */
  keep: readonly boolean[];
  keepOthers: boolean;
  /**
   * With the others removed: keep the constant term, the mean over inputs of what is removed (a
   * bias per answer c, as the paper's restricted loss does, §5.1). Kept unless false.
   */
  keepConstant?: boolean;
}

/**
 * The logits [p², p] with the switched-off frequencies removed. With the others kept that is
 * L − Π_off L; with the others removed it is Π_on L plus the mean over inputs of the rest (a
 * constant per answer c), as in the restricted loss; or Π_on L alone when keepConstant is false.
 */
export function ablateFrequencies(
  logits: ArrayLike<number>,
  p: number,
  mask: FrequencyMask,
): Float64Array {
  if (mask.keepOthers) {
    const off = mask.freqs.filter((_, j) => !mask.keep[j]);
    const removed = project(logits, p, keyDirections(p, off));
    return removed.map((x, ic) => logits[ic]! - x);
  }
  const on = mask.freqs.filter((_, j) => mask.keep[j]);
  const kept = project(logits, p, keyDirections(p, on));
  if (mask.keepConstant === false) return kept;
  const mean = new Float64Array(p);
  for (let i = 0; i < p * p; i++) {
    for (let c = 0; c < p; c++) mean[c]! += (logits[i * p + c]! - kept[i * p + c]!) / (p * p);
  }
  return kept.map((x, ic) => x + mean[ic % p]!);
}
