"""The storage of the collected static files that `jianguan serve` serves through whitenoise."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    return tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in (p if isinstance(p, str) else p[0])))
        for extension, rules in patterns
    )


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names (far-future cache headers) and gzip copies, without the source maps.

    `jianguan serve` collects with --ignore '*.map': the maps are for developers' browsers, and hashing
    and compressing ECharts' maps took most of a minute at every start. Their references in JS and CSS
    are then left unrewritten instead of failing the collection.
    """

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
