"""axe-core on each page the browser tests visit, and a screenshot of it.

A page fails on a serious or critical violation. Every violation, whatever its impact, is written
to `axe.jsonl` beside the screenshots, for the record."""

from __future__ import annotations

import json
import re
from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
FAILING_IMPACTS = {"serious", "critical"}

# Rules switched off, each with the reason it is a false positive here. None so far: a real
# violation is fixed in the templates (the shared ones in sti/core/templates/core/).
DISABLED_RULES: dict[str, str] = {}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


class Auditor:
    """Audits the pages of one test at one width; numbers its screenshots in visiting order."""

    def __init__(self, out_dir: Path, test_name: str, width: int):
        self.out_dir, self.test_name, self.width = out_dir, test_name, width
        self.count = 0
        out_dir.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, label: str) -> list[dict]:
        """Run axe-core on `page` as it is now, save a full-page screenshot, and fail on any
        serious or critical violation."""
        self.count += 1
        stem = f"{_slug(self.test_name)}-{self.width}-{self.count:02d}-{_slug(label)}"
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=AXE_SOURCE)
        options = {
            "resultTypes": ["violations"],
            "rules": {rule: {"enabled": False} for rule in DISABLED_RULES},
        }
        result = page.evaluate("options => window.axe.run(document, options)", options)
        page.screenshot(path=str(self.out_dir / f"{stem}.png"), full_page=True)
        violations = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [
                    {"target": node["target"], "summary": node.get("failureSummary", "")}
                    for node in violation["nodes"]
                ],
            }
            for violation in result["violations"]
        ]
        with (self.out_dir / "axe.jsonl").open("a", encoding="utf-8") as log:
            record = {
                "test": self.test_name,
                "width": self.width,
                "page": label,
                "url": page.url,
                "screenshot": f"{stem}.png",
                "violations": violations,
            }
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        if failing:
            raise AssertionError(
                f"axe-core on {label} ({page.url}, {self.width} px):\n"
                + "\n".join(
                    f"  {v['impact']} {v['id']}: {v['help']} — {len(v['nodes'])}×, e.g. "
                    f"{v['nodes'][0]['target']}: {v['nodes'][0]['summary']}"
                    for v in failing
                )
            )
        return violations
