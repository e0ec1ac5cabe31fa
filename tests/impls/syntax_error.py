"""Cannot run: a syntax error."""

def cost_grad(X, y, params, c=0.0)
    return None
