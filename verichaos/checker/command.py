"""The verdict: ``verify`` runs every check in order, ``check_certificate`` turns it into an exit code and one
line, and the command line prints it."""

import argparse
import json
import os
import sys
from pathlib import Path

from . import entropy, periods
from .exact import Net, Rejected
from .interval import verify_interval
from .reader import Malformed, load_json, network_sha256, parse_certificate, parse_network

HELP = """Checks a verichaos certificate (docs/certificates.md) with the Python standard
library alone, recomputing every evaluation of the network stored inside it.
Prints exactly one line (with --json, one JSON object) and exits with:
  0  VERIFIED: <statement> (network sha256 <16 hex>)  every check passed
  1  REJECTED: <reason>   the claim does not check, or is about another network
  2  USAGE: <reason>      the command line is wrong
  3  MALFORMED: <reason>  unreadable, not JSON, or breaking the format or a limit"""
MODEL_SUFFIXES = (".onnx", ".pt", ".pth", ".pkl", ".pickle", ".bin", ".ckpt", ".safetensors", ".npz")

def verify(cert, given):
    """Every check of certificates.md, in order; the text of the VERIFIED line, or Rejected."""
    sha = network_sha256(cert["layers"])
    if sha != cert["network_sha256"]:
        raise Rejected(f"network_sha256 does not match the network (recomputed {sha})")
    if given is not None and network_sha256(given) != sha:
        raise Rejected(f"the certificate is about network {sha}, not about the given network file "
                       f"(sha256 {network_sha256(given)})")
    name, module = cert["claim"], entropy if cert["claim"].endswith("entropy") else periods
    statement, consequences, needs = module.texts(cert)
    if cert["statement"] != statement:
        raise Rejected(f"the statement is not the statement of claim {name} ({statement!r})")
    if cert["consequences"] != consequences:
        raise Rejected(f"the consequences are not the list of claim {name}")
    if cert["interval"]:  # a network with tanh or sigmoid: interval.py (certificates.md, "Interval certificates")
        verify_interval(cert)
    else:
        carried = {part for part in ("witness", "proof") if part in cert}
        carried |= {f"witness.{part}" for part in cert.get("witness", ()) if part != "orbit"}
        for part in sorted(needs ^ carried, key=lambda part: (part not in needs, part)):
            raise Rejected(f"claim {name} needs a {part}, but the certificate carries none" if part in needs
                           else f"claim {name} does not use the {part} the certificate carries")
        module.check(Net(cert["layers"]), cert)
    return f"{cert['statement']} (network sha256 {sha[:16]})"


def _line(prefix, message):
    """One printable ASCII line, whatever the message holds."""
    words = " ".join(str(message).split())
    return f"{prefix}: {words[:2000]}{'...' * (len(words) > 2000)}".encode("ascii", "backslashreplace").decode("ascii")

def check_certificate(cert_obj, network_obj=None):
    """(exit code, verdict line) for a certificate and, optionally, the network it must be about; each argument
    is a file (a Path), JSON text (str or bytes) or a parsed object (as json.loads gives: ints are exact)."""
    code, prefix, doing = 3, "MALFORMED", "reading"  # until parsed, a failure means malformed
    try:
        cert = parse_certificate(load_json(cert_obj, "certificate"))
        given = None if network_obj is None else parse_network(load_json(network_obj, "network file"),
                                                                 "network file", canonical=False, smooth=True)
        code, prefix, doing = 1, "REJECTED", "checking"  # from here on, a failure means not verified
        return 0, _line("VERIFIED", verify(cert, given))
    except Malformed as e:
        return 3, _line("MALFORMED", e)
    except Rejected as e:
        return 1, _line("REJECTED", e)
    except (RecursionError, MemoryError) as e:
        return code, _line(prefix, f"the input is too large or nested too deeply for {doing} ({type(e).__name__})")
    except Exception as e:  # a bug of the checker: still one line, never a traceback, never VERIFIED
        return code, _line(prefix, f"internal error while {doing} ({type(e).__name__}: {e})")

class _UsageError(Exception):
    """The command line is wrong (exit 2)."""

class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would print the usage and exit 2: we want one line
        raise _UsageError(f"{message} (try --help)")

def main(argv=None, prog="python -m verichaos.checker"):
    """The command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _Parser(prog=prog, description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("certificate", help="the certificate file (JSON)")
    parser.add_argument("--network", metavar="NET", help="the network file the certificate must be about")
    parser.add_argument("--json", action="store_true", help="print the verdict as one JSON object")
    try:
        args = parser.parse_args(argv)
        if args.network is not None and args.network.lower().endswith(MODEL_SUFFIXES):
            raise _UsageError(f"{args.network} is a model file; run `verichaos import {args.network} -o net.json` "
                              "first and pass net.json")
        code, line = check_certificate(Path(args.certificate), None if args.network is None else Path(args.network))
    except _UsageError as e:
        code, line = 2, _line("USAGE", e)
    except SystemExit as e:  # --help has printed the help
        return e.code if isinstance(e.code, int) else 0
    if "--json" in argv:
        verdict, reason = line.split(": ", 1)
        line = json.dumps({"verdict": verdict, "exit_code": code, "reason": reason})
    try:
        print(line, flush=True)
    except OSError:  # a closed pipe: the exit code still tells, and the exit's flush must not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return code
