"""Commands over the entity + relation extractor: ``train`` it, ``extract`` from text, ``eval`` it on gold
data.

None of them touches the graph; ``extract`` uses the configured extractor (``KG_EXTRACTOR__*``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kg.cli.root import ProgressCallback, console, err, first_use_progress, key_values, run, state, table
from kg.core.errors import BadInputError
from kg.core.settings import Settings

if TYPE_CHECKING:
    from extractors.types import ChunkExtraction


def train_cli(
    config: Annotated[
        str,
        typer.Argument(help="A training config (.toml/.json) or a shipped one: maintie, mwo2kg, default."),
    ],
    output: Annotated[
        Path | None, typer.Option(help="Where to save the model (default: models/NAME).")
    ] = None,
    device: Annotated[str | None, typer.Option(help="auto (default), cpu, cuda, cuda:N.")] = None,
) -> None:
    """Fine-tune the entity + relation extractor; early-stops on the config's dev split."""
    run(lambda: train_extractor(config, output, device=device))


def train_extractor(config: str, output: Path | None = None, *, device: str | None = None) -> None:
    """Train on ``config`` (a file or a shipped name) into ``output`` with a progress bar per epoch."""
    from extractors.configs import resolve_config
    from extractors.train import TrainConfig, train

    cfg = TrainConfig.load(resolve_config(config))
    out = output or Path("models") / cfg.name
    console.print(f"Training {cfg.name} → {out}")
    with training_progress() as report:
        result = train(cfg, out, device=device, progress=report)
    console.print(f"Saved {out}: best epoch {result.best_epoch}, dev {result.dev}, {result.seconds} s")


@contextmanager
def training_progress() -> Iterator[ProgressCallback]:
    """A progress bar over each epoch's steps, and the callback that drives it and prints the dev scores."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("epoch {task.fields[epoch]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("train", total=None, epoch=1)

        def report(kind: str, info: dict[str, Any]) -> None:
            if kind == "step":
                bar.update(task, completed=info["step"], total=info["steps"], epoch=info["epoch"])
            else:
                bar.console.print("  " + key_values(info))

        yield report


def extract_cli(
    text: Annotated[
        list[str] | None, typer.Argument(help="Text(s) to read; use --file for files, - for stdin.")
    ] = None,
    file: Annotated[
        list[Path] | None, typer.Option("--file", "-f", help="UTF-8 text file(s), one text per file.")
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="A folder written by `kg train` (default: the mfg-kg default model).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of tables.")] = False,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw", help="The model's own spans, without ingestion's span repairs and stated links."
        ),
    ] = False,
) -> None:
    """Entities and relations in text, with character spans and scores (nothing is written to the graph).

    Spans are repaired as ingestion repairs them (an item's name runs on to its head noun, no mention runs
    into a new line, dangling "of the" is cut); --raw shows the model's own. The default model is trained
    once on first use (see `kg train default`); later runs load it.
    """
    run(lambda: extract(state.settings, text or [], file or [], model=model, as_json=as_json, raw=raw))


def extract(
    settings: Settings,
    text: list[str],
    files: list[Path],
    *,
    model: Path | None = None,
    as_json: bool = False,
    raw: bool = False,
) -> None:
    """Extract from each text (``-``: stdin) and each file; print tables, or JSON lines when ``as_json``;
    with ingestion's span repairs and stated links unless ``raw``."""
    from extractors.default import load_extractor
    from extractors.types import TextChunk
    from kg.ingest.name_spans import repair_extraction
    from kg.ingest.stated_links import with_stated_links

    texts = read_texts(text, files)
    cfg = settings.extractor
    if model is not None:
        cfg = cfg.model_copy(update={"model": model})
    ex = load_extractor(cfg, progress=first_use_progress(err, noun="model"))
    results = ex.extract([TextChunk(text=t, doc_id=src) for src, t in texts])
    for (src, t), r in zip(texts, results, strict=True):
        r = r if raw else with_stated_links(t, repair_extraction(t, r))
        if as_json:
            console.print_json(json.dumps({"source": src, "text": t, **r.model_dump()}))
        else:
            print_extraction(src, r)


def read_texts(text: list[str], files: list[Path]) -> list[tuple[str, str]]:
    """``(source, text)`` pairs: the arguments (``-`` reads stdin), then the files; an error if none."""
    texts: list[tuple[str, str]] = []
    for t in text:
        texts.append(("stdin", typer.get_text_stream("stdin").read()) if t == "-" else ("arg", t))
    for f in files:
        try:
            texts.append((str(f), f.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as e:
            raise BadInputError(f"Cannot read {f} as UTF-8 text: {e}. Give a readable text file.") from e
    if not texts:
        raise BadInputError("Nothing to read: give a text, --file PATH, or - for stdin.")
    return texts


def print_extraction(src: str, r: ChunkExtraction) -> None:
    """One text's entities as a table, then its relations (when there are any)."""
    rows = [
        {"#": i, "text": m.text, "label": m.label, "span": f"{m.start}-{m.end}", "score": m.score}
        for i, m in enumerate(r.mentions)
    ]
    console.print(table(rows, f"{src}: {len(r.mentions)} entities ({r.model_version})"))
    if r.relations:
        rels = [
            {
                "head": r.mentions[x.head].text,
                "relation": x.label,
                "tail": r.mentions[x.tail].text,
                "score": x.score,
            }
            for x in r.relations
        ]
        console.print(table(rels, "relations"))


def eval_cli(
    model: Annotated[Path, typer.Argument(help="A folder written by `kg train`.")],
    data: Annotated[
        str, typer.Argument(help="Annotated data (file/folder), or a config whose dev split to use.")
    ],
    reader: Annotated[
        str, typer.Option(help="maintie, conll, jsonl, labelstudio, brat, ... (auto by default)")
    ] = "auto",
    out: Annotated[Path | None, typer.Option(help="Write eval.json and eval.md here.")] = None,
    device: Annotated[str, typer.Option(help="auto (default), cpu, cuda, cuda:N.")] = "auto",
    precision: Annotated[
        str, typer.Option(help="fp32 (default); int8 (CPU, quantized encoder); fp16/bf16 (GPU).")
    ] = "fp32",
    batch_size: Annotated[int, typer.Option(min=1, help="Windows per forward pass.")] = 32,
) -> None:
    """Score a trained extractor: entity and relation precision/recall/F1 (strict)."""
    run(
        lambda: evaluate_extractor(
            model, data, reader=reader, out=out, device=device, precision=precision, batch_size=batch_size
        )
    )


def evaluate_extractor(
    model: Path,
    data: str,
    *,
    reader: str = "auto",
    out: Path | None = None,
    device: str = "auto",
    precision: str = "fp32",
    batch_size: int = 32,
) -> None:
    """Score ``model`` on ``data`` (annotated files read by ``reader``, or a config's dev split); print the
    report and the speed, and write eval.json / eval.md to ``out``."""
    from extractors.configs import resolve_config, shipped
    from extractors.data import DataSpec
    from extractors.train import TrainConfig
    from kg.evaluation.extraction import evaluate

    if data in shipped() or data.endswith(".toml"):
        specs = TrainConfig.load(resolve_config(data)).dev  # the config's dev split
    else:
        specs = [DataSpec(reader=reader, path=str(Path(data).resolve()))]
    result = evaluate(model, specs, out_dir=out, device=device, precision=precision, batch_size=batch_size)
    console.print(result.report.to_markdown())
    speed = f"{result.texts} texts in {result.seconds} s ({result.texts_per_second} texts/s)"
    console.print(f"{speed}, {result.model_version}")


def tune_thresholds_cli(
    model: Annotated[Path, typer.Argument(help="A folder written by `kg train`; its mfgkg.json is updated.")],
    data: Annotated[
        str, typer.Argument(help="Annotated dev data (file/folder), or a config whose dev split to use.")
    ],
    reader: Annotated[str, typer.Option(help="maintie, conll, jsonl, ... (auto by default)")] = "auto",
    min_support: Annotated[
        int, typer.Option(min=1, help="Labels with fewer gold items keep the default cut-off.")
    ] = 5,
    device: Annotated[str, typer.Option(help="auto (default), cpu, cuda, cuda:N.")] = "auto",
) -> None:
    """Choose each label's confidence cut-off on dev data (never the test split) and store it in the model."""
    run(lambda: tune_model_thresholds(model, data, reader=reader, min_support=min_support, device=device))


def tune_model_thresholds(
    model: Path, data: str, *, reader: str = "auto", min_support: int = 5, device: str = "auto"
) -> None:
    """Tune ``model``'s per-label thresholds on ``data`` and rewrite its ``mfgkg.json``; print the choices."""
    from extractors.configs import resolve_config, shipped
    from extractors.data import DataSpec, load_split
    from extractors.thresholds import tune_thresholds
    from extractors.train import TrainConfig
    from extractors.transformer import META_FILE, TransformerExtractor

    if data in shipped() or data.endswith(".toml"):
        specs = TrainConfig.load(resolve_config(data)).dev
    else:
        specs = [DataSpec(reader=reader, path=str(Path(data).resolve()))]
    extractor = TransformerExtractor.from_pretrained(model, device=device)
    cfg = extractor.meta.training.get("config", {})
    gold = load_split(
        specs, cfg.get("entity_map"), cfg.get("relation_map"), cfg.get("unknown_labels", "error")
    )
    if not gold:
        raise BadInputError(f"{data}: no annotated texts to tune on. Pass dev data with gold annotations.")
    tuned = tune_thresholds(extractor, gold, min_support=min_support)
    tuned.apply(extractor.meta)
    (model / META_FILE).write_text(extractor.meta.model_dump_json(indent=2))
    rows: list[dict[str, Any]] = [
        {
            "kind": kind,
            "label": label,
            "cut-off": f"{c.threshold:.2f}",
            "gold": c.gold,
            "F1 default": f"{100 * c.f1_default:.1f}",
            "F1 tuned": f"{100 * c.f1_tuned:.1f}",
        }
        for kind, by_label in tuned.choices.items()
        for label, c in sorted(by_label.items())
    ]
    console.print(table(rows, "Per-label cut-offs chosen on dev"))
    console.print(f"Saved to {model / META_FILE} ({len(gold)} texts).")
