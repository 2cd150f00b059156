#!/usr/bin/python3
"""The PyTorch peer of the pretrained model's timing in `npm run bench`: ms to run the paper's model
on all p² inputs in one batch, with its hooks, under torch.no_grad. Prints one JSON object: the
first run and the median of later runs.

Usage: /usr/bin/python3 scripts/bench/torch_infer.py --threads 2
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
parser.add_argument('--threads', type=int, default=2)
parser.add_argument('--runs', type=int, default=5)
args = parser.parse_args()
torch.set_num_threads(args.threads)
gm.configure(p=113, d_model=128, d_mlp=512)
params = gm.init_params(torch.Generator().manual_seed(0))
for name, shape in gm.BIASES.items():
    params[name] = torch.zeros(shape)
tokens = gm.all_tokens()


def run():
    start = time.perf_counter()
    with torch.no_grad():
        gm.forward(params, tokens)
    return 1000 * (time.perf_counter() - start)


first = run()
later = [run() for _ in range(args.runs)]
print(json.dumps({'version': torch.__version__, 'threads': args.threads, 'first_ms': first,
                  'ms': statistics.median(later)}))
