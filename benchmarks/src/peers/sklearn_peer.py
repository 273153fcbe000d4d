"""scikit-learn's side of `pnpm bench:peers`: one fit + predict, in its own process.

    /usr/bin/python3 sklearn_peer.py '<RunSpec as JSON>'

Reads the same rows as the JavaScript runs (the first nTrain / nTest digits of the raw MNIST IDX
files in dataDir, pixels / 255, float64 as scikit-learn prefers), fits the model of the spec
with scikit-learn's names for the same hyper-parameters, and prints one JSON line:
{ key, fitSeconds, predictSeconds, accuracy, peakRssMB } (MB = 2**20 bytes).
"""
import json
import resource
import sys
import time
import warnings

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC


def read_idx(folder, name, header_bytes):
    return np.fromfile(f"{folder}/{name}", dtype=np.uint8, offset=header_bytes)


def load(spec):
    folder, n_train, n_test = spec["dataDir"], spec["nTrain"], spec["nTest"]
    images = lambda name: read_idx(folder, name, 16).reshape(-1, 784)
    labels = lambda name: read_idx(folder, name, 8).astype(np.int64)
    X = images("train-images-idx3-ubyte")[:n_train] / 255.0
    y = labels("train-labels-idx1-ubyte")[:n_train]
    X_test = images("t10k-images-idx3-ubyte")[:n_test] / 255.0
    y_test = labels("t10k-labels-idx1-ubyte")[:n_test]
    return X, y, X_test, y_test


def create_model(family, p, seed):
    if family == "softmax":
        return LogisticRegression(C=p["C"], solver="lbfgs", max_iter=p["maxIter"], tol=p["tol"])
    if family == "mlp":
        # n_iter_no_change > epochs: run every epoch, as the other libraries do.
        return MLPClassifier(
            hidden_layer_sizes=(p["hidden"],),
            solver="adam",
            alpha=p["alpha"],
            batch_size=p["batchSize"],
            learning_rate_init=p["learningRate"],
            max_iter=p["epochs"],
            n_iter_no_change=p["epochs"] + 1,
            random_state=seed,
        )
    if family == "svm":
        return SVC(C=p["C"], gamma=p["gamma"], tol=p["tol"], cache_size=p["cacheMB"])
    if family == "forest":
        return RandomForestClassifier(
            n_estimators=p["trees"], max_features=p["maxFeatures"], n_jobs=1, random_state=seed
        )
    raise ValueError(f"scikit-learn peer has no model family {family!r}")


def main():
    spec = json.loads(sys.argv[1])
    X, y, X_test, y_test = load(spec)
    model = create_model(spec["family"], spec["params"], spec["seed"])
    warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed iteration budget is the point
    start = time.perf_counter()
    model.fit(X, y)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    predicted = model.predict(X_test)
    predict_seconds = time.perf_counter() - start
    result = {
        "key": spec["key"],
        "fitSeconds": fit_seconds,
        "predictSeconds": predict_seconds,
        "accuracy": float((predicted == y_test).mean()),
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**20,
    }
    print(json.dumps(result))


main()
