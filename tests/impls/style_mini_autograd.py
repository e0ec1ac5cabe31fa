"""Correct: a tiny hand-rolled reverse-mode tape (micrograd-like nodes on arrays), gradients from one backward() call."""

import numpy as np


class Node:
    """An array value in the graph, with the local rule to push its gradient to its parents."""

    def __init__(self, value, parents=(), backward_rule=None):
        self.value = value
        self.grad = np.zeros_like(value, dtype=np.float64)
        self.parents = parents
        self.backward_rule = backward_rule

    def __matmul__(self, other):
        out = Node(self.value @ other.value, (self, other))

        def rule():
            self.grad = self.grad + out.grad @ other.value.T
            other.grad = other.grad + self.value.T @ out.grad

        out.backward_rule = rule
        return out

    def __add__(self, other):
        # other may be a (1, m) row broadcast over the batch: its gradient sums over the rows
        out = Node(self.value + other.value, (self, other))

        def rule():
            self.grad = self.grad + _unbroadcast(out.grad, self.value.shape)
            other.grad = other.grad + _unbroadcast(out.grad, other.value.shape)

        out.backward_rule = rule
        return out

    def relu(self):
        out = Node(np.maximum(self.value, 0.0), (self,))

        def rule():
            self.grad = self.grad + out.grad * (self.value > 0)

        out.backward_rule = rule
        return out

    def sum_of_squares(self):
        out = Node(np.array(np.sum(self.value * self.value)), (self,))

        def rule():
            self.grad = self.grad + 2.0 * out.grad * self.value

        out.backward_rule = rule
        return out

    def scale(self, s):
        out = Node(s * self.value, (self,))

        def rule():
            self.grad = self.grad + s * out.grad

        out.backward_rule = rule
        return out

    def cross_entropy(self, labels):
        """Mean over the rows of -log softmax(row)[label], via a max-shifted log-softmax."""
        z = self.value
        n = z.shape[0]
        shifted = z - z.max(axis=1, keepdims=True)
        log_sm = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        out = Node(np.array(-log_sm[np.arange(n), labels].mean()), (self,))

        def rule():
            local = np.exp(log_sm)
            local[np.arange(n), labels] -= 1.0
            self.grad = self.grad + out.grad * local / n

        out.backward_rule = rule
        return out

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for parent in node.parents:
                    visit(parent)
                order.append(node)

        visit(self)
        self.grad = np.ones_like(self.value, dtype=np.float64)
        for node in reversed(order):
            if node.backward_rule is not None:
                node.backward_rule()


def _unbroadcast(g, shape):
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        leaves = {name: Node(np.array(params[name], dtype=np.float64)) for name in ("W1", "b1", "W2", "b2")}
        x = Node(np.array(X, dtype=np.float64))

        hidden = (x @ leaves["W1"] + leaves["b1"]).relu()
        logits = hidden @ leaves["W2"] + leaves["b2"]
        data_loss = logits.cross_entropy(y)
        penalty = (leaves["W1"].sum_of_squares() + leaves["W2"].sum_of_squares()).scale(c)
        total = data_loss + penalty

        total.backward()
        return float(total.value), {
            "d_w1": leaves["W1"].grad,
            "d_b1": leaves["b1"].grad,
            "d_w2": leaves["W2"].grad,
            "d_b2": leaves["b2"].grad,
        }
