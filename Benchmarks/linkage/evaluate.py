#!/usr/bin/env python3
"""Score a clustering against the generator's true identities.

pairwise: over all within-cluster pairs. A predicted pair is a pair of rows in the same
          predicted cluster; a true pair is a pair of rows with the same true_id.
          precision = |pred & true| / |pred|, recall = |pred & true| / |true|.
cluster:  B-cubed. For each row, precision = |its predicted cluster ∩ its true cluster| /
          |its predicted cluster|, recall = the same over |its true cluster|; averaged over rows.
Also reported: the share of true clusters reproduced exactly, and, given pairs.csv, the
precision/recall/F1 of the scored links at or above 0.5 themselves (before clustering).

usage: evaluate.py truth.csv clusters.csv [pairs.csv]   (prints one JSON object)
"""
import csv, json, sys
from collections import Counter, defaultdict

def load(truth_path, clusters_path):
    truth = {}
    with open(truth_path, newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            truth[row['record_id']] = row['true_id']
    pred = {}
    with open(clusters_path, newline='', encoding='utf-8') as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            pred[row[0]] = row[1]
    for k in truth:
        pred.setdefault(k, 'singleton:' + k)
    return truth, pred

def scores(truth, pred):
    c2 = lambda n: n * (n - 1) // 2
    joint = Counter((pred[k], truth[k]) for k in truth)
    psize = Counter(pred[k] for k in truth)
    tsize = Counter(truth.values())
    tp = sum(c2(n) for n in joint.values())
    pp = sum(c2(n) for n in psize.values())
    tt = sum(c2(n) for n in tsize.values())
    P = tp / pp if pp else 1.0
    R = tp / tt if tt else 1.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    n = len(truth)
    bp = sum(joint[(pred[k], truth[k])] / psize[pred[k]] for k in truth) / n
    br = sum(joint[(pred[k], truth[k])] / tsize[truth[k]] for k in truth) / n
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0
    members_p = defaultdict(set); members_t = defaultdict(set)
    for k in truth:
        members_p[pred[k]].add(k); members_t[truth[k]].add(k)
    pset = set(frozenset(v) for v in members_p.values())
    exact = sum(1 for v in members_t.values() if frozenset(v) in pset) / len(members_t)
    return dict(pair_p=P, pair_r=R, pair_f1=F, b3_p=bp, b3_r=br, b3_f1=bf, exact=exact)

def link_scores(truth, pairs_path):
    tp = fp = 0
    with open(pairs_path, newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            if float(row['match_probability']) < 0.5:
                continue
            if truth[row['id_l']] == truth[row['id_r']]:
                tp += 1
            else:
                fp += 1
    tt = sum(n * (n - 1) // 2 for n in Counter(truth.values()).values())
    P = tp / (tp + fp) if tp + fp else 1.0
    R = tp / tt if tt else 1.0
    return dict(link_p=P, link_r=R, link_f1=2 * P * R / (P + R) if P + R else 0.0)

if __name__ == '__main__':
    truth, pred = load(sys.argv[1], sys.argv[2])
    s = scores(truth, pred)
    if len(sys.argv) > 3:
        s.update(link_scores(truth, sys.argv[3]))
    print(json.dumps({k: round(v, 4) for k, v in s.items()}))
