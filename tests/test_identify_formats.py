"""identify.py on formats and look-alikes beyond the classic model files: ONNX Runtime's ORT format (written by
onnxruntime itself and loaded back), a Git LFS pointer and an HTML error page saved as model files, a
torch.distributed.checkpoint folder (whose .metadata loading unpickles) and Hugging Face model folders."""
from __future__ import annotations

import runpy
import warnings

from tools.paths import SNIPPETS

identify = runpy.run_path(str(SNIPPETS / "identify" / "identify.py"))["identify"]


def test_ort_format_written_by_onnxruntime(tmp_path):
    import onnx
    import onnxruntime
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)]), tmp_path / "m.onnx")
    options = onnxruntime.SessionOptions()
    options.optimized_model_filepath = str(tmp_path / "m.ort")
    options.add_session_config_entry("session.save_model_format", "ORT")
    onnxruntime.InferenceSession(str(tmp_path / "m.onnx"), options)
    onnxruntime.InferenceSession(str(tmp_path / "m.ort"))  # it is a model onnxruntime loads
    verdict = identify(tmp_path / "m.ort")
    assert (verdict.kind, verdict.risk) == ("onnx-ort", "ok"), verdict


def test_wrong_downloads(tmp_path):
    (tmp_path / "pytorch_model.bin").write_text(
        "version https://git-lfs.github.com/spec/v1\n"
        "oid sha256:4d7a0a4b9f3b5e3c7b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a\nsize 438007864\n")
    (tmp_path / "model.safetensors").write_text("<!DOCTYPE html>\n<html><body>Access denied</body></html>\n")
    (tmp_path / "model.pt").write_bytes(b"\xef\xbb\xbf  <html><head><title>404</title></head></html>")
    lfs = identify(tmp_path / "pytorch_model.bin")
    assert lfs.kind == "git-lfs-pointer" and "438,007,864 bytes" in lfs.detail, lfs
    assert identify(tmp_path / "model.safetensors").kind == "html"
    assert identify(tmp_path / "model.pt").kind == "html"


def test_distributed_checkpoint_folder(tmp_path):
    import torch
    import torch.distributed.checkpoint as dcp

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no process group: dcp saves as a single rank and says so
        dcp.save({"w": torch.ones(3)}, checkpoint_id=str(tmp_path / "ckpt"))
    verdict = identify(tmp_path / "ckpt")
    # .metadata is a pickle of torch.distributed.checkpoint classes: outside torch.load's allowlist.
    assert (verdict.kind, verdict.risk) == ("dcp-checkpoint", "danger"), verdict
    assert "torch.distributed.checkpoint" in verdict.detail


def test_hugging_face_folders(tmp_path):
    import torch
    from safetensors.torch import save_file

    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "bert"}')
    save_file({"w": torch.ones(2)}, folder / "model.safetensors")
    plain = identify(folder)
    assert (plain.kind, plain.risk) == ("hf-folder", "unreadable"), plain  # each file is still to be identified
    (folder / "modeling_tiny.py").write_text("print('runs with trust_remote_code=True')\n")
    with_code = identify(folder)
    assert (with_code.kind, with_code.risk) == ("hf-folder", "danger") and "modeling_tiny.py" in with_code.detail
