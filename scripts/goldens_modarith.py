#!/usr/bin/python3
"""Golden outputs for lib/modarith, computed independently with PyTorch (Debian's python3-torch).

Trains a small modular-addition transformer the paper's way (full batch, AdamW, weight decay 1),
saves two checkpoints -- memorised and generalised -- plus an untrained model with non-zero
attention biases, as TransformerLens-style safetensors, and writes for each: the forward pass on a
sample of inputs (logits and hooks) and every progress measure, all in float64.

Run: /usr/bin/python3 scripts/goldens_modarith.py   (writes tests/fixtures/modarith/)
A held-out check with another model: ... goldens_modarith.py --p 59 --d-model 64 --d-mlp 256 --seed 3 --out DIR
"""
import argparse
import json
import math
import os
import struct

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'modarith')
P, D_MODEL, N_HEADS, D_MLP, SEED = 53, 32, 4, 128, 0
D_HEAD = D_MODEL // N_HEADS
FRACTION, LR, WD, BETAS, WARMUP = 0.5, 3e-3, 1.0, (0.9, 0.98), 10
PARAM_SHAPES, BIASES = {}, {}


def configure(p=53, d_model=32, d_mlp=128, n_heads=4, seed=0, out=OUT):
    """Sets the model size every function below uses (module-level, like the paper's notebook)."""
    global P, D_MODEL, N_HEADS, D_HEAD, D_MLP, SEED, OUT, PARAM_SHAPES, BIASES
    P, D_MODEL, N_HEADS, D_MLP, SEED, OUT = p, d_model, n_heads, d_mlp, seed, out
    D_HEAD = D_MODEL // N_HEADS
    PARAM_SHAPES = {
        'embed.W_E': (P + 1, D_MODEL),
        'pos_embed.W_pos': (3, D_MODEL),
        'blocks.0.attn.W_Q': (N_HEADS, D_MODEL, D_HEAD),
        'blocks.0.attn.W_K': (N_HEADS, D_MODEL, D_HEAD),
        'blocks.0.attn.W_V': (N_HEADS, D_MODEL, D_HEAD),
        'blocks.0.attn.W_O': (N_HEADS, D_HEAD, D_MODEL),
        'blocks.0.mlp.W_in': (D_MODEL, D_MLP),
        'blocks.0.mlp.b_in': (D_MLP,),
        'blocks.0.mlp.W_out': (D_MLP, D_MODEL),
        'blocks.0.mlp.b_out': (D_MODEL,),
        'unembed.W_U': (D_MODEL, P),
    }
    BIASES = {
        'blocks.0.attn.b_Q': (N_HEADS, D_HEAD),
        'blocks.0.attn.b_K': (N_HEADS, D_HEAD),
        'blocks.0.attn.b_V': (N_HEADS, D_HEAD),
        'blocks.0.attn.b_O': (D_MODEL,),
        'unembed.b_U': (P,),
    }


configure()
torch.set_num_threads(1)

def init_params(gen):
    """The paper's initialisation: N(0,1)/sqrt(d_model); W_U /sqrt(p); W_out /sqrt(d_mlp); biases 0."""
    params = {}
    for name, shape in PARAM_SHAPES.items():
        if name.split('.')[-1].startswith('b_'):
            params[name] = torch.zeros(shape)
            continue
        scale = 1 / math.sqrt(P) if name == 'unembed.W_U' else (
            1 / math.sqrt(D_MLP) if name == 'blocks.0.mlp.W_out' else 1 / math.sqrt(D_MODEL))
        params[name] = torch.randn(shape, generator=gen) * scale
    return params


def forward(params, tokens):
    """Full TransformerLens-style forward over all 3 positions with a causal mask; returns the last
    position's logits and hooks."""
    get = lambda n, shape: params[n] if n in params else torch.zeros(shape, dtype=params['embed.W_E'].dtype)
    x = params['embed.W_E'][tokens] + params['pos_embed.W_pos'][None]            # [B, 3, D]
    q = torch.einsum('bpd,hde->bhpe', x, params['blocks.0.attn.W_Q']) + get('blocks.0.attn.b_Q', BIASES['blocks.0.attn.b_Q'])[None, :, None]
    k = torch.einsum('bpd,hde->bhpe', x, params['blocks.0.attn.W_K']) + get('blocks.0.attn.b_K', BIASES['blocks.0.attn.b_K'])[None, :, None]
    v = torch.einsum('bpd,hde->bhpe', x, params['blocks.0.attn.W_V']) + get('blocks.0.attn.b_V', BIASES['blocks.0.attn.b_V'])[None, :, None]
    scores = torch.einsum('bhqe,bhke->bhqk', q, k) / math.sqrt(D_HEAD)
    mask = torch.tril(torch.ones(3, 3, dtype=torch.bool))
    scores = scores.masked_fill(~mask, float('-inf'))
    pattern = torch.softmax(scores, dim=-1)                                       # [B, H, 3, 3]
    z = torch.einsum('bhqk,bhke->bhqe', pattern, v)
    attn_out = torch.einsum('bhqe,hed->bqd', z, params['blocks.0.attn.W_O']) + get('blocks.0.attn.b_O', BIASES['blocks.0.attn.b_O'])
    resid_mid = x + attn_out
    mlp_pre = resid_mid @ params['blocks.0.mlp.W_in'] + params['blocks.0.mlp.b_in']
    mlp_post = torch.relu(mlp_pre)
    resid_post = resid_mid + mlp_post @ params['blocks.0.mlp.W_out'] + params['blocks.0.mlp.b_out']
    logits = resid_post @ params['unembed.W_U'] + get('unembed.b_U', BIASES['unembed.b_U'])
    last = lambda t: t[:, -1]
    return last(logits), {
        'attn_pattern': pattern[:, :, -1, :], 'resid_pre': last(x), 'attn_out': last(attn_out),
        'resid_mid': last(resid_mid), 'mlp_pre': last(mlp_pre), 'mlp_post': last(mlp_post),
        'resid_post': last(resid_post),
    }


def all_tokens():
    a, b = torch.meshgrid(torch.arange(P), torch.arange(P), indexing='ij')
    return torch.stack([a.flatten(), b.flatten(), torch.full((P * P,), P)], dim=1)


def labels():
    a, b = torch.meshgrid(torch.arange(P), torch.arange(P), indexing='ij')
    return ((a + b) % P).flatten()


# ---- progress measures, written from docs/measures.md's definitions with numpy float64 ----

def fourier_basis():
    F = np.zeros((P, P))
    x = np.arange(P)
    F[0] = 1
    for k in range(1, P // 2 + 1):
        F[2 * k - 1] = np.cos(2 * np.pi * k * x / P)
        F[2 * k] = np.sin(2 * np.pi * k * x / P)
    return F / np.linalg.norm(F, axis=1, keepdims=True)


def cross_entropy(L, y, idx):
    L, y = L[idx], y[idx]
    logz = np.log(np.exp(L - L.max(1, keepdims=True)).sum(1)) + L.max(1)
    return float(np.mean(logz - L[np.arange(len(y)), y]))


def key_freqs(mlp_post):
    F = fourier_basis()
    acts = mlp_post.reshape(P, P, -1)
    neuron_freq = []
    for m in range(acts.shape[-1]):
        G = F @ acts[:, :, m] @ F.T
        total = (G ** 2).sum() - G[0, 0] ** 2
        if total == 0:  # a dead (or constant) neuron has no frequency
            neuron_freq.append(0)
            continue
        fracs = []
        for k in range(1, P // 2 + 1):
            ix = [0, 2 * k - 1, 2 * k]
            fracs.append(((G[np.ix_(ix, ix)] ** 2).sum() - G[0, 0] ** 2) / total)
        best = int(np.argmax(fracs))
        neuron_freq.append(best + 1 if fracs[best] > 0.85 else 0)
    counts = np.bincount(neuron_freq, minlength=P // 2 + 1)
    return [k for k in range(1, P // 2 + 1) if counts[k] >= max(3, D_MLP // 100)], neuron_freq


def projector(freqs):
    a, b = np.meshgrid(np.arange(P), np.arange(P), indexing='ij')
    s = (a + b).flatten()
    vecs = []
    for k in freqs:
        for trig in (np.cos, np.sin):
            v = trig(2 * np.pi * k * s / P)
            vecs.append(v / np.linalg.norm(v))
    V = np.array(vecs).T if vecs else np.zeros((P * P, 0))
    return V @ V.T


def gini(x):
    x = np.sort(np.asarray(x))
    n = len(x)
    i = np.arange(1, n + 1)
    return float(((2 * i - n - 1) * x).sum() / (n * x.sum()))


def freq_norms(C):
    return [math.sqrt((C[2 * k - 1] ** 2).sum() + (C[2 * k] ** 2).sum()) for k in range(1, P // 2 + 1)]


def measures(params64, train, fixed_keys=None):
    logits, hooks = forward(params64, all_tokens())
    L = logits.numpy()
    y = labels().numpy()
    every = np.arange(P * P)
    test = np.setdiff1d(every, train)
    keys, neuron_freq = key_freqs(hooks['mlp_post'].numpy())
    if fixed_keys is not None:  # as when following a run with the final model's key frequencies
        keys = fixed_keys
    Pi = projector(keys)
    PL = Pi @ L
    Lr = PL + (L - PL).mean(0, keepdims=True)
    F = fourier_basis()
    WE = params64['embed.W_E'].numpy()[:P]
    WL = params64['blocks.0.mlp.W_out'].numpy() @ params64['unembed.W_U'].numpy()
    acc = lambda idx: float((L[idx].argmax(1) == y[idx]).mean())
    return {
        'accuracy': acc(every), 'train_accuracy': acc(train), 'test_accuracy': acc(test),
        'full_loss': cross_entropy(L, y, every), 'train_loss': cross_entropy(L, y, train),
        'test_loss': cross_entropy(L, y, test), 'key_freqs': keys, 'neuron_freq': neuron_freq,
        'restricted_loss': cross_entropy(Lr, y, every),
        'excluded_loss': cross_entropy(L - PL, y, train),
        'excluded_loss_per_freq': [cross_entropy(L - projector([k]) @ L, y, train) for k in keys],
        'gini_W_E': gini(freq_norms(F @ WE)), 'gini_W_L': gini(freq_norms(F @ WL.T)),
        'sum_sq_weights': float(sum((t.double() ** 2).sum() for t in params64.values())),
    }


def save_safetensors(path, tensors, metadata):
    """The safetensors container written by hand: u64 header length, JSON header, raw data."""
    header, blobs, offset = {'__metadata__': metadata}, [], 0
    for name, t in tensors.items():
        arr = t.detach().contiguous().numpy()
        dtype = {np.float32: 'F32', np.bool_: 'BOOL', np.int64: 'I64'}[arr.dtype.type]
        blob = arr.astype(arr.dtype.newbyteorder('<')).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(arr.shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    raw = json.dumps(header).encode()
    raw += b' ' * ((8 - (8 + len(raw)) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(raw)) + raw + b''.join(blobs))


def sample_inputs(gen):
    """Inputs for the forward golden: corners, '=' in odd places, and random token triples."""
    fixed = [[0, 0, P], [P - 1, P - 1, P], [1, 2, P], [P, P, P], [5, P, 7]]
    rand = torch.randint(0, P + 1, (59, 3), generator=gen).tolist()
    return fixed + rand


def write_golden(name, params, train, epoch, gen, final_keys=None):
    params64 = {n: t.double() for n, t in params.items()}
    tensors = dict(params)
    # TransformerLens buffers that a loader must ignore.
    tensors['blocks.0.attn.mask'] = torch.tril(torch.ones(3, 3, dtype=torch.bool))
    tensors['blocks.0.attn.IGNORE'] = torch.tensor(-1e5, dtype=torch.float32).reshape(())
    save_safetensors(os.path.join(OUT, name + '.safetensors'), tensors,
                     {'p': str(P), 'op': 'add', 'epoch': str(epoch), 'seed': str(SEED)})
    with open(os.path.join(OUT, name + '.split.json'), 'w') as f:
        json.dump(sorted(int(i) for i in train), f)
    inputs = sample_inputs(gen)
    logits, hooks = forward(params64, torch.tensor(inputs))
    golden = {
        'config': {'p': P, 'd_model': D_MODEL, 'n_heads': N_HEADS, 'd_head': D_HEAD, 'd_mlp': D_MLP},
        'epoch': epoch,
        'forward': {'tokens': inputs, 'logits': logits.tolist(),
                    **{k: v.tolist() for k, v in hooks.items()}},
        'measures': measures(params64, np.array(sorted(train))),
    }
    if final_keys is not None:
        golden['final_keys'] = final_keys
        golden['measures_with_final_keys'] = measures(params64, np.array(sorted(train)), final_keys)
    with open(os.path.join(OUT, name + '.golden.json'), 'w') as f:
        json.dump(golden, f)
    m = golden['measures']
    print(f"{name}: epoch {epoch}, train acc {m['train_accuracy']:.3f}, test acc {m['test_accuracy']:.3f}, "
          f"key freqs {m['key_freqs']}, restricted {m['restricted_loss']:.4f}, excluded {m['excluded_loss']:.4f}")


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(SEED)
    torch.manual_seed(SEED)
    params = init_params(gen)
    n = P * P
    train = torch.randperm(n, generator=gen)[: int(FRACTION * n)].sort().values
    tokens, y = all_tokens(), labels()
    for t in params.values():
        t.requires_grad_(True)
    opt = torch.optim.AdamW(params.values(), lr=LR, weight_decay=WD, betas=BETAS)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: min(step / WARMUP, 1))
    memorised_at, memorised = None, None
    for epoch in range(1, 4001):
        logits, _ = forward(params, tokens[train])
        loss = torch.nn.functional.cross_entropy(logits, y[train])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if epoch % 50 == 0:
            with torch.no_grad():
                full, _ = forward(params, tokens)
                ok = (full.argmax(1) == y).float()
                test_mask = torch.ones(n, dtype=torch.bool)
                test_mask[train] = False
                train_acc, test_acc = ok[train].mean().item(), ok[test_mask].mean().item()
            print(f'epoch {epoch}: loss {loss.item():.4f} train {train_acc:.3f} test {test_acc:.3f}', flush=True)
            if memorised_at is None and train_acc == 1.0 and test_acc < 0.5:
                memorised_at = epoch
                memorised = {k: v.detach().clone() for k, v in params.items()}
            if test_acc > 0.999 and memorised_at is not None:
                write_golden('generalised', {k: v.detach().clone() for k, v in params.items()}, train.tolist(), epoch, gen)
                final_keys = json.load(open(os.path.join(OUT, 'generalised.golden.json')))['measures']['key_freqs']
                write_golden('memorised', memorised, train.tolist(), memorised_at, gen, final_keys)
                break
    # An untrained model whose attention and unembedding biases are non-zero.
    biased = init_params(gen)
    for name, shape in BIASES.items():
        biased[name] = torch.randn(shape, generator=gen) * 0.5
    write_golden('biased', biased, train.tolist(), 0, gen)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--p', type=int, default=53)
    parser.add_argument('--d-model', type=int, default=32)
    parser.add_argument('--d-mlp', type=int, default=128)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', default=OUT)
    a = parser.parse_args()
    configure(p=a.p, d_model=a.d_model, d_mlp=a.d_mlp, seed=a.seed, out=a.out)
    main()
