"""Provider registers: DEQAR's exports and national lists, imported into the data folder and
looked up by a credential's awarding body (``ProviderRegistry``)."""

from recognition_engine.registry.deqar import Export, ExportKind, read_export
from recognition_engine.registry.models import (
    DEQAR_CITATION,
    MatchHow,
    NameKind,
    QARecord,
    RegisterEntry,
    RegisterImport,
    RegistryMatch,
    RegistryStatus,
)
from recognition_engine.registry.national import NationalList, read_national_list
from recognition_engine.registry.store import ProviderRegistry

__all__ = [
    "DEQAR_CITATION",
    "Export",
    "ExportKind",
    "MatchHow",
    "NameKind",
    "NationalList",
    "ProviderRegistry",
    "QARecord",
    "RegisterEntry",
    "RegisterImport",
    "RegistryMatch",
    "RegistryStatus",
    "read_export",
    "read_national_list",
]
