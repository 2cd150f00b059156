#!/usr/bin/python3
"""The course's run, retrained in float64 PyTorch from the same start: an independent check that
the trainer follows the dynamics of its own initial weights and split.

Reads a run directory written by `npm run train` (its `checkpoints/epoch-0.safetensors`, the
initial weights; `split.json`; the settings in `history.json`), trains the paper's model from
there with torch.optim.AdamW in float64 (full batch, the exact loss log1p(sum_{j!=y} exp(z_j -
z_y)), the learning rate warmed up as the trainer does: lr * min((t - 1) / warmup, 1) at step t),
and writes every EVERY epochs the train and test loss and accuracy to
tests/fixtures/same-start/float64.json, which tests/unit/same-start.test.ts compares with the
course's recorded run.

Run: npm run train -- --out /tmp/paper-run --p 113 --fraction 0.3 --seed 0 --epochs 100 \\
       --eval-every 100 --checkpoint-every 100 --quiet   (any length: it saves epoch 0)
     /usr/bin/python3 scripts/same_start_float64.py /tmp/paper-run [EPOCHS] [EVERY]
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
import goldens_modarith as gm  # noqa: E402  (same model definition)
from goldens_adamw import FROZEN, read_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'same-start')


def losses(logits, y):
    """Per-example exact cross-entropy and whether the argmax is right."""
    rows = torch.arange(len(y))
    right = logits[rows, y][:, None]
    wrong = torch.ones_like(logits)
    wrong[rows, y] = 0
    return torch.log1p((torch.exp(logits - right) * wrong).sum(dim=1)), logits.argmax(dim=1) == y


def main(run_dir, epochs=4000, every=100):
    torch.set_num_threads(int(os.environ.get('THREADS', '2')))
    with open(os.path.join(run_dir, 'history.json')) as f:
        settings = json.load(f)['settings']
    c = settings['config']
    gm.configure(p=c['p'], d_model=c['d_model'], d_mlp=c['d_mlp'], n_heads=c['n_heads'])
    tensors, _ = read_safetensors(os.path.join(run_dir, 'checkpoints', 'epoch-0.safetensors'))
    with open(os.path.join(run_dir, 'split.json')) as f:
        train = torch.tensor(json.load(f))
    params = {n: t.clone().requires_grad_(n not in FROZEN) for n, t in tensors.items()}
    trained = [params[n] for n in params if n not in FROZEN]
    opt = torch.optim.AdamW(trained, lr=settings['lr'], weight_decay=settings['weightDecay'],
                            betas=(settings['beta1'], settings['beta2']), eps=1e-8)
    warmup = settings['warmup']
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(s / warmup, 1) if warmup else 1)
    tokens, y = gm.all_tokens(), gm.labels()
    is_train = torch.zeros(len(y), dtype=torch.bool)
    is_train[train] = True
    rows, start = [], time.time()
    for epoch in range(epochs + 1):
        if epoch % every == 0:
            with torch.no_grad():
                logits, _ = gm.forward(params, tokens)
                loss, right = losses(logits, y)
            rows.append({'epoch': epoch,
                         'train_loss': loss[is_train].mean().item(),
                         'test_loss': loss[~is_train].mean().item(),
                         'train_accuracy': right[is_train].double().mean().item(),
                         'test_accuracy': right[~is_train].double().mean().item()})
            print(f'epoch {epoch}: train {rows[-1]["train_loss"]:.3e} test '
                  f'{rows[-1]["test_loss"]:.3e} ({time.time() - start:.0f} s)', flush=True)
        if epoch == epochs:
            break
        opt.zero_grad()
        logits, _ = gm.forward(params, tokens[train])
        loss, _ = losses(logits, y[train])
        loss.mean().backward()
        opt.step()
        sched.step()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'float64.json'), 'w') as f:
        json.dump({'about': 'The course run\'s initial weights and split, trained in float64 '
                            'PyTorch (scripts/same_start_float64.py)',
                   'settings': settings, 'epochs': epochs, 'every': every, 'rows': rows}, f,
                  indent=1)
        f.write('\n')


if __name__ == '__main__':
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    main(args[0], *(int(a) for a in args[1:3]))
