"""Core commands: breakpoints, orbits, certify, check, demo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from verichaos.cli.common import (
    EXAMPLES,
    STDOUT,
    ExampleOpt,
    JsonOpt,
    MaxPiecesOpt,
    NetworkArg,
    echo,
    exact_text,
    exact_work,
    example_path,
    hard_deadline,
    read_network,
    write_text,
)
from verichaos.cli.errors import EXIT_BUDGET, EXIT_UNDECIDED, EXIT_USAGE, fail, readable
from verichaos.network import load_network
from verichaos.rational import canonical, exact_json


def _bound(x) -> Optional[str]:
    return None if x is None else canonical(x)


def breakpoints(
    network: Optional[Path] = NetworkArg,
    example: Optional[str] = ExampleOpt,
    max_pieces: int = MaxPiecesOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Print the exact breakpoint list of f: knots, values, and tail slopes.

    Example: verichaos breakpoints --example tent
    """
    from verichaos.pwl import from_network

    net = read_network(network, example)
    if not net.is_piecewise_linear:
        message = f"f is not piecewise linear (it uses {', '.join(net.smooth_activations)}): it has no breakpoints"
        echo(json.dumps({"network_sha256": net.sha256, "piecewise_linear": False, "message": message}, indent=2) if as_json else message)
        return
    with exact_work(max_pieces, what="building f"):
        f = from_network(net)
    knots = [(canonical(x), canonical(f(x))) for x in f.breakpoints]
    if as_json:
        echo(
            json.dumps(
                exact_json(
                    {
                        "network_sha256": net.sha256,
                        "breakpoints": [{"x": x, "f(x)": f(x)} for x in f.breakpoints],
                        "slopes": f.slopes if knots else (f.left_slope,),
                        "left_slope": f.left_slope,
                        "right_slope": f.right_slope,
                        "value_at_0": f(0),
                    }
                ),
                indent=2,
            )
        )
        return
    echo(f"f has {len(knots)} breakpoints, {f.piece_count} linear pieces, lap number {f.lap_number()}")
    echo(f"left tail slope {canonical(f.left_slope)}")
    width = max([len(exact_text(x)) for x in f.breakpoints] + [1])
    for x, slope in zip(f.breakpoints, f.slopes[1:]):
        echo(f"  x = {exact_text(x):>{width}}   f(x) = {exact_text(f(x)):<20}  then slope {exact_text(slope)}")
    if not knots:
        echo(f"f is affine: f(x) = {canonical(f.left_slope)}*x + {canonical(f(0))}")


def orbits(
    network: Optional[Path] = NetworkArg,
    example: Optional[str] = ExampleOpt,
    period: int = typer.Option(3, "--period", "-p", min=1, max=64, help="Minimal period n of the orbits to list (fⁿ is built exactly: large n needs a large --max-pieces)."),
    max_pieces: int = MaxPiecesOpt,
    periods: bool = typer.Option(
        False, "--periods", help="Instead: the chaos verdict (entropy > 0 or = 0), the set of periods or its Sharkovsky tail, and the entropy bounds; exit 7 when undecided."
    ),
    as_json: bool = JsonOpt,
) -> None:
    """List every orbit of minimal period n exactly, or say there is none.

    Example: verichaos orbits --example tent --period 3; verichaos orbits net.json --periods
    """
    from verichaos.dynamics import periodic_orbits
    from verichaos.dynamics.sharkovsky import forced_periods_text
    from verichaos.pwl import from_network

    net = read_network(network, example)
    if not net.is_piecewise_linear:
        if periods:
            fail(f"--periods needs a piecewise-linear network, not one with {', '.join(net.smooth_activations)}", EXIT_USAGE)
        _smooth_orbits(net, period, as_json, max_pieces)
        return
    if periods:
        with exact_work(max_pieces, what="deciding the set of periods"):
            _periods(net, as_json)
        return
    with exact_work(max_pieces, what=f"finding the orbits of period {period}"):
        found = periodic_orbits(from_network(net), period)
    forced = forced_periods_text(period) if found else None
    if as_json:
        echo(
            json.dumps(
                {
                    "network_sha256": net.sha256,
                    "period": period,
                    "core_interval": [_bound(found.core[0]), _bound(found.core[1])],
                    "orbits": [[canonical(x) for x in orbit.points] for orbit in found.orbits],
                    "families": [
                        {
                            "interval": [_bound(family.lo), _bound(family.hi)],
                            "representative": [canonical(x) for x in family.representative.points],
                        }
                        for family in found.families
                    ],
                    "sharkovsky_forces": forced,
                },
                indent=2,
            )
        )
        return
    if not found:
        echo(f"no orbit of minimal period {period}")
        return
    echo(f"{len(found.orbits)} orbit(s) of minimal period {period}" + (f" and {len(found.families)} interval family(ies)" if found.families else ""))
    for orbit in found.orbits:
        echo("  " + " -> ".join(exact_text(x) for x in orbit.points))
    for family in found.families:
        echo(
            f"  every point of [{exact_text(family.lo)}, {exact_text(family.hi)}] but finitely many subintervals, e.g. "
            + " -> ".join(exact_text(x) for x in family.representative.points)
        )
    echo(f"Sharkovsky: minimal period {period} forces {forced}")


def _periods(net, as_json: bool) -> None:
    """``orbits --periods``: the report of :func:`verichaos.dynamics.periods.period_set`."""
    from verichaos.dynamics.periods import period_set
    from verichaos.pwl import from_network

    found = period_set(from_network(net))
    if as_json:
        echo(json.dumps({"network_sha256": net.sha256, **found.to_json()}, indent=2))
    else:
        for line in found.lines():
            echo(line)
    if found.verdict.chaos == "undecided":
        raise typer.Exit(EXIT_UNDECIDED)


def _enclosure_text(lo, hi) -> str:
    """An enclosure for people: its midpoint to 17 digits and its half-width."""
    middle, width = (lo + hi) / 2, hi - lo
    return f"{float(middle):.17g} (+/- {float(width / 2):.1e})"  # float ok: display of a proved enclosure


def _smooth_orbits(net, period: int, as_json: bool, max_pieces: int) -> None:
    """The period-3 orbits of a smooth net, each point enclosed (docs/smooth.md), or UNDECIDED."""
    from verichaos.smooth.orbits import period3_orbits

    if period != 3:
        fail(f"for a network with {', '.join(net.smooth_activations)} only --period 3 is supported", EXIT_USAGE)
    found = period3_orbits(net, budget=max_pieces)
    reason = found.reason
    if as_json:
        echo(json.dumps({"network_sha256": net.sha256, "period": 3, "enclosed": True,
                         "orbits": [[[canonical(lo), canonical(hi)] for lo, hi in orbit] for orbit in found.orbits],
                         "complete": found.complete, "undecided": reason}, indent=2))
    else:
        echo(f"{len(found.orbits)} orbit(s) of minimal period 3 found, each point enclosed in an interval")
        for orbit in found.orbits:
            echo("  " + " -> ".join(_enclosure_text(lo, hi) for lo, hi in orbit))
        if reason:
            echo(f"UNDECIDED: the list may be incomplete: {reason}")
    if reason:
        raise typer.Exit(EXIT_UNDECIDED)


def certify(
    network: Optional[Path] = NetworkArg,
    example: Optional[str] = ExampleOpt,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Where to write the certificate (default: NETWORK.cert.json, or EXAMPLE.cert.json); - for stdout."),
    claim: str = typer.Option("period-3", "--claim", help="period-N (N >= 1): is there a point of minimal period N? chaos: is the topological entropy positive or zero?"),
    max_pieces: int = MaxPiecesOpt,
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.001, help="Give up after this many seconds: verdict TIMEOUT, no certificate, exit 6."),
    as_json: bool = JsonOpt,
) -> None:
    """Decide exactly whether f has a point of period 3 (or N, or positive entropy) and write a certificate either way.

    With --claim chaos an undecided case writes no certificate: one UNDECIDED line, exit 7.

    The certificate can be re-checked with `verichaos check`, an independent
    checker that uses only the Python standard library. A network with tanh or
    sigmoid gets an interval certificate (docs/smooth.md), or UNDECIDED (exit 7)
    and no certificate when its enclosures cannot decide. With --timeout, a
    decision not reached in time is the verdict TIMEOUT (as in VNN-COMP):
    one line, no certificate, exit 6.

    Example: verichaos certify --example tent -o tent.cert.json
    """
    if as_json and output == STDOUT:
        fail("--json and -o - both want stdout; choose one", EXIT_USAGE)
    from verichaos.certificate import MAX_PERIOD, Undecided, valid_claim

    if not valid_claim(claim):
        fail(f"--claim {claim!r}: expected period-N (1 <= N <= {MAX_PERIOD}) or chaos", EXIT_USAGE)
    from verichaos.budget import DeadlineExceeded

    net = read_network(network, example)
    if not net.is_piecewise_linear and claim != "period-3":
        fail(f"--claim {claim}: a network with {', '.join(net.smooth_activations)} has interval certificates of period 3 only", EXIT_USAGE)
    from verichaos.smooth import certify_network

    try:
        with exact_work(max_pieces, timeout, what="certifying"), hard_deadline(timeout):
            certificate = certify_network(net, claim=claim, budget=max_pieces)
    except DeadlineExceeded:
        if as_json:
            echo(json.dumps({"verdict": "TIMEOUT", "timeout_seconds": timeout, "network_sha256": net.sha256}))
        else:
            echo(f"TIMEOUT: no decision within {timeout:g} s; no certificate written")
        raise typer.Exit(EXIT_BUDGET) from None
    except Undecided as e:
        echo(json.dumps({"claim": None, "undecided": str(e), "network_sha256": net.sha256}) if as_json else f"UNDECIDED: {e}")
        raise typer.Exit(EXIT_UNDECIDED) from None
    if output is None:
        output = Path(f"{example}.cert.json") if network is None else network.with_suffix(".cert.json")
    write_text(output, json.dumps(certificate.document, indent=1) + "\n")
    if output == STDOUT:
        typer.echo(readable(certificate.summary, keep_exact=True), err=True)
    elif as_json:
        echo(json.dumps({"claim": certificate.claim, "certificate": str(output), "network_sha256": net.sha256, "summary": certificate.summary}))
    else:
        echo(f"{readable(certificate.summary, keep_exact=True)}; certificate written to {output}")


def check(ctx: typer.Context) -> None:
    """Re-verify a certificate with the independent checker (standard library only).

    Usage: verichaos check CERT.json [--network NET.json] [--json]

    Prints one line, VERIFIED: ... or REJECTED: ... (with --json, one JSON
    object), and exits 0 verified, 1 rejected, 2 usage error, 3 unreadable or
    malformed input, a file over one of the limits of docs/formats.md included.
    A model file (.onnx, .pt, ...) as --network is a usage error: run
    verichaos import first.
    """
    from verichaos.checker import main as checker_main

    raise typer.Exit(checker_main(list(ctx.args), prog="verichaos check"))


def demo() -> None:
    """Certify and independently check the embedded examples, end to end."""
    import tempfile

    from verichaos.certificate import certify as make_certificate
    from verichaos.checker import check_certificate

    for name in EXAMPLES:
        net = load_network(example_path(name))
        certificate = make_certificate(net)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{name}.cert.json"
            path.write_text(json.dumps(certificate.document), encoding="utf-8")
            code, line = check_certificate(json.loads(path.read_text(encoding="utf-8")))
        echo(f"{name}: {certificate.summary}")
        echo(f"{name}: checker says {line}")
        if code:
            raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Attach the core commands to the main app; ``check`` passes its arguments to the checker untouched."""
    for command in (breakpoints, orbits, certify):
        app.command()(command)
    app.command(
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
        add_help_option=False,
    )(check)
    app.command()(demo)
