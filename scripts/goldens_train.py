#!/usr/bin/python3
"""Golden training steps for lib/train, computed with PyTorch's own AdamW (Debian's python3-torch).

From one set of initial parameters (saved as safetensors) and one training split, records the loss
of each of 50 full-batch AdamW steps, the parameters after steps 1 and 50, and the gradient of
every parameter at step 1. The model has every TransformerLens parameter, biases included.

Run: /usr/bin/python3 scripts/goldens_train.py   (writes tests/fixtures/train/)
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import goldens_modarith as gm  # noqa: E402  (same model definition and safetensors writer)

gm.configure(p=23, d_model=16, d_mlp=32)

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'train')
HYPER = {'lr': 1e-3, 'weight_decay': 1.0, 'beta1': 0.9, 'beta2': 0.98, 'eps': 1e-8, 'warmup': 10}
STEPS = 50


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    params = gm.init_params(gen)
    for name, shape in gm.BIASES.items():
        params[name] = torch.randn(shape, generator=gen) * 0.1
    for name in ['blocks.0.mlp.b_in', 'blocks.0.mlp.b_out']:
        params[name] = torch.randn(params[name].shape, generator=gen) * 0.1
    n = gm.P * gm.P
    train = torch.randperm(n, generator=gen)[: n // 2].sort().values
    gm.save_safetensors(os.path.join(OUT, 'init.safetensors'), params, {'p': str(gm.P), 'op': 'add'})
    with open(os.path.join(OUT, 'split.json'), 'w') as f:
        json.dump(train.tolist(), f)

    tokens, labels = gm.all_tokens()[train], gm.labels()[train]
    for t in params.values():
        t.requires_grad_(True)
    opt = torch.optim.AdamW(params.values(), lr=HYPER['lr'], weight_decay=HYPER['weight_decay'],
                            betas=(HYPER['beta1'], HYPER['beta2']), eps=HYPER['eps'])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: min(step / HYPER['warmup'], 1))
    golden = {'config': {'p': gm.P, 'd_model': gm.D_MODEL, 'n_heads': gm.N_HEADS, 'd_head': gm.D_HEAD,
                         'd_mlp': gm.D_MLP}, 'hyper': HYPER, 'losses': []}
    snapshot = lambda: {k: v.detach().flatten().tolist() for k, v in params.items()}
    for step in range(1, STEPS + 1):
        logits, _ = gm.forward(params, tokens)
        loss = torch.nn.functional.cross_entropy(logits, labels)
        opt.zero_grad()
        loss.backward()
        if step == 1:
            golden['grads_1'] = {k: v.grad.flatten().tolist() for k, v in params.items()}
        opt.step()
        sched.step()
        golden['losses'].append(loss.item())
        if step in (1, 10, STEPS):
            golden[f'params_{step}'] = snapshot()
    with open(os.path.join(OUT, 'golden.json'), 'w') as f:
        json.dump(golden, f)
    print(f"losses: first {golden['losses'][0]:.5f}, last {golden['losses'][-1]:.5f}")


if __name__ == '__main__':
    main()
