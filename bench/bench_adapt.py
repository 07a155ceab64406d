"""Model adaptation benchmark, everything measured in the same run:

1. fertility (pieces per word) and unknown rate of a small English SentencePiece base (trained on the English
   NT, Berean Standard Bible) before/after `adapt tokenizer` extends it with the Swahili NT (CES XML), on both
   texts;
2. masked-LM training throughput on the Swahili NT (tokens/s) and peak memory of lexres' masked-only step
   (hidden states gathered at masked positions before the LM head) against a plain transformers full-logit
   step (`AutoModelForMaskedLM(..., labels=...)`), same model, batches, masks and optimizer, one thread.

    python bench/bench_adapt.py [--vocab 16000] [--steps 8] [--repeats 3] [--hidden 128] [--batch 16]

Each step kind runs `--repeats` times, alternating, and the fastest run is reported (other processes on a
shared machine only ever slow a run down). Peak memory is the peak resident set (VmHWM) of a fresh child
process per run minus its resident set after building the model and batches, so it is the training steps'
own peak. Shared data is found at ../shared/data beside the repository, or at $LEXRES_SHARED_DATA; the
benchmark exits cleanly when absent."""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ENG_NT = "bible/clear-bible-vref/data/legacy/vline/eng/eng_nt_BSB.txt"
SWH_NT = "bible/christos-c/bibles/Swahili-NT.xml"


def shared_root() -> Path:
    root = Path(__file__).resolve().parents[1]
    return Path(os.environ.get("LEXRES_SHARED_DATA", root.parent / "shared" / "data"))


def ces_verses(path: Path) -> list[str]:
    """Verse texts of a CES XML Bible (`<seg type="verse">`), whitespace-normalised, empty ones dropped."""
    from lxml import etree

    out = []
    for _, el in etree.iterparse(str(path), tag="seg"):
        text = " ".join("".join(el.itertext()).split())
        if text:
            out.append(text)
        el.clear()
    return out


def _kib(field: str) -> int:
    status = Path("/proc/self/status").read_text()
    m = re.search(rf"^{field}:\s+(\d+) kB", status, re.M)
    return int(m.group(1)) if m else 0


def _reset_peak() -> None:
    try:  # Linux >= 4.0: writing 5 resets VmHWM to the current RSS
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _steps(kind: str, model_dir: str, batches, steps: int, queue) -> None:
    """Child process: `steps` optimizer steps of one kind; reports tokens/s, peak memory and losses."""
    import torch
    from transformers import AutoModelForMaskedLM
    from transformers.utils import logging

    from lexres.tasks.adapt.mlm import masked_loss

    logging.disable_progress_bar()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = AutoModelForMaskedLM.from_pretrained(model_dir)
    model.train()
    optim = torch.optim.AdamW(model.parameters(), lr=1e-4)
    tensors = [tuple(torch.from_numpy(a) for a in b) for b in batches]

    def one(inputs, attn, labels):
        if kind == "masked-only":
            loss = masked_loss(model, inputs, attn, labels)
        else:
            loss = model(input_ids=inputs, attention_mask=attn, labels=labels).loss
        loss.backward()
        optim.step()
        optim.zero_grad(set_to_none=True)
        return float(loss.detach())

    one(*tensors[0])  # warm-up (allocator, optimizer state); not timed
    base_rss = _kib("VmRSS")
    _reset_peak()
    tokens, losses = 0, []
    t0 = time.perf_counter()
    for k in range(steps):
        inputs, attn, labels = tensors[1 + k % (len(tensors) - 1)]
        losses.append(one(inputs, attn, labels))
        tokens += int(attn.sum())
    dt = time.perf_counter() - t0
    queue.put({"kind": kind, "tokens_per_s": tokens / dt, "peak_mib": (_kib("VmHWM") - base_rss) / 1024,
               "losses": losses})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vocab", type=int, default=16000, help="size asked of the English base's SentencePiece")
    ap.add_argument("--target-vocab", type=int, default=8000, help="size of the Swahili model merged in")
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=3, help="runs of each step kind (best one reported)")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq-len", type=int, default=128)
    args = ap.parse_args()
    shared = shared_root()
    if not (shared / ENG_NT).is_file() or not (shared / SWH_NT).is_file():
        print(f"SKIP: the English and Swahili NT were not found under {shared} "
              "(set LEXRES_SHARED_DATA or place shared/ beside the repository)")
        return

    import numpy as np
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaForMaskedLM
    from transformers.utils import logging

    from lexres.tasks.adapt.mlm import encode_corpus, mask_batch
    from lexres.tasks.adapt.models import load_tokenizer
    from lexres.tasks.adapt.tokenizer import adapt_tokenizer

    logging.disable_progress_bar()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory(prefix="bench-adapt-") as tmp:
        tmp = Path(tmp)
        eng = [x.strip() for x in (shared / ENG_NT).read_text(encoding="utf-8").splitlines() if x.strip()]
        swh = ces_verses(shared / SWH_NT)
        (tmp / "eng.txt").write_text("\n".join(eng) + "\n", encoding="utf-8")
        (tmp / "swh.txt").write_text("\n".join(swh) + "\n", encoding="utf-8")
        print(f"data: English NT (BSB) {len(eng)} verses, Swahili NT (CES) {len(swh)} verses")

        t0 = time.perf_counter()
        base = adapt_tokenizer([tmp / "eng.txt"], tmp / "base", from_scratch=True, vocab_size=args.vocab)
        t_base = time.perf_counter() - t0
        t0 = time.perf_counter()
        ext = adapt_tokenizer([tmp / "swh.txt"], tmp / "ext", base=tmp / "base", vocab_size=args.target_vocab,
                              source_texts=[tmp / "eng.txt"])
        t_ext = time.perf_counter() - t0
        print(f"\n## Tokenizer: English base ({base.size} tokens, {t_base:.1f} s) extended with Swahili "
              f"(+{ext.added} pieces -> {ext.size}, {t_ext:.1f} s; piece scores base-first)\n")
        print("| text | fertility before | after | change | unknown before | after |")
        print("|---|---|---|---|---|---|")
        for name, b, a in (("Swahili NT (target)", ext.target_before, ext.target_after),
                           ("English NT (source)", ext.source_before, ext.source_after)):
            change = 100 * (a.fertility / b.fertility - 1)
            print(f"| {name} | {b.fertility:.3f} | {a.fertility:.3f} | {change:+.1f}% "
                  f"| {100 * b.unk_rate:.2f}% | {100 * a.unk_rate:.2f}% |")

        # MLM throughput: a small XLM-R with the extended tokenizer on Swahili text; its embedding matrix is
        # padded to --vocab rows (as models pad theirs) so the output layer has the size asked for
        tok = load_tokenizer(tmp / "ext")
        vocab = max(len(tok), args.vocab)
        torch.manual_seed(0)
        cfg = XLMRobertaConfig(
            vocab_size=vocab, hidden_size=args.hidden, num_hidden_layers=2,
            num_attention_heads=max(1, args.hidden // 64), intermediate_size=4 * args.hidden,
            max_position_embeddings=args.seq_len + 2, pad_token_id=tok.pad_token_id,
            bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, type_vocab_size=1)
        XLMRobertaForMaskedLM(cfg).save_pretrained(str(tmp / "model"))
        ids, lengths = encode_corpus(tok, swh[:3000], args.seq_len)
        rng = np.random.default_rng(0)
        batches = []
        for k in range(min(args.steps + 1, len(ids) // args.batch)):
            sel = slice(k * args.batch, (k + 1) * args.batch)
            inputs, labels = mask_batch(ids[sel], lengths[sel], rng, mask_id=tok.mask_token_id,
                                        vocab_size=len(tok), special=tok.all_special_ids)  # real ids only
            attn = (np.arange(args.seq_len)[None, :] < lengths[sel][:, None]).astype(np.int64)
            batches.append((inputs, attn, labels))
        ctx = mp.get_context("spawn")
        runs: dict[str, list[dict]] = {"masked-only": [], "full-logit": []}
        for _ in range(args.repeats):  # alternated, so load from other processes hits both alike
            for kind in runs:
                q = ctx.Queue()
                p = ctx.Process(target=_steps, args=(kind, str(tmp / "model"), batches, args.steps, q))
                p.start()
                runs[kind].append(q.get())
                p.join()
        results = {k: max(v, key=lambda r: r["tokens_per_s"]) for k, v in runs.items()}
        same = np.allclose(results["masked-only"]["losses"], results["full-logit"]["losses"], atol=1e-4)
        print(f"\n## MLM training step: XLM-R hidden {args.hidden}, 2 layers, output vocabulary {vocab} "
              f"(extended tokenizer: {len(tok)} tokens), Swahili NT, "
              f"batch {args.batch} x {args.seq_len} tokens, {args.steps} timed steps, 1 thread, "
              f"~15% masked; best of {args.repeats} alternated runs; losses step by step equal (1e-4): "
              f"{same}\n")
        print("| step | tokens/s | peak memory over setup (MiB) |")
        print("|---|---|---|")
        for kind in ("masked-only", "full-logit"):
            r = results[kind]
            print(f"| {kind} | {r['tokens_per_s']:,.0f} | {r['peak_mib']:,.0f} |")
        ratio = results["masked-only"]["tokens_per_s"] / results["full-logit"]["tokens_per_s"]
        print(f"\nmasked-only / full-logit throughput: {ratio:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
