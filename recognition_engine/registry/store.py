"""The provider register in the data folder: an SQLite file, each import one transaction.

An import replaces what the same source held (DEQAR's daily exports are whole snapshots; a
national list is the office's whole copy for its country): a failure anywhere leaves the
register as it was before the import.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rapidfuzz import fuzz, process

from recognition_engine.registry.deqar import Export, ExportKind
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
from recognition_engine.registry.names import NEAR_MATCH_SCORE, NameKeys, fold, romanise
from recognition_engine.registry.national import NationalList

FILE_NAME = "registry.sqlite"
DEQAR = "deqar"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY, register TEXT NOT NULL, kind TEXT NOT NULL, files TEXT NOT NULL,
    rows INTEGER NOT NULL, captured TEXT, imported_at TEXT NOT NULL, attribution TEXT NOT NULL,
    example INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY, source TEXT NOT NULL, country TEXT, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS names (
    entry_key TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT,
    folded TEXT NOT NULL, romanised TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entries_source ON entries (source);
CREATE INDEX IF NOT EXISTS names_entry ON names (entry_key);
CREATE INDEX IF NOT EXISTS names_folded ON names (folded);
CREATE INDEX IF NOT EXISTS names_romanised ON names (romanised);
CREATE TABLE IF NOT EXISTS records (
    entry_key TEXT NOT NULL, source TEXT NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_entry ON records (entry_key);
"""


class ProviderRegistry:
    """The register of one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME

    @property
    def configured(self) -> bool:
        """True once something was imported."""
        if not self.path.exists():
            return False
        with self._connection() as connection:
            return connection.execute("SELECT 1 FROM imports LIMIT 1").fetchone() is not None

    # --- imports ------------------------------------------------------------------------------

    def import_deqar(self, exports: Sequence[Export], captured: dt.date | None) -> RegistryStatus:
        """Replace DEQAR's institutions and/or reports with these exports, in one transaction."""
        institutions = [e for e in exports if e.kind is ExportKind.INSTITUTIONS]
        reports = [e for e in exports if e.kind is ExportKind.REPORTS]
        with self._transaction() as connection:
            if institutions:
                connection.execute(
                    "DELETE FROM names WHERE entry_key IN "
                    "(SELECT key FROM entries WHERE source = ?)",
                    (DEQAR,),
                )
                connection.execute("DELETE FROM entries WHERE source = ?", (DEQAR,))
                for export in institutions:
                    for item in export.institutions:
                        entry = RegisterEntry(
                            key=f"deqar:{item.deqar_id}",
                            register_name=DEQAR_CITATION,
                            name=item.name,
                            country=item.country,
                            url=item.url,
                            captured=captured,
                        )
                        _put_entry(connection, entry, item.names, DEQAR)
            if reports:
                connection.execute("DELETE FROM records WHERE source = ?", (DEQAR,))
                known = {
                    key
                    for (key,) in connection.execute(
                        "SELECT key FROM entries WHERE source = ?", (DEQAR,)
                    )
                }
                for export in reports:
                    for report in export.reports:
                        key = f"deqar:{report.hei_deqar_id}"
                        if key not in known:  # a report's institution the institutions export lacks
                            known.add(key)
                            entry = RegisterEntry(
                                key=key,
                                register_name=DEQAR_CITATION,
                                name=report.hei_name,
                                country=report.country,
                                captured=captured,
                            )
                            _put_entry(
                                connection, entry, [(report.hei_name, NameKind.PRIMARY)], DEQAR
                            )
                        connection.execute(
                            "INSERT INTO records (entry_key, source, record) VALUES (?, ?, ?)",
                            (key, DEQAR, report.record.model_dump_json()),
                        )
            for export in exports:
                _log_import(
                    connection,
                    RegisterImport(
                        register_name="DEQAR",
                        kind=export.kind.value,
                        files=[export.path.name],
                        rows=export.rows,
                        captured=captured,
                        imported_at=_now(),
                        attribution=DEQAR_CITATION,
                    ),
                )
        return self.status()

    def import_national(self, national: NationalList, file_name: str) -> RegistryStatus:
        """Replace the national list of ``national.country`` with this one, in one transaction."""
        source = f"national:{national.country}"
        with self._transaction() as connection:
            for table in ("names", "records"):
                connection.execute(
                    f"DELETE FROM {table} WHERE entry_key IN "  # noqa: S608
                    "(SELECT key FROM entries WHERE source = ?)",
                    (source,),
                )
            connection.execute("DELETE FROM entries WHERE source = ?", (source,))
            for entry, names in national.entries():
                records = entry.records
                _put_entry(connection, entry.model_copy(update={"records": []}), names, source)
                for record in records:
                    connection.execute(
                        "INSERT INTO records (entry_key, source, record) VALUES (?, ?, ?)",
                        (entry.key, source, record.model_dump_json()),
                    )
            _log_import(
                connection,
                RegisterImport(
                    register_name=national.register_name,
                    kind="national",
                    files=[file_name],
                    rows=len(national.providers),
                    captured=national.captured,
                    imported_at=_now(),
                    attribution=national.source_url or national.register_name,
                    example=national.example,
                ),
            )
        return self.status()

    # --- reading ------------------------------------------------------------------------------

    def status(self) -> RegistryStatus:
        if not self.path.exists():
            return RegistryStatus(configured=False, providers=0, records=0, imports=[])
        with self._connection() as connection:
            imports = [
                RegisterImport(
                    register_name=row[0],
                    kind=row[1],
                    files=json.loads(row[2]),
                    rows=row[3],
                    captured=row[4],
                    imported_at=row[5],
                    attribution=row[6],
                    example=bool(row[7]),
                )
                for row in connection.execute(
                    "SELECT register, kind, files, rows, captured, imported_at, attribution, "
                    "example FROM imports ORDER BY id"
                )
            ]
            providers = connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
            records = connection.execute(
                "SELECT COUNT(*) FROM records WHERE entry_key IN (SELECT key FROM entries)"
            ).fetchone()[0]
        return RegistryStatus(
            configured=bool(imports), providers=providers, records=records, imports=imports
        )

    def lookup(self, name: str, country: str | None = None) -> list[RegistryMatch]:
        """Return every register's entry for ``name`` (in ``country`` if given), best first.

        One match per register at most: the strictest way the name matches there. The same
        name once case, accents and punctuation are set aside, then once romanised, are found
        by index; only a name found neither way is compared with every name for a near spelling.
        """
        if not self.path.exists():
            return []
        query = name.strip().casefold()
        found: dict[str, tuple[str, str, str, MatchHow, float]] = {}
        with self._connection() as connection:
            for column, value in (("folded", fold(name)), ("romanised", romanise(name))):
                if not value:
                    continue
                rows = _names(connection, f"{column} = ?", (value,), country)
                # the exact spelling first, so that it is the one a register is matched by
                for key, entry_name, kind, _ in sorted(
                    rows, key=lambda row: row[1].strip().casefold() != query
                ):
                    how = (
                        MatchHow.EXACT
                        if entry_name.strip().casefold() == query
                        else MatchHow.NORMALISED
                        if column == "folded"
                        else MatchHow.TRANSLITERATED
                    )
                    found.setdefault(_source_of(key), (key, entry_name, kind, how, 100.0))
            self._near(connection, romanise(name), country, found)
            matches = [
                RegistryMatch(
                    entry=_entry(connection, key),
                    matched_name=entry_name,
                    name_kind=NameKind(kind),
                    how=how,
                    score=score,
                )
                for key, entry_name, kind, how, score in found.values()
            ]
        strictness = list(MatchHow)
        return sorted(matches, key=lambda m: (strictness.index(m.how), -m.score))

    @staticmethod
    def _near(
        connection: sqlite3.Connection,
        romanised: str,
        country: str | None,
        found: dict[str, tuple[str, str, str, MatchHow, float]],
    ) -> None:
        """Add a near spelling of the name in each register where nothing closer was found."""
        if not romanised:
            return
        sources = [row[0] for row in connection.execute("SELECT DISTINCT source FROM entries")]
        for source in sources:
            if source in found:
                continue
            rows = _names(
                connection,
                "entry_key IN (SELECT key FROM entries WHERE source = ?)",
                (source,),
                country,
            )
            near = process.extractOne(
                romanised,
                [row[3] for row in rows],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=NEAR_MATCH_SCORE,
            )
            if near is not None:
                key, entry_name, kind, _ = rows[near[2]]
                found[source] = (key, entry_name, kind, MatchHow.NEAR, round(float(near[1]), 1))

    # --- the file -----------------------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        try:
            connection.executescript(_SCHEMA)
            yield connection
        finally:
            connection.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")


def _source_of(key: str) -> str:
    return key.rsplit(":", 1)[0]


def _put_entry(
    connection: sqlite3.Connection,
    entry: RegisterEntry,
    names: Sequence[tuple[str, NameKind]],
    source: str,
) -> None:
    connection.execute(
        "INSERT OR REPLACE INTO entries (key, source, country, entry) VALUES (?, ?, ?, ?)",
        (entry.key, source, entry.country, entry.model_dump_json(exclude={"records"})),
    )
    connection.execute("DELETE FROM names WHERE entry_key = ?", (entry.key,))
    seen: set[str] = set()
    for name, kind in names:
        if name not in seen:
            seen.add(name)
            keys = NameKeys.of(name)
            connection.execute(
                "INSERT INTO names (entry_key, name, kind, country, folded, romanised) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (entry.key, name, kind.value, entry.country, keys.folded, keys.romanised),
            )


def _names(
    connection: sqlite3.Connection, where: str, values: tuple[str, ...], country: str | None
) -> list[tuple[str, str, str, str]]:
    """Return (entry key, name, kind, romanised) of the names that meet ``where``."""
    query = f"SELECT entry_key, name, kind, romanised FROM names WHERE ({where})"  # noqa: S608
    if country:
        query += " AND (country = ? OR country IS NULL)"
        values = (*values, country.upper())
    return connection.execute(query, values).fetchall()


def _entry(connection: sqlite3.Connection, key: str) -> RegisterEntry:
    row = connection.execute("SELECT entry FROM entries WHERE key = ?", (key,)).fetchone()
    records = [
        QARecord.model_validate_json(data)
        for (data,) in connection.execute("SELECT record FROM records WHERE entry_key = ?", (key,))
    ]
    return RegisterEntry.model_validate_json(row[0]).model_copy(update={"records": records})


def _log_import(connection: sqlite3.Connection, item: RegisterImport) -> None:
    connection.execute(
        "INSERT INTO imports (register, kind, files, rows, captured, imported_at, attribution, "
        "example) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item.register_name,
            item.kind,
            json.dumps(item.files),
            item.rows,
            item.captured.isoformat() if item.captured else None,
            item.imported_at.isoformat(),
            item.attribution,
            int(item.example),
        ),
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
