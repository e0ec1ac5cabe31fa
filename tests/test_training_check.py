"""The training-loop check: every fixture in tests/train_impls gets its verdict and, for a mistake, its code and
numbers.

Each fixture is a hand-written ``NetClassifier.fit`` (its docstring says what it does); the correct ones must
pass, each buggy one be named.  Every fixture's loop runs once for the whole module, with the training worker's
steps run in this process (tests/inprocess.py); four files are checked whole in the sandbox, as compare.py checks
them, and their training part must be the same from both.  The expected numbers come from the problem the
checker makes (n, batch_size, epochs, lr, c), not from the checker's messages.
"""

import json
import math
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from inprocess import in_process

import compare
from impl_check import check_impl
from impl_check.batch import junit_xml
from impl_check.checker import Options
from impl_check.report import render, summary_table, training_section
from impl_check.result import ERROR, FAIL, PASS, Finding, TrainingResult
from impl_check.training import check_training, make_problem

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "tests" / "train_impls"
P = make_problem()
N, BS, E, LR, C = P.n, P.batch_size, P.epochs, P.lr, P.c
PER = math.ceil(N / BS)  # steps per epoch by the spec

CORRECT = sorted(p.stem for p in TRAIN.glob("correct_*.py"))  # the course's NetClassifier.fit
CS231N_CORRECT = sorted(p.stem for p in TRAIN.glob("cs231n_correct_*.py"))
CS_N, ITERS, DECAY = P.cs_n, P.num_iters, P.learning_rate_decay
WARNED = {  # fixture -> the one warning its correct-but-unconventional loop gets
    "keeps_final_params": "final-params",
    "best_params_reference": "best-params-reference",  # the final parameters, as the warning above: cause named
    "best_params_shallow_copy": "best-params-reference",
    "modifies_init_params": "init-modified",
}
FAILED = {  # fixture -> (code, substrings of its message: the numbers)
    "slice_off_by_one": ("rows-short-batch", [f"each batch has {BS - 1} of {BS} rows", f"1 row in {BS}",
                                              f"positions {BS - 1}, {2 * BS - 1}, {3 * BS - 1}, …"]),
    "drops_last_batch": ("last-batch-dropped", [f"{N // BS} batches of {BS}", f"{N % BS} of the {N} rows"]),
    "no_shuffle_discarded": ("no-shuffle", [f"original order in every one of the {E} epochs"]),
    "bootstrap_fixed_seed": ("rows-resampled", [f"epoch 1 takes {N} rows"]),
    "separate_permutations": ("xy-separated", [f"of the {E * N} training rows"]),
    "no_decay_c0": ("c-not-passed", [f"where fit was given c={C:g}", f"in {E * PER} of {E * PER} calls"]),
    "lr_over_batch": ("lr-over-batch", [f"θ − {LR / BS:g}·g where the spec is θ − {LR:g}·g", f"{BS} times too slow"]),
    "lr_schedule": ("lr-schedule", [f"{LR:g} from epoch 1, {0.75 * LR:g} from epoch 6"]),
    "wrong_sign": ("wrong-sign", [f"θ ← θ + {LR:g}·g"]),
    "decay_twice": ("decay-again", ["W ← W − lr·(g + 2c·W)"]),
    "momentum": ("momentum", ["+ 0.9·(the previous step)", f"in {E * PER - 2} of the {E * PER - 1} steps followed"]),
    "stale_params": ("stale-params", [f"{PER} consecutive calls get the same parameters"]),
    "hardcoded_batch_size": ("batch-size-ignored", [f"batches have {N} rows", f"batch_size={BS} was given"]),
    "hardcoded_epochs": ("epochs-ignored", [f"fit trains for 20 epochs ({20 * PER} steps", f"epochs={E} was given"]),
    "history_last_batch": ("history-last-batch", ["train_loss holds the last batch's cost"]),
    "history_running_mean": ("history-batch-mean", ["train_loss holds the mean of the epoch's batch costs"]),
    "history_stale": ("history-stale", ["train_loss, val_loss are one epoch stale"]),
    "history_extra_entry": ("history-extra", [f"each have {E + 1} entries where epochs={E}"]),
    "history_zero_padded": ("history-padded", [f"zeros in the last {E - 4} of {E} entries", f"stopped after 4 of the {E}"]),
    "never_calls_cost_grad": ("not-followed", ["steps cannot be followed", "only its results"]),
    "hardcoded_lr": ("lr-ignored", [f"θ ← θ − 0.05·g where lr={LR:g} was given"]),
    "history_batch_max": ("history-batch-max", ["train_loss holds the largest of the epoch's batch costs"]),
    "params_stay_initial": ("params-initial", ["self.params after fit holds the initial parameters"]),
    "cs231n_no_lr_decay": ("lr-no-decay", [f"every step uses learning_rate={LR:g}", f"learning_rate_decay={DECAY:g}",
                                           f"every {CS_N // BS} iterations"]),
    "cs231n_no_reg": ("c-not-passed", ["calls loss without reg", f"train was given reg={C:g}", f"{ITERS} of {ITERS}"]),
    "lr_decay_every_10": ("lr-schedule", [f"{LR:g} from epoch 1, {0.3 * LR:g} from epoch 11"]),
    # the best validation epoch is epoch 1 (see test_final_params_names_the_best_epoch); 5 more without a better one
    "early_stop_patience5": ("epochs-ignored", ["fit trains for 6 epochs", f"epochs={E} was given",
                                                "best validation accuracy (0.333) was at epoch 1", "patience 5 stops"]),
    "params_best_train_acc": ("params-wrong-epoch", ["after epoch 11,", "best validation epoch (epoch 1)"]),
    "params_biases_by_reference": ("params-other", ["matches the parameters of no epoch"]),
    "params_kept_elsewhere": ("params-missing", ["self.params after fit is None"]),
    "history_running_mean_all": ("history-running-mean", ["train_loss holds a running mean of all batch costs"]),
    "rows_held_out": ("rows-unused", [f"epoch 1 trains on {int(0.8 * N)} of {N} rows"]),
    "grad_clipping": ("update-other", ["step 1 of epoch 1 is not θ ← θ − lr·g",
                                       f"{E * PER - 1} of {E * PER - 1} steps differ"]),
    "adam": ("adam", [f"β1=0.9, β2=0.999, ε=1e-08, step size {LR:g} = lr, with bias correction",
                      f"in all {E * PER - 1} steps followed"]),
    "rmsprop": ("rmsprop", [f"ρ=0.9, ε=1e-06, step size {LR:g} = lr", "v ← 0.9·v + 0.1·g²"]),
    "adagrad": ("adagrad", [f"ε=1e-07, step size {LR:g} = lr", "sum of all squared gradients"]),
    "nesterov": ("nesterov", [f"μ=0.9, step size {LR:g} = lr", f"in all {E * PER - 1} steps followed"]),
    "cs231n_decay_every_batch_size": ("lr-schedule", [f"iterations (0-based) {BS}, {2 * BS} (to {LR * DECAY:g}, "
                                                      f"{LR * DECAY ** 2:g})", f"every {CS_N // BS} iterations"]),
    "cs231n_loss_history_per_epoch": ("history-length", [f"loss_history has {math.ceil(ITERS / (CS_N // BS))} "
                                                          f"entries for {ITERS} iterations"]),
    "cs231n_train_acc_whole_set": ("history-wrong", ["train_acc_history[0] is ", "accuracy on the whole training set",
                                                     f"{math.ceil(ITERS / (CS_N // BS))} of "]),
}  # fmt: skip
CRASHES = {  # fixture -> (text of the line that raises, where: the step it says)
    "crash_np_zeros_index": ("= np.zeros[epochs]", "before its first call of cost_grad"),
    "crash_bias_column": ('b1 -= lr * grads["d_b1"]', "at or after step 1 of epoch 1"),
    "crash_append_none": ("self.history['train_loss'].append", f"at or after step {PER} of epoch 1"),
    "crash_val_offsets": ("self.cost_grad(X[rows], y[rows], params, c)", f"at or after step {PER} of epoch 1"),
}


@pytest.fixture(scope="module")
def results() -> dict[str, TrainingResult | None]:
    """Every fixture's training loop, checked once (in this process)."""
    options = Options(parts=("training",))
    with in_process():
        return {p.stem: check_training(p, options) for p in sorted(TRAIN.glob("*.py"))}


def test_every_fixture_is_in_a_table(results):
    tables = {*CORRECT, *CS231N_CORRECT, *WARNED, *FAILED, *CRASHES}
    assert sorted(set(results) - tables) == [], "a fixture with no expectation"


@pytest.mark.parametrize("name", CORRECT)
def test_correct_loop_passes(results, name):
    r = results[name]
    assert r is not None and r.level == "PASS", [f.message for f in (r.diagnoses + r.warnings)] if r else None
    assert (r.steps, r.epochs) == (E * PER, E)  # every step was followed, not skipped


@pytest.mark.parametrize("name", sorted(WARNED))
def test_convention_deviation_passes_with_its_warning(results, name):
    r = results[name]
    assert r is not None and r.level == "PASS with warnings"
    assert [w.code for w in r.warnings] == [WARNED[name]]


def test_final_params_names_the_best_epoch(results):
    (w,) = results["keeps_final_params"].warnings
    assert "after the last epoch" in w.message and "best validation epoch (epoch 1," in w.message


@pytest.mark.parametrize("name", ["best_params_reference", "best_params_shallow_copy"])
def test_best_params_kept_by_reference_gives_the_line_and_the_fix(results, name):
    """Named only where the source and the run agree: the line that takes the reference, and a copy to make."""
    source = (TRAIN / f"{name}.py").read_text().splitlines()
    line = next(i for i, s in enumerate(source, 1) if s.strip().startswith("best_") and "= " in s and "None" not in s
                and "acc" not in s.split("=")[0])  # fmt: skip
    (w,) = results[name].warnings
    assert f"`{source[line - 1].strip()}` (line {line} of {name}.py)" in w.message
    assert "best validation epoch (epoch 1," in w.message and "copy the arrays: {k: v.copy() for k, v in" in w.message


def test_an_early_stop_says_where_the_best_epoch_was(results):
    """history_zero_padded stops with patience 3 (its docstring): the best epoch, then 3 without a better one."""
    found = {d.code: d.message for d in results["history_zero_padded"].diagnoses}
    assert "fit trains for 4 epochs" in found["epochs-ignored"] and "patience 3 stops" in found["epochs-ignored"]


ALSO = {  # fixture -> the other diagnoses its one mistake makes true (and nothing else may be said)
    "bootstrap_fixed_seed": {"no-shuffle"},  # a fixed seed each epoch: the same order every epoch
    "hardcoded_epochs": {"history-length"},  # 20 epochs trained, so 20 entries
    "history_zero_padded": {"epochs-ignored"},  # the early stop trains 4 of 12 epochs
    "early_stop_patience5": {"history-length"},  # 6 epochs trained, so 6 entries
    # its epoch test also records the accuracies: at iterations 4 and 9, not once per epoch
    "cs231n_decay_every_batch_size": {"history-length"},
}


@pytest.mark.parametrize("name", sorted(FAILED))
def test_mistake_is_named_alone_but_for_what_it_implies(results, name):
    """No false statement beside the mistake: e.g. an extra initial entry is not called zero padding, although
    a validation accuracy of 0 ends it."""
    assert {f.code for f in results[name].diagnoses} == {FAILED[name][0], *ALSO.get(name, ())}


@pytest.mark.parametrize("name", sorted(FAILED))
def test_mistake_is_named_with_its_numbers(results, name):
    code, numbers = FAILED[name]
    r = results[name]
    assert r is not None and r.verdict == FAIL
    found = {f.code: f.message for f in r.diagnoses}
    assert code in found, found
    for text in numbers:
        assert text in found[code]


@pytest.mark.parametrize("name", sorted(CRASHES))
def test_crash_gives_its_line_and_step(results, name):
    text, where = CRASHES[name]
    source = (TRAIN / f"{name}.py").read_text().splitlines()
    line = next(i for i, s in enumerate(source, 1) if text in s)
    r = results[name]
    assert r is not None and r.verdict == FAIL
    crash = next(f for f in r.diagnoses if f.code == "fit-crash")
    assert f"(line {line} of {name}.py)" in crash.message and where in crash.message


def test_correct_loops_get_no_finding_of_another_loop(results):
    """No code of a step, row or history mistake on a correct loop: the catalogue flags nothing it should not."""
    for name in CORRECT:
        assert results[name].diagnoses == []


@pytest.mark.parametrize("name", CS231N_CORRECT)
def test_correct_cs231n_train_passes(results, name):
    r = results[name]
    assert r is not None and (r.entry, r.interface, r.level) == ("TwoLayerNet.train", "cs231n", "PASS")
    assert r.steps == ITERS  # every iteration followed
    assert r.notes == []  # the accuracy histories and self.params are judged, not only looked for


# ---- the reports -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def full() -> dict[str, object]:
    """Both parts of four files: a correct loop, a loop that drops rows, a net without fit, a correct loop around
    a wrong cost_grad."""
    paths = {
        "correct": TRAIN / "correct_for_range.py",
        "short": TRAIN / "slice_off_by_one.py",
        "no_fit": ROOT / "tests" / "impls" / "correct_vectorised.py",
        "wrong_cost": TRAIN / "correct_loop_decay_half_cost_grad.py",
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(check_impl, paths.values()))
    return dict(zip(paths, done))


@pytest.mark.parametrize("name", ["correct", "short", "wrong_cost"])
def test_the_sandbox_and_this_process_judge_the_loop_alike(results, full, name):
    sandboxed = full[name].training
    assert sandboxed is not None and sandboxed.to_dict() == results[Path(full[name].path).stem].to_dict()


def test_file_verdict_is_the_worse_part(full):
    short = full["short"]
    assert (short.verdict, short.training.verdict, short.file_verdict, short.file_level) == (PASS, FAIL, FAIL, "FAIL")
    assert full["correct"].file_level == "PASS"


def test_the_loop_is_judged_apart_from_cost_grad(full):
    r = full["wrong_cost"]  # a correct loop around a cost_grad with the (c/2)·ΣW² penalty
    assert r.verdict == FAIL and [d.code for d in r.diagnoses] == ["decay-half"]
    assert r.training.level == "PASS" and [n.code for n in r.training.notes] == ["history-penalty"]


def test_a_file_without_fit_is_unchanged(full):
    r = full["no_fit"]
    assert r.training is None and r.file_verdict == r.verdict and r.to_dict()["training"] is None
    assert "training loop" not in render(r, "net.py")


def test_json_carries_the_training_part(full):
    data = json.loads(json.dumps(full["short"].to_dict(), allow_nan=False))
    training = data["training"]
    assert (training["verdict"], training["level"], data["file_verdict"]) == ("fail", "FAIL", "fail")
    assert [d["code"] for d in training["diagnoses"]] == ["rows-short-batch"]
    assert data["verdict"] == "pass"  # the cost_grad part's


def test_text_report_has_a_training_loop_section(full):
    text = render(full["short"], "slice_off_by_one.py")
    assert "\ntraining loop: NetClassifier.fit of slice_off_by_one.py" in text
    assert "diagnosis [rows-short-batch]: each batch has 4 of 5 rows" in text
    assert text.endswith("FAIL: slice_off_by_one.py (cost_grad PASS, training loop FAIL)")


def test_junit_has_one_testcase_per_part(full):
    xml = junit_xml([full[k] for k in ("correct", "short", "no_fit")], lambda r: "")
    cases = ET.fromstring(xml.split("\n", 1)[1]).findall("testcase")
    names = [c.get("name").rsplit("/", 1)[-1] for c in cases]
    assert names == [
        "correct_for_range.py [cost_grad]",
        "correct_for_range.py [training loop]",
        "slice_off_by_one.py [cost_grad]",
        "slice_off_by_one.py [training loop]",
        "correct_vectorised.py",
    ]
    failed = [c.get("name").rsplit("/", 1)[-1] for c in cases if c.find("failure") is not None]
    assert failed == ["slice_off_by_one.py [training loop]"]
    assert cases[3].find("failure").get("type") == "rows-short-batch"


def test_summary_table_has_a_training_column(full):
    table = summary_table([full[k] for k in ("correct", "short", "no_fit")], ROOT)
    header, _, *rows = table.splitlines()
    assert "training loop" in header
    short = next(r for r in rows if "slice_off_by_one" in r)
    assert "FAIL" in short and "[rows-short-batch]" in short
    assert next(r for r in rows if "correct_vectorised" in r).rstrip().endswith("-")


def test_part_option_checks_one_part(capsys):
    path = str(TRAIN / "slice_off_by_one.py")
    assert compare.main(["check", "--impl", path, "--part", "cost_grad"]) == 0
    out = capsys.readouterr().out
    assert "training loop" not in out and "d_w1" in out
    assert compare.main(["check", "--impl", path, "--part", "training"]) == 1
    out = capsys.readouterr().out
    assert "d_w1" not in out and "diagnosis [rows-short-batch]" in out


def test_part_training_on_a_file_without_fit_cannot_be_checked():
    r = check_impl(ROOT / "tests" / "impls" / "correct_vectorised.py", options=Options(parts=("training",)))
    assert r.verdict == ERROR and r.error is not None and r.error.code == "no-fit"


@pytest.mark.parametrize("name", ["correct_for_range", "slice_off_by_one"])
def test_readme_shows_the_real_training_section(results, name):
    from impl_check.report import training_section

    readme = (ROOT / "README.md").read_text()
    shown = f"tests/train_impls/{name}.py"
    lines = training_section(results[name], shown)[1:]  # the section as the report prints it
    assert "\n".join("    " + line for line in lines) in readme


def test_a_file_without_a_training_method_starts_no_second_run(monkeypatch):
    """The cost_grad run says whether the module has fit (or TwoLayerNet.train): without one, the training
    worker is never started (it would cost a second sandboxed process per file for nothing)."""
    import impl_check.checker

    def started(*args, **kwargs):
        raise AssertionError("the training worker was started for a file without fit")

    monkeypatch.setattr(impl_check.checker, "check_training", started)
    result = check_impl(ROOT / "tests" / "impls" / "style_einsum.py")
    assert result.level == "PASS" and result.training is None


def test_a_cs231n_report_says_what_was_followed(results):
    text = "\n".join(training_section(results["cs231n_correct_train"], "net.py"))
    assert f"followed: {results['cs231n_correct_train'].calls} call(s) of loss with labels" in text


def test_a_training_part_that_could_not_run_says_why_in_its_section():
    why = Finding("training-timeout", "fit did not finish within 30 s")
    lines = training_section(TrainingResult(ERROR, entry="NetClassifier.fit", problem="p", error=why), "net.py")
    assert lines[-1] == "training loop ERROR: fit did not finish within 30 s"
