"""Training: batch order, fit (best vs final), the torch twin, and lockstep parity."""

import numpy as np
import pytest
import torch
from parity_helpers import assert_close

import scratch_net as sn
import torch_ref as tr
from scratch_net.training import HISTORY_KEYS, NumpyTrainer


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    return X[:300], y[:300], X[300:400], y[300:400]


def test_batch_order_in_order_without_shuffle_and_last_batch_smaller():
    epoch = next(sn.batch_order(10, 4, shuffle=False))
    assert [b.tolist() for b in epoch] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_batch_order_shuffles_each_epoch_reproducibly_and_covers_every_row():
    a, b = sn.batch_order(11, 3, seed=5), sn.batch_order(11, 3, seed=5)
    first, second = next(a), next(a)
    assert [x.tolist() for x in first] == [x.tolist() for x in next(b)]
    for epoch in (first, second):
        assert sorted(np.concatenate(epoch).tolist()) == list(range(11))
        assert [len(x) for x in epoch] == [3, 3, 3, 2]
    assert np.concatenate(first).tolist() != np.concatenate(second).tolist()
    assert np.concatenate(first).tolist() != list(range(11))


@pytest.mark.parametrize("shuffle", [False, True])
def test_fit_takes_the_steps_of_sgd_on_cost_grad(digits, shuffle):
    X, y, Xv, yv = digits
    init = sn.init_params(64, 12, 10, seed=1)
    clf = sn.NetClassifier()
    clf.fit(X, y, Xv, yv, init, batch_size=64, lr=0.2, c=1e-3, epochs=2, shuffle=shuffle, seed=3)
    params = {k: v.copy() for k, v in init.items()}
    batches = sn.batch_order(300, 64, shuffle=shuffle, seed=3)
    for _ in range(2):
        for idx in next(batches):  # 4 full batches and one of 44
            _, grads = sn.cost_grad(X[idx], y[idx], params, 1e-3)
            params = {k: params[k] - 0.2 * grads[k] for k in params}
    for key in sn.PARAM_KEYS:
        assert_close(key, clf.final_params[key], params[key], np.float64)


def test_fit_keeps_best_and_final_params_and_a_full_history(digits):
    X, y, Xv, yv = digits
    init = sn.init_params(64, 16, 10, seed=2)
    before = {k: v.copy() for k, v in init.items()}
    clf = sn.NetClassifier()
    history = clf.fit(X, y, Xv, yv, init, batch_size=32, lr=0.5, c=1e-4, epochs=6, seed=0)
    for key in sn.PARAM_KEYS:
        np.testing.assert_array_equal(init[key], before[key], err_msg=f"init_params['{key}'] was modified")
    assert history is clf.history and set(history) == set(HISTORY_KEYS)
    assert all(len(history[key]) == 6 for key in HISTORY_KEYS)
    best = int(np.argmax(history["val_acc"]))  # first best epoch
    assert clf.best_epoch == best
    assert clf.score(Xv, yv) == history["val_acc"][best]
    assert sn.score(Xv, yv, clf.final_params) == history["val_acc"][-1]
    # the losses are the full cost, penalty included, after each epoch
    assert history["train_loss"][-1] == pytest.approx(sn.cost(X, y, clf.final_params, 1e-4), rel=1e-12)
    assert history["val_loss"][-1] == pytest.approx(sn.cost(Xv, yv, clf.final_params, 1e-4), rel=1e-12)
    assert history["train_acc"][-1] == sn.score(X, y, clf.final_params)
    assert history["train_loss"][-1] < history["train_loss"][0]
    if best != 5:
        assert any(not np.array_equal(clf.params[k], clf.final_params[k]) for k in sn.PARAM_KEYS)


def test_fit_rejects_bad_hyper_parameters(digits):
    X, y, Xv, yv = digits
    init = sn.init_params(64, 4, 10, seed=0)
    for kwargs, message in [
        ({"lr": 0.0}, "lr must be a finite number > 0; got 0.0"),
        ({"batch_size": 0}, "batch_size must be an integer >= 1; got 0"),
        ({"epochs": 0}, "epochs must be an integer >= 1; got 0"),
        ({"c": -1.0}, r"c \(weight decay\) must be a finite number >= 0; got -1.0"),
    ]:
        with pytest.raises(ValueError, match=message):
            sn.NetClassifier().fit(X, y, Xv, yv, init, **kwargs)
    with pytest.raises(ValueError, match=r"X has 300 rows but y has 299 labels"):
        sn.NetClassifier().fit(X, y[:-1], Xv, yv, init)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_torch_classifier_follows_the_same_path(digits, dtype):
    X, y, Xv, yv = digits
    init = sn.init_params(64, 16, 10, seed=4, dtype=dtype)
    np_clf, t_clf = sn.NetClassifier(), tr.TorchClassifier()
    kwargs = dict(batch_size=32, lr=0.1, c=1e-4, epochs=3, seed=7)
    np_clf.fit(X, y, Xv, yv, init, **kwargs)
    t_clf.fit(X, y, Xv, yv, init, **kwargs)
    for key in HISTORY_KEYS:
        assert_close(key, np_clf.history[key], t_clf.history[key], dtype)
    for key in sn.PARAM_KEYS:
        assert t_clf.final_params[key].dtype == dtype
        assert_close(key, np_clf.final_params[key], t_clf.final_params[key], dtype)
    assert np_clf.best_epoch == t_clf.best_epoch
    np.testing.assert_array_equal(np_clf.predict(Xv), t_clf.predict(Xv))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_lockstep_stays_within_tolerance_over_several_epochs(digits, dtype):
    X, y, Xv, yv = digits
    init = sn.init_params(64, 32, 10, seed=0, dtype=dtype)
    result = tr.lockstep(X, y, Xv, yv, init, sn.TrainConfig(batch_size=16, epochs=5, seed=0))
    assert len(result.divergence) == 5 * 19 == len(result.scratch_cost) == len(result.torch_cost)
    assert result.passed, result.first_crossing()
    assert 0 < result.max_divergence <= sn.tolerance(dtype)
    assert_close("batch costs", result.scratch_cost, result.torch_cost, dtype)


class DecayOffByTwo(NumpyTrainer):
    """The c*W slip: the step decays the weights by lr*c*W instead of lr*2c*W."""

    def step(self, idx, with_cost=True):
        cost = super().step(idx, with_cost)
        params = self.current_params()
        self.set_params({**params, **{key: params[key] + self.lr * self.c * params[key] for key in sn.DECAYED_KEYS}})
        return cost


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_lockstep_fails_at_the_first_step_of_a_wrong_trainer(digits, dtype):
    X, y, Xv, yv = digits
    init = sn.init_params(64, 32, 10, seed=0, dtype=dtype)
    config = sn.TrainConfig(epochs=1, seed=0)  # lr 0.1, c 1e-4: the slip is 1e-5 of W per step
    result = tr.lockstep(X, y, Xv, yv, init, config, scratch_trainer=DecayOffByTwo)
    crossing = result.first_crossing()
    assert crossing is not None and crossing["step"] == 0 and crossing["param"] in sn.DECAYED_KEYS
    assert not result.ties


def test_relu_tie_is_recognised_only_within_rounding():
    params = {"W1": np.array([[1.0, 1.0]]), "b1": np.array([[-1.0, -3.0]]),
              "W2": np.ones((2, 2)), "b2": np.zeros((1, 2))}  # fmt: skip
    X = np.array([[1.0], [2.0]])  # first unit: z = 1 - 1 = 0 exactly on the NumPy side
    Xt = torch.from_numpy(X)
    # the torch side sees that pre-activation one ulp above zero: a rounding tie
    nudged = {**params, "b1": np.array([[np.nextafter(-1.0, 0.0), -3.0]])}
    tie = tr.training.relu_tie(X, Xt, params, nudged, tol=1e-14)
    assert tie == {"flipped": 1, "max_abs_z": pytest.approx(1.1e-16, rel=0.01)}
    # a decision that differs at a clearly non-zero pre-activation is not a tie
    far = {**params, "b1": np.array([[-0.5, -3.0]])}
    assert tr.training.relu_tie(X, Xt, params, far, tol=1e-14) is None
    assert tr.training.relu_tie(X, Xt, params, params, tol=1e-14) is None


def test_lockstep_excuses_and_resyncs_a_relu_tie(digits, monkeypatch):
    X, y, Xv, yv = digits
    init = sn.init_params(64, 8, 10, seed=0)
    calls = []

    def fake_tie(*args):  # pretend step 3 had a ReLU tie
        calls.append(1)
        return {"flipped": 1, "max_abs_z": 0.0} if len(calls) == 1 else None

    class JumpsOnce(NumpyTrainer):
        steps = 0

        def step(self, idx, with_cost=True):
            cost = super().step(idx, with_cost)
            JumpsOnce.steps += 1
            if JumpsOnce.steps == 4:
                params = self.current_params()
                self.set_params({**params, "b1": params["b1"] + 1e-3})
            return cost

    monkeypatch.setattr(tr.training, "relu_tie", fake_tie)
    result = tr.lockstep(X, y, Xv, yv, init, sn.TrainConfig(epochs=1, seed=0), scratch_trainer=JumpsOnce)
    assert [t["step"] for t in result.ties] == [3]
    assert result.divergence[3] > 1e-6 and result.divergence[4] < 1e-13  # re-synced
    assert result.passed and result.max_divergence < 1e-13


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_cuda_lockstep_parity(digits, dtype):
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    X, y, Xv, yv = digits
    init = sn.init_params(64, 32, 10, seed=0, dtype=dtype)
    result = tr.lockstep(X, y, Xv, yv, init, sn.TrainConfig(epochs=3, seed=0), device="cuda")
    assert result.passed, result.first_crossing()


def test_cuda_unavailable_is_a_value_error():
    if torch.cuda.is_available():
        assert tr.check_device("cuda").type == "cuda"
    else:
        with pytest.raises(ValueError, match="CUDA is not available"):
            tr.check_device("cuda")
    with pytest.raises(ValueError, match="device must be 'cpu' or 'cuda'"):
        tr.check_device("tpu")


@pytest.mark.parametrize("lr", [float("nan"), float("inf"), "0.1", True, -1.0])
def test_train_config_refuses_an_lr_that_is_not_a_finite_positive_number(lr):
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        sn.TrainConfig(lr=lr)


@pytest.mark.parametrize("n, batch, message", [(0, 2, "n must be"), (3, 0, "batch_size must be")])
def test_batch_order_names_the_bad_argument(n, batch, message):
    with pytest.raises(ValueError, match=message + r" an integer >= 1; got 0"):
        next(sn.batch_order(n, batch))


class ScriptedTrainer:
    """A trainer whose validation accuracy follows a script, one value per epoch."""

    def __init__(self, val_accs):
        self.val_accs, self.epoch = list(val_accs), -1
        self.params = {"W1": np.zeros((1, 1))}

    def step(self, idx, with_cost=True):
        return 0.0

    def evaluate(self, split):
        if split == "train":
            self.epoch += 1
        self.params["W1"][0, 0] = self.epoch  # the parameters say which epoch they are from
        return 0.0, self.val_accs[self.epoch] if split == "val" else 0.5

    def current_params(self):
        return self.params


@pytest.mark.parametrize(
    "val_accs, best",
    [([0.5, 0.5, 0.4], 0), ([0.9, 0.5], 0), ([0.3, 0.6, 0.6], 1), ([0.1, 0.2, 0.3], 2)],
)
def test_best_epoch_is_the_first_with_the_best_validation_accuracy(val_accs, best):
    (record,) = sn.run_epochs([ScriptedTrainer(val_accs)], 4, sn.TrainConfig(batch_size=2, epochs=len(val_accs)))
    assert record.best_epoch == best
    assert record.best_params["W1"][0, 0] == best  # a copy taken at that epoch, not a view


def test_run_epochs_tells_the_callback_each_step_epoch_and_batch():
    seen = []
    sn.run_epochs(
        [ScriptedTrainer([0.1, 0.2])], 5, sn.TrainConfig(batch_size=2, epochs=2, shuffle=False),
        lambda step, epoch, idx, costs: seen.append((step, epoch, idx.tolist(), list(costs))),
    )  # fmt: skip
    assert seen == [
        (0, 0, [0, 1], [0.0]), (1, 0, [2, 3], [0.0]), (2, 0, [4], [0.0]),
        (3, 1, [0, 1], [0.0]), (4, 1, [2, 3], [0.0]), (5, 1, [4], [0.0]),
    ]  # fmt: skip


class RecordsWithCost(ScriptedTrainer):
    def __init__(self):
        super().__init__([0.5])
        self.asked = []

    def step(self, idx, with_cost=True):
        self.asked.append(with_cost)
        return 0.0


def test_the_loop_asks_for_batch_costs_only_when_a_callback_reads_them():
    quiet, watched = RecordsWithCost(), RecordsWithCost()
    config = sn.TrainConfig(batch_size=2, epochs=1)
    sn.run_epochs([quiet], 4, config)
    sn.run_epochs([watched], 4, config, after_step=lambda *args: None)
    assert quiet.asked == [False, False] and watched.asked == [True, True]
