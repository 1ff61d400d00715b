"""The project's exceptions: one base class, one subclass per kind of failure.

The CLI maps them to a message and an exit code, the API to an RFC 9457 problem response.
"""


class RecognitionError(Exception):
    """Base of every error the engine raises on purpose."""

    title = "Recognition engine error"


class InvalidInput(RecognitionError):
    """A file or payload that is malformed, incomplete or too large."""

    title = "Invalid input"


class NotFound(RecognitionError):
    """An unknown programme, credential, module or proposal."""

    title = "Not found"


class StackingRefused(RecognitionError):
    """Several credentials that cannot be combined toward one decision."""

    title = "Stacking refused"


class AwardRefused(InvalidInput):
    """A decision the proposal, its programme version or the programme's cap refuses: a module
    the version does not have or awarded twice, ECTS over the module's or over the cap."""

    title = "Conflicts with what is stored"


class IndexUnavailable(RecognitionError):
    """The index of a programme is missing, stale or built with another model."""

    title = "Index unavailable"


class ModelUnavailable(RecognitionError):
    """The sentence-transformers model could not be loaded."""

    title = "Model unavailable"


class UnknownFramework(InvalidInput):
    """A level declared in a qualifications framework the engine has no EQF table for."""

    title = "Unknown qualifications framework"


class MalformedDocument(InvalidInput):
    """Text that is not what it claims: not UTF-8, not JSON or YAML, or a JSON string holding
    a lone UTF-16 surrogate (which no UTF-8 text, database or spreadsheet can hold)."""

    title = "Malformed document"


class NestedTooDeep(InvalidInput):
    """A JSON or YAML document nested past the configured depth."""

    title = "Nested too deeply"


class InvalidFields(InvalidInput):
    """A record whose fields are not what its schema says: each field error's place, message
    and kind (never the value, which may be personal data)."""

    title = "Invalid fields"

    def __init__(self, source: str, errors: list[dict]) -> None:
        self.errors = [
            {
                "loc": list(item.get("loc", ())),
                "msg": str(item.get("msg", "")),
                "type": str(item.get("type", "")),
            }
            for item in errors
        ]
        listed = [
            f"{'.'.join(str(part) for part in item['loc']) or 'record'}: {item['msg']}"
            for item in self.errors[:5]
        ]
        if len(self.errors) > 5:
            listed.append(f"and {len(self.errors) - 5} more")
        super().__init__(f"{source}: {'; '.join(listed)}")
