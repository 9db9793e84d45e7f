"""Rigorous dynamics of smooth (tanh, sigmoid) networks, by enclosures.

* :mod:`~verichaos.smooth.enclosure`: arb-ball enclosures of f, f³ and their
  (Clarke) derivatives over intervals;
* :mod:`~verichaos.smooth.trapping`: the interval that holds every periodic point;
* :mod:`~verichaos.smooth.cover`: bisection into pieces where f³(x) = x is decided;
* :mod:`~verichaos.smooth.newton`: interval Newton refinement of period-3 points;
* :mod:`~verichaos.smooth.witness`: the Li–Yorke witness search;
* :mod:`~verichaos.smooth.orbits`: the rigorously enclosed period-3 orbits;
* :mod:`~verichaos.smooth.certify`: the verdict and the interval certificate.

The mathematics is in docs/smooth.md; the checker that re-verifies the
certificates, independently, is :mod:`verichaos.checker.interval`.
"""

from verichaos.smooth.certify import IntervalCertificate, Undecided, certify_network, certify_smooth

__all__ = ["IntervalCertificate", "Undecided", "certify_network", "certify_smooth"]
