"""Static files' addresses: hashed names from the manifest, each looked up once a process."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage, remembering each file's address.

    An admin list asks for the same icon on every row, and every page for its style sheets
    and scripts: each address was worked out again from the manifest (about 0.02 ms each,
    2 ms of a 50-row list). The manifest is read when the process starts and changes only
    with `collectstatic`, after which the servers are restarted; a name the manifest lacks
    still fails as before, and is not remembered.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._addresses[name]
        except KeyError:
            address = self._addresses[name] = super().url(name)
            return address
