"""ONNX models in and out: exact import of a dense chain, export with a rounding account.

**Import** (:func:`read_onnx`) accepts a graph that is one chain from one
input with one feature to one output. Each node becomes part of a verichaos
layer (:class:`~verichaos.convert.chain.ChainBuilder`):

==========================  ===============================================
ONNX node                   becomes
==========================  ===============================================
Gemm (transA = 0)           affine, W = alpha·B (Bᵀ unless transB), b = beta·C
MatMul (constant on right)  affine, W = Bᵀ, b = 0 (rows times B: x·B)
Add (one constant)          added to the bias
Relu, LeakyRelu, Abs        that activation (LeakyRelu's alpha is a float32)
Tanh, Sigmoid               tanh, sigmoid (smooth: certified by enclosures)
Clip                        hardtanh(min, max); Clip(min = 0) alone is relu
Identity                    nothing
Flatten, Reshape            nothing, when the features stay in the last axis
Constant                    a constant for the nodes above
==========================  ===============================================

Any other operator is refused with its node name and op type, another smooth
one (Gelu, Softplus, …) with the reason that f would not be piecewise linear; so is a model with two inputs, two outputs, more than one input
feature, or a branch (a value used by two nodes). Every float32/float64
weight is taken at its exact binary value (:mod:`verichaos.convert.floats`).

**Export** (:func:`encode_onnx`) writes one ``Gemm`` (transB = 1) per layer and
its activation node, opset 17, with every value rounded to the nearest float
of the chosen dtype and the rounding accounted; JSON → ONNX → JSON is the
identity when every value is representable. (LeakyRelu's alpha is an ONNX
float attribute, so it is rounded to float32 whatever the dtype.)

Example (needs ``verichaos[onnx]``)::

    from verichaos.convert.onnx_io import encode_onnx, read_onnx
    data, rounding = encode_onnx(tent, "float32")   # rounding.summary(): "all 7 values exact"
    Path("tent.onnx").write_bytes(data)
    assert read_onnx("tent.onnx") == tent
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from verichaos import __version__
from verichaos.convert.chain import ChainBuilder
from verichaos.convert.errors import ConversionError, optional_import
from verichaos.convert.floats import DTYPES, Rounding, exact_matrix, exact_values
from verichaos.convert.provenance import source_metadata
from verichaos.network import Network, NetworkFormatError, parse_activation
from verichaos.rational import Q, from_float

__all__ = ["SUPPORTED_OPS", "read_onnx", "encode_onnx"]

SUPPORTED_OPS = ("Gemm", "MatMul", "Add", "Relu", "LeakyRelu", "Clip", "Abs", "Tanh", "Sigmoid", "Identity", "Flatten", "Reshape", "Constant")
EXPORT_OPSET = 17
EXPORT_IR_VERSION = 8  # the oldest IR that carries opset 17, so older runtimes load the export
_LEAKY_RELU_DEFAULT = np.float32(0.01)  # the ONNX default, as the float32 attribute it is
# Refused with the reason (f would not be piecewise linear), not just "unsupported".
_SMOOTH_OPS = ("Gelu", "Softplus", "Elu", "Selu", "Celu", "Mish", "Softsign", "HardSwish")


def _onnx():
    return optional_import("onnx", "onnx")


class _GraphReader:
    """Walks the nodes in order, following the one running value from input to output."""

    def __init__(self, onnx, constants: dict[str, np.ndarray], source) -> None:
        self.onnx = onnx
        self.constants = constants
        self.running = source.name
        self.dims = self._input_dims(source)
        self.chain = ChainBuilder()
        self.dtypes: set[str] = set()

    @staticmethod
    def _input_dims(source) -> list[int | None]:
        tensor = source.type.tensor_type
        if not tensor.HasField("shape"):
            return [None, 1]
        dims = [d.dim_value if d.HasField("dim_value") else None for d in tensor.shape.dim]
        features = dims[-1] if dims else 1
        if features != 1:
            shown = "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]"
            count = "an unknown number of" if features is None else str(features)
            raise ConversionError(
                f"input {source.name!r} has shape {shown}, that is {count} input features; "
                "a verichaos network maps one number to one number"
            )
        return dims

    def constant(self, name: str, where: str) -> np.ndarray:
        if name not in self.constants:
            raise ConversionError(f"{where}: input {name!r} must be a constant (an initializer or a Constant node)")
        value = self.constants[name]
        if value.dtype.kind == "f":
            self.dtypes.add(value.dtype.name)
        return value

    def attribute(self, node, name: str, default: object) -> object:
        for attribute in node.attribute:
            if attribute.name == name:
                return self.onnx.helper.get_attribute_value(attribute)
        return default

    # ------------------------------------------------------------- operators

    def gemm(self, node, where: str, others: list[str]) -> None:
        if node.input[0] != self.running:
            raise ConversionError(f"{where}: the running value must be Gemm's first input A")
        if self.attribute(node, "transA", 0):
            raise ConversionError(f"{where}: transA = 1 would mix the batch with the features")
        matrix = self.constant(others[0], where)
        weight = exact_matrix(matrix if self.attribute(node, "transB", 0) else matrix.T, f"{where} weight")
        alpha = from_float(self.attribute(node, "alpha", 1.0))
        beta = from_float(self.attribute(node, "beta", 1.0))
        weight = [[alpha * w for w in row] for row in weight]
        self.chain.affine(weight, None, where)
        if len(others) > 1 and others[1]:
            self.chain.add_bias([beta * c for c in self.bias(others[1], where)], where)
        self.dims = self.dims[:-1] + [self.chain.width]

    def matmul(self, node, where: str, others: list[str]) -> None:
        if node.input[0] != self.running:
            raise ConversionError(f"{where}: the weight is on the left (W·x); only x·W, as PyTorch exports, is supported")
        matrix = self.constant(others[0], where)
        if matrix.ndim != 2:
            raise ConversionError(f"{where}: the weight has shape {list(matrix.shape)}, expected a matrix")
        self.chain.affine(exact_matrix(matrix.T, f"{where} weight"), None, where)
        self.dims = self.dims[:-1] + [self.chain.width]

    def add(self, node, where: str, others: list[str]) -> None:
        self.chain.add_bias(self.bias(others[0], where), where)

    def bias(self, name: str, where: str) -> list[Q]:
        """A constant that broadcasts along the features only (shape (), (w,), (1, w), …)."""
        value = self.constant(name, where)
        shape = value.shape
        if any(d != 1 for d in shape[:-1]) or (shape and shape[-1] not in (1, self.chain.width)):
            raise ConversionError(f"{where}: a constant of shape {list(shape)} does not broadcast along the {self.chain.width} features")
        self.dims = [1] * (value.ndim - len(self.dims)) + self.dims
        return exact_values(value, f"{where} constant {name!r}")

    def relu(self, node, where: str, others: list[str]) -> None:
        self.chain.activate(parse_activation("relu"))

    def abs(self, node, where: str, others: list[str]) -> None:
        self.chain.activate(parse_activation("abs"))

    def smooth(self, node, where: str, others: list[str]) -> None:
        self.chain.activate(parse_activation(node.op_type.lower()))

    def leaky_relu(self, node, where: str, others: list[str]) -> None:
        alpha = from_float(self.attribute(node, "alpha", _LEAKY_RELU_DEFAULT))
        self.chain.activate(self.activation({"name": "leaky_relu", "alpha": alpha}, where))

    def clip(self, node, where: str, others: list[str]) -> None:
        # opset < 11 has attributes, whose defaults ±float32 max mean "no bound"
        largest = float(np.finfo(np.float32).max)  # float ok: float32's max is exact in float64
        bounds = [self.attribute(node, key, None) for key in ("min", "max")]
        bounds = [None if b is not None and abs(b) >= largest else b for b in bounds]
        for position, name in enumerate(others[:2]):
            if name:
                value = self.constant(name, where)
                if value.size != 1:
                    raise ConversionError(f"{where}: a Clip bound must be one number, got shape {list(value.shape)}")
                bounds[position] = value.reshape(()).item()
        low, high = (from_float(b) if b is not None and math.isfinite(b) else None for b in bounds)
        if low is not None and high is not None:
            self.chain.activate(self.activation({"name": "hardtanh", "min": low, "max": high}, where))
        elif low == 0 and high is None:
            self.chain.activate(parse_activation("relu"))
        elif low is not None or high is not None:
            raise ConversionError(
                f"{where}: a one-sided Clip (min={low}, max={high}) is not supported; "
                "only Clip(min=0) (= Relu) and Clip with both bounds"
            )

    def identity(self, node, where: str, others: list[str]) -> None:
        """No change to the running value."""

    def flatten(self, node, where: str, others: list[str]) -> None:
        axis = self.attribute(node, "axis", 1)
        axis = axis + len(self.dims) if axis < 0 else axis
        self.reshaped([_product(self.dims[:axis]), _product(self.dims[axis:])], where)

    def reshape(self, node, where: str, others: list[str]) -> None:
        target = [int(s) for s in self.constant(others[0], where).ravel().tolist()]
        keep_zero = self.attribute(node, "allowzero", 0)
        dims = [self.dims[i] if s == 0 and not keep_zero and i < len(self.dims) else s for i, s in enumerate(target)]
        if -1 in dims:
            rest = _product([d for d in dims if d != -1])
            total = _product(self.dims)
            dims[dims.index(-1)] = total // rest if total is not None and rest else None
        self.reshaped(dims, where)

    def reshaped(self, dims: list[int | None], where: str) -> None:
        # Row-major reshapes keep each block of `width` consecutive numbers together
        # exactly when the last axis still has `width` entries: the features stay put.
        last = dims[-1] if dims else 1
        if self.chain.width != 1 and last != self.chain.width:
            shown = "?" if last is None else last
            raise ConversionError(f"{where}: moves the {self.chain.width} features out of the last axis (new last axis {shown})")
        self.dims = dims

    def activation(self, spec: object, where: str):
        try:
            return parse_activation(spec, where)
        except NetworkFormatError as error:
            raise ConversionError(str(error)) from None

    # ------------------------------------------------------------------ walk

    def node(self, node, index: int) -> None:
        where = f"node {node.name or f'#{index}'!r} ({node.op_type})"
        if node.op_type in _SMOOTH_OPS:
            self.activation(node.op_type.lower(), where)  # raises, saying why
        if node.domain not in ("", "ai.onnx") or node.op_type not in SUPPORTED_OPS:
            domain = f" of domain {node.domain!r}" if node.domain not in ("", "ai.onnx") else ""
            raise ConversionError(
                f"{where}: operator {node.op_type}{domain} is not supported; "
                f"verichaos imports chains of {', '.join(SUPPORTED_OPS)}"
            )
        if node.op_type == "Constant":
            self.constants[node.output[0]] = self.constant_value(node, where)
            return
        names = list(node.input)
        if names.count(self.running) != 1:
            raise ConversionError(f"{where}: does not take the running value {self.running!r} exactly once; only chains of layers are supported")
        strangers = [n for n in names if n and n != self.running and n not in self.constants]
        if strangers:
            raise ConversionError(f"{where}: uses {strangers[0]!r}, which is neither the running value nor a constant; branches and skip connections are not supported")
        _HANDLERS[node.op_type](self, node, where, [n for n in names if n != self.running])
        self.running = node.output[0]

    def constant_value(self, node, where: str) -> np.ndarray:
        (attribute,) = node.attribute
        value = self.onnx.helper.get_attribute_value(attribute)
        if attribute.name == "value":
            return self.onnx.numpy_helper.to_array(value)
        if attribute.name in ("value_float", "value_floats"):
            return np.array(value, dtype=np.float32)
        if attribute.name in ("value_int", "value_ints"):
            return np.array(value, dtype=np.int64)
        raise ConversionError(f"{where}: a Constant given as {attribute.name} is not supported")


_HANDLERS = {
    "Gemm": _GraphReader.gemm,
    "MatMul": _GraphReader.matmul,
    "Add": _GraphReader.add,
    "Relu": _GraphReader.relu,
    "Abs": _GraphReader.abs,
    "Tanh": _GraphReader.smooth,
    "Sigmoid": _GraphReader.smooth,
    "LeakyRelu": _GraphReader.leaky_relu,
    "Clip": _GraphReader.clip,
    "Identity": _GraphReader.identity,
    "Flatten": _GraphReader.flatten,
    "Reshape": _GraphReader.reshape,
}


def _product(dims: list[int | None]) -> int | None:
    return None if None in dims else math.prod(dims)


def read_onnx(path: str | Path) -> Network:
    """The exact network of an ONNX model file (see the module docstring for what is accepted)."""
    onnx = _onnx()
    path = Path(path)
    try:
        model = onnx.load(str(path))
    except Exception as error:  # protobuf raises several types for a file that is not ONNX
        raise ConversionError(f"{path}: not a readable ONNX model ({type(error).__name__}: {error})") from None
    graph = model.graph
    constants = {tensor.name: onnx.numpy_helper.to_array(tensor) for tensor in graph.initializer}
    inputs = [value for value in graph.input if value.name not in constants]
    if len(inputs) != 1:
        raise ConversionError(f"{path}: the model has {len(inputs)} inputs ({', '.join(v.name for v in inputs)}); a verichaos network has one")
    if len(graph.output) != 1:
        raise ConversionError(f"{path}: the model has {len(graph.output)} outputs ({', '.join(v.name for v in graph.output)}); a verichaos network has one")
    try:
        reader = _GraphReader(onnx, constants, inputs[0])
        for index, node in enumerate(graph.node):
            reader.node(node, index)
        if graph.output[0].name != reader.running:
            raise ConversionError(f"the output {graph.output[0].name!r} is not the end of the chain that starts at the input")
        opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)
        return reader.chain.network(source_metadata(path, "onnx", reader.dtypes, opset=opset, producer=model.producer_name))
    except ConversionError as error:
        raise ConversionError(f"{path}: {error}") from None


def encode_onnx(network: Network, dtype: str = "float32") -> tuple[bytes, Rounding]:
    """The ONNX file of ``network`` with values in ``dtype``, and its :class:`Rounding`."""
    onnx = _onnx()
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    rounding = Rounding()
    element = helper.np_dtype_to_tensor_dtype(np.dtype(DTYPES[dtype]))
    nodes, initializers, running = [], [], "x"
    for index, layer in enumerate(network.layers):
        weight, bias = rounding.layer_arrays(layer, index, dtype)
        initializers += [numpy_helper.from_array(weight, f"layer{index}.weight"), numpy_helper.from_array(bias, f"layer{index}.bias")]
        nodes.append(helper.make_node("Gemm", [running, f"layer{index}.weight", f"layer{index}.bias"], [f"layer{index}.linear"], name=f"layer{index}.linear", transB=1))
        running = f"layer{index}.linear"
        activation, params = layer.activation, dict(layer.activation.params)
        where = f"layer {index} {activation.name}"
        inputs = [running]
        if activation.name == "identity":
            continue
        attributes = {}
        if activation.name == "leaky_relu":
            # ONNX stores alpha as float32: the nearest one, chosen exactly by rounding()
            attributes["alpha"] = float(rounding(params["alpha"], "float32", f"{where} alpha"))  # float ok: export
        if activation.name == "hardtanh":
            for bound in ("min", "max"):
                value = np.array(rounding(params[bound], dtype, f"{where} {bound}"), dtype=DTYPES[dtype])
                initializers.append(numpy_helper.from_array(value, f"layer{index}.{bound}"))
                inputs.append(f"layer{index}.{bound}")
        op = {"relu": "Relu", "abs": "Abs", "leaky_relu": "LeakyRelu", "hardtanh": "Clip", "tanh": "Tanh", "sigmoid": "Sigmoid"}[activation.name]
        nodes.append(helper.make_node(op, inputs, [f"layer{index}.{activation.name}"], name=f"layer{index}.{activation.name}", **attributes))
        running = f"layer{index}.{activation.name}"
    nodes[-1].output[0] = "y"
    graph = helper.make_graph(
        nodes,
        "verichaos",
        [helper.make_tensor_value_info("x", element, ["N", 1])],
        [helper.make_tensor_value_info("y", element, ["N", 1])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", EXPORT_OPSET)], producer_name="verichaos", producer_version=__version__)
    model.ir_version = EXPORT_IR_VERSION
    model.doc_string = f"verichaos network sha256 {network.sha256}"
    onnx.checker.check_model(model)
    return model.SerializeToString(), rounding
