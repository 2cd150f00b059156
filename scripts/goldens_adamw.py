#!/usr/bin/python3
"""One AdamW step of a converged model, in float64 PyTorch, for lib/train at tiny loss.

Reads a training state written by `npm run train` (parameters, Adam moments m.* and v.*, the
settings and the epoch in its metadata) and its split, runs the forward pass in float64 on the
training inputs, takes the loss as log1p(sum_{j!=y} exp(z_j - z_y)) (exact at any margin, where
float64's own log_softmax is not), and makes one torch.optim.AdamW step from the state's moments.
The paper's architecture trains no attention or unembedding biases: they are left out of the
optimiser. Writes the update (new - old parameters) of every trained parameter, float32.

Run: /usr/bin/python3 scripts/goldens_adamw.py STATE.safetensors SPLIT.json
     (writes tests/fixtures/adamw/update.safetensors; copy the state beside it as state.safetensors)
"""
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
import goldens_modarith as gm  # noqa: E402  (same model definition and safetensors writer)

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'adamw')
FROZEN = {'blocks.0.attn.b_Q', 'blocks.0.attn.b_K', 'blocks.0.attn.b_V', 'blocks.0.attn.b_O',
          'unembed.b_U'}


def read_safetensors(path):
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    metadata = header.pop('__metadata__', {})
    tensors = {}
    for name, h in header.items():
        start, end = h['data_offsets']
        data = np.frombuffer(raw[8 + n + start:8 + n + end], dtype='<f4').reshape(h['shape'])
        tensors[name] = torch.from_numpy(data.astype(np.float64))
    return tensors, metadata


def main(state_path, split_path):
    tensors, metadata = read_safetensors(state_path)
    settings = json.loads(metadata['settings'])
    epoch = int(metadata['epoch'])
    c = settings['config']
    gm.configure(p=c['p'], d_model=c['d_model'], d_mlp=c['d_mlp'], n_heads=c['n_heads'])
    with open(split_path) as f:
        train = torch.tensor(json.load(f))
    names = [n for n in tensors if not n.startswith(('m.', 'v.'))]
    params = {n: tensors[n].clone().requires_grad_(n not in FROZEN) for n in names}
    trained = [n for n in names if n not in FROZEN]
    tokens, y = gm.all_tokens()[train], gm.labels()[train]
    logits, _ = gm.forward(params, tokens)
    rows = torch.arange(len(y))
    right = logits[rows, y][:, None]
    ratios = torch.exp(logits - right)
    mask = torch.ones_like(ratios)
    mask[rows, y] = 0
    loss = torch.log1p((ratios * mask).sum(dim=1)).mean()
    opt = torch.optim.AdamW([params[n] for n in trained], lr=settings['lr'],
                            weight_decay=settings['weightDecay'],
                            betas=(settings['beta1'], settings['beta2']), eps=1e-8)
    loss.backward()
    for n in trained:
        opt.state[params[n]] = {'step': torch.tensor(float(epoch)),
                                'exp_avg': tensors['m.' + n].clone(),
                                'exp_avg_sq': tensors['v.' + n].clone()}
    before = {n: params[n].detach().clone() for n in trained}
    opt.step()  # warm-up is long over: the learning rate is the settings' lr
    update = {n: (params[n].detach() - before[n]).float() for n in trained}
    os.makedirs(OUT, exist_ok=True)
    gm.save_safetensors(os.path.join(OUT, 'update.safetensors'), update,
                        {'epoch': str(epoch), 'loss': repr(loss.item())})
    print(f'epoch {epoch}: float64 train loss {loss.item():.6e}; update written for {len(trained)} tensors')


if __name__ == '__main__':
    main(*sys.argv[1:3])
