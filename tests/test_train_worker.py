"""The training worker's protocol, run in this process: what it records of a fit, and how the judgement reads it.

In a check the worker is a copy run by path inside the sandbox, where coverage cannot follow; here its main()
runs on the fixtures directly (as tests/test_worker.py does for the cost_grad worker).
"""

import sys
from pathlib import Path

import numpy as np
import pytest

from impl_check import train_worker
from impl_check.result import FAIL, PASS
from impl_check.sandbox import AUTOGRAD_PACKAGES, PROJECT_PACKAGES, read_report
from impl_check.training import judge, make_problem, problem_file

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "tests" / "train_impls"
IMPLS = ROOT / "tests" / "impls"


@pytest.fixture
def run(tmp_path, monkeypatch):
    """train_worker.main on a file: its status and arrays; sys.path, sys.meta_path and NumPy's global generator
    restored afterwards."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    state = np.random.get_state()

    def go(path):
        out = tmp_path / path.stem
        out.mkdir()
        banned = ",".join((*AUTOGRAD_PACKAGES, *PROJECT_PACKAGES))
        assert train_worker.main([str(path), str(problem_file()), str(out), "auto", banned]) == 0
        return read_report(out)

    yield go
    np.random.set_state(state)


@pytest.mark.parametrize(
    "name, wrapped, via",
    [
        ("correct_for_range", ["NetClassifier.cost_grad (staticmethod)"], "NetClassifier.cost_grad"),
        ("correct_module_cost_grad", ["module-level cost_grad"], "cost_grad"),
        ("correct_instance_method", ["NetClassifier.cost_grad"], "NetClassifier.cost_grad"),
    ],
)
def test_every_call_is_recorded_however_fit_calls_cost_grad(run, name, wrapped, via):
    status, arrays = run(TRAIN / f"{name}.py")
    assert status["stage"] == "done" and status["wrapped"] == wrapped
    calls = status["calls"]
    assert calls and {c["via"] for c in calls} == {via} and all(c["split"] in ("train", "val") for c in calls)
    p = make_problem()
    assert all(
        c["c"] == p.c for c in calls if c["split"] == "train" and len(c["rows"]) < p.n
    )  # the steps' calls (not the evaluations)
    assert {"k0_W1", "g0_W1", "g0_cost", "final_W1"} <= set(arrays)
    assert judge(make_problem(), status, arrays).verdict == PASS


def test_a_classmethod_cost_grad_keeps_its_kind(run, tmp_path):
    source = (TRAIN / "correct_for_range.py").read_text()
    source = source.replace(
        "    @staticmethod\n    def cost_grad(X, y,", "    @classmethod\n    def cost_grad(cls, X, y,"
    )
    path = tmp_path / "classmethod_net.py"
    path.write_text(source)
    status, arrays = run(path)
    assert status["wrapped"] == ["NetClassifier.cost_grad (classmethod)"]
    assert judge(make_problem(), status, arrays).verdict == PASS


def test_a_crash_is_recorded_with_the_calls_before_it(run):
    status, arrays = run(TRAIN / "crash_append_none.py")
    exc = status["exception"]
    assert "TypeError" in exc["message"] and exc["calls_before"] == len(status["calls"]) > 0
    assert not exc["in_cost_grad"] and not exc["in_init"]
    assert judge(make_problem(), status, arrays).diagnoses[0].code == "fit-crash"


def test_cs231n_train_records_loss_calls_with_labels_only(run):
    status, arrays = run(TRAIN / "cs231n_correct_train.py")
    assert (status["fit"], status["interface"], status["wrapped"]) == (
        "TwoLayerNet.train",
        "cs231n",
        ["TwoLayerNet.loss"],
    )
    p = make_problem()
    assert len(status["calls"]) == p.num_iters  # predict's calls (no labels) are not steps
    assert all(len(c["rows"]) == p.batch_size and max(c["rows"]) < p.cs_n for c in status["calls"])
    assert judge(p, status, arrays).verdict == PASS


def test_a_file_without_a_training_method_is_left_alone(run):
    status, _ = run(IMPLS / "correct_vectorised.py")
    assert (status["stage"], status["fit"], status["error"]) == ("done", None, None)


def test_an_import_error_is_left_to_the_cost_grad_check(run):
    status, _ = run(IMPLS / "cs231n_import_error.py")
    assert status["error"]["code"] == "import-error" and status["fit"] is None


def test_calls_past_the_cap_are_counted_not_recorded(run, monkeypatch):
    monkeypatch.setattr(train_worker, "MAX_CALLS", 7)
    status, arrays = run(TRAIN / "correct_for_range.py")
    assert len(status["calls"]) == 7 < status["total_calls"]
    result = judge(make_problem(), status, arrays)
    assert "calls-capped" in [n.code for n in result.notes]
    assert result.verdict == FAIL  # 7 calls are not 6 epochs: what was followed is judged, and fails


# ---- variants of the fixtures: one change each, as a student would make it ---------------------------------


def variant(tmp_path, fixture, *changes):
    """A fixture with each (old, new) change made (each must apply), written into tmp_path."""
    source = (TRAIN / f"{fixture}.py").read_text()
    for old, new in changes:
        assert old in source, old
        source = source.replace(old, new)
    path = tmp_path / f"{fixture}_variant.py"
    path.write_text(source)
    return path


def judged(run, path):
    status, arrays = run(path)
    return judge(make_problem(), status, arrays)


def codes(result):
    return [f.code for f in result.diagnoses + result.warnings]


def test_a_loop_in_float32_passes(run, tmp_path):
    path = variant(
        tmp_path,
        "correct_for_range",
        ("params = {k: v.copy() for k, v in init_params.items()}",
         "params = {k: v.astype(np.float32) for k, v in init_params.items()}\n        X_train = X_train.astype(np.float32)"),
    )  # fmt: skip
    assert judged(run, path).level == "PASS"


def test_biases_never_updated_is_a_step_that_is_not_sgd(run, tmp_path):
    path = variant(tmp_path, "correct_for_range", ('                params["b1"] -= lr * grad["d_b1"]\n', ""),
                   ('                params["b2"] -= lr * grad["d_b2"]\n', ""))  # fmt: skip
    r = judged(run, path)
    assert codes(r) == ["update-other"]
    assert "b1 (relative difference 1, not updated)" in r.diagnoses[0].message


def test_parameters_in_another_order_are_named(run, tmp_path):
    path = variant(
        tmp_path,
        "correct_for_range",
        ("batch_size=32, lr=0.1, c=1e-4, epochs=30)", "epochs=30, lr=0.1, c=1e-4, batch_size=32)"),
    )
    r = judged(run, path)
    assert "fit-signature" in codes(r)
    assert "epochs received batch_size, batch_size received epochs" in r.warnings[0].message


def test_a_skipped_first_batch_leaves_rows_unused(run, tmp_path):
    p = make_problem()
    path = variant(
        tmp_path,
        "correct_for_range",
        ("for i in range(0, n, batch_size):", "for i in range(batch_size, n, batch_size):"),
    )
    r = judged(run, path)
    assert "rows-unused" in codes(r)
    assert f"epoch 1 trains on {p.n - p.batch_size} of {p.n} rows" in r.diagnoses[0].message


def test_a_running_mean_over_all_steps_is_named(run, tmp_path):
    path = variant(
        tmp_path,
        "history_running_mean",
        ("        for epoch in range(epochs):\n            running_loss, n_seen = 0.0, 0\n",
         "        running_loss, n_seen = 0.0, 0\n        for epoch in range(epochs):\n"),
    )  # fmt: skip
    assert codes(judged(run, path)) == ["history-running-mean"]


def test_no_history_and_no_params_are_named(run, tmp_path):
    path = variant(tmp_path, "correct_for_range", ("        self.params = best_params\n", ""),
                   ("        return hist\n", "        return [hist]\n"), ("        self.history = hist\n", ""))  # fmt: skip
    r = judged(run, path)
    assert codes(r) == ["history-missing", "params-missing"]
    assert "fit returns a list and self.history is None" in r.diagnoses[0].message


def test_a_fit_that_does_not_end_is_an_error(tmp_path):
    from impl_check.checker import Options
    from impl_check.sandbox import Limits
    from impl_check.training import check_training

    path = variant(tmp_path, "correct_for_range", ("        for epoch in range(epochs):", "        while True:"))
    r = check_training(path, Options(limits=Limits(timeout=1.5)))
    assert r is not None and r.level == "ERROR" and r.error.code == "training-timeout"


CS231N_VARIANTS = {  # change -> (code, text of its message)
    "sign": (("self.params['W1'] -= learning_rate", "self.params['W1'] += learning_rate"),
             ("self.params['b1'] -= learning_rate", "self.params['b1'] += learning_rate"),
             ("self.params['W2'] -= learning_rate", "self.params['W2'] += learning_rate"),
             ("self.params['b2'] -= learning_rate", "self.params['b2'] += learning_rate")),
    "decay_every_step": (("            loss_history.append(loss)\n",
                          "            loss_history.append(loss)\n            learning_rate *= learning_rate_decay\n"),
                         ("                learning_rate *= learning_rate_decay\n", "")),
    "loss_history_doubled": (("loss_history.append(loss)", "loss_history.append(2 * loss)"),),
    "batch_of_7": (("np.random.choice(num_train, batch_size)", "np.random.choice(num_train, 7)"),),
    "iterations_hard_coded": (("for it in range(num_iters):", "for it in range(10):"),),
    "crash": (("loss_history.append(loss)", "loss_history.append(loss[0])"),),
    "restores_first_epoch": (("                val_acc_history.append(val_acc)\n",
                              "                val_acc_history.append(val_acc)\n                if it == 0:\n"
                              "                    first = {k: v.copy() for k, v in self.params.items()}\n"),
                             ("        return {\n            'loss_history'",
                              "        self.params = first\n        return {\n            'loss_history'")),
}  # fmt: skip
CS231N_EXPECTED = {
    "sign": ("wrong-sign", "adds learning_rate·grads"),
    "decay_every_step": ("lr-schedule", "changes at iterations (0-based) 1, 2, 3"),
    "loss_history_doubled": ("history-wrong", "entries differ"),
    "batch_of_7": ("batch-size-ignored", "minibatches have 7 rows where batch_size=5"),
    "iterations_hard_coded": ("epochs-ignored", "train takes 10 steps where num_iters=14"),
    "crash": ("fit-crash", "at or after iteration 1"),
    "restores_first_epoch": ("params-other", "self.params after train is not the parameters after its last iteration"),
}


@pytest.mark.parametrize("name", sorted(CS231N_VARIANTS))
def test_cs231n_mistakes_are_named(run, tmp_path, name):
    code, text = CS231N_EXPECTED[name]
    r = judged(run, variant(tmp_path, "cs231n_correct_train", *CS231N_VARIANTS[name]))
    assert code in codes(r)
    assert text in next(f.message for f in r.diagnoses if f.code == code)


def test_a_crash_inside_cost_grad_says_so(run, tmp_path):
    path = variant(tmp_path, "correct_for_range", ("n, k = X.shape[0], W2.shape[1]", "n, k = X.shape[0], W2.shape[2]"))
    r = judged(run, path)
    assert codes(r) == ["fit-crash"]
    assert "IndexError" in r.diagnoses[0].message and "inside cost_grad" in r.diagnoses[0].message


def test_a_curve_copied_from_another_is_wrong_at_its_first_epoch(run, tmp_path):
    path = variant(
        tmp_path, "correct_for_range", ('hist["train_acc"].append(tr_acc)', 'hist["train_acc"].append(va_acc)')
    )
    r = judged(run, path)
    assert "history-wrong" in codes(r)
    assert next(f.message for f in r.diagnoses if f.code == "history-wrong").startswith("train_acc[0] is ")


def test_a_cost_grad_taking_star_args_is_followed(run, tmp_path):
    path = variant(tmp_path, "correct_for_range",
                   ("    def cost_grad(X, y, params, c=0.0):\n", "    def cost_grad(*args):\n        X, y, params, c = args\n"))  # fmt: skip
    assert judged(run, path).level == "PASS"


def test_rows_transformed_inside_fit_are_said_to_be_unfollowable(run, tmp_path):
    path = variant(
        tmp_path,
        "correct_for_range",
        ("        n = X_train.shape[0]\n",
         "        n = X_train.shape[0]\n        X_train = (X_train - X_train.mean(axis=0)) / X_train.std(axis=0)\n"),
    )  # fmt: skip
    r = judged(run, path)
    assert codes(r) == ["not-followed"]
    assert "on rows that are not rows of X_train as given" in r.diagnoses[0].message


def test_best_references_are_the_dicts_given_to_cost_grad_kept_without_a_copy(tmp_path):
    """The source half of best-params-reference: a bare reference or a shallow copy of a dict that fit hands to
    cost_grad, with its line; a best accuracy, or a deep copy, is not one."""
    path = tmp_path / "net.py"
    path.write_text(
        "import copy\n"
        "class NetClassifier:\n"
        "    def fit(self, X, y, Xv, yv, init_params, batch_size, lr, c, epochs):\n"
        "        w = dict(init_params)\n"
        "        best_acc = 0\n"
        "        _, g = self.cost_grad(X, y, w, c)\n"
        "        best_acc = g\n"
        "        best_w = w\n"
        "        self.best = dict(w)\n"
        "        best_deep = copy.deepcopy(w)\n"
        "        best_other = init_params\n"
    )
    module = train_worker.W.load_module(str(path))
    found = train_worker.best_references(module.NetClassifier.fit, str(path))
    assert [(r["line"], r["text"], r["of"], r["shallow"]) for r in found] == [
        (8, "best_w = w", "w", False),
        (9, "self.best = dict(w)", "w", True),
    ]


@pytest.mark.parametrize("floats", [train_worker.NEAREST_FLOATS, 50])  # all rows at once; a few rows at a time
def test_rounded_rows_are_matched_a_few_at_a_time_with_the_same_answer(monkeypatch, floats):
    # matching float32-rounded rows compares (rows given × rows of the set × d) floats: on a real data set that
    # is gigabytes at once, so it goes in chunks, which must not change what is found
    monkeypatch.setattr(train_worker, "NEAREST_FLOATS", floats)
    rng = np.random.default_rng(0)
    problem = {"X_train": rng.normal(size=(40, 6)), "X_val": rng.normal(size=(9, 6))}
    recorder = train_worker.Recorder(problem, "x.py")
    order = [7, 3, 39, 0, 22, 22, 15]
    assert recorder.identify(problem["X_train"][order].astype(np.float32)) == ("train", order)
    assert recorder.identify(problem["X_val"][[8, 1]].astype(np.float32)) == ("val", [8, 1])
    moved = problem["X_train"][order].astype(np.float32)
    moved[-1] += 0.5  # the last row matches no row: neither set
    assert recorder.identify(moved) == ("unknown", [])
