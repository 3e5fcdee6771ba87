"""A clone of the repository anywhere (no ``../shared`` beside it) builds its default model from its own data.

The first-use path runs for real up to the training loop: the shipped ``default`` config is resolved,
``${DATASETS}`` expands, the cache and its lock are made, and every train and dev dataset the config names is
read by its reader. Only the (minutes-long) training itself is replaced by a recorder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

FIRST_USE = """
import json, sys
from pathlib import Path
import extractors, extractors.default as default
from kg.core.settings import ExtractorSettings

clone = Path.cwd().resolve()
assert Path(extractors.__file__).resolve().is_relative_to(clone), extractors.__file__
seen = {}

def recording_train(cfg, out, **kwargs):
    for spec in [*cfg.train, *cfg.dev]:
        seen[spec.path] = len(spec.read())
    print(json.dumps(seen))
    sys.exit(0)

default.train = recording_train
default.ensure_default_model(ExtractorSettings(cache_dir=Path(sys.argv[1])))
sys.exit("training was never reached")
"""


@pytest.mark.slow
def test_a_clone_without_shared_finds_every_dataset_the_default_config_names(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.fail("this test clones the repository: it needs git and a git checkout")
    clone = tmp_path / "elsewhere" / "mfg-kg"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(clone)], check=True)
    assert not (clone.parent / "shared").exists()
    env = {k: v for k, v in os.environ.items() if k not in {"KG_DATASETS_DIR", "PYTHONPATH"}}
    env["PYTHONPATH"] = str(clone)
    run = subprocess.run(
        [sys.executable, "-c", FIRST_USE, str(tmp_path / "cache")],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    seen: dict[str, int] = json.loads(run.stdout.strip().splitlines()[-1])

    config = tomllib.loads((clone / "extractors" / "configs" / "default.toml").read_text(encoding="utf-8"))
    named = [spec["path"] for spec in [*config["train"], *config["dev"]]]
    assert len(seen) == len(named)
    for path, texts in seen.items():
        assert Path(path).is_relative_to(clone), f"{path} is read from outside the clone"
        assert texts > 0, f"{path} holds no annotated text"


def test_bundled_corpora_carry_their_licence_and_source_but_no_test_split() -> None:
    root = REPO / "extractors" / "datasets"
    for folder in ("maintie", "mwo2kg_ner", "dfki_product_corpus", "maintnorm"):
        names = {p.name for p in (root / folder).iterdir()}
        assert "SOURCE.md" in names and names & {"LICENSE", "LICENSE.md"}, folder
    public = [p for p in root.rglob("*") if p.is_file() and "prose" not in p.parts]
    assert not [p for p in public if p.name.split(".")[0] in {"test", "test_3200", "test_401"}]
