"""The ``import`` and ``export`` commands: trained models in and out of the exact format.

    verichaos import model.onnx -o net.json
    verichaos import weights.pt -o net.json --arch relu,identity
    verichaos export net.json --to onnx -o net.onnx --dtype float32 --strict

The work is done by :mod:`verichaos.convert`, imported only when a command
runs, so that the CLI starts without numpy, ONNX or PyTorch.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from verichaos.cli.common import STDOUT, echo, flag, read_network, readable_file, write_text
from verichaos.cli.errors import EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE, fail
from verichaos.network import NetworkFormatError

ModelFormat = Enum("ModelFormat", {name: name for name in ("auto", "json", "onnx", "torch", "safetensors", "npz")}, type=str)
Target = Enum("Target", {name: name for name in ("onnx", "torch")}, type=str)
FloatType = Enum("FloatType", {name: name for name in ("float32", "float64")}, type=str)


def import_model(
    model: Path = typer.Argument(..., metavar="MODEL", help="Model file: .onnx, .pt/.pth (torch.save), .safetensors, .npz, or a network .json.", show_default=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Network file to write (default: MODEL with the suffix .json); - for stdout."),
    model_format: ModelFormat = typer.Option("auto", "--format", "-f", help="The model's format; auto reads it from the suffix."),
    arch: Optional[str] = typer.Option(
        None,
        "--arch",
        help="The activation of each layer, for files that do not store them (state dict, safetensors, npz), "
        "e.g. 'relu,relu,identity' or 'leaky_relu(0.1),clip(0,1)'. Decimals mean the double Python stores; "
        "write 1/10 for the exact rational. npz default: relu on hidden layers, identity on the output.",
    ),
) -> None:
    """Convert a trained model into an exact verichaos network file.

    Every float32/float64 weight becomes its exact binary rational; the source
    format, file hash and dtype are recorded in the metadata. Anything that is
    not a one-input one-output chain of dense layers and piecewise-linear
    activations is refused with the layer's name and the reason (exit 3).
    PyTorch files are loaded only with torch.load(weights_only=True).

    Example: verichaos import model.onnx -o net.json
    """
    from verichaos.convert import load_any

    try:
        network = load_any(readable_file(model, "model file"), model_format.value, arch)
    except NetworkFormatError as error:
        fail(str(error), EXIT_INPUT)
    if output is None:
        output = model.with_suffix(".json")
        if output == model:
            fail("the model is already a .json file; give -o for the copy", EXIT_USAGE)
    write_text(output, json.dumps(network.to_json(), indent=2) + "\n")
    source = network.metadata.get("imported_from", {"format": "json", "dtype": "exact"})
    activations = ", ".join(str(layer.activation) for layer in network.layers)
    line = (
        f"imported {source['format']} model {model} ({source['dtype']}, {len(network.layers)} layers, "
        f"hidden widths {list(network.widths)}, activations {activations}); "
        f"network {network.sha256[:16]} written to {output}"
    )
    if output == STDOUT:  # the network is stdout: this line goes to stderr
        typer.echo(line, err=True)
    else:
        echo(line)


def export_network(
    network: Path = typer.Argument(..., metavar="NETWORK", help="Network file (verichaos-network JSON, or any model file import reads).", show_default=False),
    to: Target = typer.Option(..., "--to", help="Target format.", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="File to write.", show_default=False),
    dtype: FloatType = typer.Option("float32", "--dtype", help="Float type of the weights."),
    strict: bool = flag("--strict", "Refuse (exit 3, nothing written) unless every value is exactly representable."),
) -> None:
    """Write a network as an ONNX model or a PyTorch nn.Sequential (torch.save).

    Each rational is rounded to the nearest float of --dtype; the command
    reports how many values were rounded and the largest rounding error,
    computed exactly. With --strict it refuses instead of rounding.

    Example: verichaos export net.json --to onnx -o net.onnx --strict
    """
    from verichaos.convert import export

    if output == STDOUT:
        fail("export writes a binary model file; give -o a file name, not -", EXIT_USAGE)
    net = read_network(network, None)
    try:
        rounding = export(net, output, to.value, dtype.value, strict)
    except NetworkFormatError as error:
        fail(str(error), EXIT_INPUT)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}", EXIT_OUTPUT)
    echo(f"wrote {output} ({to.value}, {dtype.value}): {rounding.summary()}")


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the main app."""
    app.command("import")(import_model)
    app.command("export")(export_network)
