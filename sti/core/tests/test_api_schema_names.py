"""The OpenAPI document names each schema by its class name: two apps' schemas of one name
and different shapes would document one app's answers with the other's fields."""

import importlib
from collections import defaultdict

from django.apps import apps
from ninja import Schema


def test_schemas_of_one_name_have_one_shape():
    by_name = defaultdict(list)
    for config in apps.get_app_configs():
        if not config.name.startswith("sti."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
            ):
                by_name[value.__name__].append(value)
    clashes = {
        name: [schema.__module__ for schema in schemas]
        for name, schemas in by_name.items()
        if len({str(schema.model_json_schema()) for schema in schemas}) > 1
    }
    assert not clashes, f"rename one of each: {clashes}"
