"""Experiments of Chatziafratis et al. (NeurIPS 2022), decided exactly; one experiment per module.

Random-initialization experiments (docs/reproduction.md), one concept per module:

* :mod:`~verichaos.experiments.families`: declarative random families, the
  published table's rows, family files;
* :mod:`~verichaos.experiments.sampling`: trial i of seed S, drawn in float64
  and converted exactly;
* :mod:`~verichaos.experiments.grid`: the notebooks' float grid test (as
  published, f⁴, and corrected, f³);
* :mod:`~verichaos.experiments.measure`: the exact columns of one net, and
  its certificate;
* :mod:`~verichaos.experiments.stats`: Wilson intervals;
* :mod:`~verichaos.experiments.results`, :mod:`~verichaos.experiments.summary`:
  the append-only results file and its summaries;
* :mod:`~verichaos.experiments.runner`, :mod:`~verichaos.experiments.dask_backend`:
  running chunks of trials locally or on Dask, resumably;
* :mod:`~verichaos.experiments.paper_table`, :mod:`~verichaos.experiments.sweeps`,
  :mod:`~verichaos.experiments.figures`: the published tables, the width and
  variance sweeps, and their plots.

Other experiments: :mod:`~verichaos.experiments.persistence` (chaos under
noise) and :mod:`~verichaos.experiments.scramble` (scrambled pairs).
"""
