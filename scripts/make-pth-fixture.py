"""Writes a small run in the layout of the paper authors' repository, and the reference the course's
.pth reader is tested against (tests/unit/pth.test.ts).

The model mirrors the parameters of transformers.py in Nanda et al.'s progress-measures-paper
repository (Embed, PosEmbed, Attention, MLP, Unembed): their names and their shapes, W_E as
[d_model, d_vocab], W_Q/W_K/W_V as [heads, d_head, d_model], W_O as [d_model, heads*d_head], W_in as
[d_mlp, d_model], W_out as [d_model, d_mlp], W_U as [d_model, d_vocab] with d_vocab = p + 1, the
attention mask as a buffer. Its forward pass is theirs, written out here, so the logits saved are
what their code computes. A smaller p and d_model than theirs keep the fixture small.

    /usr/bin/python3 scripts/make-pth-fixture.py
"""

import json
import os

import numpy as np
import torch as t
import torch.nn as nn
import torch.nn.functional as F

P, D_MODEL, HEADS, N_CTX = 23, 32, 4, 3
D_HEAD, D_MLP, D_VOCAB = D_MODEL // HEADS, 4 * D_MODEL, P + 1
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "pth")


class Embed(nn.Module):
    def __init__(self):
        super().__init__()
        self.W_E = nn.Parameter(t.randn(D_MODEL, D_VOCAB) / np.sqrt(D_MODEL))

    def forward(self, x):
        return t.einsum("dbp -> bpd", self.W_E[:, x])


class PosEmbed(nn.Module):
    def __init__(self):
        super().__init__()
        self.W_pos = nn.Parameter(t.randn(N_CTX, D_MODEL) / np.sqrt(D_MODEL))

    def forward(self, x):
        return x + self.W_pos[: x.shape[-2]]


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.W_K = nn.Parameter(t.randn(HEADS, D_HEAD, D_MODEL) / np.sqrt(D_MODEL))
        self.W_Q = nn.Parameter(t.randn(HEADS, D_HEAD, D_MODEL) / np.sqrt(D_MODEL))
        self.W_V = nn.Parameter(t.randn(HEADS, D_HEAD, D_MODEL) / np.sqrt(D_MODEL))
        self.W_O = nn.Parameter(t.randn(D_MODEL, D_HEAD * HEADS) / np.sqrt(D_MODEL))
        self.register_buffer("mask", t.tril(t.ones((N_CTX, N_CTX))))

    def forward(self, x):
        k = t.einsum("ihd,bpd->biph", self.W_K, x)
        q = t.einsum("ihd,bpd->biph", self.W_Q, x)
        v = t.einsum("ihd,bpd->biph", self.W_V, x)
        scores = t.einsum("biph,biqh->biqp", k, q)
        n = x.shape[-2]
        masked = t.tril(scores) - 1e10 * (1 - self.mask[:n, :n])
        attn = F.softmax(masked / np.sqrt(D_HEAD), dim=-1)
        z = t.einsum("biph,biqp->biqh", v, attn)
        z_flat = z.permute(0, 2, 1, 3).reshape(z.shape[0], n, HEADS * D_HEAD)
        return t.einsum("df,bqf->bqd", self.W_O, z_flat)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.W_in = nn.Parameter(t.randn(D_MLP, D_MODEL) / np.sqrt(D_MODEL))
        self.b_in = nn.Parameter(t.randn(D_MLP) * 0.1)
        self.W_out = nn.Parameter(t.randn(D_MODEL, D_MLP) / np.sqrt(D_MODEL))
        self.b_out = nn.Parameter(t.randn(D_MODEL) * 0.1)

    def forward(self, x):
        x = F.relu(t.einsum("md,bpd->bpm", self.W_in, x) + self.b_in)
        return t.einsum("dm,bpm->bpd", self.W_out, x) + self.b_out


class TransformerBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = Attention()
        self.mlp = MLP()

    def forward(self, x):
        x = x + self.attn(x)
        return x + self.mlp(x)


class Unembed(nn.Module):
    def __init__(self):
        super().__init__()
        self.W_U = nn.Parameter(t.randn(D_MODEL, D_VOCAB) / np.sqrt(D_VOCAB))

    def forward(self, x):
        return x @ self.W_U


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = Embed()
        self.pos_embed = PosEmbed()
        self.blocks = nn.ModuleList([TransformerBlock()])
        self.unembed = Unembed()

    def forward(self, x):
        x = self.pos_embed(self.embed(x))
        for block in self.blocks:
            x = block(x)
        return self.unembed(x)


def main():
    t.manual_seed(0)
    model = Transformer()
    os.makedirs(OUT, exist_ok=True)
    # The authors' saved runs hold the state dict under 'model', with the optimiser's state and the
    # loss curves beside it; a bare state dict is what torch.save(model.state_dict()) writes.
    optimizer = t.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1.0)
    inputs = t.tensor([[a, b, P] for a, b in [(0, 0), (1, 2), (5, 17), (22, 22), (11, 3), (20, 9)]])
    loss = F.cross_entropy(model(inputs)[:, -1], (inputs[:, 0] + inputs[:, 1]) % P)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    t.save(model.state_dict(), os.path.join(OUT, "state-dict.pth"))
    t.save(
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "train_losses": [float(loss)],
            "test_losses": [float(loss) * 1.5],
            "epoch": 1,
        },
        os.path.join(OUT, "saved-run.pth"),
    )
    with t.no_grad():
        logits = model(inputs)[:, -1].double()
        sd = model.state_dict()
        converted = {
            "embed.W_E": sd["embed.W_E"].T,
            "pos_embed.W_pos": sd["pos_embed.W_pos"],
            "blocks.0.attn.W_Q": sd["blocks.0.attn.W_Q"].transpose(1, 2),
            "blocks.0.attn.W_K": sd["blocks.0.attn.W_K"].transpose(1, 2),
            "blocks.0.attn.W_V": sd["blocks.0.attn.W_V"].transpose(1, 2),
            "blocks.0.attn.W_O": sd["blocks.0.attn.W_O"].T.reshape(HEADS, D_HEAD, D_MODEL),
            "blocks.0.mlp.W_in": sd["blocks.0.mlp.W_in"].T,
            "blocks.0.mlp.b_in": sd["blocks.0.mlp.b_in"],
            "blocks.0.mlp.W_out": sd["blocks.0.mlp.W_out"].T,
            "blocks.0.mlp.b_out": sd["blocks.0.mlp.b_out"],
            "unembed.W_U": sd["unembed.W_U"][:, :P],
        }
    reference = {
        "config": {"p": P, "d_model": D_MODEL, "n_heads": HEADS, "d_head": D_HEAD, "d_mlp": D_MLP},
        "inputs": inputs.tolist(),
        "logits": logits[:, :P].tolist(),
        "converted": {
            name: {"shape": list(x.shape), "data": x.double().flatten().tolist()}
            for name, x in converted.items()
        },
    }
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(reference, f)
        f.write("\n")


if __name__ == "__main__":
    main()
