"""Scores scikit-learn's HistGradientBoostingClassifier and LightGBM on the folds Rapport
used (one fold number per data row) and prints AUCs, the training-time ratio and scoring
throughput next to Rapport's figures (from `rapport score backtest --json` and the
`score_throughput` example). Everything runs on one thread, and times are CPU seconds of
that thread, so a busy machine slows nobody's figure."""

import argparse
import json
import time
import warnings

import lightgbm
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split


def load(path):
    frame = pd.read_csv(path, sep=None, engine="python")
    labels = (frame.pop("y").astype(str).str.lower() == "yes").to_numpy()
    frame = frame.drop(columns=["duration"])
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype("category")
    return frame, labels


def fit_hgb(x, y, seed):
    # Defaults: early stopping is on for more than 10,000 rows (10% validation, 10 rounds).
    model = HistGradientBoostingClassifier(
        categorical_features="from_dtype", early_stopping=True, random_state=seed
    )
    return model.fit(x, y)


def fit_lightgbm(x, y, seed):
    # Defaults, plus early stopping like scikit-learn's: 10% stratified validation, patience 20.
    fit_x, valid_x, fit_y, valid_y = train_test_split(x, y, test_size=0.1, stratify=y, random_state=seed)
    model = lightgbm.LGBMClassifier(n_estimators=1000, num_threads=1, random_state=seed, verbose=-1)
    model.fit(
        fit_x, fit_y, eval_set=[(valid_x, valid_y)], callbacks=[lightgbm.early_stopping(20, verbose=False)]
    )
    return model


def cross_validate(fit, x, y, folds, seed=42):
    aucs, seconds = [], 0.0
    for fold in sorted(set(folds)):
        train, test = folds != fold, folds == fold
        started = time.thread_time()
        model = fit(x[train], y[train], seed)
        seconds += time.thread_time() - started
        aucs.append(roc_auc_score(y[test], model.predict_proba(x[test])[:, 1]))
    return float(np.mean(aucs)), float(np.std(aucs, ddof=1)), seconds, model


def throughput(model, x):
    rows, started = 0, time.thread_time()
    while rows < 1_000_000 or time.thread_time() - started < 1.0:
        model.predict_proba(x)
        rows += len(x)
    return rows / (time.thread_time() - started)


def main():
    # LightGBM's `eval_set` is deprecated in newer releases but still the portable spelling.
    warnings.filterwarnings("ignore", module="lightgbm")
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", required=True)
    parser.add_argument("--folds", required=True)
    parser.add_argument("--rapport", required=True)
    parser.add_argument("--throughput", required=True)
    args = parser.parse_args()
    x, y = load(args.csv)
    folds = np.loadtxt(args.folds, dtype=int)
    assert len(folds) == len(y), "one fold per data row"
    rapport = json.load(open(args.rapport))
    timings = json.load(open(args.throughput))
    rapport_speed = timings["rows_per_cpu_second"]
    rapport_seconds = timings["training_cpu_seconds"]
    # The timing run retrains on the same folds with the same seed: the same models.
    assert abs(timings["auc"] - rapport["auc"]) < 1e-6, (timings["auc"], rapport["auc"])
    hgb_auc, hgb_std, hgb_seconds, hgb = cross_validate(fit_hgb, x, y, folds)
    lgb_auc, lgb_std, lgb_seconds, lgb = cross_validate(fit_lightgbm, x, y, folds)
    best = max(hgb_auc, lgb_auc)
    print(f"\n{args.csv}: {len(y)} rows, {int(y.sum())} positive, {len(set(folds))} folds (the same for all)")
    print(f"{'':28}{'AUC':>8}{'± std':>8}{'train CPU s':>12}{'score rows/s/core':>20}")
    print(f"{'Rapport':28}{rapport['auc']:8.4f}{rapport['auc_std']:8.4f}{rapport_seconds:12.2f}{rapport_speed:20,.0f}")
    print(f"{'scikit-learn HGB':28}{hgb_auc:8.4f}{hgb_std:8.4f}{hgb_seconds:12.2f}{throughput(hgb, x):20,.0f}")
    print(f"{'LightGBM':28}{lgb_auc:8.4f}{lgb_std:8.4f}{lgb_seconds:12.2f}{throughput(lgb, x):20,.0f}")
    gap = rapport["auc"] - best
    print(f"AUC Rapport − best: {gap:+.4f} (target ≥ −0.005: {'met' if gap >= -0.005 else 'NOT met'})")
    ratio = rapport_seconds / lgb_seconds
    print(f"training time Rapport / LightGBM: {ratio:.2f} (target ≤ 1: {'met' if ratio <= 1 else 'NOT met'})")
    print(f"scoring Rapport: {rapport_speed:,.0f} rows/s/core (target ≥ 1,000,000: {'met' if rapport_speed >= 1e6 else 'NOT met'})")


if __name__ == "__main__":
    main()
