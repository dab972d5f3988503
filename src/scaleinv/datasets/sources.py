"""Find a dataset's original files: mirror directories first, then the download cache,
then the configured URLs. Nothing is used before its checksum passes."""

import gzip
import hashlib
import logging
from pathlib import Path

from torchvision.datasets.utils import calculate_md5, download_url

from scaleinv.datasets.catalog import DATASETS
from scaleinv.errors import ScaleinvError

log = logging.getLogger(__name__)


def mismatch(path, digests):
    """None when `path` matches one of `digests` (md5, sha256_uncompressed); else why not."""
    md5 = calculate_md5(path)
    if digests.get("md5") == md5:
        return None
    found, expected = f"md5 {md5}", f"md5 {digests['md5']}" if digests.get("md5") else ""
    if digests.get("sha256_uncompressed"):
        try:
            content = _sha256_gunzipped(path)
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            return f"{path.name} is not a readable gzip file ({error})"
        if content == digests["sha256_uncompressed"]:
            return None
        found += f", sha256 of its content {content}"
        expected += " or sha256 of its content " + digests["sha256_uncompressed"]
    return f"{path.name} fails its checksum ({found}; expected {expected.strip()})"


def _sha256_gunzipped(path):
    digest = hashlib.sha256()
    with gzip.open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _verified(directory, names, checksums):
    """(files, None) when `directory` holds every name with a good checksum, else (None, why)."""
    if not directory.is_dir():
        return None, "no such directory"
    missing = [name for name in names if not (directory / name).is_file()]
    if missing:
        return None, f"missing {', '.join(missing)}"
    for name in names:
        problem = mismatch(directory / name, checksums[name])
        if problem:
            return None, problem
    return {name: directory / name for name in names}, None


def locate(dataset, names, checksums, urls, mirrors, cache, download):
    """{name: path} of verified original files; else one error naming every place tried."""
    if not names:
        return {}
    unchecked = [name for name in names if name not in checksums]
    if unchecked:
        raise ScaleinvError(
            f"datasets.{dataset}.checksums lacks {', '.join(unchecked)}; "
            "add the published digests (see config.yaml)"
        )
    tried = []
    for place in [Path(m) for m in mirrors] + [Path(cache)]:
        files, problem = _verified(place, names, checksums)
        if files:
            log.info("%s: using verified files in %s", dataset, place)
            return files
        tried.append(f"{place}: {problem}")
    if not download:
        tried.append("download: switched off (data.download: false)")
    for url in urls if download else []:
        cache = Path(cache)
        for name in names:  # a file that failed verification is fetched again
            if (cache / name).exists() and mismatch(cache / name, checksums[name]):
                (cache / name).unlink()
        try:
            for name in names:
                log.info("%s: downloading %s%s", dataset, url, name)
                download_url(url + name, cache, filename=name)
        except OSError as error:  # URLError and HTTPError are OSErrors
            tried.append(f"{url}: {error}")
            continue
        files, problem = _verified(cache, names, checksums)
        if files:
            return files
        tried.append(f"{url}: {problem}")
    hint = DATASETS[dataset].hint if dataset in DATASETS else ""
    mirror = "a directory listed in data.mirrors" + (f" ({hint})" if hint else "")
    raise ScaleinvError(
        f"dataset {dataset} could not be obtained; tried {'; '.join(tried)}. "
        f"Put the original files ({', '.join(names)}) in {mirror}, or allow data.download "
        f"on a machine that reaches datasets.{dataset}.urls"
    )
