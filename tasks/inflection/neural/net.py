"""The torch network of the neural inflection transducer: a small pre-norm transformer encoder-decoder over
characters (Wu et al. 2021: feature tags are extra source tokens without positions) with a pointer-generator
copy head, because most output characters of an inflected form are copied from its lemma and a 700-example
training set is too small to learn that identity map for every character.

torch is imported lazily (it is an optional extra): `build_net` creates the module class on first use."""
from __future__ import annotations

import math
from functools import lru_cache

from lexres.tasks.inflection.neural.vocab import BOS, EOS, PAD


@lru_cache(maxsize=1)
def _classes():
    import torch
    from torch import nn

    class CharTransducer(nn.Module):
        """Source: feature tokens (type 0, no position) + lemma characters (type 1, positions 0..n-1)."""

        def __init__(self, vocab_size: int, d_model: int, heads: int, enc_layers: int, dec_layers: int,
                     ff: int, dropout: float, copy: bool, max_len: int = 512):
            super().__init__()
            self.d_model = d_model
            self.copy = copy
            self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
            # std d^-1/2 so that embeddings scaled by sqrt(d) are on the scale of the sinusoids: with torch's
            # N(0, 1) default the positions drown and neither attention nor copying can find characters
            nn.init.normal_(self.embed.weight, std=d_model ** -0.5)
            with torch.no_grad():
                self.embed.weight[PAD].zero_()
            self.src_type = nn.Embedding(2, d_model)
            nn.init.normal_(self.src_type.weight, std=d_model ** -0.5)
            self.register_buffer("pos", _sinusoids(max_len, d_model), persistent=False)
            self.drop = nn.Dropout(dropout)
            enc = nn.TransformerEncoderLayer(d_model, heads, ff, dropout, batch_first=True, norm_first=True)
            dec = nn.TransformerDecoderLayer(d_model, heads, ff, dropout, batch_first=True, norm_first=True)
            self.encoder = nn.TransformerEncoder(enc, enc_layers, norm=nn.LayerNorm(d_model),
                                                 enable_nested_tensor=False)
            self.decoder = nn.TransformerDecoder(dec, dec_layers, norm=nn.LayerNorm(d_model))
            self.out = nn.Linear(d_model, vocab_size)
            if copy:
                self.copy_attn = nn.MultiheadAttention(d_model, 1, dropout=0.0, batch_first=True)
                self.gate = nn.Linear(2 * d_model, 1)

        def encode(self, src, is_lemma):
            """src, is_lemma: (B, S) long. Lemma characters are numbered from 0 after the feature tokens."""
            positions = (torch.cumsum(is_lemma, 1) - 1).clamp(min=0)
            x = self.embed(src) * math.sqrt(self.d_model) + self.src_type(is_lemma)
            x = x + self.pos[positions] * is_lemma.unsqueeze(-1)
            return self.encoder(self.drop(x), src_key_padding_mask=src.eq(PAD))

        def decode(self, tgt_in, memory, src, is_lemma):
            """Log-probabilities (B, T, V) of the next symbol after each prefix position of `tgt_in`."""
            t = tgt_in.size(1)
            y = self.embed(tgt_in) * math.sqrt(self.d_model) + self.pos[:t]
            causal = torch.triu(torch.ones(t, t, dtype=torch.bool, device=src.device), 1)
            h = self.decoder(self.drop(y), memory, tgt_mask=causal, tgt_key_padding_mask=tgt_in.eq(PAD),
                             memory_key_padding_mask=src.eq(PAD))
            return self.head(h, memory, src, is_lemma)

        def step(self, token, t, cache, memory, src, is_lemma):
            """Log-probabilities (B, V) of the symbol after `token` (B,) at target position t, reusing the
            normalised inputs of earlier positions kept per layer in `cache` (a list, filled here): the same
            computation as `decode` on the whole prefix, without redoing the prefix at every step."""
            x = (self.embed(token) * math.sqrt(self.d_model) + self.pos[t]).unsqueeze(1)
            pad = src.eq(PAD)
            for k, layer in enumerate(self.decoder.layers):
                q = layer.norm1(x)
                if len(cache) <= k:
                    cache.append(q)
                else:
                    cache[k] = torch.cat([cache[k], q], 1)
                x = x + layer.self_attn(q, cache[k], cache[k], need_weights=False)[0]
                x = x + layer.multihead_attn(layer.norm2(x), memory, memory, key_padding_mask=pad,
                                             need_weights=False)[0]
                x = x + layer.linear2(layer.activation(layer.linear1(layer.norm3(x))))
            h = self.decoder.norm(x)
            return self.head(h, memory, src, is_lemma)[:, 0]

        def head(self, h, memory, src, is_lemma):
            """Decoder states (B, T, d) -> log-probabilities (B, T, V), mixing generation and copying."""
            t = h.size(1)
            logits = self.out(h)
            if not self.copy:
                return torch.log_softmax(logits, -1)
            # copy only lemma characters; a row without any keeps its non-pad tokens so softmax stays finite
            blocked = is_lemma.eq(0)
            empty = ~is_lemma.bool().any(1, keepdim=True)
            blocked = blocked & ~(empty & src.ne(PAD))
            ctx, attn = self.copy_attn(h, memory, memory, key_padding_mask=blocked, need_weights=True)
            p_gen = torch.sigmoid(self.gate(torch.cat([h, ctx], -1)))
            gen = torch.softmax(logits, -1) * p_gen
            copied = torch.zeros_like(gen).scatter_add_(
                2, src.unsqueeze(1).expand(-1, t, -1), attn * (1 - p_gen))
            return torch.log(gen + copied + 1e-10)

        def forward(self, src, is_lemma, tgt_in):
            return self.decode(tgt_in, self.encode(src, is_lemma), src, is_lemma)

    def _sinusoids(n: int, d: int):
        pos = torch.arange(n, dtype=torch.float32).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
        table = torch.zeros(n, d)
        table[:, 0::2] = torch.sin(pos * div)
        table[:, 1::2] = torch.cos(pos * div)[:, : d // 2]
        return table

    return CharTransducer


def build_net(vocab_size: int, cfg) -> object:
    """A fresh network for `cfg` (a NeuralConfig); weights depend only on torch's current RNG state."""
    return _classes()(vocab_size, cfg.d_model, cfg.heads, cfg.enc_layers, cfg.dec_layers, cfg.ff,
                      cfg.dropout, cfg.copy)


def greedy(net, src, is_lemma, max_len: int):
    """Batched greedy decoding -> list of id lists (without BOS, cut at EOS)."""
    import torch

    memory = net.encode(src, is_lemma)
    ys = torch.full((src.size(0), 1), BOS, dtype=torch.long)
    done = torch.zeros(src.size(0), dtype=torch.bool)
    cache: list = []
    for t in range(max_len):
        nxt = net.step(ys[:, -1], t, cache, memory, src, is_lemma).argmax(-1)
        nxt = nxt.masked_fill(done, PAD)
        ys = torch.cat([ys, nxt.unsqueeze(1)], 1)
        done |= nxt.eq(EOS)
        if bool(done.all()):
            break
    return [_cut(row) for row in ys[:, 1:].tolist()]


def beam(net, src, is_lemma, max_len: int, width: int):
    """Batched beam search (length-normalised scores) -> list of id lists, best hypothesis per source."""
    import torch

    b, s = src.shape
    memory = net.encode(src, is_lemma)
    k = width
    rep = lambda t: t.repeat_interleave(k, 0)  # noqa: E731 - (B*K, ...) view of per-source tensors
    memory, src_k, lem_k = rep(memory), rep(src), rep(is_lemma)
    ys = torch.full((b * k, 1), BOS, dtype=torch.long)
    scores = torch.full((b, k), float("-inf"))
    scores[:, 0] = 0.0  # all beams start identical: keep one alive so the first step is not duplicated
    done = torch.zeros(b * k, dtype=torch.bool)
    lengths = torch.zeros(b * k)
    cache: list = []
    for t in range(max_len):
        logp = net.step(ys[:, -1], t, cache, memory, src_k, lem_k)  # (B*K, V)
        v = logp.size(-1)
        # finished hypotheses may only emit PAD at no cost
        frozen = torch.full_like(logp, float("-inf"))
        frozen[:, PAD] = 0.0
        logp = torch.where(done.unsqueeze(1), frozen, logp)
        total = (scores.view(-1, 1) + logp).view(b, k * v)
        top, idx = total.topk(k, -1)
        origin = (idx // v) + torch.arange(b).unsqueeze(1) * k
        origin = origin.view(-1)
        sym = (idx % v).view(-1)
        ys = torch.cat([ys[origin], sym.unsqueeze(1)], 1)
        cache[:] = [c[origin] for c in cache]
        was_done = done[origin]
        lengths = lengths[origin] + (~was_done).float()
        done = was_done | sym.eq(EOS)
        scores = top
        if bool(done.all()):
            break
    norm = scores / lengths.view(b, k).clamp(min=1)
    best = norm.argmax(-1) + torch.arange(b) * k
    return [_cut(row) for row in ys[best, 1:].tolist()]


def _cut(row: list[int]) -> list[int]:
    out = []
    for i in row:
        if i in (EOS, PAD):
            break
        out.append(i)
    return out
