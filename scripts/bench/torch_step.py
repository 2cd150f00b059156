#!/usr/bin/python3
"""The PyTorch peer of `npm run bench`: ms per full-batch AdamW step of the same model, computing
every position as the paper's code does. Prints one JSON object.

Usage: /usr/bin/python3 scripts/bench/torch_step.py --p 113 --d-model 128 --d-mlp 512 --fraction 0.3 --threads 1 [--paper]
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import goldens_modarith as gm  # noqa: E402  (the same model definition as the goldens)

parser = argparse.ArgumentParser()
parser.add_argument('--p', type=int, required=True)
parser.add_argument('--d-model', type=int, required=True)
parser.add_argument('--d-mlp', type=int, required=True)
parser.add_argument('--fraction', type=float, required=True)
parser.add_argument('--threads', type=int, default=1)
parser.add_argument('--steps', type=int, default=10)
parser.add_argument('--paper', action='store_true',
                    help="the paper's model: no attention or unembedding biases")
args = parser.parse_args()
torch.set_num_threads(args.threads)
gm.configure(p=args.p, d_model=args.d_model, d_mlp=args.d_mlp)
gen = torch.Generator().manual_seed(0)
params = gm.init_params(gen)
if not args.paper:
    # The course's model trains the attention and unembedding biases too (TransformerLens layout).
    for name, shape in gm.BIASES.items():
        params[name] = torch.zeros(shape)
n = args.p * args.p
train = torch.randperm(n, generator=gen)[: int(args.fraction * n)]
tokens, labels = gm.all_tokens()[train], gm.labels()[train]
for t in params.values():
    t.requires_grad_(True)
opt = torch.optim.AdamW(params.values(), lr=1e-3, weight_decay=1.0, betas=(0.9, 0.98))


def step():
    logits, _ = gm.forward(params, tokens)
    loss = torch.nn.functional.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()


for _ in range(3):
    step()
times = []
for _ in range(args.steps):
    start = time.perf_counter()
    step()
    times.append(time.perf_counter() - start)
# The median step: this machine is shared and noisy, and a median ignores the odd stall.
print(json.dumps({'engine': 'pytorch', 'version': torch.__version__, 'threads': args.threads,
                  'ms_per_step': 1000 * statistics.median(times)}))
