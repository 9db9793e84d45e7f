"""Regenerate the figures of docs/pictures.md (docs/figures/pic-*), with their data.

Every figure is made by the same code as ``verichaos plot`` and ``verichaos
experiment``, with fixed seeds, so rerunning this script reproduces them.
Each figure is kept as PNG plus the exact data behind it (``.data.json`` with
rationals as "p/q" strings, ``.data.csv``); the SVG twin is dropped to keep
the repository small.

    python docs/generate_figures.py            # about a minute on two cores
    python docs/generate_figures.py --jobs 1
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from verichaos.cli.common import example_path
from verichaos.experiments.persistence import run_persistence
from verichaos.experiments.scramble import SEED_NETWORK, return_statistic, seed_figure
from verichaos.network import load_network
from verichaos.plots import cobweb, iterates, save_picture

FIGURES = Path(__file__).with_name("figures")
SEED = 20221005  # the default --seed of `verichaos experiment ...`, so the default commands reproduce these figures
PERSISTENCE = {"sigmas": (0.01, 0.05, 0.1), "depth": 10, "trials": 200, "seed": SEED}
RETURNS = {"pairs": 1000, "steps": 150, "seed": SEED}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the persistence experiment")
    jobs = parser.parse_args().jobs
    FIGURES.mkdir(exist_ok=True)
    tent, contraction = (load_network(example_path(name)) for name in ("tent", "contraction"))
    pictures = {
        "pic-tent-iterates": (iterates(tent, 3), (6.4, 6.4)),
        "pic-seed-iterates": (iterates(SEED_NETWORK, 3), (6.4, 6.4)),
        "pic-contraction-iterates": (iterates(contraction, 3), (6.4, 6.0)),
        "pic-tent-cobweb": (cobweb(tent), (6.4, 6.0)),
        "pic-seed-scramble": (seed_figure(150), (8.0, 6.0)),
        "pic-scramble-returns": (return_statistic(SEED_NETWORK, **RETURNS), (8.0, 5.0)),
    }
    start = time.perf_counter()
    persistence = run_persistence(PERSISTENCE["sigmas"], PERSISTENCE["depth"], PERSISTENCE["trials"], PERSISTENCE["seed"], jobs)
    print(f"persistence: {time.perf_counter() - start:.1f} s")
    pictures["pic-persistence"] = (persistence, (10.0, 5.5))
    for name, (picture, size) in pictures.items():
        paths = save_picture(picture, FIGURES / name, size)
        paths[1].unlink()  # the SVG
        print(f"{name}: {picture.summary()['headline']}")


if __name__ == "__main__":
    main()
