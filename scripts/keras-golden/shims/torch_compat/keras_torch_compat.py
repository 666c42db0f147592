"""Lets Keras 3's torch backend import on Debian's torch 1.13 (no float8, no torch.compiler/func).
Only names Keras references at import time are added; the float8 dtypes are placeholders that
no golden script uses."""
import sys, types, torch
for name in ("float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz"):
    if not hasattr(torch, name):
        setattr(torch, name, torch.float16)
for name in ("uint16", "uint32", "uint64"):
    if not hasattr(torch, name):
        setattr(torch, name, torch.int64)
if not hasattr(torch, "compiler"):
    torch.compiler = types.SimpleNamespace(is_compiling=lambda: False, disable=lambda f=None, **k: (f if f else (lambda g: g)))
if "torch._dynamo" not in sys.modules:
    _d = types.ModuleType("torch._dynamo")
    _d.is_compiling = lambda: False
    _d.disable = lambda f=None, **k: (f if f else (lambda g: g))
    sys.modules["torch._dynamo"] = _d
    torch._dynamo = _d
if not hasattr(torch, "func"):
    import functorch
    torch.func = functorch
if not hasattr(torch, "vmap"):
    import functorch
    torch.vmap = functorch.vmap
if not hasattr(torch, "SymFloat"):
    torch.SymFloat = type("SymFloat", (), {})
if not hasattr(torch, "SymInt"):
    torch.SymInt = type("SymInt", (), {})
import sys, torch.distributed
if "torch.distributed.tensor" not in sys.modules:
    _t = types.ModuleType("torch.distributed.tensor")
    sys.modules["torch.distributed.tensor"] = _t
    torch.distributed.tensor = _t
import inspect
if "remove_duplicate" not in inspect.signature(torch.nn.Module.named_parameters).parameters:
    _np = torch.nn.Module.named_parameters
    def _named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        return _np(self, prefix, recurse)
    torch.nn.Module.named_parameters = _named_parameters
