"""Demo data: filled in below."""


def load_sample(log=print) -> None:
    return None
