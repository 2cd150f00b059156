#!/usr/bin/python3
"""One AdamW step of a converged model, in float64 PyTorch, for lib/train at tiny loss.

Reads a training state written by `npm run train` (parameters, Adam moments m.* and v.*, the
settings and the epoch in its metadata) and its split, runs the forward pass in float64 on the
training inputs, takes the loss as log1p(sum_{j!=y} exp(z_j - z_y)) (exact at any margin, where
float64's own log_softmax is not), and makes one torch.optim.AdamW step from the state's moments.
The paper's architecture trains no attention or unembedding biases: they are left out of the
optimiser. Writes the update (new - old parameters) and the gradient (grad.*) of every trained
parameter, float32, and in the metadata how far the same step taken in float32 PyTorch is from
float64's, tensor by tensor: the floor below which no float32 step can go.

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


def step(tensors, settings, epoch, train, dtype):
    """One AdamW step in `dtype` from the state's weights and moments: (loss, gradient, update)."""
    names = [n for n in tensors if not n.startswith(('m.', 'v.'))]
    params = {n: tensors[n].clone().to(dtype).requires_grad_(n not in FROZEN) for n in names}
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
                                'exp_avg': tensors['m.' + n].clone().to(dtype),
                                'exp_avg_sq': tensors['v.' + n].clone().to(dtype)}
    grad = {n: params[n].grad.detach().double() for n in trained}
    before = {n: params[n].detach().clone() for n in trained}
    opt.step()  # warm-up is long over: the learning rate is the settings' lr
    update = {n: (params[n].detach() - before[n]).double() for n in trained}
    return loss.item(), grad, update


def main(state_path, split_path):
    tensors, metadata = read_safetensors(state_path)
    settings = json.loads(metadata['settings'])
    epoch = int(metadata['epoch'])
    c = settings['config']
    gm.configure(p=c['p'], d_model=c['d_model'], d_mlp=c['d_mlp'], n_heads=c['n_heads'])
    with open(split_path) as f:
        train = torch.tensor(json.load(f))
    loss, grad, update = step(tensors, settings, epoch, train, torch.float64)
    # The same step in float32 PyTorch, exact loss and all: near equilibrium the decay and the Adam
    # step almost cancel, and float32 weights hold their difference only to a few parts in 1e3.
    _, _, update32 = step(tensors, settings, epoch, train, torch.float32)
    float32_error = {n: ((update32[n] - update[n]).abs().max() / update[n].abs().max()).item()
                     for n in update}
    out = {n: update[n].float() for n in update}
    out.update({'grad.' + n: grad[n].float() for n in grad})
    os.makedirs(OUT, exist_ok=True)
    gm.save_safetensors(os.path.join(OUT, 'update.safetensors'), out,
                        {'epoch': str(epoch), 'loss': repr(loss),
                         'float32_update_error': json.dumps(float32_error)})
    print(f'epoch {epoch}: float64 train loss {loss:.6e}; update and gradient written for '
          f'{len(update)} tensors; float32 PyTorch\'s update is off by up to '
          f'{max(float32_error.values()):.1e}')


if __name__ == '__main__':
    main(*sys.argv[1:3])
