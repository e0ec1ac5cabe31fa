"""The fast training step (scratch_net.fast_sgd) takes the steps of SGD on the readable cost_grad."""

import numpy as np
import pytest
from parity_helpers import assert_close

import scratch_net as sn
from scratch_net.tolerance import COST_FLOOR
from scratch_net.training import NumpyTrainer, TrainConfig

N, D, H, K = 150, 20, 12, 4
LR, C, BATCH, EPOCHS = 0.2, 1e-3, 32, 4  # 150 rows: four batches of 32 and a last one of 22


def problem(dtype):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(N, D))  # float64 on purpose: the trainer converts it to the params' dtype
    y = rng.integers(0, K, size=N)
    params = sn.init_params(D, H, K, seed=1, dtype=dtype)
    params["b1"] = (0.1 * rng.normal(size=(1, H))).astype(dtype)
    return X, y, params


DECAYS = {  # (lr, c), by the factor 2c*lr of W that the decay takes away each step
    "decay-4e-4": (LR, C),
    "no-decay": (LR, 0.0),
    "decay-0.3": (LR, 0.75),
    "decay-1": (LR, 2.5),  # W <- W - (lr*grad + W): only the data gradient is left
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("lr, c", DECAYS.values(), ids=DECAYS.keys())
def test_fast_step_takes_the_steps_of_sgd_on_cost_grad(lr, c, dtype, shuffle):
    X, y, init = problem(dtype)
    config = TrainConfig(batch_size=BATCH, lr=lr, c=c, epochs=EPOCHS, shuffle=shuffle, seed=3)
    trainer = NumpyTrainer(X, y, X[:40], y[:40], init, config)
    params = {key: value.copy() for key, value in init.items()}
    batches = sn.batch_order(N, BATCH, shuffle=shuffle, seed=3)
    for epoch in range(EPOCHS):
        for step, idx in enumerate(next(batches)):
            where = f"epoch {epoch} step {step} (batch of {len(idx)})"
            fast_cost = trainer.step(idx)
            ref_cost, grads = sn.cost_grad(X[idx], y[idx], params, c)
            params = {key: params[key] - lr * grads[key] for key in sn.PARAM_KEYS}
            assert isinstance(fast_cost, float)
            assert_close(f"{where}: batch cost", fast_cost, ref_cost, dtype, floor=COST_FLOOR)
            for key in sn.PARAM_KEYS:
                got = trainer.current_params()[key]
                assert got.dtype == dtype, f"{where}: {key} dtype {got.dtype} != {dtype}"
                assert_close(f"{where}: {key}", got, params[key], dtype)
        for split, (Xs, ys) in {"train": (X, y), "val": (X[:40], y[:40])}.items():
            loss, acc = trainer.evaluate(split)
            assert_close(f"epoch {epoch} {split} loss", loss, sn.cost(Xs, ys, params, c), dtype, floor=COST_FLOOR)
            assert acc == sn.score(Xs, ys, params), f"epoch {epoch} {split} accuracy"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_step_without_its_cost_takes_the_same_step(dtype):
    X, y, init = problem(dtype)
    config = TrainConfig(batch_size=BATCH, lr=LR, c=C)
    with_cost, without_cost = (NumpyTrainer(X, y, X, y, init, config) for _ in range(2))
    for idx in next(sn.batch_order(N, BATCH, seed=0)):
        assert np.isfinite(with_cost.step(idx, with_cost=True))
        assert np.isnan(without_cost.step(idx, with_cost=False))
    for key in sn.PARAM_KEYS:
        np.testing.assert_array_equal(without_cost.current_params()[key], with_cost.current_params()[key], key)


def test_evaluate_in_chunks_matches_one_forward_pass(monkeypatch):
    X, y, init = problem(np.float64)
    monkeypatch.setattr(sn.fast_sgd, "EVAL_CHUNK", 64)  # 150 rows: chunks of 64, 64 and 22
    trainer = NumpyTrainer(X, y, X, y, init, TrainConfig(c=C))
    loss, acc = trainer.evaluate("train")
    assert_close("loss", loss, sn.cost(X, y, init, C), np.float64, floor=COST_FLOOR)
    assert acc == sn.score(X, y, init)


def test_trainer_copies_init_and_reads_a_fortran_ordered_one():
    X, y, init = problem(np.float64)
    fortran = {key: np.asfortranarray(value) for key, value in init.items()}
    trainer = NumpyTrainer(X, y, X, y, fortran, TrainConfig(lr=LR, c=C))
    trainer.step(np.arange(BATCH))
    _, grads = sn.cost_grad(X[:BATCH], y[:BATCH], init, C)
    for key in sn.PARAM_KEYS:
        np.testing.assert_array_equal(fortran[key], init[key], err_msg=f"init_params['{key}'] was modified")
        assert_close(key, trainer.current_params()[key], init[key] - LR * grads[key], np.float64)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_step_and_evaluation_are_exact_at_extreme_logits(dtype):
    # logits of +-800 (exp overflows past 709 in float64, 88 in float32), and rows on different scales:
    # only each row's own max, subtracted, keeps them finite
    size = 800.0
    params = {
        "W1": np.eye(2, dtype=dtype),
        "b1": np.zeros((1, 2), dtype=dtype),
        "W2": np.array([[size, 0.0, -size], [-size, -size, -size + 10]], dtype=dtype),
        "b2": np.zeros((1, 3), dtype=dtype),
    }
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], dtype=dtype)
    y = np.array([1, 2, 0])
    trainer = NumpyTrainer(X, y, X, y, params, TrainConfig(lr=1e-3, c=0.0))
    ref_cost, grads = sn.cost_grad(X, y, params)
    assert np.isfinite(ref_cost)
    loss, acc = trainer.evaluate("train")
    assert_close("evaluation cost", loss, ref_cost, dtype, floor=COST_FLOOR)
    assert acc == sn.score(X, y, params)
    assert_close("batch cost", trainer.step(np.arange(3)), ref_cost, dtype, floor=COST_FLOOR)
    for key in sn.PARAM_KEYS:
        assert_close(key, trainer.current_params()[key], params[key] - 1e-3 * grads[key], dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_every_buffer_of_the_step_and_the_evaluation_has_the_params_dtype(dtype):
    # a float64 buffer in a float32 run would compute part of the step in float64: a silent upcast
    X, y, init = problem(dtype)
    trainer = NumpyTrainer(X, y, X[:40], y[:40], init, TrainConfig(batch_size=BATCH))
    trainer.step(np.arange(BATCH))
    trainer.evaluate("val")
    (buffers,) = trainer._sgd._buffers.values()
    expected = {"y": np.int64, "rows": np.int64, "mask": np.bool_}
    for name, value in vars(buffers).items():
        assert isinstance(value, np.ndarray), f"buffer {name} is {type(value).__name__}"
        assert value.dtype == expected.get(name, dtype), f"buffer {name} has dtype {value.dtype}"
    for value in trainer._sgd._eval[40]:
        assert value.dtype == dtype
