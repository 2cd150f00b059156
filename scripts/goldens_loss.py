#!/usr/bin/python3
"""Float64 references for the training loss (lib/train/loss.ts), where float32 goes wrong.

Batches of float32 logits whose margins (right logit minus the largest wrong one) run from -5 to
40, one margin per batch, so that a batch's mean loss is as small as its examples' (down to 1e-18).
For each: the mean cross-entropy and its gradient with respect to the logits, in float64 and from
another formula than the graph's: loss = log1p(sum_{j!=y} exp(z_j - z_y)), p_j = exp(z_j - z_y) /
(1 + that sum), and the right answer's gradient -sum_{j!=y} p_j. (float64's own log_softmax loses
these too, past a margin of 36.)

Run: /usr/bin/python3 scripts/goldens_loss.py   (writes tests/fixtures/loss/golden.json)
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'loss', 'golden.json')
BATCH, P = 24, 23
MARGINS = [-5, -1, 0, 0.5, 1, 2, 4, 8, 12, 16, 20, 25, 30, 35, 40]


def reference(logits, labels):
    """Mean loss and d loss / d logits, float64, for float32 logits [B, P] and labels [B]."""
    z = logits.astype(np.float64)
    rows = np.arange(len(labels))
    ratios = np.exp(z - z[rows, labels][:, None])
    ratios[rows, labels] = 0
    others = ratios.sum(axis=1)
    loss = np.log1p(others).mean()
    grad = ratios / (1 + others)[:, None]
    grad[rows, labels] = -others / (1 + others)
    return loss, grad / len(labels)


def main():
    rng = np.random.default_rng(0)
    batches = []
    for margin in MARGINS:
        logits = (rng.standard_normal((BATCH, P)) * 4).astype(np.float32)
        labels = rng.integers(0, P, BATCH)
        for b, y in enumerate(labels):
            wrong = np.delete(logits[b], y).max()
            # The margin of each example spreads a little around the batch's (float32 logits).
            logits[b, y] = np.float32(wrong + margin + rng.uniform(0, 0.5))
        loss, grad = reference(logits, labels)
        batches.append({
            'margin': margin,
            'logits': logits.astype(np.float64).flatten().tolist(),
            'labels': labels.tolist(),
            'loss': loss,
            'grad': grad.flatten().tolist(),
        })
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump({'batch': BATCH, 'p': P, 'batches': batches}, f)


if __name__ == '__main__':
    main()
