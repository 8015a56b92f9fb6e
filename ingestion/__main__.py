"""Command line.

    python -m ingestion extract PATH [--type T]     print the SPEC §4 JSON; exit 2 on unreadable input
    python -m ingestion template [TYPE] OUT.xlsx    write the XLSX template of TYPE to fill offline
                                                    (default: material_composition)
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
    template = commands.add_parser("template", help="write a document type's XLSX template to fill offline")
    template.add_argument("type", metavar="TYPE", help=f"one of {', '.join(document_types())}")
    # `template OUT.xlsx` (the material-composition template) predates the TYPE argument.
    template.add_argument("out", metavar="OUT.xlsx", nargs="?", type=Path,
                          help="the file to write; `template OUT.xlsx` writes the material-composition template")
    args = parser.parse_args(argv)
    if args.command == "template":
        from .xlsx.schema_template import build_schema_template

        document_type, out = (args.type, args.out) if args.out else ("material_composition", Path(args.type))
        if document_type not in document_types():
            parser.error(f"template: TYPE must be one of {', '.join(document_types())}")
        out.write_bytes(build_schema_template(document_type))
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
