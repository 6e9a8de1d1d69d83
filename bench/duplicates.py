"""Duplicate-check benchmark: N tasks + library documents, then the labelled set and timed checks.

    python bench/duplicates.py [--records 300000] [--checks 200]
    sti bench duplicates --records 20000

A throw-away SQLite database (under a temporary STI_DATA_DIR) gets half the records as tasks
(title, objectives, content) and half as library documents (title, abstract), all from the
seeded `SyntheticText`, plus the 36 tasks of the labelled set (`bench/data/duplicates/`: the 30
sample tasks of `sti/projects/tests/data/rewordings.json` and 6 more).

Three processes, so each figure is its own: this one loads the database; a second builds the
matrix (`duplicates.rebuild()`) and reports its peak resident memory; a third is a checking
process as a web worker is: it opens the saved matrix (memory-mapped) and runs exactly what a
submission runs, `duplicates.find_similar(text, limit=10)` (the scores, top-k, the database
look-up of the matches, the highlighting), and reports its resident memory, split into
private (anonymous) pages and pages of the shared, memory-mapped matrix files.

The checks: the 62 proposals of the labelled set (36 rewordings, 14 near-misses, 12 new
topics), the 30 rewordings of rewordings.json, and `--checks` synthetic proposals. For the
labelled set it prints, for the engine as it is (with whatever query expander is
registered, `sti.core.expansion`) and for the baseline (no expansion, the old threshold
0.45): top-1 on rewordings, rewordings flagged, near-misses and new topics not flagged, AUC,
and the threshold chosen from the set (the one that maximises the mean of "rewordings
flagged" and "others not flagged"; the middle of the widest such gap). The last line is one
JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DATA = ROOT / "sti" / "projects" / "tests" / "data" / "rewordings.json"
SET = ROOT / "bench" / "data" / "duplicates" / "proposals.json"
BASELINE_THRESHOLD = 0.45


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--records", type=int, default=300_000, help="tasks + documents (default 300000)"
    )
    parser.add_argument(
        "--checks", type=int, default=200, help="synthetic proposals to check (default 200)"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    parser.add_argument("--phase", choices=["build", "check"], help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def setup(data_dir: Path, migrate: bool = True) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "sti.settings"
    os.environ["STI_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["STI_TASK_BACKEND"] = "immediate"
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def populate(records: int, seed: int, sources: list[dict]) -> tuple[dict, float]:
    from django.apps import apps
    from django.db import transaction

    from sti.core.synthetic import SyntheticText
    from sti.directory.models import Organization
    from sti.projects.models import Task

    Document = apps.get_model("library", "Document")
    started = time.perf_counter()
    host = Organization.objects.create(name="Trường Đại học Cần Thơ", kind="university")
    source_ids = {}
    with transaction.atomic():
        for item in sources:
            task = Task.objects.create(
                title=item["title"],
                objectives=item["objectives"],
                content=item["content"],
                host=host,
                status="dang_thuc_hien",
            )
            source_ids[item["key"]] = task.pk
    text = SyntheticText(seed)
    tasks_wanted, documents_wanted = records // 2 - len(sources), records - records // 2
    batch_tasks, batch_docs = [], []
    for number, (title, abstract) in enumerate(text.texts(tasks_wanted + documents_wanted)):
        if number < tasks_wanted:
            cut = len(abstract) // 3
            task = Task(
                title=title,
                objectives=abstract[:cut],
                content=abstract[cut:],
                host=host,
                status="nghiem_thu_dat",
            )
            task.refresh_folded()
            batch_tasks.append(task)
        else:
            batch_docs.append(
                Document(title=title, abstract=abstract, source_type="report", status="published")
            )
        if len(batch_tasks) >= 5000:
            Task.objects.bulk_create(batch_tasks)
            batch_tasks = []
        if len(batch_docs) >= 5000:
            Document.objects.bulk_create(batch_docs)
            batch_docs = []
    Task.objects.bulk_create(batch_tasks)
    Document.objects.bulk_create(batch_docs)
    return source_ids, time.perf_counter() - started


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def memory() -> dict:
    """This process's resident memory (MB): all of it, its private pages, the pages of
    mapped files (the shared matrix), and its peak."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in {"VmRSS", "RssAnon", "RssFile", "RssShmem", "VmHWM"}:
            found[name] = round(int(value.split()[0]) / 1024, 1)
    found["ru_maxrss"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    # Of the mapped-file pages, those of the matrix (the rest are shared libraries).
    matrix_kb, in_matrix = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5:  # a mapping's header line
            in_matrix = len(fields) >= 6 and "/similarity/" in fields[-1]
        elif in_matrix and fields[0] == "Rss:":
            matrix_kb += int(fields[1])
    found["matrix_mapped"] = round(matrix_kb / 1024, 1)
    return found


def proposal_text(item: dict) -> str:
    return "\n".join((item["title"], item["objectives"], item["content"]))


# ---------------------------------------------------------------------------
# Calibration on the labelled set
# ---------------------------------------------------------------------------
def auc(positives: list[float], negatives: list[float]) -> float:
    """Probability that a rewording scores above a non-duplicate (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def choose_threshold(positives: list[float], negatives: list[float]) -> float:
    """The cut maximising the mean of "rewordings flagged" and "others not flagged"; among
    equals, the middle of the widest gap between neighbouring scores."""
    values = sorted(set(positives) | set(negatives))
    cuts = [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] or values
    best = None
    for low, high in zip([0.0, *values], [*values, 1.0], strict=False):
        cut = (low + high) / 2
        if cut not in cuts and not (low == 0.0 or high == 1.0):
            continue
        flagged = sum(p >= cut for p in positives) / len(positives)
        passed = sum(n < cut for n in negatives) / len(negatives)
        key = ((flagged + passed) / 2, high - low)
        if best is None or key > best[0]:
            best = (key, cut)
    return round(best[1], 3)


def calibrate(duplicates, proposals: list[dict], source_ids: dict, threshold=None) -> dict:
    """Top-1, flags and AUC of the labelled set at `threshold` (chosen from the set if None)."""
    rows, timings = [], []
    for item in proposals:
        t0 = time.perf_counter()
        matches = duplicates.find_similar(proposal_text(item), limit=10)
        timings.append((time.perf_counter() - t0) * 1000)
        top = matches[0] if matches else None
        score = top.score if top else 0.0
        first = bool(
            top and top.kind == "task" and top.object_id == source_ids.get(item["source"], -1)
        )
        rows.append((item, score, first))
    positives = [score for item, score, _ in rows if item["label"] == "rewording"]
    negatives = [score for item, score, _ in rows if item["label"] != "rewording"]
    chosen = choose_threshold(positives, negatives)
    cut = chosen if threshold is None else threshold

    def share(label, test):
        group = [(item, score, first) for item, score, first in rows if item["label"] == label]
        return round(sum(test(score, first) for _item, score, first in group) / len(group), 3)

    by_level = {}
    for level in ("easy", "medium", "hard"):
        group = [r for r in rows if r[0]["label"] == "rewording" and r[0]["difficulty"] == level]
        by_level[level] = {
            "top1": round(sum(first for _i, _s, first in group) / len(group), 3),
            "flagged": round(sum(score >= cut for _i, score, _f in group) / len(group), 3),
        }
    return {
        "threshold": cut,
        "chosen_threshold": chosen,
        "top1_rewordings": share("rewording", lambda s, f: f),
        "rewordings_flagged": share("rewording", lambda s, f: s >= cut),
        "near_misses_not_flagged": share("near_miss", lambda s, f: s < cut),
        "new_not_flagged": share("new", lambda s, f: s < cut),
        "others_not_flagged": round(sum(n < cut for n in negatives) / len(negatives), 3),
        "auc": round(auc(positives, negatives), 3),
        "by_difficulty": by_level,
        "missed_top1": [
            item["id"] for item, _s, first in rows if item["label"] == "rewording" and not first
        ],
        "unflagged": [
            item["id"] for item, s, _f in rows if item["label"] == "rewording" and s < cut
        ],
        "false_flags": [
            item["id"] for item, s, _f in rows if item["label"] != "rewording" and s >= cut
        ],
        "scores": {item["id"]: round(score, 3) for item, score, _f in rows},
        "labels": {item["id"]: item["label"] for item, _s, _f in rows},
        "timings": timings,
    }


# ---------------------------------------------------------------------------
# The phases
# ---------------------------------------------------------------------------
def phase_build(args) -> dict:
    setup(Path(args.data_dir), migrate=False)
    from sti.projects.similarity import duplicates

    before = memory()
    started = time.perf_counter()
    index = duplicates.rebuild()
    return {
        "build_s": round(time.perf_counter() - started, 1),
        "rows": len(index),
        "nnz": index.nnz,
        "rss_before_build_mb": before["VmRSS"],
        "build_peak_mb": memory()["VmHWM"],
    }


def phase_check(args) -> dict:
    setup(Path(args.data_dir), migrate=False)
    from sti.core import expansion
    from sti.core.synthetic import SyntheticText
    from sti.projects.similarity import duplicates

    state = json.loads((Path(args.data_dir) / "bench.json").read_text())
    source_ids = state["source_ids"]
    labelled = json.loads(SET.read_text(encoding="utf-8"))["proposals"]
    rewordings = json.loads(DATA.read_text(encoding="utf-8"))["rewordings"]
    started = time.perf_counter()
    duplicates.find_similar("khởi động", limit=10)  # opens the saved matrix, lazy imports
    open_ms = (time.perf_counter() - started) * 1000
    after_open = memory()

    tuned = calibrate(duplicates, labelled, source_ids)
    duplicates.expand = False
    baseline = calibrate(duplicates, labelled, source_ids, threshold=BASELINE_THRESHOLD)
    duplicates.expand = True
    timings = tuned.pop("timings") + baseline.pop("timings")
    hits, misses = 0, []
    for item in rewordings:
        t0 = time.perf_counter()
        matches = duplicates.find_similar(proposal_text(item), limit=10)
        timings.append((time.perf_counter() - t0) * 1000)
        if (
            matches
            and matches[0].kind == "task"
            and matches[0].object_id == source_ids[item["source"]]
        ):
            hits += 1
        else:
            misses.append(item["source"])
    for title, abstract in SyntheticText(args.seed + 1000).texts(
        args.checks, abstract_syllables=90
    ):
        t0 = time.perf_counter()
        duplicates.find_similar(f"{title}\n{abstract}", limit=10)
        timings.append((time.perf_counter() - t0) * 1000)
    return {
        "expanders": sorted(expansion._expanders),
        "open_ms": round(open_ms, 1),
        "memory_after_open": after_open,
        "memory_after_checks": memory(),
        "checks": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
        "hits": hits,
        "missed": misses,
        "calibration": tuned,
        "baseline": baseline,
    }


def run_phase(phase: str, args, data_dir: Path) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--data-dir", str(data_dir)]
    command += ["--seed", str(args.seed), "--checks", str(args.checks)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"the {phase} phase failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def show(name: str, figures: dict) -> None:
    print(
        f"{name}: threshold {figures['threshold']} (chosen from the set: "
        f"{figures['chosen_threshold']})  top-1 on rewordings {figures['top1_rewordings']}  "
        f"rewordings flagged {figures['rewordings_flagged']}  near-misses not flagged "
        f"{figures['near_misses_not_flagged']}  new topics not flagged "
        f"{figures['new_not_flagged']}  AUC {figures['auc']}"
    )
    for level, row in figures["by_difficulty"].items():
        print(f"    {level:6}  top-1 {row['top1']}  flagged {row['flagged']}")
    labels = figures["labels"]
    low = min((s, i) for i, s in figures["scores"].items() if labels[i] == "rewording")
    high = max((s, i) for i, s in figures["scores"].items() if labels[i] != "rewording")
    print(f"    lowest rewording {low[0]} ({low[1]}), highest other {high[0]} ({high[1]})")
    print(
        f"    missed top-1: {figures['missed_top1']}  unflagged: {figures['unflagged']}  "
        f"false flags: {figures['false_flags']}"
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.phase:
        phase = phase_build if args.phase == "build" else phase_check
        print(json.dumps(phase(args), ensure_ascii=False))
        return 0
    data = json.loads(DATA.read_text(encoding="utf-8"))
    labelled = json.loads(SET.read_text(encoding="utf-8"))
    data_dir = Path(tempfile.mkdtemp(prefix="sti-bench-dup-"))
    try:
        setup(data_dir)
        source_ids, load_s = populate(args.records, args.seed, data["sources"] + labelled["tasks"])
        (data_dir / "bench.json").write_text(json.dumps({"source_ids": source_ids}))
        print(f"loaded {args.records:,} records in {load_s:.1f} s", flush=True)
        build = run_phase("build", args, data_dir)
        print(
            f"built the matrix ({build['rows']:,} rows, {build['nnz']:,} non-zeros) in "
            f"{build['build_s']} s; build process peak {build['build_peak_mb']:.0f} MB",
            flush=True,
        )
        check = run_phase("check", args, data_dir)
        memory_now = check["memory_after_checks"]
        print(
            f"checking process: resident {memory_now['VmRSS']:.0f} MB = private "
            f"{memory_now['RssAnon']:.0f} MB + mapped files {memory_now['RssFile']:.0f} MB "
            f"(shared page cache: libraries, and {memory_now['matrix_mapped']:.0f} MB of the "
            f"matrix); peak {memory_now['VmHWM']:.0f} MB; opened in "
            f"{check['open_ms']:.0f} ms"
        )
        print(
            f"checks: {check['checks']}  p50 {check['p50_ms']} ms  p95 {check['p95_ms']} ms  "
            f"max {check['max_ms']} ms"
        )
        print(
            f"rewordings.json: source first for {check['hits']}/{len(data['rewordings'])}"
            + (f" (missed {', '.join(check['missed'])})" if check["missed"] else "")
        )
        print(f"query expanders registered: {', '.join(check['expanders']) or 'none'}")
        show("engine", check["calibration"])
        show("baseline (no expansion, threshold 0.45)", check["baseline"])
        tuned = check["calibration"]
        figures = {
            "bench": "duplicates",
            "records": args.records,
            "rows": build["rows"],
            "nnz": build["nnz"],
            "build_s": build["build_s"],
            "build_peak_mb": build["build_peak_mb"],
            "check_rss_mb": memory_now["VmRSS"],
            "check_private_mb": memory_now["RssAnon"],
            "check_mapped_mb": memory_now["RssFile"],
            "check_matrix_mapped_mb": memory_now["matrix_mapped"],
            "check_peak_mb": memory_now["VmHWM"],
            "checks": check["checks"],
            "p50_ms": check["p50_ms"],
            "p95_ms": check["p95_ms"],
            "max_ms": check["max_ms"],
            "hit_rate": round(check["hits"] / len(data["rewordings"]), 3),
            "expanders": check["expanders"],
            "threshold": tuned["threshold"],
            "top1_rewordings": tuned["top1_rewordings"],
            "rewordings_flagged": tuned["rewordings_flagged"],
            "near_misses_not_flagged": tuned["near_misses_not_flagged"],
            "new_not_flagged": tuned["new_not_flagged"],
            "auc": tuned["auc"],
            "baseline": {
                key: check["baseline"][key]
                for key in (
                    "threshold",
                    "top1_rewordings",
                    "rewordings_flagged",
                    "near_misses_not_flagged",
                    "new_not_flagged",
                    "auc",
                )
            },
            "load_s": round(load_s, 1),
            "ok": (
                check["p95_ms"] < 500
                and build["build_peak_mb"] < 1024
                and tuned["top1_rewordings"] >= 0.95
                and tuned["rewordings_flagged"] >= 0.90
                and tuned["others_not_flagged"] >= 0.90
            ),
        }
        print(json.dumps(figures, ensure_ascii=False))
        return 0 if figures["ok"] else 1
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
