def load_sample(log) -> None:
    pass
