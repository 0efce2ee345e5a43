"""Reading inputs: files and folders in, `Document`s (or one-line `InputError`s) out."""

from newsprism.ingest.decode import decode_bytes
from newsprism.ingest.files import DEFAULT_MAX_BYTES, iter_inputs, json_document, jsonl_record

__all__ = ["DEFAULT_MAX_BYTES", "decode_bytes", "iter_inputs", "json_document", "jsonl_record"]
