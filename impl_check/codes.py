"""Every code a check can give, with one short line each: the legend under the summary table.

A finding's own message says what was found in that file; these lines say what the code is about, for a
reader of a table that shows only codes.  A test collects every code the package can produce (the
catalogue's, and each ``Finding("...")`` and worker status code in its sources) and requires a line here.
"""

from __future__ import annotations

LEGEND: dict[str, str] = {
    # -- the catalogue of known mistakes (impl_check/catalogue.py)
    "not-implemented": "a template left unfilled: None, zeros or a constant cost returned",
    "sum-not-mean": "the loss sums over the samples instead of taking the mean",
    "grads-not-divided-by-n": "the gradients' cross-entropy part is not divided by n (the cost is the mean)",
    "decay-cw": "the cost adds c·ΣW² but the gradients carry c·W (its gradient is 2c·W)",
    "decay-half": "the weight decay is (c/2)·ΣW² with gradient c·W, not the spec's c·ΣW² with 2c·W",
    "decay-full": "the weight decay is c·ΣW² with gradient 2c·W, where --penalty half asks for (c/2)·ΣW²",
    "decay-c-over-2n": "the weight decay is divided by n",
    "decay-grad-missing": "the gradients leave out the weight-decay term",
    "decay-missing": "c is ignored: no weight decay in the cost or the gradients",
    "decay-cost-missing": "the cost leaves out the weight-decay term",
    "decay-cost-half": "the cost's weight-decay term is (c/2)·ΣW² while the gradients carry 2c·W",
    "decay-other": "a weight decay in none of the usual conventions",
    "bias-decayed": "the biases are weight-decayed too (only W1 and W2 are)",
    "labels-shifted": "the one-hot targets put the 1 in a shifted column",
    "labels-not-one-hot": "the raw labels are used where one-hot targets belong",
    "onehot-broadcast": "the one-hot targets are built by broadcasting: a 1 in every column whose class occurs",
    "relu-derivative": "the ReLU derivative is wrong (it must be 1 where z1 > 0, else 0)",
    "activation-leaky-relu": "the hidden activation is a leaky ReLU, not ReLU",
    "activation-sigmoid": "the hidden activation is a sigmoid, not ReLU",
    "activation-tanh": "the hidden activation is tanh, not ReLU",
    "grads-scaled": "every gradient carries one constant factor (a learning rate, a sign, a stray 2)",
    "log-eps": "the cost is −log(p + eps) instead of an exact log-softmax",
    "cost-clipped": "the cost takes the log of clipped probabilities",
    "transposed": "a weight gradient is returned transposed",
    "swapped": "the gradients of the two layers are swapped",
    "shape": "a bias gradient has the right values but not the bias's shape",
    "single-precision": "the arithmetic is done in float32",
    # -- the call and the numbers (impl_check/checker.py, impl_check/engine.py)
    "returns-none": "None is returned on some problems or for some quantities",
    "exception": "the function raised an exception",
    "bad-return": "the function does not return (cost, grads) as the interface asks",
    "prints": "the function prints when called (a warning: it changes no number)",
    "import-prints": "importing the file prints (a warning)",
    "modifies-inputs": "the function changes its input arrays in place",
    "risky-default": "c (reg) has a default other than 0: called without it, the net decays its weights silently",
    "forbidden-import": "the file imports an autograd library or this project's packages",
    "nan-at-large-logits": "NaN or inf in the gradients at logits around 1e3",
    "cost-not-finite": "the cost is NaN or inf at logits around 1e3",
    "large-logits": "gradients wrong only at logits around 1e3",
    "cost-at-large-logits": "the cost wrong only at logits around 1e3",
    "layer1-backward": "d_w1 and d_b1 wrong, the rest right: the backward pass through the first layer",
    "unexplained": "a quantity is wrong in a way no known mistake explains",
    "softmax-unchecked": "the module's softmax could not be called on a 2-D array",
    "softmax-vector-only": "the module's softmax is right on one vector, wrong on a 2-D array",
    "softmax-no-max": "the module's softmax overflows: no max subtracted",
    "softmax-global-max": "the module's softmax subtracts the global max, not each row's",
    "softmax-wrong": "the module's softmax is wrong",
    # -- files that cannot be run (impl_check/checker.py, impl_check/worker.py)
    "file-not-found": "no such file",
    "import-error": "importing the file failed (a syntax error, an exception at import)",
    "missing-module": "the file imports a module the grader's environment lacks (the message says how to add it)",
    "no-cost-grad": "no cost_grad (or TwoLayerNet.loss) to check",
    "timeout": "no result within the time limit",
    "memory-cap": "the file ran out of its memory cap",
    "cpu-cap": "the file was stopped by the CPU-time cap",
    "worker-crashed": "the process running the file died before reporting",
    # -- what a student handed in (impl_check/units.py)
    "empty-folder": "the student's folder is empty",
    "no-code": "no .py, .ipynb or .zip file in the student's folder",
    "no-net": "no file defines cost_grad, NetClassifier.cost_grad or TwoLayerNet.loss",
    "misnamed": "a class or function under another name (the message suggests the intended one)",
    "notebook-unreadable": "a notebook that cannot be read",
    "archive-refused": "a .zip refused: unreadable, or a member that would land outside its folder",
    "archive-capped": "a .zip over the caps on members or size",
    "several-nets": "several files define a net: the note says which one was checked and why",
    "left-out": "files not copied for the check (links, or over the size caps)",
}
"""code -> one short line: what a finding with that code is about."""
