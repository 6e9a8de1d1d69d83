"""Demo partner repositories and their harvest (`load_sample`, idempotent).

Two provincial centers (`partner.PARTNERS`) publish their records over OAI-PMH from the
platform itself; a few of Sóc Trăng's records are the same works as An Giang's (same DOI, or
the title typed without diacritics), so the union catalogue shows clusters. `partner_records`
makes any number of records for tests and benches, `generate(n)` a union catalogue of n
harvested records straight in the database (benches).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from sti.core.text import fold
from sti.harvest.models import PartnerRecord, Source

TOPICS = [
    "giống lúa chịu mặn",
    "mô hình nuôi tôm càng xanh trong ruộng lúa",
    "xâm nhập mặn và giải pháp trữ ngọt",
    "sản xuất khóm theo tiêu chuẩn VietGAP",
    "chuỗi giá trị xoài cát Hòa Lộc",
    "chế phẩm sinh học xử lý rơm rạ",
    "nuôi cá tra thâm canh",
    "bảo tồn rừng tràm",
    "năng lượng mặt trời cho hộ nuôi thủy sản",
    "ứng dụng IoT quan trắc độ mặn",
    "phân bón hữu cơ từ bèo lục bình",
    "du lịch sinh thái miệt vườn",
    "chuyển đổi số trong hợp tác xã nông nghiệp",
    "sạt lở bờ sông và bờ biển",
    "truy xuất nguồn gốc nông sản",
]
ACTIONS = [
    "Nghiên cứu",
    "Đánh giá hiện trạng",
    "Xây dựng mô hình",
    "Ứng dụng tiến bộ kỹ thuật về",
    "Giải pháp phát triển",
]
PLACES = {
    "an-giang": ["An Phú", "Châu Đốc", "Tri Tôn", "Thoại Sơn", "Chợ Mới", "Long Xuyên"],
    "soc-trang": ["Trần Đề", "Vĩnh Châu", "Mỹ Xuyên", "Long Phú", "Kế Sách", "Ngã Năm"],
}
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Dương", "Lâm"]
GIVEN = ["Văn An", "Thị Bích", "Minh Châu", "Hoàng Dũng", "Thị Hạnh", "Quốc Khánh", "Thanh Tâm"]
SETS = ["ket-qua-nghien-cuu", "bai-bao", "ban-tin"]
TYPES = {"ket-qua-nghien-cuu": "Báo cáo kết quả", "bai-bao": "Bài báo", "ban-tin": "Bản tin"}
BASE_DATE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
SHARED = 8  # works both demo partners hold


def dc_of(index: int, repository: str, rng: random.Random) -> dict:
    """Dublin Core of one synthetic record (the title is unique by its index)."""
    place = rng.choice(PLACES.get(repository, PLACES["an-giang"]))
    topic = TOPICS[index % len(TOPICS)]
    action = ACTIONS[(index // len(TOPICS)) % len(ACTIONS)]
    year = 2015 + index % 10
    authors = [f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}" for _ in range(rng.randint(1, 3))]
    set_spec = SETS[index % len(SETS)]
    title = f"{action} {topic} tại {place} (số {index + 1})"
    metadata = {
        "title": [title],
        "creator": authors,
        "subject": [topic, place],
        "description": [f"Báo cáo về {topic} tại huyện {place}, giai đoạn {year - 2}–{year}."],
        "publisher": [f"Sở Khoa học và Công nghệ {repository.replace('-', ' ').title()}"],
        "date": [str(year)],
        "type": [TYPES[set_spec]],
        "language": ["vie"],
        "identifier": [f"https://{repository}.example.vn/tai-lieu/{index + 1}"],
    }
    return {"metadata": metadata, "set_spec": set_spec}


def partner_records(repository: str, n: int, *, seed: int = 7, start=BASE_DATE, step=60):
    """`n` unsaved records of a partner, one `step` seconds apart from `start`."""
    rng = random.Random(f"{repository}-{seed}")
    rows = []
    for index in range(n):
        data = dc_of(index, repository, rng)
        rows.append(
            PartnerRecord(
                repository=repository,
                local_id=str(index + 1),
                datestamp=start + dt.timedelta(seconds=step * index),
                set_spec=data["set_spec"],
                metadata=data["metadata"],
            )
        )
    return rows


def _share_works(an_giang: list[PartnerRecord], soc_trang: list[PartnerRecord]) -> None:
    """Sóc Trăng also holds a few of An Giang's works: half with the DOI, half as a title
    typed without diacritics (same year and first author)."""
    for index in range(SHARED):
        source, copy = an_giang[index], soc_trang[index]
        doi = f"10.5555/dbscl.{2020 + index}.{index + 1:03d}"
        metadata = {key: list(values) for key, values in source.metadata.items()}
        if index % 2 == 0:
            source.metadata["identifier"].append(f"https://doi.org/{doi}")
            metadata["identifier"] = [f"doi:{doi}", "https://soc-trang.example.vn/tai-lieu/x"]
            metadata["title"] = [source.metadata["title"][0] + "."]
        else:
            metadata["title"] = [fold(source.metadata["title"][0])]
            metadata["identifier"] = [f"https://soc-trang.example.vn/tai-lieu/{index + 1}"]
        metadata["publisher"] = ["Sở Khoa học và Công nghệ Sóc Trăng"]
        copy.metadata = metadata


def load_partners(n: int = 40) -> int:
    """The demo partners' records (once)."""
    if PartnerRecord.objects.exists():
        return 0
    an_giang = partner_records("an-giang", n)
    soc_trang = partner_records("soc-trang", n, start=BASE_DATE + dt.timedelta(hours=1))
    _share_works(an_giang, soc_trang)
    PartnerRecord.objects.bulk_create(an_giang + soc_trang)
    return len(an_giang) + len(soc_trang)


def demo_base_url() -> str:
    """Where `sti demo` serves the platform (set by the command; 127.0.0.1:8000 otherwise)."""
    return os.environ.get("STI_DEMO_URL", "http://127.0.0.1:8000").rstrip("/")


def serve_briefly(base_url: str):
    """A threaded WSGI server of this platform on `base_url`'s port, for the demo's first
    harvest before `sti demo` starts the real server. Returns a function that stops it."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    class Threaded(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    parts = urlsplit(base_url)
    server = make_server(
        parts.hostname, parts.port or 80, get_wsgi_application(), Threaded, handler_class=Quiet
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return stop


def load_sample(log: Callable[[str], None] = print) -> None:
    """The demo partners' records, then (once they are committed, so that the partner
    endpoints serve them) the two sources registered and harvested over HTTP."""
    from functools import partial

    from django.db import transaction

    added = load_partners()
    log(f"  mạng lưới: {added} bản ghi mới ở 2 kho đối tác trình diễn")
    if Source.objects.exists():
        log(f"  mạng lưới: đã có {Source.objects.count()} nguồn thu thập")
        return
    transaction.on_commit(partial(harvest_demo_partners, log))


def harvest_demo_partners(log: Callable[[str], None] = print) -> None:
    from sti.accounts.models import User
    from sti.harvest import jobs, services
    from sti.harvest.partner import PARTNERS

    editor = User.objects.filter(role="editor", is_active=True).first()
    if editor is None:
        log("  mạng lưới: bỏ qua (chưa có tài khoản biên tập)")
        return
    base = demo_base_url()
    try:
        stop = serve_briefly(base)
    except OSError as error:
        log(f"  mạng lưới: không mở được {base} để thu thập lần đầu ({error})")
        return
    try:
        for slug, name in PARTNERS.items():
            url = f"{base}/mang-luoi/doi-tac/{slug}/oai"
            data = {"name": name.split(" – ")[0], "metadata_prefix": "oai_dc", "sets": []}
            source = services.register_source(editor, url, {**data, "delay_seconds": 0})
            run = jobs.harvest(source)
            Source.objects.filter(pk=source.pk).update(delay_seconds=1.0)
            log(f"  mạng lưới: {source.name}: {run.added} bản ghi thu thập")
    except ValidationError as error:
        # An internal address is refused unless allowed by name (`sti demo` allows its host).
        host = urlsplit(base).hostname
        log(
            f"  mạng lưới: bỏ qua: {' '.join(error.messages)} "
            f"Đặt STI_HARVEST_PRIVATE_HOSTS={host} để thu thập các kho trình diễn."
        )
    finally:
        stop()


def generate(
    scale: int,
    seed: int = 42,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
    *,
    batch_size: int = 2000,
) -> dict:
    """`scale` union-catalogue records of a synthetic partner, read from its Dublin Core as a
    harvest reads it (`client.read_dc`) and written by the harvester's own store
    (`jobs.store_records`), a batch per transaction, without indexing (run `sti reindex`):
    the size benches search at. Its works are distinct (numbered titles) and from one
    source, so they are not queued for matching."""
    from django.db import transaction

    from sti.harvest import client, jobs
    from sti.harvest.models import HarvestedRecord
    from sti.search.signals import indexing_paused

    source, _created = Source.objects.get_or_create(
        base_url=f"https://kho-sinh-tu-dong-{seed}.example.vn/oai",
        defaults={"name": f"Kho sinh tự động {seed}", "schedule_hours": 0, "active": False},
    )
    start = HarvestedRecord.objects.filter(source=source).count()
    advance = progress("Mục lục liên hợp", scale) if progress else None
    rng = random.Random(f"generate-{seed}")
    for first in range(start, start + scale, batch_size):
        parsed = []
        for index in range(first, min(first + batch_size, start + scale)):
            dc = dc_of(index, "soc-trang", rng)["metadata"]
            stamp = (BASE_DATE + dt.timedelta(seconds=index)).strftime("%Y-%m-%dT%H:%M:%SZ")
            parsed.append(
                client.Parsed(
                    identifier=f"oai:kho-{seed}.example.vn:{index + 1}",
                    datestamp=stamp,
                    deleted=False,
                    values=client.read_dc(dc),
                )
            )
        with transaction.atomic(), indexing_paused():
            jobs.store_records(source, parsed, match=False)
        if advance:
            advance(len(parsed))
    return {"HarvestedRecord": scale}
