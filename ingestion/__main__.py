"""Command line.

    python -m ingestion extract PATH [--type T]     print the SPEC §4 JSON; exit 2 on unreadable input
    python -m ingestion template OUT.xlsx           write the material-composition XLSX template
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import ExtractionError, document_types, extract_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingestion")
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="extract one PDF or XLSX file to JSON")
    extract.add_argument("path")
    extract.add_argument("--type", dest="document_type", choices=document_types(),
                         help="force the document type instead of detecting it")
    template = commands.add_parser("template", help="write the material-composition XLSX template")
    template.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "template":
        from .xlsx.composition_template import build_template

        args.out.write_bytes(build_template())
        return 0
    try:
        result = extract_file(args.path, document_type=args.document_type)
    except ExtractionError as exc:
        print(exc.reason, file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
